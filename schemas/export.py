"""Write the JSON Schema files beside the models: `python -m wirestream.schemas.export`.

A test regenerates them in memory and fails when the files on disk differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel
from wirestream.schemas.articles import (
    ArticleInProgress,
    EnrichedArticle,
    RawArticle,
    SeenId,
)
from wirestream.schemas.rejection import Rejection
from wirestream.serialization import dumps_pretty

SCHEMA_DIR = Path(__file__).resolve().parent

EXPORTED: dict[str, type[BaseModel]] = {
    "raw_article.schema.json": RawArticle,
    "enriched_article.schema.json": EnrichedArticle,
    "rejection.schema.json": Rejection,
    "article_in_progress.schema.json": ArticleInProgress,
    "seen_id.schema.json": SeenId,
}
ASYNCAPI_FILE = "asyncapi.yaml"


def render(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://wirestream.dev/schemas/{model.__name__}.json"
    return dumps_pretty(schema)


def schema_file(model: type[BaseModel]) -> str:
    return next(name for name, exported in EXPORTED.items() if exported is model)


def main() -> int:
    from wirestream.schemas.asyncapi import render_asyncapi

    for file_name, model in EXPORTED.items():
        (SCHEMA_DIR / file_name).write_text(render(model), encoding="utf-8")
        print(f"wrote {SCHEMA_DIR / file_name}")
    (SCHEMA_DIR / ASYNCAPI_FILE).write_text(render_asyncapi(), encoding="utf-8")
    print(f"wrote {SCHEMA_DIR / ASYNCAPI_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
