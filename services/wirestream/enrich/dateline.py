"""The leading dateline of wire copy, in the styles of the wires and languages of the news.

'LONDON, Nov 24 (Reuters) -', 'Tehran(IP)-', 'Gijón (Asturias), 12 jun (EFE).-', 'МОСКВА, 24 ноября.
/ТАСС/.', '新华社北京11月24日电', 'New Delhi [India], Nov 24 (ANI):', 'ISLAMABAD:', 'NAJAF, Iraq :', with a
credit line or a byline before it ('Canadian Press - HALIFAX (CP) -', 'By Jane Doe, Associated
Press Writer'), or a credit alone ('AP -': no place). Consumes normalised text; produces a
`Dateline` (offsets into that text) with its place resolved by the gazetteer, or None. It never
guesses: a title-case place needs a known wire service, a date or a known region beside it; an
all-caps place alone needs the gazetteer to know it; a colon ends a dateline after an agency or a
date, or, at the very start of the text, after a city in capitals that the gazetteer knows as a
city of 100,000 people or more or that a known region follows ('KARACHI:', 'CHITRAL, Pakistan:'),
the style of South Asian and Gulf papers; so a kicker ('NO LONG GAME:', 'BREAKING:'), a speaker
('OBAMA:', 'MR SMITH:') or a country as a topic ('JORDAN:') is not one.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final, Protocol

from wirestream.contracts import (
    Agency,
    Byline,
    Credit,
    Dateline,
    DatelineDate,
    Subdivision,
)
from wirestream.enrich.agencies import home_country, lookup_agency
from wirestream.enrich.geo.gazetteer import Resolved, fold

# What ends a dateline: an optional (agency), then the separator; or TASS's '. /ТАСС/.'.
_SEPARATOR = re.compile(r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?\s*(?P<sep>\.?(?:--|—|–|-|:))"
                        r"|\.\s*(?P<slash>/(?P<slash_agency>[^/\n]{2,30})/\.?)")
# A byline opening the article: 'By Jane Doe, Associated Press Writer' up to the end of its line.
_BY = re.compile(r"By\s+[^\W\d_]")
_BYLINE = re.compile(r"By\s+(?P<name>[^\W\d_][^\n,]{1,60}?)(?:,\s*(?P<title>[^\n]{2,60}?))?[ \t]*(?=\n|$)")
# A credit line: a wire service or an outlet, then a dash ('Canadian Press - ', 'NYTimes.com - ').
_CREDIT = re.compile(r"(?P<credit>[^\W\d_][\w.&'’ ]{0,38}?)\s*(?:--|—|–|-)(?=\s)")
_OUTLET = re.compile(r"^[\w-]+\.(?:com|net|org|co\.uk|de|fr|es|it)$", re.IGNORECASE)
# Xinhua's and China News Service's: agency, city, month 月 day 日, 电 ('dispatch').
_CHINESE = re.compile(r"(?P<agency>新华社|中新社)(?:记者\S{0,8}?)?(?P<city>[\u4e00-\u9fff]{2,5}?)"
                      r"(?P<month>\d{1,2})月(?P<day>\d{1,2})日电")
_NUMERIC_DATE = re.compile(r"^(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{2}|\d{4})$")
# A region written in parentheses or brackets right after the city: 'Gijón (Asturias)', 'New Delhi [India]'.
_BRACKETED_REGION = re.compile(r"^(?P<city>[^()\[\]]+?)\s*(?:\((?P<paren>[^()]{2,30})\)|\[(?P<bracket>[^\[\]]{2,30})\])"
                               r"(?:\s*\[(?P<bracket2>[^\[\]]{2,30})\])?$")
# Datelines are short; looking further only finds sentences.
_HEAD_CHARS = 120
# A city in capitals and a colon, alone at the start ('KARACHI:'): a dateline when the city is this
# large (smaller places need their region: 'CHITRAL, Pakistan:'). Speakers and kickers are not cities.
_COLON_CITY_POPULATION = 100_000
# What follows a speaker's label, not a dateline: a quotation, or the speaker's own first person.
_SPEECH = re.compile(r"\s*(?:[\"“'‘«]|(?:I|We|My|Our|I'm|We're|We'll|I'll)\b)")
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.\-])*")
_DAY_MONTH = re.compile(r"^(?P<day>\d{1,2})\.?\s+(?:de\s+)?(?P<month>[^\W\d_]+\.?)(?:,?\s+(?:de\s+)?(?P<year>\d{4}))?$")
_MONTH_DAY = re.compile(r"^(?P<month>[^\W\d_]+\.?)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?$")

# Russian datelines give the month in the genitive ('24 ноября').
_RUSSIAN_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                     "октября", "ноября", "декабря")
_MONTH_NAMES: Final[dict[int, tuple[str, ...]]] = {
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
_MONTHS: Final = {name: number for number, names in _MONTH_NAMES.items() for name in (*names, _RUSSIAN_GENITIVE[number - 1])}

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


def _is_caseless(text: str) -> bool:
    """Arabic, Hebrew, Chinese, ...: scripts with no capitals to tell a place from a word."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.upper() == c.lower() for c in letters)


def _agency(written: str) -> Agency | None:
    service = lookup_agency(written.strip())
    return Agency(code=service.code, name=service.name) if service is not None else None


def _looks_like_names(written: str) -> bool:
    """'Anna Berg', 'MARIA SANCHEZ and Tom Novak', 'Ursula von der Leyen': not 'the end of the year'."""
    words = written.split()
    return 0 < len(words) <= 8 and words[0][:1].isupper() and all(
        word[:1].isupper() or word in _NAME_JOINERS for word in words)


_NAME_JOINERS = frozenset("and und y et en e i de van von der den del da di du le la al bin".split())


class DatelineParser:
    """Finds the dateline at the start of an article and resolves its place and agency."""

    def __init__(self, places: PlaceResolver) -> None:
        self._places = places

    def parse(self, text: str, reference: datetime) -> Dateline | None:
        start = len(text) - len(text.lstrip())
        if start >= len(text) or not text[start].isalpha():
            return None
        chinese = _CHINESE.match(text, start)
        if chinese is not None:
            return self._chinese(text, chinese, reference)
        if _BY.match(text, start):
            return self._after_byline(text, start, reference)
        credit = self._credit(text, start)
        if credit is not None:
            after = credit.end + len(text[credit.end:]) - len(text[credit.end:].lstrip())
            found = self._dateline_at(text, after, reference)
            if found is not None:
                return found.model_copy(update={"credit": credit})
            # A credit alone ('AP - …'): the agency, and no place rather than a wrong one.
            return Dateline(text=credit.text, start=credit.start, end=credit.end, city=None, as_written=None,
                            country_code=None, country=None, agency=credit.agency, date=None)
        return self._dateline_at(text, start, reference)

    def _credit(self, text: str, start: int) -> Credit | None:
        match = _CREDIT.match(text, start)
        if match is None:
            return None
        written = match["credit"].strip()
        agency = _agency(written) or (Agency(code=written, name=None) if _OUTLET.match(written) else None)
        if agency is None:
            return None
        return Credit(text=text[start : match.end()], start=start, end=match.end(), agency=agency)

    def _after_byline(self, text: str, start: int, reference: datetime) -> Dateline | None:
        """The dateline after a byline: on the next line ('By Jane Doe\\nPHOENIX (AP) —'), or on the
        byline's own line when the two run together ('By MARIA SANCHEZ DENVER (AP) --'): then the
        place is the longest run of last words before the separator that the gazetteer knows."""
        line = _BYLINE.match(text, start)
        if line is not None and len(line["name"].split()) <= 12:
            following = line.end() + len(text[line.end():]) - len(text[line.end():].lstrip())
            found = self._dateline_at(text, following, reference)
            if found is not None:
                written = text[start : line.end()].rstrip()
                return found.model_copy(update={"byline": Byline(text=written, start=start, end=start + len(written),
                                                                 name=line["name"].strip())})
        if line is not None and _looks_like_names(line["name"]) and text.startswith("\n", line.end()):
            # A byline on its own line with no dateline after it: not the story either.
            written = text[start : line.end()].rstrip()
            byline = Byline(text=written, start=start, end=start + len(written), name=line["name"].strip())
            return Dateline(text=written, start=start, end=start + len(written), city=None, as_written=None,
                            country_code=None, country=None, agency=None, date=None, byline=byline)
        by = _BY.match(text, start)
        assert by is not None  # parse() only calls this after `By`
        name_start = by.end() - 1  # the name's first letter
        line_end = text.find("\n", name_start)
        separator = _SEPARATOR.search(text, name_start, min(line_end if line_end >= 0 else len(text),
                                                            name_start + _HEAD_CHARS))
        if separator is None:
            return None
        head = text[name_start : separator.start()].split(",")[0]
        words = list(re.finditer(r"\S+", head))
        for count in range(min(4, len(words) - 1), 0, -1):
            place_start = name_start + words[-count].start()
            if not self._places.knows(text[place_start : name_start + words[-1].end()]):
                continue
            found = self._dateline_at(text, place_start, reference)
            if found is not None:
                written = text[start:place_start].rstrip()
                return found.model_copy(update={"byline": Byline(text=written, start=start, end=start + len(written),
                                                                 name=text[name_start:place_start].strip())})
        return None

    def _dateline_at(self, text: str, start: int, reference: datetime) -> Dateline | None:
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

    def _chinese(self, text: str, match: re.Match[str], reference: datetime) -> Dateline | None:
        city = match["city"]
        if not self._places.knows(city):
            return None
        agency = _agency(match["agency"])
        iso = _iso_date(int(match["month"]), int(match["day"]), None, reference)
        when = DatelineDate(text=f"{match['month']}月{match['day']}日", iso=iso)
        return self._dateline(text, match.start(), match.end(), city, None, agency, when)

    def _build(
        self, text: str, start: int, place: str, match: re.Match[str], reference: datetime
    ) -> Dateline | None:
        agency_text = match["agency"] or match["slash_agency"]
        separator = match["sep"] or match["slash"]
        end = match.end("sep") if match["sep"] else match.end("slash")
        if agency_text is None and end < len(text) and not text[end].isspace():
            return None  # a hyphen inside a word, not a separator
        parts = [p.strip() for p in place.split(",")]
        city, rest = parts[0], _join_years(parts[1:])
        region: str | None = None
        bracketed = _BRACKETED_REGION.match(city)
        if bracketed is not None:  # 'Gijón (Asturias)', 'New Delhi [India]', 'Mumbai (Maharashtra) [India]'
            city = bracketed["city"].strip()
            region = bracketed["paren"] or bracketed["bracket"]
        source_date = self._source_and_date(text, start, place, agency_text, end, reference)
        if source_date is not None:
            return source_date
        lookup = city.split("/")[0] if "/" in city else city  # 'Frankfurt/Main'
        words = _place_words(lookup)
        if words is None or any(not p for p in rest) or len(rest) > 2:
            return None
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
        known_region = region is not None and (self._places.resolve(lookup, region).country_code is not None)
        agency: Agency | None = None
        if agency_text is not None:
            agency = _agency(agency_text)
            if agency is None:
                written = " ".join(agency_text.split())  # 'Masnet  & News Agencies', once its entity was mended
                if (_is_all_caps(lookup) or known_region) and _place_words(written.replace(" & ", " and ")):
                    agency = Agency(code=written, name=None)
                else:
                    return None
        if separator.endswith(":") and agency is None and found_date is None \
                and not self._colon_dateline(text, start, end, lookup, region, known_region):
            return None  # a kicker ('NO LONG GAME:') or a speaker ('OBAMA:'), not a dateline
        if _is_caseless(lookup):
            if agency is None or not self._places.knows(lookup):
                return None
        elif _is_all_caps(lookup):
            if agency is None and found_date is None and not known_region and not self._places.knows(lookup):
                return None
        elif not (_is_title_case(words) and (agency is not None or found_date is not None or known_region)):
            return None
        when = None
        if found_date is not None and date_text is not None:
            month, day, year = found_date
            when = DatelineDate(text=date_text, iso=_iso_date(month, day, year, reference))
        return self._dateline(text, start, end, city, region, agency, when, lookup=lookup)

    def _colon_dateline(self, text: str, start: int, end: int, city: str, region: str | None,
                        known_region: bool) -> bool:
        """'ISLAMABAD:', 'NAJAF, Iraq :': a city in capitals at the very start of the text, large
        or with its region, and no speech after the colon."""
        if text[:start].strip() or not _is_all_caps(city) or _SPEECH.match(text, end):
            return False
        if region is not None:
            return known_region
        place = self._places.resolve(city).place
        return place is not None and place.population >= _COLON_CITY_POPULATION

    def _source_and_date(self, text: str, start: int, place: str, agency_text: str | None, end: int,
                         reference: datetime) -> Dateline | None:
        """A publication and a date, no place: 'MARCH 3, 2026 (INFOWORLD) -', 'DEFENSE NEWS DIGEST (03/11/26) -'."""
        if agency_text is None:
            return None
        whole = _parse_date(" ".join(place.split()))
        if whole is not None and whole[2] is not None and _place_words(agency_text.strip()):
            month, day, year = whole
            source = _agency(agency_text) or Agency(code=agency_text.strip(), name=None)
            when = DatelineDate(text=place.strip(), iso=_iso_date(month, day, year, reference))
            return Dateline(text=text[start:end], start=start, end=end, city=None, as_written=None, country_code=None,
                            country=None, agency=source, date=when)
        numeric = _NUMERIC_DATE.match(agency_text.strip())
        if numeric is not None and _is_all_caps(place) and _place_words(place.strip()) \
                and not self._places.knows(place.strip()):
            year = int(numeric["year"]) + (2000 if len(numeric["year"]) == 2 else 0)
            when = DatelineDate(text=agency_text.strip(),
                                iso=_iso_date(int(numeric["month"]), int(numeric["day"]), year, reference))
            return Dateline(text=text[start:end], start=start, end=end, city=None, as_written=None, country_code=None,
                            country=None, agency=Agency(code=place.strip(), name=None), date=when)
        return None

    def _dateline(self, text: str, start: int, end: int, city: str, region: str | None, agency: Agency | None,
                  when: DatelineDate | None, *, lookup: str | None = None) -> Dateline:
        """The dateline with its place resolved: the region first, then the agency's home country."""
        resolved = self._places.resolve(lookup or city, region,
                                        agency_country=home_country(agency.code) if agency else None)
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
