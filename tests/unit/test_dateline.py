"""Dateline parsing against the real gazetteer: wire styles, languages, and text with no dateline."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from wirestream.enrich.dateline import DatelineParser, body_after
from wirestream.enrich.gazetteer import Gazetteer, Resolved

from tests.conftest import REFERENCE_TIME

# (text, dateline text, city, country code, agency code, date iso)
FOUND = [
    ("Tehran(IP)- Iran's foreign minister said", "Tehran(IP)-", "Tehran", "IR", "IP", None),
    ("TEHRAN (IP) - Iran said on Monday", "TEHRAN (IP) -", "TEHRAN", "IR", "IP", None),
    ("TEHRAN (IRNA) -- The talks resumed", "TEHRAN (IRNA) --", "TEHRAN", "IR", "IRNA", None),
    ("LONDON, Nov 24 (Reuters) - British shares fell", "LONDON, Nov 24 (Reuters) -", "LONDON", "GB", "Reuters", "2026-11-24"),
    ("WASHINGTON (AP) — The Senate voted", "WASHINGTON (AP) —", "WASHINGTON", "US", "AP", None),
    ("PARIS (AFP) - France said", "PARIS (AFP) -", "PARIS", "FR", "AFP", None),
    ("BEIJING, Nov. 24 (Xinhua) -- China and Brazil", "BEIJING, Nov. 24 (Xinhua) --", "BEIJING", "CN", "Xinhua", "2026-11-24"),
    ("NEW YORK, March 2 - Stocks rose", "NEW YORK, March 2 -", "NEW YORK", "US", None, "2026-03-02"),
    ("GAZA CITY — Aid trucks entered", "GAZA CITY —", "GAZA CITY", "PS", None, None),
    ("Ankara (AA) - Turkish officials said", "Ankara (AA) -", "Ankara", "TR", "AA", None),
    ("NEW DELHI, Nov 24 (PTI): The government", "NEW DELHI, Nov 24 (PTI):", "NEW DELHI", "IN", "PTI", "2026-11-24"),
    ("SEOUL, Nov. 24 (Yonhap) -- South Korea", "SEOUL, Nov. 24 (Yonhap) --", "SEOUL", "KR", "Yonhap", "2026-11-24"),
    ("SPRINGFIELD, Ill. (AP) — Illinois lawmakers", "SPRINGFIELD, Ill. (AP) —", "SPRINGFIELD", "US", "AP", None),
    ("SPRINGFIELD, Mass. (AP) — A judge ruled", "SPRINGFIELD, Mass. (AP) —", "SPRINGFIELD", "US", "AP", None),
    ("KYIV, Ukraine (Reuters) - Drones hit", "KYIV, Ukraine (Reuters) -", "KYIV", "UA", "Reuters", None),
    ("AL-ARISH, Egypt (Reuters) - Trucks waited", "AL-ARISH, Egypt (Reuters) -", "AL-ARISH", "EG", "Reuters", None),
    ("SÃO PAULO (Reuters) - Brazil's real", "SÃO PAULO (Reuters) -", "SÃO PAULO", "BR", "Reuters", None),
    ("Rio de Janeiro (AFP) - Le carnaval", "Rio de Janeiro (AFP) -", "Rio de Janeiro", "BR", "AFP", None),
    ("MEXICO CITY (AP) — Mexico's president", "MEXICO CITY (AP) —", "MEXICO CITY", "MX", "AP", None),
    ("TOKYO, Nov 24 (Kyodo) - Japan's cabinet", "TOKYO, Nov 24 (Kyodo) -", "TOKYO", "JP", "Kyodo", "2026-11-24"),
    ("MOSCOW, Nov 24 (TASS) - Russia said", "MOSCOW, Nov 24 (TASS) -", "MOSCOW", "RU", "TASS", "2026-11-24"),
    ("KUALA LUMPUR, Nov 24 (Bernama) -- Malaysia", "KUALA LUMPUR, Nov 24 (Bernama) --", "KUALA LUMPUR", "MY", "Bernama", "2026-11-24"),
    ("ROME (ANSA) - Italy's premier", "ROME (ANSA) -", "ROME", "IT", "ANSA", None),
    ("WASHINGTON, Nov 24 (UPI) -- The Pentagon", "WASHINGTON, Nov 24 (UPI) --", "WASHINGTON", "US", "UPI", "2026-11-24"),
    ("NEW YORK (Bloomberg) -- Treasuries rallied", "NEW YORK (Bloomberg) --", "NEW YORK", "US", "Bloomberg", None),
    ("ISTANBUL (Anadolu) - Turkey's central bank", "ISTANBUL (Anadolu) -", "ISTANBUL", "TR", "AA", None),
    ("LONDON, November 24, 2025 (Reuters) - Last year", "LONDON, November 24, 2025 (Reuters) -", "LONDON", "GB", "Reuters", "2025-11-24"),
    ("SINGAPORE — Singapore's economy grew", "SINGAPORE —", "SINGAPORE", "SG", None, None),
    ("GENEVA (AP) – The WHO said", "GENEVA (AP) –", "GENEVA", "CH", "AP", None),
    ("  LONDON (Reuters) - Leading spaces are skipped", "LONDON (Reuters) -", "LONDON", "GB", "Reuters", None),
    ("ZORBLVILLE (AP) — A town no gazetteer knows", "ZORBLVILLE (AP) —", "ZORBLVILLE", None, "AP", None),
    ("LONDON, Dec 31 (Reuters) - New Year's Eve", "LONDON, Dec 31 (Reuters) -", "LONDON", "GB", "Reuters", "2025-12-31"),
    # French
    ("PARIS, 24 nov (AFP) - Le président Emmanuel Macron", "PARIS, 24 nov (AFP) -", "PARIS", "FR", "AFP", "2026-11-24"),
    ("MARSEILLE, 3 mars (AFP) - La ville", "MARSEILLE, 3 mars (AFP) -", "MARSEILLE", "FR", "AFP", "2026-03-03"),
    ("Bruxelles, 24 novembre (Belga) - Le gouvernement", "Bruxelles, 24 novembre (Belga) -", "Bruxelles", "BE", "Belga", "2026-11-24"),
    # Spanish
    ("Madrid, 24 nov (EFE).- El presidente del Gobierno", "Madrid, 24 nov (EFE).-", "Madrid", "ES", "EFE", "2026-11-24"),
    ("BOGOTÁ, 2 de marzo (EFE) - El Gobierno", "BOGOTÁ, 2 de marzo (EFE) -", "BOGOTÁ", "CO", "EFE", "2026-03-02"),
    ("Ciudad de México (EFE).- El Gobierno mexicano", "Ciudad de México (EFE).-", "Ciudad de México", "MX", "EFE", None),
    # German
    ("BERLIN, 24. November (dpa) - Bundeskanzler", "BERLIN, 24. November (dpa) -", "BERLIN", "DE", "dpa", "2026-11-24"),
    ("München (dpa) - Die Polizei", "München (dpa) -", "München", "DE", "dpa", None),
    ("Frankfurt am Main (dpa) - Der Dax", "Frankfurt am Main (dpa) -", "Frankfurt am Main", "DE", "dpa", None),
    # Italian and Portuguese
    ("ROMA, 24 novembre (ANSA) - Il governo", "ROMA, 24 novembre (ANSA) -", "ROMA", "IT", "ANSA", "2026-11-24"),
    ("LISBOA, 24 nov (Lusa) - O Governo", "LISBOA, 24 nov (Lusa) -", "LISBOA", "PT", "Lusa", "2026-11-24"),
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
    ("text", "expected_text", "city", "country_code", "agency", "iso"),
    FOUND,
    ids=[case[1] for case in FOUND],
)
def test_finds_the_dateline(
    dateline_parser: DatelineParser,
    text: str,
    expected_text: str,
    city: str,
    country_code: str | None,
    agency: str | None,
    iso: str | None,
) -> None:
    dateline = dateline_parser.parse(text, REFERENCE_TIME)
    assert dateline is not None
    assert dateline.text == expected_text
    assert text[dateline.start : dateline.end] == expected_text
    assert dateline.city == city
    assert dateline.country_code == country_code
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
    january = datetime(2027, 1, 2, tzinfo=timezone.utc)
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


def test_city_resolution_prefers_the_largest_place_and_honours_the_region() -> None:
    gazetteer = Gazetteer(
        [
            ("Paris", [], "FR", "11", 2_000_000),
            ("Paris", [], "US", "TX", 25_000),
            ("Springfield", [], "US", "IL", 114_000),
        ]
    )
    assert gazetteer.resolve("PARIS") == Resolved("FR", "France")
    assert gazetteer.resolve("PARIS", "Texas").country_code == "US"
    assert gazetteer.resolve("Springfield", "Ill.").country_code == "US"
    assert gazetteer.resolve("Atlantis") == Resolved(None, None)
