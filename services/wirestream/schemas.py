"""Deprecated: the message models under their 0.1 import path. Import `wirestream.contracts`
instead; this module goes in 0.3 (see the README's contract changelog)."""

import warnings

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

REMOVED_IN = "0.3"

warnings.warn(f"wirestream.schemas is deprecated and goes in {REMOVED_IN}: import the models from "
              "wirestream.contracts", DeprecationWarning, stacklevel=2)

__all__ = ["ENRICHED_SCHEMA_VERSION", "SCHEMA_VERSION", "Agency", "Dateline", "DatelineDate", "EnrichedArticle",
           "Enrichment", "Entity", "EntityMention", "Language", "LanguageGuess", "Models", "RawArticle", "Rejection"]
