"""Places on the map: the places an article's entities name, and the article's list of places.

Consumes the grouped entities, the dateline and the gazetteer; produces each place entity (label
PLACE, but not a building or facility: type FAC) with its `place` when the name points at one
country, US state or city without doubt, and the article's `places` with mention counts, each
place counted once per mention. A name with namesakes is decided by what the article says, in
this order: the dateline's own place ('Washington' in an article datelined WASHINGTON is the
capital), the dateline's region and country and the countries of the other places the article
names ('Georgia' beside 'Tbilisi' is the country, beside 'Atlanta' the state), then size (a
namesake ten times larger). Without any of these, a doubtful name is left off the map.
"""

from __future__ import annotations

from typing import Iterable, Protocol

from wirestream.contracts import ArticlePlace, Dateline, Entity, GeoPlace
from wirestream.enrich.geo.gazetteer import Admin1, Place, fold
from wirestream.enrich.geo.place_names import PlaceLexicon

# A city named in the text must be at least this large: smaller namesakes of common words abound.
MIN_CITY_POPULATION = 15000
# ... and one found by another of its names at least this large: the exonyms of big cities are
# well known ('Pékin', 'Monaco di Baviera'), the other names of small places are often other things
# ('Élysée' is a Paris district in GeoNames, and a palace in the news).
MIN_ALTERNATE_POPULATION = 100_000
# The likeliest city must outweigh the next by this much to be taken without other evidence.
CLEAR_LEAD = 10
# A US state that is also the name of a city this large is the city unless the text says "state":
# 'Washington' is the capital, 'New York' the city; 'Washington state' is the state.
STATE_OR_CITY = 500_000
_NEVER = 10**12  # an `alternates_from` no place reaches: primary names only
_ONE_WORD_OTHER_NAME = 1_000_000


def _is_place(entity: Entity) -> bool:
    return entity.label == "PLACE" and entity.type != "FAC"


class PlaceIndex(PlaceLexicon, Protocol):
    """What locating needs of the gazetteer: what the name search needs, and regions by name."""

    @staticmethod
    def region(name: str) -> Admin1 | None: ...


def geo_place(place: Place) -> GeoPlace:
    return GeoPlace.model_construct(geonames_id=place.geonames_id, name=place.name, kind=place.kind,
                                    country_code=place.country_code, latitude=place.latitude,
                                    longitude=place.longitude, population=place.population)


def resolve_name(name: str, index: PlaceIndex, countries: frozenset[str],
                 regions: frozenset[tuple[str, str]] = frozenset(), *, dateline_place: int | None = None,
                 as_state: bool = False) -> Place | None:
    """The one place `name` names, or None when it names none or several. What decides between
    namesakes: `dateline_place` (the GeoNames id of the dateline's place: the name is that place
    when it is one of its names), `countries` the article is about (its dateline's, and those of
    the places it names without doubt), `regions` (country, first-order division) of its dateline.
    `as_state`: the text calls it a state ('Washington state')."""
    candidates = [p for p in index.candidates(name, alternates_from=MIN_ALTERNATE_POPULATION)
                  if p.population >= MIN_CITY_POPULATION]
    if dateline_place is not None and not as_state:
        here = next((p for p in index.candidates(name) if p.geonames_id == dateline_place), None)
        if here is not None:
            return here  # WASHINGTON (Reuters) - ... Washington: the capital, not the state
    code = index.country_code(name)
    state = index.us_state(name) if len(name) > 4 else None  # full state names only: 'Ind.' is not Indiana here
    if code is not None and not (state is not None and "US" in countries and code not in countries):
        return index.country(code)  # 'Georgia' is the country, unless the article is about the US
    if state is not None:
        city = next((p for p in candidates if p.country_code == "US" and p.population >= STATE_OR_CITY), None)
        return index.us_state_place(state) if as_state or city is None else city
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


class ArticlePlaces:
    """Which names are places, in one article's context (for `label_check`): a country, a US state,
    a first-order region, a city the article's context resolves, or a city of 100,000 people or
    more by any of its names (doubtful on the map, but a place all the same)."""

    def __init__(self, index: PlaceIndex, entities: Iterable[Entity], dateline: Dateline | None) -> None:
        self._index = index
        countries = {dateline.country_code} if dateline is not None and dateline.country_code else set()
        for entity in entities:
            if _is_place(entity) and (code := index.country_code(entity.name)) is not None:
                countries.add(code)
        self._countries = frozenset(countries)
        self._dateline_place = dateline.geonames_id if dateline is not None else None

    def area_named(self, name: str) -> bool:
        index = self._index
        return index.country_code(name) is not None or (len(name) > 4 and index.us_state(name) is not None) \
            or index.region(name) is not None

    def place_named(self, name: str, *, strict: bool = False) -> bool:
        """Loose: a place by any name of 100,000 people or more. `strict`: the article's context
        resolves it, or a place that large bears it as its own name, or as another name of two
        words or more, or, of a million people or more, of one word (GeoNames' other names hold
        stray words: 'Hamas' for Hamm, 'Google' for Topeka)."""
        if self.area_named(name):
            return True
        index = self._index
        large = index.candidates(name, alternates_from=MIN_ALTERNATE_POPULATION)
        if not strict:
            return any(p.population >= MIN_ALTERNATE_POPULATION for p in large) or \
                resolve_name(name, index, self._countries, dateline_place=self._dateline_place) is not None
        primary = {p.geonames_id for p in index.candidates(name, alternates_from=_NEVER)}
        single_word = len(name.split()) == 1

        def own_name(place: Place) -> bool:
            return place.geonames_id in primary or not single_word or place.population >= _ONE_WORD_OTHER_NAME \
                or fold(_ascii_umlauts(place.name)) == fold(name)  # 'Osnabrueck', 'Koeln'

        resolved = resolve_name(name, index, self._countries, dateline_place=self._dateline_place)
        if resolved is not None and (resolved.kind != "city" or own_name(resolved)):
            return True
        return any(p.population >= MIN_ALTERNATE_POPULATION and own_name(p) for p in large)


def _as_place(geo: GeoPlace) -> Place:
    return Place(geo.geonames_id, geo.name, geo.country_code or "", "", geo.latitude, geo.longitude,
                 geo.population or 0, geo.kind)


def _ascii_umlauts(name: str) -> str:
    return name.translate(_UMLAUTS)


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def _called_a_state(entity: Entity, text: str) -> bool:
    """'Washington state', 'the state of Washington', 'Washington State': the state, by the text's word."""
    for mention in entity.mentions:
        after = text[mention.end : mention.end + 7].casefold()
        before = text[max(0, mention.start - 12) : mention.start].casefold()
        if after.startswith((" state", "-state")) or before.endswith(("state of ", "estado de ")):
            return True
    return False


def locate(entities: Iterable[Entity], dateline: Dateline | None, index: PlaceIndex, text: str = ""
           ) -> tuple[list[Entity], list[ArticlePlace]]:
    """The entities with the places they name, and the article's places (the dateline's first).

    `text` (the article's) lets the words around a mention decide: 'Washington state'."""
    entities = list(entities)
    countries = {dateline.country_code} if dateline is not None and dateline.country_code else set()
    for entity in entities:  # the countries the article names are evidence for its cities
        if _is_place(entity) and (code := index.country_code(entity.name)) is not None \
                and index.us_state(entity.name) is None:  # not 'Georgia': which one is what is decided
            countries.add(code)
    regions: frozenset[tuple[str, str]] = frozenset()
    dateline_place = dateline.geonames_id if dateline is not None else None
    if dateline is not None and dateline.geonames_id is not None and dateline.country_code:
        regions = frozenset(
            (p.country_code, p.admin1_code) for p in index.candidates(dateline.city or "")
            if p.geonames_id == dateline.geonames_id)
    as_state = {id(entity): _called_a_state(entity, text) for entity in entities if _is_place(entity)}
    # The cities the article names without doubt say which countries it is about: 'Atlanta' makes
    # 'Georgia' the state, 'Tbilisi' the country.
    for entity in entities:
        if _is_place(entity) and index.us_state(entity.name) is None:
            place = resolve_name(entity.name, index, frozenset(countries), regions, dateline_place=dateline_place,
                                 as_state=as_state[id(entity)])
            if place is not None and place.kind == "city":
                countries.add(place.country_code)
    evidence = frozenset(countries)
    located: list[Entity] = []
    counts: dict[int, tuple[Place, int]] = {}
    for entity in entities:
        if entity.place is not None:  # found by the gazetteer itself (a language without NER)
            known = entity.place
            counts.setdefault(known.geonames_id, (_as_place(known), 0))
            counts[known.geonames_id] = (counts[known.geonames_id][0], counts[known.geonames_id][1] + entity.count)
            located.append(entity)
            continue
        place = resolve_name(entity.name, index, evidence, regions, dateline_place=dateline_place,
                             as_state=as_state[id(entity)]) if _is_place(entity) else None
        if place is None:
            located.append(entity)
            continue
        located.append(Entity.model_construct(**{**entity.__dict__, "place": geo_place(place)}))
        seen, count = counts.get(place.geonames_id, (place, 0))
        counts[place.geonames_id] = (seen, count + entity.count)
    places: list[ArticlePlace] = []
    if dateline is not None and dateline_place is not None and dateline.latitude is not None:
        # The dateline is a mention of its place: counted once more, not as a second place.
        _, count = counts.pop(dateline_place, (None, 0))
        places.append(ArticlePlace.model_construct(
            geonames_id=dateline_place, name=dateline.city, kind="city", country_code=dateline.country_code,
            latitude=dateline.latitude, longitude=dateline.longitude, population=dateline.population,
            mentions=count + 1, in_dateline=True))
    for place, count in sorted(counts.values(), key=lambda pair: -pair[1]):
        places.append(ArticlePlace.model_construct(**geo_place(place).__dict__, mentions=count, in_dateline=False))
    return located, places
