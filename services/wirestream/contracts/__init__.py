"""Message contracts of wirestream: the pydantic models every topic carries.

`RawArticle` comes in on `articles.raw`, `EnrichedArticle` goes out on `articles.enriched`,
`Rejection` on `articles.rejected`; `IngestedArticle` travels from ingest to enrich. The
language-neutral contract generated from them (JSON Schema, AsyncAPI) is in the repository's
`schemas/` folder (`make schemas`).
"""

from wirestream.contracts.articles import (
    ENRICHED_SCHEMA_VERSION,
    INGESTED_SCHEMA_VERSION,
    SCHEMA_VERSION,
    SEEN_ID_SCHEMA_VERSION,
    Agency,
    ArticlePlace,
    Byline,
    Credit,
    Dateline,
    DatelineDate,
    EnrichedArticle,
    Enrichment,
    Entity,
    EntityMention,
    GeoPlace,
    IngestedArticle,
    Language,
    LanguageGuess,
    Models,
    RawArticle,
    SeenId,
    Story,
    StoryArticleState,
    StoryRecord,
    StoryState,
    Subdivision,
)
from wirestream.contracts.rejection import Rejection, RejectionReason, RejectionStage

__all__ = [
    "ENRICHED_SCHEMA_VERSION",
    "INGESTED_SCHEMA_VERSION",
    "SCHEMA_VERSION",
    "SEEN_ID_SCHEMA_VERSION",
    "Agency",
    "ArticlePlace",
    "Byline",
    "Credit",
    "Dateline",
    "DatelineDate",
    "EnrichedArticle",
    "Enrichment",
    "Entity",
    "EntityMention",
    "GeoPlace",
    "IngestedArticle",
    "Language",
    "LanguageGuess",
    "Models",
    "RawArticle",
    "Rejection",
    "RejectionReason",
    "RejectionStage",
    "SeenId",
    "StoryArticleState",
    "StoryRecord",
    "StoryState",
    "Story",
    "Subdivision",
]
