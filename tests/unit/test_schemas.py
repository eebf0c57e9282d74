"""The exported JSON Schema files never drift from the models, and the models hold their contract."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from pydantic import ValidationError
from wirestream.schemas import EnrichedArticle, RawArticle
from wirestream.schemas.export import EXPORTED, SCHEMA_DIR, render


@pytest.mark.parametrize("file_name", sorted(EXPORTED), ids=lambda name: f"{name} matches its model")
def test_exported_schema_matches_the_model(file_name: str) -> None:
    on_disk = (SCHEMA_DIR / file_name).read_text(encoding="utf-8")
    assert on_disk == render(EXPORTED[file_name]), "run `make schemas` and commit the result"


def test_enriched_article_rejects_unknown_fields(enrichers, seed_path) -> None:  # type: ignore[no-untyped-def]
    from wirestream.pipeline import enrich

    article = enrich(seed_path.read_bytes(), enrichers)
    data = article.model_dump(mode="json")
    assert EnrichedArticle.model_validate(data) == article
    with pytest.raises(ValidationError):
        EnrichedArticle.model_validate({**data, "surprise": 1})


def test_enriched_article_requires_the_documented_fields() -> None:
    required = set(EnrichedArticle.model_json_schema()["required"])
    assert {"id", "received_at", "text", "body", "language", "dateline", "entities", "entities_status", "enrichment"} <= required


def test_raw_article_only_requires_text() -> None:
    assert RawArticle.model_json_schema()["required"] == ["text"]
    article = RawArticle.model_validate({"text": "x", "published_at": datetime(2026, 1, 1, tzinfo=timezone.utc)})
    assert article.id is None and article.metadata == {}
