"""Places on the map: the places an article's entities name, and the article's list of places.

Consumes the grouped entities, the dateline and the gazetteer; produces each place entity (label
PLACE, but not a building or facility: type FAC) with its `place` when the name points at one country, US state or city without doubt, and
the article's `places` with mention counts. A name is doubtful, and left unresolved, when
namesakes of similar size exist and nothing in the article decides between them; the dateline's
country and the countries the article names are such evidence.
"""

from __future__ import annotations

from typing import Iterable, Protocol

from wirestream.contracts import ArticlePlace, Dateline, Entity, GeoPlace
from wirestream.enrich.gazetteer import Place

# A city named in the text must be at least this large: smaller namesakes of common words abound.
MIN_CITY_POPULATION = 15000
# ... and one found by another of its names at least this large: the exonyms of big cities are
# well known ('Pékin', 'Monaco di Baviera'), the other names of small places are often other things
# ('Élysée' is a Paris district in GeoNames, and a palace in the news).
MIN_ALTERNATE_POPULATION = 100_000
# The likeliest city must outweigh the next by this much to be taken without other evidence.
CLEAR_LEAD = 10


def _is_place(entity: Entity) -> bool:
    return entity.label == "PLACE" and entity.type != "FAC"


class PlaceIndex(Protocol):
    """What locating needs of the gazetteer."""

    def candidates(self, name: str, *, alternates_from: int = 0) -> list[Place]: ...

    def country(self, code: str) -> Place | None: ...

    def us_state_place(self, code: str) -> Place | None: ...

    @staticmethod
    def country_code(name: str) -> str | None: ...

    @staticmethod
    def us_state(region: str) -> str | None: ...


def _geo(place: Place) -> GeoPlace:
    return GeoPlace.model_construct(geonames_id=place.geonames_id, name=place.name, kind=place.kind,
                                    country_code=place.country_code, latitude=place.latitude,
                                    longitude=place.longitude, population=place.population)


def resolve_name(name: str, index: PlaceIndex, countries: frozenset[str],
                 regions: frozenset[tuple[str, str]] = frozenset()) -> Place | None:
    """The one place `name` names, or None when it names none or several. `countries`: the countries
    the article is about (its dateline's, those it names), and `regions` (country, first-order
    division) its dateline's, which decide between namesakes."""
    code = index.country_code(name)
    state = index.us_state(name) if len(name) > 4 else None  # full state names only: 'Ind.' is not Indiana here
    if code is not None and not (state is not None and "US" in countries and code not in countries):
        return index.country(code)  # 'Georgia' is the country, unless the article is about the US
    if state is not None:
        return index.us_state_place(state)
    candidates = [p for p in index.candidates(name, alternates_from=MIN_ALTERNATE_POPULATION)
                  if p.population >= MIN_CITY_POPULATION]
    if not candidates:
        return None
    nearby = [p for p in candidates if (p.country_code, p.admin1_code) in regions]
    if len(nearby) == 1:
        return nearby[0]  # PEORIA in an article from SPRINGFIELD, Ill. is Peoria, Illinois
    local = [p for p in candidates if p.country_code in countries]
    if local and (len(local) == 1 or local[0].population >= CLEAR_LEAD * local[1].population):
        return local[0]
    if len(candidates) == 1 or candidates[0].population >= CLEAR_LEAD * candidates[1].population:
        return candidates[0]
    return None


def locate(entities: Iterable[Entity], dateline: Dateline | None, index: PlaceIndex
           ) -> tuple[list[Entity], list[ArticlePlace]]:
    """The entities with the places they name, and the article's places (the dateline's first)."""
    entities = list(entities)
    countries = {dateline.country_code} if dateline is not None and dateline.country_code else set()
    for entity in entities:  # the countries the article names are evidence for its cities
        if _is_place(entity) and (code := index.country_code(entity.name)) is not None:
            countries.add(code)
    evidence = frozenset(countries)
    regions: frozenset[tuple[str, str]] = frozenset()
    if dateline is not None and dateline.geonames_id is not None and dateline.country_code:
        regions = frozenset(
            (p.country_code, p.admin1_code) for p in index.candidates(dateline.city or "")
            if p.geonames_id == dateline.geonames_id)
    located: list[Entity] = []
    counts: dict[int, tuple[Place, int]] = {}
    for entity in entities:
        place = resolve_name(entity.name, index, evidence, regions) if _is_place(entity) else None
        if place is None:
            located.append(entity)
            continue
        located.append(Entity.model_construct(**{**entity.__dict__, "place": _geo(place)}))
        seen, count = counts.get(place.geonames_id, (place, 0))
        counts[place.geonames_id] = (seen, count + entity.count)
    places: list[ArticlePlace] = []
    dateline_id = dateline.geonames_id if dateline is not None else None
    if dateline is not None and dateline_id is not None and dateline.latitude is not None:
        _, count = counts.pop(dateline_id, (None, 0))
        places.append(ArticlePlace.model_construct(
            geonames_id=dateline_id, name=dateline.city, kind="city", country_code=dateline.country_code,
            latitude=dateline.latitude, longitude=dateline.longitude, population=dateline.population,
            mentions=count + 1, in_dateline=True))
    for place, count in sorted(counts.values(), key=lambda pair: -pair[1]):
        places.append(ArticlePlace.model_construct(**_geo(place).__dict__, mentions=count, in_dateline=False))
    return located, places
