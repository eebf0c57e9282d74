"""A reproducible benchmark corpus: wire articles of 50 to 2,000 words in five languages.

Articles are assembled from sentence templates filled with names, places and
organisations, behind a dateline in one of the wire styles the parser knows. The same
seed gives the same corpus, byte for byte; the shared seed article joins when present.
With `copies`, that share of the stream is republished copies of earlier articles, as
outlets make them (`republish`).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

from wirestream.serialization import dumps, loads

SHARED_SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "000_3940d877af9318be.txt"

# Share of articles per language; every one has an entity model (en, fr, and the multilingual one).
LANGUAGES = {"en": 0.70, "fr": 0.10, "es": 0.08, "de": 0.07, "nl": 0.05}

PEOPLE = [
    "Emmanuel Macron", "Friedrich Merz", "Pedro Sánchez", "Recep Tayyip Erdoğan", "Narendra Modi",
    "Lee Jae-myung", "Antonio Guterres", "Kaja Kallas", "Hakan Fidan", "Ursula von der Leyen",
    "Hossein Amir-Abdollahian", "Ziyad al-Nakhalah", "Giorgia Meloni", "Keir Starmer", "Mark Carney",
    "Luiz Inácio Lula da Silva", "Cyril Ramaphosa", "Anthony Albanese", "Shigeru Ishiba", "Claudia Sheinbaum",
]
ORGS = [
    "the United Nations", "NATO", "the European Commission", "the World Bank", "the International Monetary Fund",
    "Siemens", "Samsung Electronics", "the Palestinian Islamic Jihad Movement", "the African Union",
    "the World Health Organization", "Deutsche Bahn", "the Federal Reserve", "OPEC", "Airbus", "Reuters",
]
PLACES = [
    "London", "Paris", "Berlin", "Madrid", "Ankara", "Tehran", "Beijing", "Washington", "New Delhi", "Seoul",
    "Brussels", "Geneva", "Nairobi", "Cairo", "Tokyo", "Ottawa", "Brasília", "Canberra", "Kyiv", "Gaza",
]
DAYS = {
    "en": ["on Monday", "on Tuesday", "on Wednesday", "late on Thursday", "on Friday", "over the weekend"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi soir", "vendredi", "ce week-end"],
    "es": ["este lunes", "el martes", "el miércoles", "el jueves", "el viernes", "el fin de semana"],
    "de": ["am Montag", "am Dienstag", "am Mittwoch", "am Donnerstag", "am Freitag", "am Wochenende"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdagavond", "vrijdag", "dit weekend"],
}
SENTENCES = {
    "en": [
        "{person} said {day} that talks with {org} in {place} had made real progress.",
        "Officials in {place} confirmed that {person} would travel to {place2} next week for meetings with {org}.",
        "{org} warned {day} that the economic outlook for {place} had worsened sharply since the summer.",
        "In a statement, {person} called on {org} to release the funds promised to {place} last year.",
        "Analysts at {org} said the decision by {person} could reshape trade between {place} and {place2}.",
        "Thousands of people gathered in central {place} {day} to protest against the new measures.",
        "A spokesperson for {org} declined to comment on the report, which was first published in {place2}.",
        "{person} told reporters in {place} that the agreement would be signed before the end of the year.",
        "The talks, hosted by {org}, are the first of their kind since {person} took office.",
        "Prices rose by 3.2 percent in October, the highest rate in {place} for more than a decade.",
    ],
    "fr": [
        "{person} a déclaré {day} à {place} que les discussions avec {org} avaient progressé.",
        "Le ministre a rencontré {person} à {place2} pour évoquer la coopération avec {org}.",
        "Selon {org}, la croissance à {place} devrait ralentir au cours des prochains mois.",
        "Des milliers de manifestants se sont rassemblés {day} dans le centre de {place}.",
        "{person} doit se rendre à {place} la semaine prochaine, a indiqué son entourage.",
    ],
    "es": [
        "{person} afirmó {day} en {place} que las negociaciones con {org} avanzan a buen ritmo.",
        "El Gobierno de {place} anunció un nuevo plan de inversiones junto a {org}.",
        "Miles de personas se manifestaron {day} en el centro de {place2} contra las nuevas medidas.",
        "{person} viajará a {place} la próxima semana para reunirse con representantes de {org}.",
    ],
    "de": [
        "{person} sagte {day} in {place}, die Gespräche mit {org} seien vorangekommen.",
        "Die Regierung in {place} kündigte gemeinsam mit {org} ein neues Investitionsprogramm an.",
        "Tausende Menschen demonstrierten {day} in {place2} gegen die geplanten Maßnahmen.",
        "{person} will in der kommenden Woche nach {place} reisen, teilte ein Sprecher mit.",
    ],
    "nl": [
        "{person} zei {day} in {place} dat de gesprekken met {org} goed verlopen.",
        "De regering in {place} kondigde samen met {org} een nieuw investeringsplan aan.",
        "Duizenden mensen demonstreerden {day} in het centrum van {place2} tegen de nieuwe maatregelen.",
        "{person} reist volgende week naar {place} voor overleg met {org}, meldde een woordvoerder.",
    ],
}
# Dateline styles seen on the wires, per language; None is an article without one.
DATELINES = {
    "en": ["{CITY}, Nov 24 (Reuters) - ", "{CITY} (AP) — ", "{CITY}, Nov. 24 (Xinhua) -- ", "{CITY} — ",
           "{City}(IP)- ", "{CITY}, Nov 24 (PTI) ", None],
    "fr": ["{CITY}, 24 nov (AFP) - ", None],
    "es": ["{City}, 24 nov (EFE).- ", None],
    "de": ["{CITY}, 24. November (dpa) - ", None],
    "nl": ["{CITY} (ANP) - ", None],
}


# What outlets do to a wire story they republish (one to three of them per copy).
EDITS = ("title", "byline", "credit", "trim", "words")
BYLINES = ["Anna Berg", "Lukas Meyer", "Sofia Rossi", "James Hall", "Maria Lopez", "Tom Novak", "Eva Lind"]


@dataclass(frozen=True)
class Article:
    id: str
    language: str
    words: int
    value: bytes  # the RawArticle JSON published to articles.raw


def _sentence(rng: random.Random, language: str) -> str:
    place, place2 = rng.sample(PLACES, 2)
    return rng.choice(SENTENCES[language]).format(
        person=rng.choice(PEOPLE), org=rng.choice(ORGS), place=place, place2=place2, day=rng.choice(DAYS[language])
    )


def _word_count(rng: random.Random) -> int:
    # Log-uniform over 50..2,000: most wire stories are short, a few are long.
    return int(math.exp(rng.uniform(math.log(50), math.log(2_000))))


def _text(rng: random.Random, language: str, words: int) -> str:
    style = rng.choice(DATELINES[language])
    city = rng.choice(PLACES)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        paragraph = " ".join(_sentence(rng, language) for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    opening = style.format(CITY=city.upper(), City=city) if style else ""
    return opening + "\n\n".join(paragraphs)


def republish(text: str, title: str | None, rng: random.Random) -> tuple[str, str | None, tuple[str, ...]]:
    """A copy of an article as an outlet republishes it: its text, title and the edits made."""
    edits = tuple(sorted(rng.sample(EDITS, rng.randint(1, 3))))
    paragraphs = text.split("\n\n")
    if "trim" in edits and len(paragraphs) > 2:
        text = "\n\n".join(paragraphs[:-1])
    if "words" in edits:
        words = text.split(" ")
        for _ in range(rng.randint(2, 4)):
            position = rng.randrange(len(words))
            words[position] = rng.choice(["also", "reportedly", "now", "again", "still"])
        text = " ".join(words)
    if "credit" in edits:
        text = f"{rng.choice(['(AFP)', '(Reuters)', '(dpa)', '(AP)'])} - {text}"
    if "byline" in edits:
        text = f"By {rng.choice(BYLINES)}\n\n{text}"
    if "title" in edits:
        title = f"{rng.choice(['Update', 'Breaking', 'Report', 'Analysis'])}: {title or text[:50]}"
    return text, title, edits


def make_corpus(size: int, seed: int = 20261125, copies: float = 0.0) -> list[Article]:
    """`size` articles, the same for the same seed; the shared seed article first when present.
    A `copies` share of them are republished copies, each at least 50 articles after its original
    (outlets pick a story up minutes later, not in the same batch)."""
    originals = _originals(size - int(size * copies), seed)
    rng = random.Random(seed + 1)
    stream = list(originals)
    for index in range(size - len(originals)):
        original = rng.choice(originals[: max(1, len(originals) - 50)])
        text, title, _ = republish(loads(original.value)["text"], None, rng)
        article_id = f"bench-copy-{index:05d}"
        value = dumps({"id": article_id, "text": text, "title": title, "published_at": "2026-11-24T12:00:00Z"})
        after = stream.index(original) + 50
        stream.insert(rng.randint(min(after, len(stream)), len(stream)), Article(article_id, original.language,
                                                                                  len(text.split()), value))
    return stream


def _originals(size: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    languages, weights = zip(*LANGUAGES.items())
    articles: list[Article] = []
    if SHARED_SEED.is_file():
        text = SHARED_SEED.read_text(encoding="utf-8")
        articles.append(Article("bench-seed", "en", len(text.split()), dumps({"id": "bench-seed", "text": text})))
    while len(articles) < size:
        language = rng.choices(languages, weights)[0]
        text = _text(rng, language, _word_count(rng))
        article_id = f"bench-{len(articles):05d}"
        value = dumps({"id": article_id, "text": text, "published_at": "2026-11-24T12:00:00Z"})
        articles.append(Article(article_id, language, len(text.split()), value))
    return articles
