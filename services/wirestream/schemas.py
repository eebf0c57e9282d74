"""The message models under their 0.1 import path, kept for code written against it: new code
imports `wirestream.contracts` (see the README's contract changelog)."""

from wirestream.contracts import (
    ENRICHED_SCHEMA_VERSION,
    SCHEMA_VERSION,
    Agency,
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
    Rejection,
)

__all__ = ["ENRICHED_SCHEMA_VERSION", "SCHEMA_VERSION", "Agency", "Dateline", "DatelineDate", "EnrichedArticle", "Enrichment", "Entity",
           "EntityMention", "Language", "LanguageGuess", "Models", "RawArticle", "Rejection"]
