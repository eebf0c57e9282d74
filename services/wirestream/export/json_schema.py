"""The JSON Schema of every message model, as published in the repository's `schemas/` folder.

`python -m wirestream.export` (`make schemas`) writes them; a test regenerates them in memory
and fails when the files on disk differ.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from wirestream.contracts import (
    EnrichedArticle,
    IngestedArticle,
    RawArticle,
    Rejection,
    SeenId,
    StoryRecord,
)
from wirestream.serialization import dumps_pretty

# The published contract lives at the top of the repository, beside services/ (the source root).
SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas"

EXPORTED: dict[str, type[BaseModel]] = {
    "raw_article.schema.json": RawArticle,
    "enriched_article.schema.json": EnrichedArticle,
    "rejection.schema.json": Rejection,
    "ingested_article.schema.json": IngestedArticle,
    "seen_id.schema.json": SeenId,
    "story_record.schema.json": StoryRecord,
}


def render(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://wirestream.dev/schemas/{model.__name__}.json"
    return dumps_pretty(schema)


def schema_file(model: type[BaseModel]) -> str:
    return next(name for name, exported in EXPORTED.items() if exported is model)
