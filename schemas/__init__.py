"""Message contracts of wirestream: the pydantic models and the JSON Schema files exported from them.

`RawArticle` comes in on `articles.raw`, `EnrichedArticle` goes out on `articles.enriched`,
`Rejection` on `articles.rejected`; `ArticleInProgress` travels between the stages.
"""

from wirestream.schemas.articles import (
    SCHEMA_VERSION,
    Agency,
    ArticleInProgress,
    Dateline,
    DatelineDate,
    EnrichedArticle,
    Enrichment,
    Entity,
    EntityMention,
    Language,
    LanguageGuess,
    Models,
    RawArticle,
    SeenId,
)
from wirestream.schemas.rejection import Rejection

__all__ = [
    "SCHEMA_VERSION",
    "Agency",
    "ArticleInProgress",
    "Dateline",
    "DatelineDate",
    "EnrichedArticle",
    "Enrichment",
    "Entity",
    "EntityMention",
    "Language",
    "LanguageGuess",
    "Models",
    "RawArticle",
    "Rejection",
    "SeenId",
]
