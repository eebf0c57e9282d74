"""Wire leads written for the dateline evaluation: every style the parser must read, in 12 languages,
and leads that have no dateline at all.

Each style lists places (as the wire writes them) and the lead around them; a lead is expanded
with each place in turn, so the expected answer is known exactly: the dateline span, the
canonical GeoNames city (None: no place), the country, the agency. Written by hand for this
project; no data is copied from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lead:
    style: str
    language: str
    text: str
    dateline: str | None  # the dateline span as it stands in `text`; None: the lead has none
    city: str | None  # canonical GeoNames name; None: no place (credit only, source and date, none)
    country: str | None
    agency: str | None


def _expand(style: str, language: str, template: str, span: str, rows: list[tuple[str, ...]],
            body: list[str]) -> list[Lead]:
    """`template` and `span` use {place}, {city}-free fields from each row: (written, canonical, country, agency)."""
    leads = []
    for index, (written, canonical, country, agency, *extra) in enumerate(rows):
        fields = {"place": written, "agency": agency, "x": extra[0] if extra else ""}
        dateline = span.format(**fields)
        leads.append(Lead(style, language, template.format(**fields, body=body[index % len(body)]), dateline,
                          canonical or None, country or None, agency or None))
    return leads


EN_BODY = [
    "The government said on Monday it would raise spending on roads and schools.",
    "Police arrested two men after a protest turned violent late on Sunday.",
    "Shares rose in early trade as investors bet on lower interest rates.",
    "The mayor announced a new plan to cut traffic in the city centre.",
    "Heavy rain flooded dozens of homes and closed the main highway.",
]

CLASSIC = [  # CITY, Month Day (Agency) -
    ("LONDON", "London", "GB", "Reuters"), ("WASHINGTON", "Washington", "US", "Reuters"),
    ("TOKYO", "Tokyo", "JP", "Reuters"), ("BRUSSELS", "Brussels", "BE", "Reuters"),
    ("SINGAPORE", "Singapore", "SG", "Reuters"), ("NAIROBI", "Nairobi", "KE", "Reuters"),
    ("MUMBAI", "Mumbai", "IN", "Reuters"), ("FRANKFURT", "Frankfurt am Main", "DE", "Reuters"),
    ("SYDNEY", "Sydney", "AU", "Reuters"), ("TORONTO", "Toronto", "CA", "Reuters"),
    ("JOHANNESBURG", "Johannesburg", "ZA", "Reuters"), ("BEIRUT", "Beirut", "LB", "Reuters"),
    ("MEXICO CITY", "Mexico City", "MX", "Reuters"), ("SAO PAULO", "São Paulo", "BR", "Reuters"),
    ("HONG KONG", "Hong Kong", "HK", "Reuters"), ("ISTANBUL", "Istanbul", "TR", "Reuters"),
    ("VANCOUVER", "Vancouver", "CA", "Reuters"), ("KYIV", "Kyiv", "UA", "Reuters"),
    ("GENEVA", "Geneva", "CH", "Reuters"), ("DUBAI", "Dubai", "AE", "Reuters"),
    ("BUENOS AIRES", "Buenos Aires", "AR", "Reuters"), ("MANILA", "Manila", "PH", "Reuters"),
    ("LAGOS", "Lagos", "NG", "Reuters"), ("WARSAW", "Warsaw", "PL", "Reuters"),
    ("SEOUL", "Seoul", "KR", "Reuters"),
]
AFP_STYLE = [  # CITY (AFP) - , no date
    ("BAGHDAD", "Baghdad", "IQ", "AFP"), ("KABUL", "Kabul", "AF", "AFP"), ("ADDIS ABABA", "Addis Ababa", "ET", "AFP"),
    ("BANGKOK", "Bangkok", "TH", "AFP"), ("CARACAS", "Caracas", "VE", "AFP"), ("HAVANA", "Havana", "CU", "AFP"),
    ("LIMA", "Lima", "PE", "AFP"), ("OSLO", "Oslo", "NO", "AFP"), ("COPENHAGEN", "Copenhagen", "DK", "AFP"),
    ("DAMASCUS", "Damascus", "SY", "AFP"), ("TRIPOLI, Libya", "Tripoli", "LY", "AFP"), ("KHARTOUM", "Khartoum", "SD", "AFP"),
    ("ULAANBAATAR", "Ulan Bator", "MN", "AFP"), ("YANGON", "Yangon", "MM", "AFP"), ("TBILISI", "Tbilisi", "GE", "AFP"),
    ("BELGRADE", "Belgrade", "RS", "AFP"), ("BUCHAREST", "Bucharest", "RO", "AFP"), ("DUBLIN", "Dublin", "IE", "AFP"),
    ("WELLINGTON", "Wellington", "NZ", "AFP"), ("QUITO", "Quito", "EC", "AFP"),
]
AP_STYLE = [  # CITY (AP) — / CITY, State (AP) —
    ("DENVER", "Denver", "US", "AP"), ("PHOENIX", "Phoenix", "US", "AP"), ("ATLANTA", "Atlanta", "US", "AP"),
    ("SEATTLE", "Seattle", "US", "AP"), ("BOSTON", "Boston", "US", "AP"), ("CHICAGO", "Chicago", "US", "AP"),
    ("MIAMI", "Miami", "US", "AP"), ("DETROIT", "Detroit", "US", "AP"), ("HOUSTON", "Houston", "US", "AP"),
    ("NEW ORLEANS", "New Orleans", "US", "AP"), ("LOS ANGELES", "Los Angeles", "US", "AP"),
    ("SAN FRANCISCO", "San Francisco", "US", "AP"), ("NASHVILLE, Tenn.", "Nashville", "US", "AP"),
    ("SPRINGFIELD, Ill.", "Springfield", "US", "AP"), ("SPRINGFIELD, Mass.", "Springfield", "US", "AP"),
    ("PARIS, Texas", "Paris", "US", "AP"), ("COLUMBUS, Ohio", "Columbus", "US", "AP"),
    ("PORTLAND, Maine", "Portland", "US", "AP"), ("PORTLAND, Ore.", "Portland", "US", "AP"),
    ("ALBANY, N.Y.", "Albany", "US", "AP"), ("TBILISI, Georgia", "Tbilisi", "GE", "AP"),
    ("ATHENS, Greece", "Athens", "GR", "AP"), ("ATHENS, Ga.", "Athens", "US", "AP"),
    ("CANTON, Ohio", "Canton", "US", "AP"), ("BIRMINGHAM, Ala.", "Birmingham", "US", "AP"),
    ("KANSAS CITY, Mo.", "Kansas City", "US", "AP"), ("LAS VEGAS", "Las Vegas", "US", "AP"),
    ("HONOLULU", "Honolulu", "US", "AP"), ("RALEIGH, N.C.", "Raleigh", "US", "AP"),
    ("MILWAUKEE", "Milwaukee", "US", "AP"),
]
WIRE_OTHERS = [  # CITY (Agency) - with the national agencies
    ("TEHRAN", "Tehran", "IR", "IRNA"), ("BEIJING", "Beijing", "CN", "Xinhua"), ("MOSCOW", "Moscow", "RU", "TASS"),
    ("ANKARA", "Ankara", "TR", "AA"), ("NEW DELHI", "New Delhi", "IN", "PTI"), ("SEOUL", "Seoul", "KR", "Yonhap"),
    ("KUALA LUMPUR", "Kuala Lumpur", "MY", "Bernama"), ("CAIRO", "Cairo", "EG", "MENA"),
    ("DOHA", "Doha", "QA", "QNA"), ("AMMAN", "Amman", "JO", "Petra"), ("VIENNA", "Vienna", "AT", "APA"),
    ("OTTAWA", "Ottawa", "CA", "CP"), ("CANBERRA", "Canberra", "AU", "AAP"), ("JAKARTA", "Jakarta", "ID", "Antara"),
    ("HANOI", "Hanoi", "VN", "VNA"), ("ISLAMABAD", "Islamabad", "PK", "APP"), ("DHAKA", "Dhaka", "BD", "BSS"),
    ("ABUJA", "Abuja", "NG", "NAN"), ("RABAT", "Rabat", "MA", "MAP"), ("HELSINKI", "Helsinki", "FI", "STT"),
    ("ISFAHAN", "Isfahan", "IR", "IRNA"), ("SHANGHAI", "Shanghai", "CN", "Xinhua"), ("KAZAN", "Kazan", "RU", "TASS"),
    ("IZMIR", "İzmir", "TR", "AA"), ("KOLKATA", "Kolkata", "IN", "PTI"), ("BUSAN", "Busan", "KR", "Yonhap"),
    ("PENANG", "George Town", "MY", "Bernama"), ("ALEXANDRIA", "Alexandria", "EG", "MENA"),
    ("OSLO", "Oslo", "NO", "NTB"), ("ZAGREB", "Zagreb", "HR", "HINA"),
]
CREDIT_LINE = [  # Credit - CITY (Agency) - / AFP - CITY -
    ("HALIFAX", "Halifax", "CA", "CP", "Canadian Press - "), ("NAIROBI", "Nairobi", "KE", "AFP", "AFP - "),
    ("WINNIPEG", "Winnipeg", "CA", "CP", "Canadian Press - "), ("DAKAR", "Dakar", "SN", "AFP", "AFP - "),
    ("QUEBEC CITY", "Québec", "CA", "CP", "The Canadian Press - "), ("KINSHASA", "Kinshasa", "CD", "AFP", "AFP - "),
    ("CALGARY", "Calgary", "CA", "CP", "Canadian Press - "), ("ABIDJAN", "Abidjan", "CI", "AFP", "AFP - "),
    ("EDMONTON", "Edmonton", "CA", "CP", "Canadian Press - "), ("BAMAKO", "Bamako", "ML", "AFP", "AFP - "),
    ("REGINA", "Regina", "CA", "CP", "Canadian Press - "), ("TUNIS", "Tunis", "TN", "AFP", "AFP - "),
]
BYLINE = [  # By NAME  CITY (AP) -- / By Name, Associated Press Writer\n\nCITY (AP) —
    ("DENVER", "Denver", "US", "AP", "By MARIA SANCHEZ  "), ("PHOENIX", "Phoenix", "US", "AP",
     "By Jane Doe, Associated Press Writer\n\n"), ("SACRAMENTO, Calif.", "Sacramento", "US", "AP", "By Tom Brady\n"),
    ("BOISE, Idaho", "Boise", "US", "AP", "By ANNA KOWALSKI  "), ("MADISON, Wis.", "Madison", "US", "AP",
     "By Lee Park, Associated Press Writer\n\n"), ("RENO, Nev.", "Reno", "US", "AP", "By Sam Ortiz\n"),
    ("TUCSON, Ariz.", "Tucson", "US", "AP", "By JOHN MILLER  "), ("OMAHA, Neb.", "Omaha", "US", "AP",
     "By Kate Lund, AP Business Writer\n\n"), ("ANCHORAGE, Alaska", "Anchorage", "US", "AP", "By Ray Chen\n"),
    ("LANSING, Mich.", "Lansing", "US", "AP", "By PETER NOLAN and AMY WU  "),
]
CREDIT_ONLY = [("AP", "AP"), ("AFP", "AFP"), ("Reuters", "Reuters"), ("NYTimes.com", "NYTimes.com"), ("dpa", "dpa"),
               ("Bloomberg", "Bloomberg"), ("UPI", "UPI"), ("EFE", "EFE")]
MIXED_CASE = [  # Place, ST (Agency) - / Place, Mon. D - / PLACE, State. -
    ("Boise, ID (Sports Ticker) - ", "Boise, ID (Sports Ticker) -", "Boise", "US", "Sports Ticker"),
    ("Denver, Mar. 3 - ", "Denver, Mar. 3 -", "Denver", "US", None),
    ("FRESNO, Calif. - ", "FRESNO, Calif. -", "Fresno", "US", None),
    ("HEBRON, West Bank (Reuters) - ", "HEBRON, West Bank (Reuters) -", "Hebron", "PS", "Reuters"),
    ("Austin, TX (Sports Ticker) - ", "Austin, TX (Sports Ticker) -", "Austin", "US", "Sports Ticker"),
    ("Tampa, Fla., Mar. 3 - ", "Tampa, Fla., Mar. 3 -", "Tampa", "US", None),
    ("Cleveland, OH (Sports Ticker) - ", "Cleveland, OH (Sports Ticker) -", "Cleveland", "US", "Sports Ticker"),
    ("SALT LAKE CITY, Utah - ", "SALT LAKE CITY, Utah -", "Salt Lake City", "US", None),
    ("RAMALLAH, West Bank (Reuters) - ", "RAMALLAH, West Bank (Reuters) -", "Ramallah", "PS", "Reuters"),
    ("Pittsburgh, Nov. 24 - ", "Pittsburgh, Nov. 24 -", "Pittsburgh", "US", None),
]
ODD_AGENCIES = [
    ("NEW YORK (CNN/Money) - ", "NEW YORK (CNN/Money) -", "New York City", "US", "CNNMoney"),
    ("BEIJING (Xinhuanet) - ", "BEIJING (Xinhuanet) -", "Beijing", "CN", "Xinhua"),
    ("MOSCOW (Itar-Tass) - ", "MOSCOW (Itar-Tass) -", "Moscow", "RU", "TASS"),
    ("SAN JOSE, Calif. (NewsFactor) - ", "SAN JOSE, Calif. (NewsFactor) -", "San Jose", "US", "NewsFactor"),
    ("Hamburg (dpa) - ", "Hamburg (dpa) -", "Hamburg", "DE", "dpa"),
    ("MADRID (EFECOM) - ", "MADRID (EFECOM) -", "Madrid", "ES", "EFE"),
    ("ST. PETERSBURG (Itar-Tass) - ", "ST. PETERSBURG (Itar-Tass) -", "Saint Petersburg", "RU", "TASS"),
    ("SHANGHAI (Xinhuanet) - ", "SHANGHAI (Xinhuanet) -", "Shanghai", "CN", "Xinhua"),
]
SOURCE_DATE = [
    ("MARCH 3, 2026 (INFOWORLD) - ", "MARCH 3, 2026 (INFOWORLD) -", "INFOWORLD"),
    ("DEFENSE NEWS DIGEST (03/11/26) - ", "DEFENSE NEWS DIGEST (03/11/26) -", "DEFENSE NEWS DIGEST"),
    ("NOVEMBER 24, 2026 (COMPUTERWORLD) - ", "NOVEMBER 24, 2026 (COMPUTERWORLD) -", "COMPUTERWORLD"),
    ("ENERGY WIRE DAILY (11/24/26) - ", "ENERGY WIRE DAILY (11/24/26) -", "ENERGY WIRE DAILY"),
    ("JANUARY 12, 2026 (NETWORK WORLD) - ", "JANUARY 12, 2026 (NETWORK WORLD) -", "NETWORK WORLD"),
]

LANGUAGES: list[tuple[str, str, list[tuple[str, str, str, str, str]], list[str]]] = [
    # (style, language, [(lead start, dateline span, canonical city, country, agency)], bodies)
    ("spanish", "es", [
        ("Sevilla, 4 jun (EFE).- ", "Sevilla, 4 jun (EFE).-", "Sevilla", "ES", "EFE"),
        ("Gijón (Asturias), 12 jun (EFE).- ", "Gijón (Asturias), 12 jun (EFE).-", "Gijón", "ES", "EFE"),
        ("Madrid, 24 nov (EFE).- ", "Madrid, 24 nov (EFE).-", "Madrid", "ES", "EFE"),
        ("Bogotá, 3 mar (EFE).- ", "Bogotá, 3 mar (EFE).-", "Bogotá", "CO", "EFE"),
        ("Valencia, 8 may (EFE).- ", "Valencia, 8 may (EFE).-", "Valencia", "ES", "EFE"),
        ("Lima, 19 ago (EFE).- ", "Lima, 19 ago (EFE).-", "Lima", "PE", "EFE"),
        ("Santiago de Chile, 2 oct (EFE).- ", "Santiago de Chile, 2 oct (EFE).-", "Santiago", "CL", "EFE"),
        ("Vigo (Pontevedra), 9 jul (EFE).- ", "Vigo (Pontevedra), 9 jul (EFE).-", "Vigo", "ES", "EFE"),
        ("Barcelona, 14 feb (Europa Press) - ", "Barcelona, 14 feb (Europa Press) -", "Barcelona", "ES", "Europa Press"),
        ("Córdoba, 6 abr (EFE).- ", "Córdoba, 6 abr (EFE).-", "Córdoba", "ES", "EFE"),
    ], ["El Gobierno aprobó este martes un plan de ayudas para los agricultores afectados por la sequía.",
        "La policía detuvo a tres personas tras un robo en una joyería del centro de la ciudad."]),
    ("french", "fr", [
        ("PARIS, 3 mars 2026 (AFP) - ", "PARIS, 3 mars 2026 (AFP) -", "Paris", "FR", "AFP"),
        ("LYON, 24 nov (AFP) - ", "LYON, 24 nov (AFP) -", "Lyon", "FR", "AFP"),
        ("Marseille, 12 janvier (AFP) - ", "Marseille, 12 janvier (AFP) -", "Marseille", "FR", "AFP"),
        ("BRUXELLES, 5 avr (Belga) - ", "BRUXELLES, 5 avr (Belga) -", "Brussels", "BE", "Belga"),
        ("GENÈVE, 9 juin (ATS) - ", "GENÈVE, 9 juin (ATS) -", "Geneva", "CH", "ATS"),
        ("ABIDJAN, 17 sept (AFP) - ", "ABIDJAN, 17 sept (AFP) -", "Abidjan", "CI", "AFP"),
        ("Montréal, 2 déc (AFP) - ", "Montréal, 2 déc (AFP) -", "Montréal", "CA", "AFP"),
        ("TOULOUSE, 21 oct (AFP) - ", "TOULOUSE, 21 oct (AFP) -", "Toulouse", "FR", "AFP"),
        ("ALGER, 30 août (APS) - ", "ALGER, 30 août (APS) -", "Algiers", "DZ", "APS"),
        ("Strasbourg, 8 févr (AFP) - ", "Strasbourg, 8 févr (AFP) -", "Strasbourg", "FR", "AFP"),
    ], ["Le gouvernement a annoncé mardi un plan d'aide aux agriculteurs touchés par la sécheresse.",
        "La police a interpellé trois personnes après un vol dans une bijouterie du centre-ville."]),
    ("german", "de", [
        ("Berlin (dpa) - ", "Berlin (dpa) -", "Berlin", "DE", "dpa"),
        ("BERLIN, 3. März (Reuters) - ", "BERLIN, 3. März (Reuters) -", "Berlin", "DE", "Reuters"),
        ("München (dpa) - ", "München (dpa) -", "Munich", "DE", "dpa"),
        ("Köln (dpa) - ", "Köln (dpa) -", "Köln", "DE", "dpa"),
        ("WIEN, 24. November (APA) - ", "WIEN, 24. November (APA) -", "Vienna", "AT", "APA"),
        ("Zürich (ATS) - ", "Zürich (ATS) -", "Zürich", "CH", "ATS"),
        ("Frankfurt/Main (dpa) - ", "Frankfurt/Main (dpa) -", "Frankfurt am Main", "DE", "dpa"),
        ("Dresden (dpa) - ", "Dresden (dpa) -", "Dresden", "DE", "dpa"),
        ("HAMBURG, 12. Juni (Reuters) - ", "HAMBURG, 12. Juni (Reuters) -", "Hamburg", "DE", "Reuters"),
        ("Stuttgart (dpa) - ", "Stuttgart (dpa) -", "Stuttgart", "DE", "dpa"),
    ], ["Die Bundesregierung hat am Dienstag ein Hilfspaket für Landwirte beschlossen.",
        "Die Polizei hat nach einem Einbruch in ein Juweliergeschäft drei Verdächtige festgenommen."]),
    ("italian", "it", [
        ("ROMA, 5 MAR - ", "ROMA, 5 MAR -", "Rome", "IT", None),
        ("MILANO, 24 NOV - ", "MILANO, 24 NOV -", "Milan", "IT", None),
        ("NAPOLI, 12 GIU - ", "NAPOLI, 12 GIU -", "Naples", "IT", None),
        ("TORINO, 3 OTT - ", "TORINO, 3 OTT -", "Turin", "IT", None),
        ("FIRENZE, 8 MAG - ", "FIRENZE, 8 MAG -", "Florence", "IT", None),
        ("ROMA, 24 novembre (ANSA) - ", "ROMA, 24 novembre (ANSA) -", "Rome", "IT", "ANSA"),
        ("PALERMO, 2 LUG - ", "PALERMO, 2 LUG -", "Palermo", "IT", None),
        ("VENEZIA, 19 AGO - ", "VENEZIA, 19 AGO -", "Venice", "IT", None),
    ], ["Il governo ha approvato martedì un piano di aiuti per gli agricoltori colpiti dalla siccità.",
        "La polizia ha arrestato tre persone dopo una rapina in una gioielleria del centro."]),
    ("portuguese", "pt", [
        ("Lisboa, 05 mar 2026 (Lusa) - ", "Lisboa, 05 mar 2026 (Lusa) -", "Lisbon", "PT", "Lusa"),
        ("Porto, 24 nov (Lusa) - ", "Porto, 24 nov (Lusa) -", "Porto", "PT", "Lusa"),
        ("Coimbra, 12 jun 2026 (Lusa) - ", "Coimbra, 12 jun 2026 (Lusa) -", "Coimbra", "PT", "Lusa"),
        ("Maputo, 3 out (Lusa) - ", "Maputo, 3 out (Lusa) -", "Maputo", "MZ", "Lusa"),
        ("Luanda, 8 mai (Lusa) - ", "Luanda, 8 mai (Lusa) -", "Luanda", "AO", "Lusa"),
        ("Braga, 19 ago 2026 (Lusa) - ", "Braga, 19 ago 2026 (Lusa) -", "Braga", "PT", "Lusa"),
        ("Faro, 2 jul (Lusa) - ", "Faro, 2 jul (Lusa) -", "Faro", "PT", "Lusa"),
        ("Bissau, 14 fev (Lusa) - ", "Bissau, 14 fev (Lusa) -", "Bissau", "GW", "Lusa"),
    ], ["O Governo aprovou hoje um plano de apoio aos agricultores afetados pela seca.",
        "A polícia deteve três pessoas depois de um assalto a uma ourivesaria no centro da cidade."]),
    ("russian", "ru", [
        ("МОСКВА, 24 ноября. /ТАСС/. ", "МОСКВА, 24 ноября. /ТАСС/.", "Moscow", "RU", "TASS"),
        ("САНКТ-ПЕТЕРБУРГ, 3 марта. /ТАСС/. ", "САНКТ-ПЕТЕРБУРГ, 3 марта. /ТАСС/.", "Saint Petersburg", "RU", "TASS"),
        ("НОВОСИБИРСК, 12 июня. /ТАСС/. ", "НОВОСИБИРСК, 12 июня. /ТАСС/.", "Novosibirsk", "RU", "TASS"),
        ("ЕКАТЕРИНБУРГ, 8 мая. /ТАСС/. ", "ЕКАТЕРИНБУРГ, 8 мая. /ТАСС/.", "Yekaterinburg", "RU", "TASS"),
        ("КАЗАНЬ, 19 августа. /ТАСС/. ", "КАЗАНЬ, 19 августа. /ТАСС/.", "Kazan", "RU", "TASS"),
        ("МИНСК, 2 октября. /ТАСС/. ", "МИНСК, 2 октября. /ТАСС/.", "Minsk", "BY", "TASS"),
        ("ВЛАДИВОСТОК, 14 февраля. /ТАСС/. ", "ВЛАДИВОСТОК, 14 февраля. /ТАСС/.", "Vladivostok", "RU", "TASS"),
        ("СОЧИ, 30 января. /ТАСС/. ", "СОЧИ, 30 января. /ТАСС/.", "Sochi", "RU", "TASS"),
    ], ["Правительство утвердило план поддержки фермеров, пострадавших от засухи.",
        "Полиция задержала трех человек после ограбления ювелирного магазина в центре города."]),
    ("chinese", "zh", [
        ("新华社北京11月24日电 ", "新华社北京11月24日电", "Beijing", "CN", "Xinhua"),
        ("新华社上海3月3日电 ", "新华社上海3月3日电", "Shanghai", "CN", "Xinhua"),
        ("新华社广州6月12日电 ", "新华社广州6月12日电", "Guangzhou", "CN", "Xinhua"),
        ("新华社深圳5月8日电 ", "新华社深圳5月8日电", "Shenzhen", "CN", "Xinhua"),
        ("新华社武汉8月19日电 ", "新华社武汉8月19日电", "Wuhan", "CN", "Xinhua"),
        ("新华社南京10月2日电 ", "新华社南京10月2日电", "Nanjing", "CN", "Xinhua"),
        ("新华社成都2月14日电 ", "新华社成都2月14日电", "Chengdu", "CN", "Xinhua"),
        ("新华社西安1月30日电 ", "新华社西安1月30日电", "Xi’an", "CN", "Xinhua"),
    ], ["国务院常务会议24日召开，部署进一步扩大内需的政策措施。",
        "当地政府表示，将加大对受旱灾影响农民的支持力度。"]),
    ("arabic", "ar", [
        ("القاهرة (رويترز) - ", "القاهرة (رويترز) -", "Cairo", "EG", "Reuters"),
        ("الرياض (واس) - ", "الرياض (واس) -", "Riyadh", "SA", "SPA"),
        ("دبي (رويترز) - ", "دبي (رويترز) -", "Dubai", "AE", "Reuters"),
        ("بيروت (رويترز) - ", "بيروت (رويترز) -", "Beirut", "LB", "Reuters"),
        ("جدة (واس) - ", "جدة (واس) -", "Jeddah", "SA", "SPA"),
        ("عمان (رويترز) - ", "عمان (رويترز) -", "Amman", "JO", "Reuters"),
        ("بغداد (رويترز) - ", "بغداد (رويترز) -", "Baghdad", "IQ", "Reuters"),
        ("الدوحة (رويترز) - ", "الدوحة (رويترز) -", "Doha", "QA", "Reuters"),
    ], ["قالت الحكومة يوم الثلاثاء إنها ستزيد الإنفاق على الطرق والمدارس.",
        "اعتقلت الشرطة ثلاثة أشخاص بعد سرقة متجر للمجوهرات في وسط المدينة."]),
    ("indian", "en", [
        ("New Delhi [India], Nov 24 (ANI): ", "New Delhi [India], Nov 24 (ANI):", "New Delhi", "IN", "ANI"),
        ("Mumbai (Maharashtra) [India], Mar 3 (ANI): ", "Mumbai (Maharashtra) [India], Mar 3 (ANI):", "Mumbai", "IN", "ANI"),
        ("Kolkata [India], Jun 12 (ANI): ", "Kolkata [India], Jun 12 (ANI):", "Kolkata", "IN", "ANI"),
        ("Chennai [India], May 8 (ANI): ", "Chennai [India], May 8 (ANI):", "Chennai", "IN", "ANI"),
        ("NEW DELHI, Nov 24 (PTI): ", "NEW DELHI, Nov 24 (PTI):", "New Delhi", "IN", "PTI"),
        ("BENGALURU, Aug 19 (PTI): ", "BENGALURU, Aug 19 (PTI):", "Bengaluru", "IN", "PTI"),
        ("Hyderabad [India], Oct 2 (ANI): ", "Hyderabad [India], Oct 2 (ANI):", "Hyderabad", "IN", "ANI"),
        ("LUCKNOW, Feb 14 (PTI): ", "LUCKNOW, Feb 14 (PTI):", "Lucknow", "IN", "PTI"),
    ], EN_BODY),
    ("japanese", "en", [
        ("TOKYO, Nov. 24 (Kyodo) -- ", "TOKYO, Nov. 24 (Kyodo) --", "Tokyo", "JP", "Kyodo"),
        ("OSAKA, March 3 (Kyodo) -- ", "OSAKA, March 3 (Kyodo) --", "Osaka", "JP", "Kyodo"),
        ("SAPPORO, June 12 (Kyodo) -- ", "SAPPORO, June 12 (Kyodo) --", "Sapporo", "JP", "Kyodo"),
        ("NAGOYA, May 8 (Kyodo) -- ", "NAGOYA, May 8 (Kyodo) --", "Nagoya", "JP", "Kyodo"),
        ("HIROSHIMA, Aug. 6 (Kyodo) -- ", "HIROSHIMA, Aug. 6 (Kyodo) --", "Hiroshima", "JP", "Kyodo"),
        ("FUKUOKA, Oct. 2 (Jiji Press) -- ", "FUKUOKA, Oct. 2 (Jiji Press) --", "Fukuoka", "JP", "Jiji"),
    ], EN_BODY),
    ("dutch", "nl", [
        ("AMSTERDAM (ANP) - ", "AMSTERDAM (ANP) -", "Amsterdam", "NL", "ANP"),
        ("DEN HAAG (ANP) - ", "DEN HAAG (ANP) -", "The Hague", "NL", "ANP"),
        ("ROTTERDAM (ANP) - ", "ROTTERDAM (ANP) -", "Rotterdam", "NL", "ANP"),
        ("UTRECHT (ANP) - ", "UTRECHT (ANP) -", "Utrecht", "NL", "ANP"),
        ("BRUSSEL (Belga) - ", "BRUSSEL (Belga) -", "Brussels", "BE", "Belga"),
    ], ["Het kabinet heeft dinsdag een steunpakket voor boeren aangekondigd.",
        "De politie heeft drie verdachten aangehouden na een overval op een juwelier."]),
    ("turkish", "tr", [
        ("ANKARA (AA) - ", "ANKARA (AA) -", "Ankara", "TR", "AA"),
        ("İSTANBUL (AA) - ", "İSTANBUL (AA) -", "Istanbul", "TR", "AA"),
        ("İZMİR (AA) - ", "İZMİR (AA) -", "İzmir", "TR", "AA"),
        ("Bursa (AA) - ", "Bursa (AA) -", "Bursa", "TR", "AA"),
        ("ANTALYA (AA) - ", "ANTALYA (AA) -", "Antalya", "TR", "AA"),
    ], ["Hükümet, kuraklıktan etkilenen çiftçiler için yeni bir destek paketi açıkladı.",
        "Polis, kent merkezindeki bir kuyumcu soygununun ardından üç kişiyi gözaltına aldı."]),
    ("polish", "pl", [
        ("WARSZAWA (PAP) - ", "WARSZAWA (PAP) -", "Warsaw", "PL", "PAP"),
        ("KRAKÓW (PAP) - ", "KRAKÓW (PAP) -", "Kraków", "PL", "PAP"),
        ("GDAŃSK (PAP) - ", "GDAŃSK (PAP) -", "Gdańsk", "PL", "PAP"),
        ("Wrocław (PAP) - ", "Wrocław (PAP) -", "Wrocław", "PL", "PAP"),
    ], ["Rząd przyjął we wtorek program pomocy dla rolników dotkniętych suszą.",
        "Policja zatrzymała trzy osoby po napadzie na sklep jubilerski w centrum miasta."]),
    ("swedish", "sv", [
        ("STOCKHOLM (TT) - ", "STOCKHOLM (TT) -", "Stockholm", "SE", "TT"),
        ("GÖTEBORG (TT) - ", "GÖTEBORG (TT) -", "Gothenburg", "SE", "TT"),
        ("MALMÖ (TT) - ", "MALMÖ (TT) -", "Malmö", "SE", "TT"),
        ("UPPSALA (TT) - ", "UPPSALA (TT) -", "Uppsala", "SE", "TT"),
    ], ["Regeringen presenterade på tisdagen ett stödpaket till bönder som drabbats av torkan.",
        "Polisen grep tre personer efter ett rån mot en guldsmedsbutik i centrum."]),
]

COLON = [  # CITY: / CITY, Region : — South Asian and Gulf papers, aggregators (no agency, no date)
    ("ISLAMABAD: ", "ISLAMABAD:", "Islamabad", "PK", None), ("NEW DELHI: ", "NEW DELHI:", "New Delhi", "IN", None),
    ("DUBAI: ", "DUBAI:", "Dubai", "AE", None), ("NAJAF, Iraq : ", "NAJAF, Iraq :", "Najaf", "IQ", None),
    ("KARACHI: ", "KARACHI:", "Karachi", "PK", None), ("LAHORE: ", "LAHORE:", "Lahore", "PK", None),
    ("PESHAWAR: ", "PESHAWAR:", "Peshawar", "PK", None), ("QUETTA: ", "QUETTA:", "Quetta", "PK", None),
    ("RAWALPINDI: ", "RAWALPINDI:", "Rawalpindi", "PK", None), ("RIYADH: ", "RIYADH:", "Riyadh", "SA", None),
    ("DOHA: ", "DOHA:", "Doha", "QA", None), ("MANAMA: ", "MANAMA:", "Manama", "BH", None),
    ("KABUL: ", "KABUL:", "Kabul", "AF", None), ("DHAKA: ", "DHAKA:", "Dhaka", "BD", None),
    ("COLOMBO: ", "COLOMBO:", "Colombo", "LK", None), ("KATHMANDU: ", "KATHMANDU:", "Kathmandu", "NP", None),
    ("MUSCAT: ", "MUSCAT:", "Muscat", "OM", None), ("MUMBAI: ", "MUMBAI:", "Mumbai", "IN", None),
    ("ABU DHABI: ", "ABU DHABI:", "Abu Dhabi", "AE", None), ("JEDDAH: ", "JEDDAH:", "Jeddah", "SA", None),
    ("BAGHDAD: ", "BAGHDAD:", "Baghdad", "IQ", None), ("SRINAGAR: ", "SRINAGAR:", "Srinagar", "IN", None),
    ("HYDERABAD, Sindh: ", "HYDERABAD, Sindh:", "Hyderabad", "PK", None),
    ("CHITRAL, Pakistan: ", "CHITRAL, Pakistan:", "Chitral", "PK", None),
    ("GILGIT: ", "GILGIT:", "Gilgit", "PK", None),
    ("DUBAI (Masnet  amp; News Agencies) - ", "DUBAI (Masnet & News Agencies) -", "Dubai", "AE",
     "Masnet & News Agencies"),
]

NO_DATELINE = [
    "NO LONG GAME: Investors are betting the rally will fade before spring.",
    "OBAMA: We will not back down from this fight.",
    "JORDAN: The king said the talks had failed.",
    "UPDATE 2-Stocks fall as bond yields climb to a two-year high",
    "EXCLUSIVE-Bank weighs sale of its Asian unit, sources say",
    "ANALYSIS-Why the central bank may wait until June",
    "BREAKING — Explosion heard downtown, witnesses say",
    "Researchers at the University of Oxford said on Tuesday that a new vaccine worked in trials.",
    "The president said - and repeated - that he would stay in office.",
    "Meanwhile: prices rose again in the capital.",
    "London is the capital - and the largest city - of the United Kingdom.",
    "WATCH: The moment the bridge collapsed",
    "OPINION: The case for a four-day week",
    "Q&A: What the new rules mean for renters",
    "FACTBOX-Key facts about the election",
    "Le gouvernement a dit : rien ne changera.",
    "El Gobierno aprobó - por fin - el plan de vivienda.",
    "Die Regierung (dpa-Angaben zufolge) hat beschlossen - nichts.",
    "Two men were arrested in Paris (France) - police said on Monday.",
    "Apple (AAPL) - shares rose 3 percent in early trading.",
    "By the end of the year, prices had doubled.",
    "SPORTS: Late goal sinks the champions",
    "TEXT-Statement from the finance ministry",
    "Summary - The committee met twice this week.",
    "Editor's note: This story has been corrected.",
    "Russia's economy grew 1.2 percent in the third quarter, officials said.",
    "Nach Angaben der Polizei (Stand: Montag) wurde niemand verletzt.",
    "Según la policía - que no dio más detalles - hubo tres heridos.",
    "HEADLINE: Markets rally on rate cut hopes",
    "Q3 2026 (unaudited) - revenue rose 12 percent.",
    "CORRECTED-Oil prices slip as supply fears ease",
    "POLL-Economists see one more rate hike",
    "WRAPUP 1-Rebels advance as talks stall",
    "Highlights: the budget in ten charts",
    "RPT-Company names new chief executive",
    "Live: Election results as they come in",
    "Smith (left) - pictured here with his wife - retired in 2019.",
    "The ministry (MoD) - which oversees procurement - declined to comment.",
    "In Brief: Storm warnings for the coast",
    "INTERVIEW-Minister says reform will take years",
    "BREAKING: Explosion heard near the airport, witnesses say",
    "ANALYSIS: Why the rupee keeps falling",
    "MR SMITH: I was at home when the police came.",
    "KARACHI: \"We will not accept this,\" the trader said.",
    "UPDATE: The match has been postponed.",
    "CHITRAL: Snow blocked the Lowari tunnel for a second day.",
]


def leads() -> list[Lead]:
    """Every lead of the evaluation set, in a fixed order."""
    out: list[Lead] = []
    out += _expand("classic Reuters", "en", "{place}, Nov 24 ({agency}) - {body}", "{place}, Nov 24 ({agency}) -",
                   CLASSIC, EN_BODY)
    out += _expand("classic AFP, no date", "en", "{place} ({agency}) - {body}", "{place} ({agency}) -", AFP_STYLE,
                   EN_BODY)
    out += _expand("AP style", "en", "{place} ({agency}) — {body}", "{place} ({agency}) —", AP_STYLE, EN_BODY)
    out += _expand("national agencies", "en", "{place} ({agency}) - {body}", "{place} ({agency}) -", WIRE_OTHERS, EN_BODY)
    out += _expand("credit line before", "en", "{x}{place} ({agency}) - {body}", "{place} ({agency}) -",
                   CREDIT_LINE, EN_BODY)
    out += _expand("byline before", "en", "{x}{place} ({agency}) -- {body}", "{place} ({agency}) --", BYLINE, EN_BODY)
    for index, (credit, code) in enumerate(CREDIT_ONLY):
        out.append(Lead("credit only", "en", f"{credit} - {EN_BODY[index % len(EN_BODY)]}", f"{credit} -", None, None,
                        code))
    for index, (start, span, city, country, agency) in enumerate(MIXED_CASE):
        out.append(Lead("mixed case with state or date", "en", start + EN_BODY[index % len(EN_BODY)], span, city,
                        country, agency))
    for index, (start, span, city, country, agency) in enumerate(ODD_AGENCIES):
        out.append(Lead("agencies written oddly", "en", start + EN_BODY[index % len(EN_BODY)], span, city, country,
                        agency))
    for index, (start, span, city, country, agency) in enumerate(COLON):
        out.append(Lead("colon after a city (South Asia, Gulf)", "en", start + EN_BODY[index % len(EN_BODY)], span,
                        city, country, agency))
    for index, (start, span, source) in enumerate(SOURCE_DATE):
        out.append(Lead("source and date", "en", start + EN_BODY[index % len(EN_BODY)], span, None, None, source))
    for style, language, rows, bodies in LANGUAGES:
        for index, (start, span, city, country, agency) in enumerate(rows):
            out.append(Lead(style, language, start + bodies[index % len(bodies)], span, city, country, agency))
    out += [Lead("no dateline", "en", text, None, None, None, None) for text in NO_DATELINE]
    return out
