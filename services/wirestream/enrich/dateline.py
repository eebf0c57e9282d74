"""The leading dateline of wire copy: 'LONDON, Nov 24 (Reuters) -', 'Tehran(IP)-', 'GAZA CITY —'.

Consumes normalised text; produces a `Dateline` (offsets into that text) or None. It never
guesses: a title-case place needs a known wire service or a date beside it, and an all-caps
place alone needs the gazetteer to know it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Protocol

from wirestream.contracts import Agency, Dateline, DatelineDate, Subdivision
from wirestream.enrich.agencies import home_country, lookup_agency
from wirestream.enrich.gazetteer import Resolved, fold

# What ends a dateline: an optional (agency), then the separator.
_SEPARATOR = re.compile(r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?\s*(?P<sep>\.?(?:--|—|–|-|:))")
# Datelines are short; looking further only finds sentences.
_HEAD_CHARS = 120
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.\-])*")
_DAY_MONTH = re.compile(r"^(?P<day>\d{1,2})\.?\s+(?:de\s+)?(?P<month>[^\W\d_]+\.?)(?:,?\s+(?:de\s+)?(?P<year>\d{4}))?$")
_MONTH_DAY = re.compile(r"^(?P<month>[^\W\d_]+\.?)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?$")

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("jan", "january", "janv", "janvier", "ene", "enero", "januar", "jän", "gen", "gennaio", "janeiro"),
    2: ("feb", "february", "fév", "fev", "févr", "février", "febrero", "februar", "febbraio", "fevereiro"),
    3: ("mar", "march", "mars", "marzo", "märz", "marz", "março", "marco"),
    4: ("apr", "april", "avr", "avril", "abr", "abril", "aprile"),
    5: ("may", "mai", "mayo", "maggio", "mag", "maio"),
    6: ("jun", "june", "juin", "junio", "juni", "giu", "giugno", "junho"),
    7: ("jul", "july", "juil", "juillet", "julio", "juli", "lug", "luglio", "julho"),
    8: ("aug", "august", "août", "aout", "ago", "agosto"),
    9: ("sep", "sept", "september", "septembre", "septiembre", "set", "settembre", "setembro"),
    10: ("oct", "october", "octobre", "octubre", "okt", "oktober", "ott", "ottobre", "out", "outubro"),
    11: ("nov", "november", "novembre", "noviembre", "novembro"),
    12: ("dec", "december", "déc", "décembre", "dic", "diciembre", "dez", "dezember", "dicembre", "dezembro"),
}
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}

# Lower-case words that belong inside place names: Rio de Janeiro, Port-au-Prince, Frankfurt am Main.
_PARTICLES = frozenset("de da do dos das del la le les el al du di von van der den of on upon au aux y sur am an im".split())
_MAX_PLACE_WORDS = 5


class PlaceResolver(Protocol):
    def resolve(self, city: str, region: str | None = None, *, agency_country: str | None = None) -> Resolved: ...

    def knows(self, city: str) -> bool: ...


def _month(token: str) -> int | None:
    return _MONTHS.get(token.rstrip(".").casefold())


def _parse_date(part: str) -> tuple[int, int, int | None] | None:
    """(month, day, year or None) when `part` is a date like 'Nov. 24' or '24 de noviembre'."""
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        match = pattern.match(part)
        if match:
            month = _month(match["month"])
            day = int(match["day"])
            if month and 1 <= day <= 31:
                return month, day, int(match["year"]) if match["year"] else None
    return None


def _iso_date(month: int, day: int, year: int | None, reference: datetime) -> str | None:
    """The dateline's date; without a year, the latest one not after the reference (plus a day's grace)."""
    years = [year] if year else [reference.year + 1, reference.year, reference.year - 1]
    for candidate_year in years:
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if year or (candidate - reference.date()).days <= 1:
            return candidate.isoformat()
    return None


def _join_years(parts: list[str]) -> list[str]:
    """'November 24', '2025' -> 'November 24, 2025': the year after a date is the date's."""
    joined: list[str] = []
    for part in parts:
        if joined and re.fullmatch(r"\d{4}", part) and _parse_date(joined[-1]) is not None:
            joined[-1] = f"{joined[-1]}, {part}"
        else:
            joined.append(part)
    return joined


def _place_words(city: str) -> list[str] | None:
    words = city.split()
    if not 1 <= len(words) <= _MAX_PLACE_WORDS or len(city) > 48:
        return None
    if not all(_WORD.fullmatch(word) for word in words):
        return None
    return words


def _is_title_case(words: list[str]) -> bool:
    return words[0][0].isupper() and all(w[0].isupper() or w.casefold() in _PARTICLES for w in words)


def _is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


class DatelineParser:
    """Finds the dateline at the start of an article and resolves its place and agency."""

    def __init__(self, places: PlaceResolver) -> None:
        self._places = places

    def parse(self, text: str, reference: datetime) -> Dateline | None:
        start = len(text) - len(text.lstrip())
        if start >= len(text) or not text[start].isalpha():
            return None
        for match in _SEPARATOR.finditer(text, start, start + _HEAD_CHARS):
            place = text[start : match.start()]
            if "\n" in place:
                return None
            dateline = self._build(text, start, place, match, reference)
            if dateline is not None:
                return dateline
        return None

    def _build(
        self, text: str, start: int, place: str, match: re.Match[str], reference: datetime
    ) -> Dateline | None:
        agency_text = match["agency"]
        end = match.end("sep")
        if agency_text is None and end < len(text) and not text[end].isspace():
            return None  # a hyphen inside a word, not a separator
        parts = [p.strip() for p in place.split(",")]
        city, rest = parts[0], _join_years(parts[1:])
        words = _place_words(city)
        if words is None or any(not p for p in rest) or len(rest) > 2:
            return None
        region: str | None = None
        found_date: tuple[int, int, int | None] | None = None
        date_text: str | None = None
        for part in rest:
            parsed = _parse_date(part)
            if parsed is not None and found_date is None:
                found_date, date_text = parsed, part
            elif parsed is None and region is None and found_date is None and _place_words(part):
                region = part
            else:
                return None
        agency: Agency | None = None
        if agency_text is not None:
            service = lookup_agency(agency_text.strip())
            if service is not None:
                agency = Agency(code=service.code, name=service.name)
            elif _is_all_caps(city) and _place_words(agency_text.strip()):
                agency = Agency(code=agency_text.strip(), name=None)
            else:
                return None
        if _is_all_caps(city):
            if agency is None and found_date is None and not self._places.knows(city):
                return None
        elif not (_is_title_case(words) and (agency is not None or found_date is not None)):
            return None
        resolved = self._places.resolve(city, region, agency_country=home_country(agency.code) if agency else None)
        when = None
        if found_date is not None and date_text is not None:
            month, day, year = found_date
            when = DatelineDate(text=date_text, iso=_iso_date(month, day, year, reference))
        place = resolved.place
        return Dateline(
            text=text[start:end],
            start=start,
            end=end,
            city=place.name if place is not None else city,
            as_written=city,
            region=region,
            geonames_id=place.geonames_id if place is not None else None,
            latitude=place.latitude if place is not None else None,
            longitude=place.longitude if place is not None else None,
            admin1=Subdivision(code=resolved.admin1.code, name=resolved.admin1.name) if resolved.admin1 else None,
            population=place.population if place is not None else None,
            country_code=resolved.country_code,
            country=resolved.country,
            agency=agency,
            date=when,
        )


def body_after(text: str, dateline: Dateline | None) -> str:
    """The article text without its dateline."""
    return text[dateline.end :].lstrip() if dateline is not None else text


__all__ = ["DatelineParser", "body_after", "fold"]
