"""The model's labels checked by the gazetteer and the context: places that were people or
organisations reach the map, clubs named after cities stay clubs, people stay people; namesakes
decided by the article; places as entities in the languages without NER."""

from __future__ import annotations

from typing import Any

import pytest
from wirestream.contracts import EnrichedArticle
from wirestream.enrich.label_check import NameLists, refine_spans
from wirestream.enrich.pipeline import Enrichers, enrich
from wirestream.serialization import dumps

from tests.conftest import REFERENCE_TIME

WASHINGTON_DC, WASHINGTON_STATE = 4140963, 5815135


def enriched(enrichers: Enrichers, text: str, **fields: Any) -> EnrichedArticle:
    return enrich(dumps({"text": text, **fields}), enrichers, REFERENCE_TIME)


def labels(article: EnrichedArticle) -> dict[str, str]:
    return {entity.name: entity.label for entity in article.entities}


class KnownNames:
    """The gazetteer's answer, for the span tests: these names are places."""

    def __init__(self, *names: str) -> None:
        self.names = set(names)

    def place_named(self, name: str, *, strict: bool = False) -> bool:
        return name in self.names

    def area_named(self, name: str) -> bool:
        return False


def test_places_in_gaza_copy_are_places_whatever_the_model_said(enrichers: Enrichers) -> None:
    article = enriched(enrichers, "GAZA (Reuters) - Israel reopened the Erez crossing on Sunday. Trucks queued at "
                                  "the Kerem Shalom crossing, and hospitals in Khan Younis and Rafah said fuel was "
                                  "running out. Khan Younis has been shelled for weeks.")
    found = labels(article)
    assert {found.get(name) for name in ("Erez", "Kerem Shalom", "Khan Younis", "Rafah")} == {"PLACE"}, found
    on_map = {e.name: e.place.geonames_id for e in article.entities if e.place is not None}
    assert "Khan Younis" in on_map and "Rafah" in on_map


def test_colombian_cities_are_places_and_a_ministry_is_not_a_place(enrichers: Enrichers) -> None:
    article = enriched(enrichers, "BOGOTÁ (EFE) - Las lluvias afectaron a Medellín, Cali y Valencia, en el "
                                  "departamento de Córdoba. El Ministerio de Vivienda anunció subsidios para las "
                                  "familias damnificadas.")
    found = labels(article)
    assert (found.get("Medellín"), found.get("Cali"), found.get("Valencia")) == ("PLACE", "PLACE", "PLACE"), found
    assert found.get("Ministerio de Vivienda") == "ORG" and "Vivienda" not in found


def test_clubs_named_after_cities_stay_clubs_and_a_score_is_never_part_of_a_name(enrichers: Enrichers) -> None:
    article = enriched(enrichers, "LONDON (Reuters) - Liverpool beat Chelsea 2-1 at Anfield on Sunday, and "
                                  "Manchester United drew 1-1 with Everton. Norwich were thrashed 4-0.")
    found = labels(article)
    for club in ("Liverpool", "Chelsea", "Manchester United", "Norwich"):
        assert found.get(club) == "ORG", (club, found)
    assert not any(any(c.isdigit() for c in name) for name in found)


def test_the_same_city_is_the_club_in_a_result_and_the_city_after_in(enrichers: Enrichers) -> None:
    article = enriched(enrichers, "Bayer Leverkusen gewann 3:1 gegen Freiburg. Der VfB Stuttgart spielt am Sonntag "
                                  "in Hamburg.", language="de")
    found = labels(article)
    assert (found.get("Bayer Leverkusen"), found.get("Freiburg"), found.get("VfB Stuttgart")) == ("ORG",) * 3
    assert found.get("Hamburg") == "PLACE"


def test_a_portfolio_before_a_role_is_no_entity_and_a_cut_name_is_made_whole(enrichers: Enrichers) -> None:
    article = enriched(enrichers, "LONDON (Reuters) - Health Secretary Wes Streeting said on Monday that waiting "
                                  "lists had fallen. China's State Grid plans to invest more in power lines.")
    found = labels(article)
    assert "Health" not in found and found.get("Wes Streeting") == "PERSON"
    assert found.get("State Grid") == "ORG" and "State" not in found


def test_jordan_in_an_article_about_the_country_is_the_country(enrichers: Enrichers) -> None:
    article = enriched(enrichers, "AMMAN (Reuters) - Jordan will host talks on Syria next month. Jordan has taken "
                                  "in more than a million refugees, the government said.")
    jordan = next(e for e in article.entities if e.name == "Jordan")
    assert jordan.label == "PLACE" and jordan.place is not None and jordan.place.kind == "country"


def test_a_person_with_a_first_name_stays_a_person(enrichers: Enrichers) -> None:
    article = enriched(enrichers, "BOGOTÁ (EFE) - Opposition senator Paloma Valencia criticised the budget on "
                                  "Tuesday. Valencia said the plan would fail.", language="en")
    assert labels(article).get("Paloma Valencia") == "PERSON"


def test_washington_in_an_article_datelined_washington_is_the_capital_title_included(enrichers: Enrichers) -> None:
    article = enriched(enrichers, "WASHINGTON (Reuters) - The White House said on Tuesday that Washington would "
                                  "announce new sanctions, a move officials in Washington have debated for weeks.",
                       title="Washington weighs new sanctions")
    [washington] = [e for e in article.entities if e.name == "Washington"]
    assert washington.place is not None and washington.place.geonames_id == WASHINGTON_DC
    assert washington.title_mentions
    assert [p.geonames_id for p in article.places] == [WASHINGTON_DC]  # one point for the city, counted once
    assert article.places[0].mentions == 1 + washington.count


def test_washington_state_is_the_state_when_the_text_says_so(enrichers: Enrichers) -> None:
    article = enriched(enrichers, "SEATTLE (AP) - Wildfires forced evacuations in Washington state on Monday, "
                                  "officials said.")
    washington = next(e for e in article.entities if e.name == "Washington")
    assert washington.place is not None and washington.place.geonames_id == WASHINGTON_STATE


@pytest.mark.parametrize(("text", "kind", "country"), [
    ("Protesters marched through Tbilisi for a tenth night. Georgia's president backed them.", "country", "GE"),
    ("Storms knocked out power in Georgia, and crews from Atlanta worked through the night.", "region", "US"),
    ("Georgia's parliament met on Monday to debate the budget.", "country", "GE"),
], ids=["beside Tbilisi: the country", "beside Atlanta: the state", "alone: the country"])
def test_georgia_is_decided_by_the_other_places_the_article_names(enrichers: Enrichers, text: str, kind: str,
                                                                 country: str) -> None:
    georgia = next(e for e in enriched(enrichers, text).entities if e.name == "Georgia")
    assert georgia.place is not None and (georgia.place.kind, georgia.place.country_code) == (kind, country)


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("القاهرة (رويترز) - قال وزير الخارجية المصري إن المحادثات في الدوحة مع قطر حول غزة ستستمر الأسبوع المقبل في "
     "باريس، وإن مصر تنسق مع الأردن.", "ar", {"Doha", "Qatar", "Gaza", "Paris", "Egypt", "Jordan"}),
    ("新华社北京11月24日电 国家主席在北京会见了法国总统。双方讨论了上海和巴黎之间的合作，以及德国的局势。", "zh",
     {"Beijing", "France", "Shanghai", "Paris", "Germany"}),
    ("МОСКВА, 24 ноября. /ТАСС/. Президент России провёл переговоры в Москве с главой Китая. Стороны обсудили "
     "ситуацию в Германии и поставки газа в Турцию через Стамбул.", "ru",
     {"Russia", "Moscow", "China", "Germany", "Türkiye", "Istanbul"}),
    ("ANKARA (AA) - Cumhurbaşkanı Ankara'da Almanya Başbakanı ile görüştü. Görüşmede İstanbul'daki yatırımlar ve "
     "Gazze'deki durum ele alındı.", "tr", {"Ankara", "Germany", "Istanbul", "Gaza"}),
], ids=["Arabic", "Chinese", "Russian, inflected", "Turkish, with suffixes"])
def test_languages_without_ner_get_their_places_as_entities(enrichers: Enrichers, text: str, language: str,
                                                            expected: set[str]) -> None:
    article = enriched(enrichers, text)
    assert article.language.code == language and article.entities_status == "places_only"
    assert all(e.label == "PLACE" and e.place is not None and e.mentions for e in article.entities)
    assert {e.place.name for e in article.entities if e.place is not None} == expected
    for entity in article.entities:
        for mention in entity.mentions:
            assert article.text[mention.start:mention.end] == mention.text
    assert article.places and article.places[0].in_dateline


def test_a_language_without_ner_and_without_a_place_says_so(enrichers: Enrichers) -> None:
    article = enriched(enrichers, "Bugün hava çok güzeldi ve insanlar parklarda uzun süre dolaştılar.")
    assert article.language.code == "tr" and article.entities_status == "unsupported_language"
    assert article.entities == []


@pytest.mark.parametrize(("text", "spans", "expected"), [
    ("Health Secretary Wes Streeting said", [(0, 6, "ORG"), (17, 30, "PERSON")], ["Wes Streeting"]),
    ("China's State Grid will spend", [(0, 5, "GPE"), (8, 13, "ORG")], ["China", "State Grid"]),
    ("El Ministerio de Vivienda anunció", [(17, 25, "LOC")], ["Ministerio de Vivienda"]),
    ("La ministra de Vivienda, Isabel Rodríguez", [(15, 23, "LOC"), (25, 41, "PER")], ["Isabel Rodríguez"]),
    ("en Barranquilla y Cartagena hoy", [(3, 27, "LOC")], ["Barranquilla", "Cartagena"]),
    ("en Santa Fe y Rosario hoy", [(3, 21, "LOC")], ["Santa Fe y Rosario"]),
], ids=["a portfolio before a role", "a one-word name the model cut short", "a ministry's field",
        "a minister's portfolio",
        "two known places joined", "not split unless both are known"])
def test_spans_are_mended_before_grouping(text: str, spans: list[tuple[int, int, str]], expected: list[str]) -> None:
    known = KnownNames("Barranquilla", "Cartagena", "Rosario")
    assert [text[s:e] for s, e, _ in refine_spans(text, spans, known)] == expected


def test_first_names_come_from_every_locale_faker_ships() -> None:
    from wirestream.bootstrap import make_name_lists

    names = make_name_lists()
    assert len(names.first_names) > 20_000
    assert names.starts_with_first_name("Paloma Valencia") and not names.starts_with_first_name("Valencia")
    assert isinstance(names, NameLists)
