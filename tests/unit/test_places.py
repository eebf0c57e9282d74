"""Places named in the text, on the map: one country, US state or city without doubt, or nothing."""

from __future__ import annotations

import pytest
from wirestream.contracts import Entity, EntityMention
from wirestream.enrich.geo.gazetteer import Gazetteer, subdivision_named
from wirestream.enrich.geo.places import locate, resolve_name

from tests.conftest import REFERENCE_TIME


@pytest.mark.parametrize(("name", "geonames_id", "kind", "country"), [
    ("Allemagne", 2921044, "country", "DE"),
    ("Deutschland", 2921044, "country", "DE"),
    ("Германия", 2921044, "country", "DE"),
    ("Pékin", 1816670, "city", "CN"),
    ("Peking", 1816670, "city", "CN"),
    ("北京", 1816670, "city", "CN"),
    ("Москва", 524901, "city", "RU"),
    ("Texas", 4736286, "region", "US"),
    ("Paris", 2988507, "city", "FR"),
], ids=["French", "German", "Russian", "Beijing in French", "Beijing in German", "Beijing in Chinese",
        "Moscow in Russian", "a US state", "the largest namesake by far"])
def test_names_in_other_languages_and_scripts_resolve_to_one_place(gazetteer: Gazetteer, name: str,
                                                                   geonames_id: int, kind: str, country: str) -> None:
    place = resolve_name(name, gazetteer, frozenset())
    assert place is not None and (place.geonames_id, place.kind, place.country_code) == (geonames_id, kind, country)


def test_doubtful_names_are_left_off_the_map_unless_the_article_decides(gazetteer: Gazetteer) -> None:
    assert resolve_name("Springfield", gazetteer, frozenset({"US"})) is None  # several of a size
    illinois = resolve_name("Springfield", gazetteer, frozenset({"US"}), frozenset({("US", "IL")}))
    assert illinois is not None and illinois.admin1_code == "IL"
    assert resolve_name("Élysée", gazetteer, frozenset({"FR"})) is None  # a palace, not the district
    assert resolve_name("Apartheid", gazetteer, frozenset()) is None


def test_georgia_is_the_state_in_an_article_about_the_us_and_the_country_otherwise(gazetteer: Gazetteer) -> None:
    state = resolve_name("Georgia", gazetteer, frozenset({"US"}))
    country = resolve_name("Georgia", gazetteer, frozenset({"GE", "RU"}))
    assert state is not None and (state.kind, state.country_code) == ("region", "US")
    assert country is not None and (country.kind, country.country_code) == ("country", "GE")


def _entity(name: str, label: str, count: int) -> Entity:
    from wirestream.enrich.labels import coarse, fine

    return Entity(name=name, label=coarse(label), type=fine(label), count=count,  # type: ignore[arg-type]
                  mentions=[EntityMention(start=0, end=len(name), text=name)] * count)


def test_the_article_lists_its_places_the_dateline_first_with_mention_counts(gazetteer: Gazetteer,
                                                                            dateline_parser) -> None:  # type: ignore[no-untyped-def]
    dateline = dateline_parser.parse("TEHRAN (IRNA) - Iran met Oman in Tehran.", REFERENCE_TIME)
    entities = [_entity("Iran", "GPE", 2), _entity("Oman", "GPE", 1), _entity("Tehran", "GPE", 1),
                _entity("Ali Larijani", "PERSON", 1)]
    located, places = locate(entities, dateline, gazetteer)
    assert [(p.name, p.kind, p.mentions, p.in_dateline) for p in places] == [
        ("Tehran", "city", 2, True), ("Iran", "country", 2, False), ("Oman", "country", 1, False)]
    assert [e.place.name if e.place else None for e in located] == ["Iran", "Oman", "Tehran", None]
    assert all(-90 <= p.latitude <= 90 and -180 <= p.longitude <= 180 for p in places)


@pytest.mark.parametrize(("name", "country", "code"), [
    ("Illinois", None, "US-IL"),
    ("tamil nadu", None, "IN-TN"),  # folded: case and accents ('Tamil Nādu')
    ("Asturias", None, "ES-AS"),  # the name before the comma ('Asturias, Principado de')
    ("PRAHA", None, "CZ-10"),
    ("Santa Cruz", None, "AR-Z"),  # several countries have one: the first in pycountry's order
    ("Santa Cruz", "BO", "BO-S"),  # within the country asked for
    ("Illinois", "DE", None),
    ("Atlantis", None, None),
])
def test_a_first_order_subdivision_is_found_by_its_name(name: str, country: str | None, code: str | None) -> None:
    found = subdivision_named(name, country)
    assert (found.code if found else None) == code
