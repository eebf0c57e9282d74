"""The table of wire services that appear in datelines: what is written -> (code, name)."""

from __future__ import annotations

from typing import NamedTuple


class WireService(NamedTuple):
    code: str
    name: str
    aliases: tuple[str, ...] = ()


WIRE_SERVICES: tuple[WireService, ...] = (
    WireService("Reuters", "Reuters", ("Thomson Reuters", "رويترز")),
    WireService("AP", "Associated Press", ("Associated Press", "أسوشيتد برس")),
    WireService("AFP", "Agence France-Presse", ("Agence France-Presse", "Agence France Presse", "أ ف ب", "فرانس برس")),
    WireService("UPI", "United Press International", ("United Press International",)),
    WireService("Xinhua", "Xinhua News Agency", ("Xinhua News Agency", "Xinhuanet", "新华社", "شينخوا")),
    WireService("IRNA", "Islamic Republic News Agency", ("إرنا",)),
    WireService("IP", "Iran Press", ("Iran Press",)),
    WireService("IRIB", "Islamic Republic of Iran Broadcasting", ()),
    WireService("Tasnim", "Tasnim News Agency", ()),
    WireService("Mehr", "Mehr News Agency", ()),
    WireService("ISNA", "Iranian Students' News Agency", ()),
    WireService("AA", "Anadolu Agency", ("Anadolu", "Anadolu Agency", "Anadolu Ajansı", "الأناضول")),
    WireService("PTI", "Press Trust of India", ("Press Trust of India",)),
    WireService("IANS", "Indo-Asian News Service", ()),
    WireService("ANI", "Asian News International", ()),
    WireService("Yonhap", "Yonhap News Agency", ()),
    WireService("Kyodo", "Kyodo News", ("Kyodo News",)),
    WireService("Jiji", "Jiji Press", ("Jiji Press",)),
    WireService("TASS", "TASS Russian News Agency", ("ITAR-TASS", "ТАСС", "ИТАР-ТАСС")),
    WireService("RIA", "RIA Novosti", ("RIA Novosti", "РИА Новости")),
    WireService("Interfax", "Interfax", ("Интерфакс",)),
    WireService("Sputnik", "Sputnik", ()),
    WireService("dpa", "Deutsche Presse-Agentur", ("Deutsche Presse-Agentur", "د ب أ")),
    WireService("EFE", "Agencia EFE", ("Agencia EFE", "EFECOM")),
    WireService("ANSA", "Agenzia Nazionale Stampa Associata", ()),
    WireService("Bernama", "Malaysian National News Agency", ()),
    WireService("Bloomberg", "Bloomberg News", ("Bloomberg News",)),
    WireService("CNA", "Central News Agency", ()),
    WireService("KUNA", "Kuwait News Agency", ("كونا",)),
    WireService("WAM", "Emirates News Agency", ("وام",)),
    WireService("SPA", "Saudi Press Agency", ("واس",)),
    WireService("MENA", "Middle East News Agency", ("أ ش أ",)),
    WireService("QNA", "Qatar News Agency", ("قنا",)),
    WireService("Petra", "Jordan News Agency", ("بترا",)),
    WireService("WAFA", "Palestine News & Info Agency", ("وفا",)),
    WireService("SANA", "Syrian Arab News Agency", ("سانا",)),
    WireService("APA", "Austria Presse Agentur", ()),
    WireService("PAP", "Polska Agencja Prasowa", ()),
    WireService("CTK", "Czech News Agency", ("ČTK",)),
    WireService("MTI", "Hungarian News Agency", ()),
    WireService("Ukrinform", "Ukrinform", ()),
    WireService("Belga", "Belga News Agency", ()),
    WireService("ANP", "Algemeen Nederlands Persbureau", ()),
    WireService("Lusa", "Agência Lusa", ()),
    WireService("Europa Press", "Europa Press", ()),
    WireService("Notimex", "Notimex", ()),
    WireService("Prensa Latina", "Prensa Latina", ()),
    WireService("Télam", "Télam", ("Telam",)),
    WireService("CP", "The Canadian Press", ("Canadian Press", "The Canadian Press")),
    WireService("AAP", "Australian Associated Press", ()),
    WireService("NZPA", "New Zealand Press Association", ()),
    WireService("Antara", "Antara News Agency", ()),
    WireService("PNA", "Philippine News Agency", ()),
    WireService("VNA", "Vietnam News Agency", ()),
    WireService("KCNA", "Korean Central News Agency", ()),
    WireService("APP", "Associated Press of Pakistan", ()),
    WireService("BSS", "Bangladesh Sangbad Sangstha", ()),
    WireService("NAN", "News Agency of Nigeria", ()),
    WireService("SAPA", "South African Press Association", ()),
    WireService("MAP", "Maghreb Arabe Presse", ()),
    WireService("APS", "Algérie Presse Service", ()),
    WireService("TAP", "Tunis Afrique Presse", ()),
    WireService("ATS", "Agence télégraphique suisse", ("SDA", "Keystone-ATS", "Keystone-SDA")),
    WireService("NTB", "Norsk Telegrambyrå", ()),
    WireService("TT", "Tidningarnas Telegrambyrå", ()),
    WireService("STT", "Suomen Tietotoimisto", ()),
    WireService("Ritzau", "Ritzau", ()),
    WireService("ANA-MPA", "Athens-Macedonian News Agency", ("ANA",)),
    WireService("HINA", "Croatian News Agency", ()),
    WireService("Tanjug", "Tanjug", ()),
    WireService("BTA", "Bulgarian News Agency", ()),
    WireService("Agerpres", "Agerpres", ()),
    WireService("Kazinform", "Kazinform", ()),
    WireService("CNN", "CNN", ()),
    WireService("CNNMoney", "CNN Money", ("CNN/Money",)),
    WireService("NewsFactor", "NewsFactor Network", ()),
    WireService("Sports Ticker", "The Sports Network", ("SportsTicker",)),
    WireService("CNS", "China News Service", ("中新社",)),
    WireService("BBC", "BBC News", ()),
    WireService("Al Jazeera", "Al Jazeera", ()),
)


# The country each national agency files from most, which decides between namesakes in its
# datelines (CÓRDOBA (EFE) is in Spain). Global services (Reuters, AFP, ...) have none.
HOME_COUNTRIES: dict[str, str] = {
    "AP": "US", "UPI": "US", "Xinhua": "CN", "IRNA": "IR", "IP": "IR", "IRIB": "IR", "Tasnim": "IR", "Mehr": "IR",
    "ISNA": "IR", "AA": "TR", "PTI": "IN", "IANS": "IN", "ANI": "IN", "Yonhap": "KR", "Kyodo": "JP", "Jiji": "JP",
    "TASS": "RU", "RIA": "RU", "Interfax": "RU", "Sputnik": "RU", "dpa": "DE", "EFE": "ES", "ANSA": "IT",
    "Bernama": "MY", "CNA": "TW", "KUNA": "KW", "WAM": "AE", "SPA": "SA", "MENA": "EG", "QNA": "QA", "Petra": "JO",
    "WAFA": "PS", "SANA": "SY", "APA": "AT", "PAP": "PL", "CTK": "CZ", "MTI": "HU", "Ukrinform": "UA", "Belga": "BE",
    "ANP": "NL", "Lusa": "PT", "Europa Press": "ES", "Notimex": "MX", "Prensa Latina": "CU", "Télam": "AR",
    "CP": "CA", "AAP": "AU", "NZPA": "NZ", "Antara": "ID", "PNA": "PH", "VNA": "VN", "KCNA": "KP", "APP": "PK",
    "BSS": "BD", "NAN": "NG", "SAPA": "ZA", "MAP": "MA", "APS": "DZ", "TAP": "TN", "ATS": "CH", "NTB": "NO",
    "TT": "SE", "STT": "FI", "Ritzau": "DK", "ANA-MPA": "GR", "HINA": "HR", "Tanjug": "RS", "BTA": "BG",
    "Agerpres": "RO", "Kazinform": "KZ",
}


def _fold(written: str) -> str:
    return " ".join(written.replace(".", "").split()).casefold()


_BY_ALIAS: dict[str, WireService] = {}
for _service in WIRE_SERVICES:
    for _alias in (_service.code, _service.name, *_service.aliases):
        _BY_ALIAS.setdefault(_fold(_alias), _service)


def lookup_agency(written: str) -> WireService | None:
    """The wire service written in a dateline ('Reuters', 'A.P.', 'dpa'), or None if unknown."""
    return _BY_ALIAS.get(_fold(written))


def home_country(code: str) -> str | None:
    """The country a national agency files from (ISO 3166-1 alpha-2), None for a global service."""
    return HOME_COUNTRIES.get(code)
