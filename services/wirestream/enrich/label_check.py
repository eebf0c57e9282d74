"""The model's labels checked against the gazetteer and the words around each mention.

Consumes the grouped entities of one article (with their mentions' offsets into its text and
title), the gazetteer and lists of names; produces the same entities, some relabelled:

- **A known place is a place.** A PERSON, ORG or MISC whose name the gazetteer knows (a country,
  a US state, a first-order region, a city the article's context resolves) or that the text calls
  a place ('the Erez crossing', 'die Stadt Passau') becomes PLACE, unless something says it is a
  person or an organisation: a first name before a surname ('Paloma Valencia'), an honorific or a
  role before it ('Mr Jordan', 'coach Valencia'), a company's legal form, a club's name
  ('Manchester United'), a known agency, or a sports result around it.
- **A club named after its city is an organisation.** Where a mention stands in a sports result
  ('Liverpool beat Chelsea 2-1', 'el Sevilla venció al Valencia', 'Dortmund verlor 0:2') and not
  after 'in' or 'at', the name is the club: ORG, whatever the model said. The same name after
  'in' stays the city.

`refine_spans` mends the spans themselves before they are grouped: a portfolio before a role is
no entity ('Health' of 'Health Secretary'), nor is one after a minister ('la ministra de
Vivienda'), a one-word organisation takes the capitalised words
the model left behind ('State' of 'State Grid'), a ministry takes its head ('Vivienda' of
'Ministerio de Vivienda'), and two places joined by 'and' are two places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

from wirestream.contracts import Entity

Span = tuple[int, int, str]  # start, end, label (the pipeline's most specific label)


class KnownPlaces(Protocol):
    """What the check needs of the gazetteer: does a name name a place, in this article's context?"""

    def place_named(self, name: str, *, strict: bool = False) -> bool: ...

    def area_named(self, name: str) -> bool: ...


@dataclass(frozen=True)
class NameLists:
    """First names (any language): a name that starts with one is a person's, unless it is a place's
    as a whole ('San José' is not Mr José)."""

    first_names: frozenset[str] = frozenset()

    def starts_with_first_name(self, name: str) -> bool:
        words = name.split()
        return len(words) >= 2 and words[0] in self.first_names


# Words before a person's name: honorifics and roles, in the languages of the news.
_PERSON_BEFORE = frozenset(
    "mr mr. mrs mrs. ms ms. miss dr dr. sir dame lord lady prof prof. sr sr. sra sra. srta don doña herr frau "
    "m. mme monsieur madame dott. president presidente präsident premier minister ministro ministra senator "
    "senador senadora governor gobernador judge juez richter general gen. rabbi imam sheikh king queen prince "
    "princess könig königin rey reina coach entrenador trainer manager striker forward midfielder defender "
    "goalkeeper captain delantero centrocampista portero defensa stürmer torwart kapitän spieler player "
    "singer actor actress author writer chancellor kanzler kanzlerin mayor alcalde alcaldesa bürgermeister "
    "spokesman spokeswoman sprecher sprecherin chairman chairwoman ceo".split())
# Words after a name that make it a company or a club.
_ORG_WORDS = frozenset(
    "inc inc. corp corp. ltd ltd. plc llc ag gmbh se sa s.a. spa nv bv ab asa oyj group holding holdings bank "
    "airlines airways energy power telecom motors fc cf sc ac afc united city rovers wanderers albion hotspur "
    "athletic sporting olympique racing deportivo atlético atletico real borussia bayer werder union vfb vfl "
    "eintracht hertha inter juventus".split())
# A club's name: these words in it make it one ('Manchester United', 'Werder Bremen', 'VfB Stuttgart').
_CLUB_WORDS = frozenset(
    "fc cf sc ac afc united rovers wanderers albion hotspur athletic sporting olympique racing deportivo "
    "atlético atletico real borussia bayer werder union vfb vfl eintracht hertha inter fortuna dynamo "
    "olympiacos olympiakos benfica porto ajax psv feyenoord celtic rangers nacional millonarios junior américa "
    "america independiente deportes once".split())
# Words after a name that make it a place ('the Erez crossing'), and before it ('die Stadt Passau').
_PLACE_AFTER = ("crossing", "border crossing", "checkpoint", "refugee camp", "camp", "airport", "air base",
                "airbase", "province", "governorate", "district", "region", "valley", "river", "port", "strait")
_PLACE_BEFORE = ("town of", "city of", "village of", "province of", "region of", "state of", "mayor of",
                 "governor of", "residents of", "people of", "authorities of", "ciudad de", "alcalde de",
                 "alcaldesa de", "alcaldía de", "gobernador de", "gobernación de", "autoridades de", "vecinos de",
                 "habitantes de", "bürgermeister von", "oberbürgermeister von", "einwohner von", "maire de",
                 "habitants de",
                 "provincia de", "región de", "estado de", "municipio de", "localidad de", "la ciudad de",
                 "stadt", "gemeinde", "grenzübergang", "grenzübergangs", "provinz", "region", "flüchtlingslager",
                 "crossing at", "ville de", "province de", "région de", "le village de")
# Where a mention stands in a place, not a team: 'in Leipzig', 'at Anfield', 'en Medellín'.
_LOCATIVE = re.compile(r"\b(?i:in|at|near|from|outside|across|into|between|en|cerca de|desde|hacia|entre|im|bei|"
                       r"nach|aus|zwischen|à|près de|vers|entre)\s+(?i:the\s+|la\s+|el\s+|der\s+|die\s+|dem\s+)?"
                       r"(?:[A-ZÀ-Þ][\w'’.-]*(?:\s+[A-ZÀ-Þ][\w'’.-]*)?,?\s+(?:and|und|y|e|et|en|or|o|oder)\s+)?$")
_SCORE = re.compile(r"(?<![\d.,:/])\d{1,2}\s?[-–:]\s?\d{1,2}(?!\d|[.,:/]\d|\s?(?:am|pm|a\.m|p\.m|h\b|Uhr|horas))")
# Words of a result: beside a name they make it a team, where the sentence is about a match.
_RESULT_WORDS = frozenset(
    "beat beats beaten beating drew draw draws drawing lost lose loses losing defeated defeat defeating "
    "thrashed thrash thrashing edged edge routed trounced hammered stunned overcame won win wins winning "
    "against vs vs. v v. "
    "venció vence vencen ganó gana ganan empató empata empataron perdió pierde cayó cae goleó golea "
    "derrotó derrota superó supera ante contra frente "
    "gewann gewinnt gewinnen verlor verliert verloren schlug schlägt besiegte besiegt unterlag unterliegt "
    "trennten trennt spielt spielte holte gegen remis "
    "bat battu s'impose contre face "
    "battuto vince pareggia perde contro".split())
_SPORTS_WORDS = frozenset(
    "match game derby league cup goal goals scored scoring striker coach manager fans stadium season title "
    "premier liga bundesliga serie ligue champions kick-off penalty "
    "partido liga gol goles estadio equipo jornada campeonato afición técnico entrenador "
    "spiel tor tore stadion mannschaft trainer saison tabelle spieltag "
    "but buts équipe entraîneur partita squadra".split())
# Spanish and Italian write the article before a club ('el Sevilla', 'al Valencia'), not before a city.
_CLUB_ARTICLE = re.compile(r"\b(?:el|al|del|il)\s+$", re.IGNORECASE)
# Verbs only a match has: a sentence with one is about sport even without a score.
_MATCH_VERBS = frozenset("drew thrashed trounced routed empató empataron empata goleó golea venció vencen derrotó "
                         "remontó besiegte unterlag unterliegt trennten remis pareggia pareggiato".split())
_CONJUNCTIONS = frozenset("and und y e et i".split())
_COORDINATED = re.compile(r"\s+[A-ZÀ-Þ][^\s,]*(?:\s+[A-ZÀ-Þ][^\s,]*)?,?\s+(?:and|und|y|e|et|i)\s+$")
_SPEECH = frozenset("said says told added wrote argued insisted dijo afirmó declaró sagte erklärte betonte "
                    "a déclaré".split())
_WORD = re.compile(r"[\w'’.-]+")
_ROLE_AFTER = frozenset(
    "secretary minister ministry spokesman spokeswoman correspondent editor chief manager director "
    "committee department secretaría ministro ministra ministerio minister ministerium sprecher".split())
_MINISTRY_HEAD = re.compile(
    r"(?:Ministry of|Department of|Secretary of State for|Ministerio de(?:l| la)?|Secretaría de(?:l| la)?|"
    r"Ministerium für|Bundesministerium für|Ministère de(?: la| l['’])?|Ministério d[aoe]s?|Ministerie van)\s+$")
# A minister's portfolio: 'la ministra de Vivienda', 'Minister for Housing', 'Ministerin für Bildung'.
_PORTFOLIO = re.compile(r"\b(?i:ministr[oa]s?|minister(?:in)?|secretari[oa]|secretary|consejer[oa]|conseller|"
                        r"ministre|staatssekretär(?:in)?|senador[a]?)\s+(?i:de(?:l| la| los)?|of|for|für|des|du|de la)\s+$")
_JOINED = re.compile(r"\s+(?:and|y|e|und|et|en|i)\s+")


def refine_spans(text: str, spans: Sequence[Span], known: KnownPlaces | None = None) -> list[Span]:
    """The spans NER found in `text`, mended before grouping (see the module's docstring)."""
    mended: list[Span] = []
    for start, end, label in spans:
        coarse = _coarse(label)
        words = text[start:end].split()
        after = text[end:end + 40]
        next_word = _WORD.match(after.lstrip())
        following = next_word.group().casefold() if next_word and after[:1] == " " else ""
        if coarse in ("ORG", "PLACE") and len(words) == 1 and following in _ROLE_AFTER:
            continue  # 'Health' of 'Health Secretary': a portfolio, not an entity
        portfolio = _PORTFOLIO.search(text, max(0, start - 30), start)
        if portfolio is not None and coarse in ("ORG", "PLACE", "MISC") \
                and not (known is not None and known.place_named(text[start:end], strict=True)):
            continue  # 'la ministra de Vivienda': a portfolio, not a place or a body
        head = _MINISTRY_HEAD.search(text, max(0, start - 40), start)
        if head is not None and coarse in ("PLACE", "MISC", "ORG") and head.end() == start:
            mended.append((head.start(), end, "ORG"))  # 'Ministerio de Vivienda', not the place 'Vivienda'
            continue
        if coarse == "ORG" and len(words) == 1 and words[0][:1].isupper():
            extended = _capitalised_run(text, end)
            if extended > end:
                mended.append((start, extended, label))  # 'State' + 'Grid'
                continue
        if coarse == "PLACE" and known is not None and len(words) >= 3:
            parts = _split_joined(text, start, end, known)
            if parts:
                mended.extend((s, e, label) for s, e in parts)  # 'Barranquilla y Cartagena'
                continue
        mended.append((start, end, label))
    return mended


_CAPITALISED_WORD = re.compile(r" ([A-Z][a-z]+)(?=[\s,.;:!?)]|$)")


def _capitalised_run(text: str, end: int) -> int:
    """The end of the capitalised words right after `end` on the same line ('State| Grid'), or `end`."""
    position = end
    while True:
        match = _CAPITALISED_WORD.match(text, position)
        if match is None or match.group(1).casefold() in _ROLE_AFTER | _RESULT_WORDS:
            return position
        position = match.end()
        if position - end > 30:
            return end


def _split_joined(text: str, start: int, end: int, known: KnownPlaces) -> list[tuple[int, int]]:
    joint = _JOINED.search(text, start, end)
    if joint is None:
        return []
    left, right = (start, joint.start()), (joint.end(), end)
    if all(known.place_named(text[s:e]) for s, e in (left, right)):
        return [left, right]
    return []


def _coarse(label: str) -> str:
    from wirestream.enrich.labels import coarse

    return coarse(label)


@dataclass(frozen=True)
class _Context:
    """The words around one mention."""

    before: str  # up to 40 characters before it, on its sentence
    after: str  # up to 40 after it
    sentence: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> _Context:
        sentence_start = max(text.rfind(". ", 0, start) + 1, text.rfind("\n", 0, start) + 1, 0)
        stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
        sentence_end = min(stops) if stops else len(text)
        return cls(text[max(sentence_start, start - 40):start], text[end:min(sentence_end, end + 40)],
                   text[sentence_start:sentence_end])

    def words_before(self, count: int) -> list[str]:
        return _words(self.before)[-count:]

    def words_after(self, count: int) -> list[str]:
        return _words(self.after)[:count]

    def locative(self) -> bool:
        return _LOCATIVE.search(self.before) is not None

    def sporting(self) -> bool:
        """The mention stands in a result: a score beside it, or a result word beside it in a
        sentence about a match (a score or a word of sport in it), or the article a Spanish or
        Italian sentence about a match puts before a club."""
        if _SCORE.search(self.before[-12:]) or _SCORE.match(self.after.lstrip()[:8]):
            return True
        sentence_words = set(_words(self.sentence))
        sporty = bool(_SCORE.search(self.sentence)) or bool(sentence_words & (_SPORTS_WORDS | _MATCH_VERBS))
        after = self.words_after(4)
        if after[:1] and after[0] in _CONJUNCTIONS:  # 'Lazio and Roma drew': the verb is both teams'
            after = after[2:] if len(after) > 2 and after[1] not in ("el", "the", "der", "die") else after[3:]
        near = self.words_before(3) + after[:2]
        if sporty and any(word in _RESULT_WORDS for word in near):
            return True
        return sporty and _CLUB_ARTICLE.search(self.before) is not None

    def says_person(self) -> bool:
        """An honorific or a role before it ('Mr Jordan', 'coach Valencia')."""
        return any(word in _PERSON_BEFORE for word in self.words_before(1))

    def speaks(self) -> bool:
        """A verb of speech after it ('Lincoln said'): a person's, where the model said person."""
        return any(word in _SPEECH for word in self.words_after(1))

    def says_place(self) -> bool:
        after = self.after.casefold().lstrip()
        before = _COORDINATED.sub("", self.before.rstrip() + " ").casefold().rstrip()  # 'de Medellín y| Cali'
        return after.startswith(_PLACE_AFTER) or before.endswith(_PLACE_BEFORE)


def _words(text: str) -> list[str]:
    """The words of `text`, folded, without a full stop ('derby.' is 'derby', 'Mr.' is 'mr')."""
    return [word.casefold().rstrip(".") for word in _WORD.findall(text)]


def check_labels(entities: Iterable[Entity], text: str, title: str | None, known: KnownPlaces,
                 names: NameLists | None = None) -> list[Entity]:
    """The entities with the labels the gazetteer and the context give them (see the module)."""
    names = names or NameLists()
    entities = list(entities)
    labels = []
    for entity in entities:
        contexts = [_Context.of(text, m.start, m.end) for m in entity.mentions]
        contexts += [_Context.of(title or "", m.start, m.end) for m in entity.title_mentions]
        labels.append(_label(entity, contexts, known, names))
    # A name listed with places is one: 'Medellín, Cali y Valencia' (once one of them is known as one).
    changed = True
    while changed:  # 'Medellín, Cali y Valencia': Valencia makes Cali one, then Cali Medellín
        changed = False
        place_edges = {edge for entity, label in zip(entities, labels) if label == "PLACE"
                       for mention in entity.mentions for edge in (mention.start, mention.end)}
        for position, (entity, label) in enumerate(zip(entities, labels)):
            if label in ("PERSON", "ORG") and _listed_with(entity, text, place_edges) \
                    and known.place_named(entity.name, strict=True):
                labels[position], changed = "PLACE", True
    checked: list[Entity] = []
    for entity, label in zip(entities, labels):
        if label == entity.label:
            checked.append(entity)
        else:
            kind = "LOC" if label == "PLACE" else None
            checked.append(Entity.model_construct(**{**entity.__dict__, "label": label, "type": kind}))
    return checked


def _listed_with(entity: Entity, text: str, place_edges: set[int]) -> bool:
    """A mention next to a place's in a list: 'Medellín, Cali y Valencia', 'Rafah and Khan Younis'."""
    for mention in entity.mentions:
        after = _LIST_JOINT.match(text, mention.end)
        if after is not None and after.end() in place_edges:
            return True
        window = text[max(0, mention.start - 8):mention.start]
        before = _LIST_JOINT_BEFORE.search(window)
        if before is not None and mention.start - len(window) + before.start() in place_edges:
            return True
    return False


_LIST_JOINT = re.compile(r",\s+|\s+(?:and|und|y|e|et|i)\s+|,\s+(?:and|und|y|e|et|i)\s+")
_LIST_JOINT_BEFORE = re.compile(r"(?:,\s+|\s+(?:and|und|y|e|et|i)\s+|,\s+(?:and|und|y|e|et|i)\s+)$")


def _label(entity: Entity, contexts: list[_Context], known: KnownPlaces, names: NameLists) -> str:
    name = entity.name
    words = name.casefold().split()
    club_named = len(words) >= 2 and any(word in _CLUB_WORDS for word in words) and not known.area_named(name)
    if club_named and entity.label in ("PERSON", "PLACE", "MISC"):
        return "ORG"  # 'Manchester United', 'Werder Bremen', 'Union Berlin'
    # Whether a mention stands in a match report is the dearest question (its sentence's words):
    # asked only where the answer can change the label.
    in_sport: list[list[_Context]] = []

    def sporting() -> list[_Context]:
        if not in_sport:
            in_sport.append([c for c in contexts if c.sporting() and not c.locative()])
        return in_sport[0]

    placed = [c for c in contexts if c.locative() or c.says_place()]
    if entity.label == "PLACE" or known.place_named(name):
        clubs = sporting()
        if clubs and len(clubs) >= len(placed):
            return "ORG"  # 'Liverpool beat Chelsea 2-1', 'Norwich were thrashed 4-0': the clubs, not the cities
    if entity.label == "PLACE":
        return "PLACE"
    if entity.label not in ("PERSON", "ORG", "MISC"):
        return entity.label
    verdict = _by_name_and_context(entity, words, contexts, placed, known, names)
    if verdict != entity.label and (any(c.says_person() for c in contexts) or sporting()):
        return entity.label  # a team in a result, 'coach Valencia', 'Mr Jordan'
    return verdict


def _by_name_and_context(entity: Entity, words: list[str], contexts: list[_Context], placed: list[_Context],
                         known: KnownPlaces, names: NameLists) -> str:
    """A person's, organisation's or other name's label once sport and honorifics are ruled out."""
    name = entity.name
    if len(words) >= 2 and words[-1] in _ORG_WORDS:
        return entity.label  # 'Georgia Power', 'Siemens AG'
    if entity.label == "PERSON" and names.starts_with_first_name(name) and not known.place_named(name):
        return entity.label  # 'Paloma Valencia'
    if any(c.says_place() for c in contexts) or _is_area(name, known):
        return "PLACE"  # 'the Erez crossing', 'den Grenzübergang Kerem Schalom'; 'Jordan', 'Tamil Nadu'
    if entity.label == "MISC":
        return entity.label  # a city's name on an event or a product ('Paris 2024') stays MISC
    if placed and known.place_named(name, strict=True):
        return "PLACE"  # 'in Wolfsburg', 'near Gusau', 'from Lyon', 'hospitals in Rafah said'
    if entity.label == "PERSON" and any(c.speaks() for c in contexts):
        return entity.label  # 'Lincoln said'
    if entity.label == "PERSON" and known.place_named(name, strict=True):
        return "PLACE"  # a city the article's context decides, or a large one by its own name
    return entity.label


def _is_area(name: str, known: KnownPlaces) -> bool:
    return known.area_named(name)
