"""Dateline parsing against the real gazetteer: wire styles, languages, and text with no dateline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from wirestream.enrich.dateline import DatelineParser, body_after
from wirestream.enrich.geo.gazetteer import Admin1, Gazetteer, Place, Resolved

from tests.conftest import REFERENCE_TIME

# (text, dateline text, place as written, canonical GeoNames city, country code, agency code, date iso)
FOUND = [
    ("Tehran(IP)- Iran's foreign minister said", "Tehran(IP)-", "Tehran", "Tehran", "IR", "IP", None),
    ("TEHRAN (IP) - Iran said on Monday", "TEHRAN (IP) -", "TEHRAN", "Tehran", "IR", "IP", None),
    ("TEHRAN (IRNA) -- The talks resumed", "TEHRAN (IRNA) --", "TEHRAN", "Tehran", "IR", "IRNA", None),
    ("LONDON, Nov 24 (Reuters) - British shares fell", "LONDON, Nov 24 (Reuters) -", "LONDON", "London", "GB", "Reuters", "2026-11-24"),
    ("WASHINGTON (AP) — The Senate voted", "WASHINGTON (AP) —", "WASHINGTON", "Washington", "US", "AP", None),
    ("PARIS (AFP) - France said", "PARIS (AFP) -", "PARIS", "Paris", "FR", "AFP", None),
    ("BEIJING, Nov. 24 (Xinhua) -- China and Brazil", "BEIJING, Nov. 24 (Xinhua) --", "BEIJING", "Beijing", "CN", "Xinhua", "2026-11-24"),
    ("NEW YORK, March 2 - Stocks rose", "NEW YORK, March 2 -", "NEW YORK", "New York City", "US", None, "2026-03-02"),
    ("GAZA CITY — Aid trucks entered", "GAZA CITY —", "GAZA CITY", "Gaza", "PS", None, None),
    ("Ankara (AA) - Turkish officials said", "Ankara (AA) -", "Ankara", "Ankara", "TR", "AA", None),
    ("NEW DELHI, Nov 24 (PTI): The government", "NEW DELHI, Nov 24 (PTI):", "NEW DELHI", "New Delhi", "IN", "PTI", "2026-11-24"),
    ("SEOUL, Nov. 24 (Yonhap) -- South Korea", "SEOUL, Nov. 24 (Yonhap) --", "SEOUL", "Seoul", "KR", "Yonhap", "2026-11-24"),
    ("SPRINGFIELD, Ill. (AP) — Illinois lawmakers", "SPRINGFIELD, Ill. (AP) —", "SPRINGFIELD", "Springfield", "US", "AP", None),
    ("SPRINGFIELD, Mass. (AP) — A judge ruled", "SPRINGFIELD, Mass. (AP) —", "SPRINGFIELD", "Springfield", "US", "AP", None),
    ("KYIV, Ukraine (Reuters) - Drones hit", "KYIV, Ukraine (Reuters) -", "KYIV", "Kyiv", "UA", "Reuters", None),
    ("AL-ARISH, Egypt (Reuters) - Trucks waited", "AL-ARISH, Egypt (Reuters) -", "AL-ARISH", "Arīsh", "EG", "Reuters", None),
    ("SÃO PAULO (Reuters) - Brazil's real", "SÃO PAULO (Reuters) -", "SÃO PAULO", "São Paulo", "BR", "Reuters", None),
    ("Rio de Janeiro (AFP) - Le carnaval", "Rio de Janeiro (AFP) -", "Rio de Janeiro", "Rio de Janeiro", "BR", "AFP", None),
    ("MEXICO CITY (AP) — Mexico's president", "MEXICO CITY (AP) —", "MEXICO CITY", "Mexico City", "MX", "AP", None),
    ("TOKYO, Nov 24 (Kyodo) - Japan's cabinet", "TOKYO, Nov 24 (Kyodo) -", "TOKYO", "Tokyo", "JP", "Kyodo", "2026-11-24"),
    ("MOSCOW, Nov 24 (TASS) - Russia said", "MOSCOW, Nov 24 (TASS) -", "MOSCOW", "Moscow", "RU", "TASS", "2026-11-24"),
    ("KUALA LUMPUR, Nov 24 (Bernama) -- Malaysia", "KUALA LUMPUR, Nov 24 (Bernama) --", "KUALA LUMPUR", "Kuala Lumpur", "MY", "Bernama", "2026-11-24"),
    ("ROME (ANSA) - Italy's premier", "ROME (ANSA) -", "ROME", "Rome", "IT", "ANSA", None),
    ("WASHINGTON, Nov 24 (UPI) -- The Pentagon", "WASHINGTON, Nov 24 (UPI) --", "WASHINGTON", "Washington", "US", "UPI", "2026-11-24"),
    ("NEW YORK (Bloomberg) -- Treasuries rallied", "NEW YORK (Bloomberg) --", "NEW YORK", "New York City", "US", "Bloomberg", None),
    ("ISTANBUL (Anadolu) - Turkey's central bank", "ISTANBUL (Anadolu) -", "ISTANBUL", "Istanbul", "TR", "AA", None),
    ("LONDON, November 24, 2025 (Reuters) - Last year", "LONDON, November 24, 2025 (Reuters) -", "LONDON", "London", "GB", "Reuters", "2025-11-24"),
    ("SINGAPORE — Singapore's economy grew", "SINGAPORE —", "SINGAPORE", "Singapore", "SG", None, None),
    ("GENEVA (AP) – The WHO said", "GENEVA (AP) –", "GENEVA", "Geneva", "CH", "AP", None),
    ("  LONDON (Reuters) - Leading spaces are skipped", "LONDON (Reuters) -", "LONDON", "London", "GB", "Reuters", None),
    ("ZORBLVILLE (AP) — A town no gazetteer knows", "ZORBLVILLE (AP) —", "ZORBLVILLE", "ZORBLVILLE", None, "AP", None),
    ("LONDON, Dec 31 (Reuters) - New Year's Eve", "LONDON, Dec 31 (Reuters) -", "LONDON", "London", "GB", "Reuters", "2025-12-31"),
    # French
    ("PARIS, 24 nov (AFP) - Le président Emmanuel Macron", "PARIS, 24 nov (AFP) -", "PARIS", "Paris", "FR", "AFP", "2026-11-24"),
    ("MARSEILLE, 3 mars (AFP) - La ville", "MARSEILLE, 3 mars (AFP) -", "MARSEILLE", "Marseille", "FR", "AFP", "2026-03-03"),
    ("Bruxelles, 24 novembre (Belga) - Le gouvernement", "Bruxelles, 24 novembre (Belga) -", "Bruxelles", "Brussels", "BE", "Belga", "2026-11-24"),
    # Spanish
    ("Madrid, 24 nov (EFE).- El presidente del Gobierno", "Madrid, 24 nov (EFE).-", "Madrid", "Madrid", "ES", "EFE", "2026-11-24"),
    ("BOGOTÁ, 2 de marzo (EFE) - El Gobierno", "BOGOTÁ, 2 de marzo (EFE) -", "BOGOTÁ", "Bogotá", "CO", "EFE", "2026-03-02"),
    ("Ciudad de México (EFE).- El Gobierno mexicano", "Ciudad de México (EFE).-", "Ciudad de México", "Mexico City", "MX", "EFE", None),
    # German
    ("BERLIN, 24. November (dpa) - Bundeskanzler", "BERLIN, 24. November (dpa) -", "BERLIN", "Berlin", "DE", "dpa", "2026-11-24"),
    ("München (dpa) - Die Polizei", "München (dpa) -", "München", "Munich", "DE", "dpa", None),
    ("Frankfurt am Main (dpa) - Der Dax", "Frankfurt am Main (dpa) -", "Frankfurt am Main", "Frankfurt am Main", "DE", "dpa", None),
    # Italian and Portuguese
    ("ROMA, 24 novembre (ANSA) - Il governo", "ROMA, 24 novembre (ANSA) -", "ROMA", "Rome", "IT", "ANSA", "2026-11-24"),
    ("LISBOA, 24 nov (Lusa) - O Governo", "LISBOA, 24 nov (Lusa) -", "LISBOA", "Lisbon", "PT", "Lusa", "2026-11-24"),
]

NOT_FOUND = [
    "Researchers at the University of Oxford said on Tuesday that a vaccine worked.",
    "The president said - and repeated - that he would stay.",
    "Meanwhile: prices rose again.",
    "UPDATE 2-Stocks fall as yields climb",
    "BREAKING — Explosion heard downtown",
    "FOO BAR — an all-caps phrase that is no place",
    "Amir-Abdollahian said - in a statement - that talks would go on.",
    "Hello (world) - this is not a dateline",
    "London is the capital - of the United Kingdom.",
    "",
    "   ",
    "123 (Reuters) - numbers are not a city",
    "Le président a dit : rien.",
    "El Gobierno aprobó - por fin - el plan.",
    "Die Regierung (dpa) hat beschlossen - nichts.",
    "- LONDON (Reuters) - a dash before the city",
]


@pytest.mark.parametrize(
    ("text", "expected_text", "as_written", "city", "country_code", "agency", "iso"),
    FOUND,
    ids=[case[1] for case in FOUND],
)
def test_finds_the_dateline(
    dateline_parser: DatelineParser,
    text: str,
    expected_text: str,
    as_written: str,
    city: str,
    country_code: str | None,
    agency: str | None,
    iso: str | None,
) -> None:
    dateline = dateline_parser.parse(text, REFERENCE_TIME)
    assert dateline is not None
    assert dateline.text == expected_text
    assert text[dateline.start : dateline.end] == expected_text
    assert (dateline.as_written, dateline.city) == (as_written, city)
    assert dateline.country_code == country_code
    if country_code is not None:  # a known place is on the map
        assert dateline.geonames_id and dateline.latitude is not None and dateline.longitude is not None
    assert (dateline.agency.code if dateline.agency else None) == agency
    assert (dateline.date.iso if dateline.date else None) == iso


@pytest.mark.parametrize("text", NOT_FOUND, ids=[f"no dateline in {t[:30]!r}" for t in NOT_FOUND])
def test_text_without_a_dateline_gives_none(dateline_parser: DatelineParser, text: str) -> None:
    assert dateline_parser.parse(text, REFERENCE_TIME) is None


def test_known_agency_gets_its_full_name(dateline_parser: DatelineParser) -> None:
    dateline = dateline_parser.parse("Tehran(IP)- Iran's foreign minister", REFERENCE_TIME)
    assert dateline is not None and dateline.agency is not None
    assert dateline.agency.name == "Iran Press"
    assert dateline.country == "Iran"


def test_unknown_agency_after_an_all_caps_city_is_kept_without_a_name(dateline_parser: DatelineParser) -> None:
    dateline = dateline_parser.parse("LONDON (Wirestream News) - Text", REFERENCE_TIME)
    assert dateline is not None and dateline.agency is not None
    assert (dateline.agency.code, dateline.agency.name) == ("Wirestream News", None)


def test_region_after_the_city_is_reported(dateline_parser: DatelineParser) -> None:
    dateline = dateline_parser.parse("SPRINGFIELD, Ill. (AP) — Text", REFERENCE_TIME)
    assert dateline is not None
    assert dateline.region == "Ill."


def test_year_less_date_is_never_in_the_future(dateline_parser: DatelineParser) -> None:
    january = datetime(2027, 1, 2, tzinfo=UTC)
    dateline = dateline_parser.parse("LONDON, Dec 30 (Reuters) - Text", january)
    assert dateline is not None and dateline.date is not None
    assert dateline.date.iso == "2026-12-30"


def test_impossible_date_keeps_its_text_without_iso(dateline_parser: DatelineParser) -> None:
    dateline = dateline_parser.parse("LONDON, Feb 30 (Reuters) - Text", REFERENCE_TIME)
    assert dateline is not None and dateline.date is not None
    assert (dateline.date.text, dateline.date.iso) == ("Feb 30", None)


def test_body_is_the_text_after_the_dateline(dateline_parser: DatelineParser) -> None:
    text = "WASHINGTON (AP) — The Senate voted."
    assert body_after(text, dateline_parser.parse(text, REFERENCE_TIME)) == "The Senate voted."
    assert body_after("No dateline.", None) == "No dateline."


def _place(geonames_id: int, name: str, country: str, admin1: str, population: int) -> Place:
    return Place(geonames_id, name, country, admin1, 0.0, 0.0, population)


SMALL = Gazetteer.from_places([
    (_place(1, "Paris", "FR", "11", 2_000_000), ["Parigi"]),
    (_place(2, "Paris", "US", "TX", 25_000), []),
    (_place(3, "Springfield", "US", "IL", 114_000), []),
    (_place(4, "Springfield", "US", "MO", 170_000), []),
    (_place(5, "Tbilisi", "GE", "TB", 1_100_000), ["Tiflis"]),
    (_place(6, "Córdoba", "AR", "05", 1_400_000), []),
    (_place(7, "Córdoba", "ES", "51", 320_000), []),
    (_place(8, "Beijing", "CN", "22", 18_000_000), ["Pékin", "Peking", "北京"]),
    (_place(9, "Pekin", "US", "IL", 32_000), []),
])


@pytest.mark.parametrize(("city", "region", "agency_country", "geonames_id", "country_code", "admin1"), [
    ("PARIS", None, None, 1, "FR", None),
    ("PARIS", "Texas", None, 2, "US", "US-TX"),
    ("PARIS", None, "US", 1, "FR", None),
    ("SPRINGFIELD", None, None, 4, "US", "US-MO"),
    ("SPRINGFIELD", "Ill.", None, 3, "US", "US-IL"),
    ("TBILISI", "Georgia", None, 5, "GE", None),
    ("Córdoba", None, None, 6, "AR", None),
    ("Córdoba", None, "ES", 7, "ES", None),
    ("Pékin", None, None, 8, "CN", None),
    ("北京", None, None, 8, "CN", None),
    ("PEKIN", "Ill.", None, 9, "US", "US-IL"),
    ("Parigi", None, None, 1, "FR", None),
], ids=["the largest namesake", "a US state after the city", "an agency never outweighs a far larger namesake",
        "the largest of one country's namesakes", "an AP state abbreviation", "a country, not the US state",
        "population without other evidence", "the agency's home country", "an alternate name in French",
        "an alternate name in Chinese", "a small primary name with its state", "an Italian name"])
def test_the_evidence_decides_between_namesakes(city: str, region: str | None, agency_country: str | None,
                                                geonames_id: int, country_code: str, admin1: str | None) -> None:
    resolved = SMALL.resolve(city, region, agency_country=agency_country)
    assert resolved.place is not None and resolved.place.geonames_id == geonames_id
    assert resolved.country_code == country_code
    assert (resolved.admin1.code if resolved.admin1 else None) == admin1


def test_an_unknown_place_keeps_the_country_its_region_names() -> None:
    assert SMALL.resolve("Smallville", "Kansas") == Resolved("US", "United States", None, Admin1("US-KS", "Kansas"))
    assert SMALL.resolve("Gijón", "Asturias").country_code == "ES"
    assert SMALL.resolve("Atlantis") == Resolved(None, None)


def test_the_real_gazetteer_puts_the_seed_dateline_on_the_map(dateline_parser: DatelineParser) -> None:
    dateline = dateline_parser.parse("Tehran(IP)- Iran's foreign minister said", REFERENCE_TIME)
    assert dateline is not None
    assert (dateline.city, dateline.geonames_id, dateline.country_code) == ("Tehran", 112931, "IR")
    assert dateline.latitude == pytest.approx(35.694, abs=0.01) and dateline.longitude == pytest.approx(51.422, abs=0.01)
    assert dateline.population and dateline.population > 7_000_000


def test_country_names_in_other_languages_resolve_to_one_code() -> None:
    for name in ("Allemagne", "Deutschland", "Германия", "Alemania", "Germany"):
        assert Gazetteer.country_code(name) == "DE", name
    assert Gazetteer.country_code("West Bank") == "PS"


# (normalised lead, dateline span, canonical city or None, country, agency, credit, byline)
STYLES = [
    ("Canadian Press - HALIFAX (CP) - The province said", "HALIFAX (CP) -", "Halifax", "CA", "CP", "CP", None),
    ("AFP - NAIROBI - Kenya's president said", "NAIROBI -", "Nairobi", "KE", None, "AFP", None),
    ("By MARIA SANCHEZ DENVER (AP) -- Colorado lawmakers", "DENVER (AP) --", "Denver", "US", "AP", None,
     "MARIA SANCHEZ"),
    ("By Jane Doe, Associated Press Writer\n\nPHOENIX (AP) — Arizona officials", "PHOENIX (AP) —", "Phoenix", "US",
     "AP", None, "Jane Doe"),
    ("By Jane Doe\nPHOENIX (AP) — Arizona officials", "PHOENIX (AP) —", "Phoenix", "US", "AP", None, "Jane Doe"),
    ("AP - The Senate voted on Tuesday", "AP -", None, None, "AP", None, None),
    ("Reuters - The company said on Monday", "Reuters -", None, None, "Reuters", None, None),
    ("NYTimes.com - A new study finds", "NYTimes.com -", None, None, "NYTimes.com", None, None),
    ("MARCH 3, 2026 (INFOWORLD) - Microsoft said", "MARCH 3, 2026 (INFOWORLD) -", None, None, "INFOWORLD", None, None),
    ("DEFENSE NEWS DIGEST (03/11/26) - The Pentagon", "DEFENSE NEWS DIGEST (03/11/26) -", None, None,
     "DEFENSE NEWS DIGEST", None, None),
    ("Boise, ID (Sports Ticker) - Boise State won", "Boise, ID (Sports Ticker) -", "Boise", "US", "Sports Ticker",
     None, None),
    ("Denver, Mar. 3 - The Nuggets won", "Denver, Mar. 3 -", "Denver", "US", None, None, None),
    ("FRESNO, Calif. - Farmers said", "FRESNO, Calif. -", "Fresno", "US", None, None, None),
    ("HEBRON, West Bank (Reuters) - Israeli troops", "HEBRON, West Bank (Reuters) -", "Hebron", "PS", "Reuters",
     None, None),
    ("NEW YORK (CNN/Money) - Stocks rose", "NEW YORK (CNN/Money) -", "New York City", "US", "CNNMoney", None, None),
    ("BEIJING (Xinhuanet) - China said", "BEIJING (Xinhuanet) -", "Beijing", "CN", "Xinhua", None, None),
    ("MOSCOW (Itar-Tass) - Russia said", "MOSCOW (Itar-Tass) -", "Moscow", "RU", "TASS", None, None),
    ("MADRID (EFECOM) - La bolsa", "MADRID (EFECOM) -", "Madrid", "ES", "EFE", None, None),
    ("Gijón (Asturias), 12 jun (EFE).- El alcalde", "Gijón (Asturias), 12 jun (EFE).-", "Gijón", "ES", "EFE", None, None),
    ("Sevilla, 4 jun (EFE).- La Junta", "Sevilla, 4 jun (EFE).-", "Sevilla", "ES", "EFE", None, None),
    ("PARIS, 3 mars 2026 (AFP) - Le gouvernement", "PARIS, 3 mars 2026 (AFP) -", "Paris", "FR", "AFP", None, None),
    ("Berlin (dpa) - Die Regierung", "Berlin (dpa) -", "Berlin", "DE", "dpa", None, None),
    ("BERLIN, 3. März (Reuters) - Die Regierung", "BERLIN, 3. März (Reuters) -", "Berlin", "DE", "Reuters", None, None),
    ("ROMA, 5 MAR - Il governo", "ROMA, 5 MAR -", "Rome", "IT", None, None, None),
    ("Lisboa, 05 mar 2026 (Lusa) - O Governo", "Lisboa, 05 mar 2026 (Lusa) -", "Lisbon", "PT", "Lusa", None, None),
    ("МОСКВА, 24 ноября. /ТАСС/. Правительство", "МОСКВА, 24 ноября. /ТАСС/.", "Moscow", "RU", "TASS", None, None),
    ("新华社北京11月24日电 国务院", "新华社北京11月24日电", "Beijing", "CN", "Xinhua", None, None),
    ("القاهرة (رويترز) - قالت الحكومة", "القاهرة (رويترز) -", "Cairo", "EG", "Reuters", None, None),
    ("الرياض (واس) - أعلنت", "الرياض (واس) -", "Riyadh", "SA", "SPA", None, None),
    ("New Delhi [India], Nov 24 (ANI): The government", "New Delhi [India], Nov 24 (ANI):", "New Delhi", "IN", "ANI",
     None, None),
    ("TOKYO, Nov. 24 (Kyodo) -- Japan's cabinet", "TOKYO, Nov. 24 (Kyodo) --", "Tokyo", "JP", "Kyodo", None, None),
    ("Frankfurt/Main (dpa) - Der Dax", "Frankfurt/Main (dpa) -", "Frankfurt am Main", "DE", "dpa", None, None),
]


@pytest.mark.parametrize(("text", "span", "city", "country", "agency", "credit", "byline"), STYLES,
                         ids=[case[1] for case in STYLES])
def test_every_wire_style_is_read(dateline_parser: DatelineParser, text: str, span: str, city: str | None,
                                  country: str | None, agency: str | None, credit: str | None,
                                  byline: str | None) -> None:
    dateline = dateline_parser.parse(text, REFERENCE_TIME)
    assert dateline is not None
    assert (dateline.text, text[dateline.start : dateline.end]) == (span, span)
    assert (dateline.city, dateline.country_code) == (city, country)
    assert (dateline.agency.code if dateline.agency else None) == agency
    assert (dateline.credit.agency.code if dateline.credit else None) == credit
    assert (dateline.byline.name if dateline.byline else None) == byline
    if dateline.credit is not None:
        assert text[dateline.credit.start : dateline.credit.end] == dateline.credit.text
        assert dateline.credit.end <= dateline.start
    if dateline.byline is not None:
        assert text[dateline.byline.start : dateline.byline.end] == dateline.byline.text
        assert dateline.byline.end <= dateline.start


@pytest.mark.parametrize("text", [
    "NO LONG GAME: Investors are betting the rally will fade.",
    "OBAMA: We will not back down.",
    "JORDAN: The king said the talks had failed.",
    "By the end of the year, prices had doubled.",
    "Apple (AAPL) - shares rose 3 percent.",
    "UPDATE 2-Stocks fall as yields climb",
], ids=["a headline kicker", "a speaker label", "a speaker who is also a country", "a sentence opening with By",
        "a ticker in parentheses", "an update label"])
def test_labels_and_kickers_are_not_datelines(dateline_parser: DatelineParser, text: str) -> None:
    assert dateline_parser.parse(text, REFERENCE_TIME) is None


@pytest.mark.parametrize(("text", "name", "body"), [
    ("By Anna Berg\n\nThe ECB left rates unchanged.", "Anna Berg", "The ECB left rates unchanged."),
    ("By ANNA BERG, Reuters\nThe ECB left rates unchanged.", "ANNA BERG", "The ECB left rates unchanged."),
    ("By Anna Berg and Tom Novak\n\nThe ECB left rates unchanged.", "Anna Berg and Tom Novak",
     "The ECB left rates unchanged."),
    ("By the end of the year\nthe bank had left rates unchanged.", None, None),  # a sentence, not names
    ("By Anna Berg", None, None),  # nothing follows: not a byline before a story
])
def test_a_byline_on_its_own_line_is_not_the_story(dateline_parser: DatelineParser, text: str, name: str | None,
                                                   body: str | None) -> None:
    dateline = dateline_parser.parse(text, REFERENCE_TIME)
    if name is None:
        assert dateline is None
        return
    assert dateline is not None and dateline.byline is not None and dateline.city is None
    assert dateline.byline.name == name and body_after(text, dateline) == body


@pytest.mark.parametrize(("text", "span", "city", "country"), [
    ("ISLAMABAD: Prime Minister Shehbaz Sharif said on Monday", "ISLAMABAD:", "Islamabad", "PK"),
    ("NEW DELHI: The Centre on Tuesday approved", "NEW DELHI:", "New Delhi", "IN"),
    ("DUBAI: Gold prices rose in the emirate", "DUBAI:", "Dubai", "AE"),
    ("NAJAF, Iraq : Pilgrims gathered at the shrine", "NAJAF, Iraq :", "Najaf", "IQ"),
    ("CHITRAL, Pakistan: Snow blocked the pass", "CHITRAL, Pakistan:", "Chitral", "PK"),
    ("HYDERABAD, Sindh: Heavy rain flooded streets", "HYDERABAD, Sindh:", "Hyderabad", "PK"),
], ids=["a capital", "two words", "a Gulf city", "place, country, and a space before the colon",
        "a small town with its country", "a namesake decided by its province"])
def test_a_city_in_capitals_and_a_colon_at_the_start_is_a_dateline(dateline_parser: DatelineParser, text: str,
                                                                    span: str, city: str, country: str) -> None:
    found = dateline_parser.parse(text, REFERENCE_TIME)
    assert found is not None and (found.text, found.city, found.country_code, found.agency) == (span, city, country, None)


@pytest.mark.parametrize("text", [
    "BREAKING: Explosion heard near the airport",
    "ANALYSIS: Why the rupee keeps falling",
    "MR SMITH: I was at home when the police came.",
    "OBAMA: We will not back down from this fight.",
    "JORDAN: The king said the talks had failed.",
    "KARACHI: \"We will not accept this,\" the trader said.",
    "CHITRAL: Snow blocked the pass.",
    "Markets: shares rose in Karachi.",
    "The minister said: ISLAMABAD will decide.",
], ids=["a kicker", "another kicker", "a speaker", "a speaker who is also a small town", "a country as a topic",
        "a city's voice quoted", "a town too small to stand alone", "a title-case label", "not at the start"])
def test_a_colon_after_a_kicker_a_speaker_or_a_small_place_is_no_dateline(dateline_parser: DatelineParser,
                                                                          text: str) -> None:
    assert dateline_parser.parse(text, REFERENCE_TIME) is None


def test_a_broken_entity_in_an_agency_credit_does_not_stop_the_dateline(dateline_parser: DatelineParser) -> None:
    from wirestream.enrich.normalize import normalize_text

    found = dateline_parser.parse(normalize_text("DUBAI (Masnet  amp; News Agencies) - The UAE said"), REFERENCE_TIME)
    assert found is not None and found.city == "Dubai" and found.agency is not None
    assert found.agency.code == "Masnet & News Agencies"
