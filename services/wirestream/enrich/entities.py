"""Named entities: spaCy NER, then one entry per real entity with all its mentions.

Consumes normalised text (and where the body starts); produces `Entity` records with
offsets into that text. Mentions are tidied ('the', possessive "'s", a hyphen broken by a
space) and grouped: 'Hossein Amir-Abdollahian', 'Amir-Abdollahian' and 'Amir- Abdollahian'
are one PERSON.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol, Sequence

import pycountry

from wirestream.contracts import Entity, EntityMention
from wirestream.enrich.boilerplate import boilerplate_ranges, outside
from wirestream.enrich.known_names import add_known, known_organisation_spans
from wirestream.enrich.labels import coarse, fine

Span = tuple[int, int, str]  # start, end, label

# Numbers and dates are not entities a reader follows.
DROPPED_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# Models for other languages use their own tag sets; readers get spaCy's English names.
LABEL_ALIASES = {"PER": "PERSON"}
# Labels a person's surname is sometimes mistaken for ('Abdollahian' as NORP, 'Delgado' as GPE).
_MISTAKABLE_FOR_PERSON = frozenset({"NORP", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "MISC", "PLACE"})
# Words after an organisation's name that it is also known without: kinds of body, and the legal
# forms of companies in the languages of the news ('Siemens AG' is 'Siemens').
_ORG_DESIGNATORS = frozenset(
    "movement party group organization organisation company corporation corp inc ltd front "
    "association union council committee foundation agency ministry "
    "plc llc ag gmbh se kg sa s.a. spa s.p.a. srl sl nv bv ab asa as a/s oyj oy kft sro s.r.o. d.o.o.".split()
)

_BROKEN_HYPHEN = re.compile(r"(?<=[^\W\d_])- (?=[^\W\d_])")
_LEADING_ARTICLE = re.compile(r"(?:(?:the|le|la|les)\s+|l['’])(?=\w)", re.IGNORECASE)
_TRAILING_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_NOT_A_NAME = re.compile(r"the|le|la|les|l['’]|['’]s?", re.IGNORECASE)
_TRAILING_PUNCT = " \t\n.,;:!?\"“”«»()[]"
# Inside a span: a sentence that ends (. ! or ? after a word of three letters or more ending in
# lower case), not an initial or an abbreviation ('J. K. Rowling', 'Dr. Smith', 'Prof. Drosten').
_SENTENCE_STOP = re.compile(r"[.!?](?=\s+\S)")
_ABBREVIATIONS = frozenset("mrs prof gen sen gov rep col sgt capt corp inc ltd bros univ dept jun sen. sra srta "
                           "dres frau herr hr nr etc".split())
_SPAN_WORD = re.compile(r"[^\s]+")
# Roles before a person's name, in the languages with a model; and endings of compounds naming one.
_ROLES = frozenset(
    "president presidente presidenta präsident präsidentin premier kanzler kanzlerin minister ministerin "
    "ministro ministra king queen könig königin koning koningin rey reina pope papst paus papa prince prinz "
    "prins príncipe princesa prinses general generaal senator senadora senador mayor alcalde alcaldesa "
    "burgemeester bürgermeister bürgermeisterin secretary secretario secretaria chancellor premierminister "
    "staatssecretaris kamerlid abgeordnete abgeordneter diputado diputada trainer coach entrenador "
    "bondscoach primeiro-ministro presidente-executivo".split())
_ROLE_ENDINGS = ("minister", "ministerin", "präsident", "präsidentin", "kanzler", "kanzlerin", "chef", "chefin",
                 "sprecher", "sprecherin", "politiker", "politikerin", "profi", "trainer", "maker", "voorzitter",
                 "woordvoerder", "premier", "leiter", "leiterin", "direktor", "direktorin", "vorsitzende",
                 "vorsitzender", "meister", "meisterin", "sekretär", "sekretärin", "fabrikant", "konzern")
_LEADING_PUNCT = " \t\n\"“”«»()[]"
# A score or a number at the end of a span is the result, not the name ('Chelsea 2-1', 'Sunderland 3').
_TRAILING_NUMBER = re.compile(r"\s+\d{1,3}(?:\s?[-–:]\s?\d{1,3})?$")


class EntityRecognizer(Protocol):
    """What the grouping needs from NER: labelled character spans of a text."""

    model_name: str

    def spans(self, text: str) -> list[Span]: ...

    def spans_batch(self, texts: Sequence[str]) -> list[list[Span]]:
        """The spans of each text, in order; faster than one call each where the model batches."""
        ...


@dataclass
class _Group:
    label: str
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, display form
    title_mentions: list[tuple[int, int, str]] = field(default_factory=list)  # offsets into the title
    label_votes: Counter[str] = field(default_factory=Counter)

    def absorb(self, other: _Group) -> None:
        self.mentions.extend(other.mentions)
        self.title_mentions.extend(other.title_mentions)
        self.label_votes.update(other.label_votes)

    def canonical_name(self) -> str:
        # The text's forms first: the title's may be in capitals or cut short.
        mentions = self.mentions or self.title_mentions
        forms = Counter(form for _, _, form in mentions)
        first_seen = {form: start for start, _, form in sorted(mentions)}
        return min(forms, key=lambda f: (-len(f.split()), -forms[f], first_seen[f]))


def repair_broken_hyphens(text: str) -> tuple[str, list[int]]:
    """'Amir- Abdollahian' -> 'Amir-Abdollahian', and the positions (in the result) after each removed space."""
    removed: list[int] = []
    pieces: list[str] = []
    last = 0
    for match in _BROKEN_HYPHEN.finditer(text):
        pieces.append(text[last : match.start() + 1])
        removed.append(match.start() + 1 - len(removed))
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces), removed


def _to_original(position: int, removed: Sequence[int]) -> int:
    # Every removed space at or before `position` shifts it right by one.
    return position + bisect.bisect_right(removed, position)


def name_key(name: str) -> str:
    return " ".join(re.sub(r"\s*-\s*", "-", name).split()).casefold()


def _display(name: str) -> str:
    return " ".join(re.sub(r"(?<=\w)-\s+(?=\w)", "-", name).split())


def tidy_span(text: str, start: int, end: int, label: str | None = None) -> tuple[int, int] | None:
    """Trim an article, a possessive and stray punctuation off a mention; None if nothing is left.

    Also what a model trained on other text takes along: the next sentence ('Olaf Scholz. Ambos'),
    and for a person or organisation the role before it ('Bundeskanzler Olaf Scholz',
    'Chipmachinemaker ASML'); a role alone ('Österreichs Bundeskanzler') is no name. (Cutting at
    the first lower-case word helped German news but cost Spanish and Dutch names that hold one.)"""
    start, end = _without_overreach(text, start, end, coarse(label) if label else None)
    # A span that stops inside a hyphenated word ('Ahn Duk-' of 'Ahn Duk-geun') takes the whole word.
    while end < len(text) and text[end - 1] == "-" and text[end].isalnum():
        while end < len(text) and (text[end].isalnum() or text[end] == "-"):
            end += 1
    while start < end and text[start] in _LEADING_PUNCT:
        start += 1
    article = _LEADING_ARTICLE.match(text, start, end)
    if article and article.end() < end:
        start = article.end()
    while True:
        while end > start and text[end - 1] in _TRAILING_PUNCT:
            end -= 1
        number = _TRAILING_NUMBER.search(text, start, end)
        if number is not None and number.start() > start:
            end = number.start()
            continue
        possessive = _TRAILING_POSSESSIVE.search(text, start, end)
        if possessive is None or possessive.start() == start:
            break
        end = possessive.start()
    if end <= start or _NOT_A_NAME.fullmatch(text, start, end) or not any(c.isalpha() for c in text[start:end]):
        return None
    return start, end


def _without_overreach(text: str, start: int, end: int, label: str | None) -> tuple[int, int]:
    for stop in _SENTENCE_STOP.finditer(text, start, end):
        before = text[start : stop.start()].split()[-1:] or [""]
        last_word = before[0].lstrip("\"'“(«")
        if len(last_word) >= 3 and last_word[-2:].islower() and last_word.casefold() not in _ABBREVIATIONS:
            end = stop.start() + 1
            break
    if label in ("PERSON", "ORG"):
        words = list(_SPAN_WORD.finditer(text, start, end))
        roles = [i for i, word in enumerate(words) if _is_role(word.group(), label)
                 and not (i == len(words) - 1 and word.group().casefold() in _ROLES)]  # 'Billie Jean King'
        if roles:
            last = roles[-1]
            if last == len(words) - 1:
                return start, start  # a role and no name ('Österreichs Bundeskanzler')
            start = words[last + 1].start()
    return start, end


def _is_role(word: str, label: str) -> bool:
    folded = word.casefold()
    if label == "PERSON" and folded in _ROLES:
        return True
    # A compound ending in a role ('Bundeskanzler', 'Chipmachinemaker'); for an organisation only
    # a compound, so that 'Premier League' keeps its first word.
    return (word[:1].isupper() and folded.endswith(_ROLE_ENDINGS)  # (one C call rules most words out)
            and any(folded.endswith(role) and len(folded) > len(role) + 2 for role in _ROLE_ENDINGS))


def group_mentions(text: str, spans: Iterable[Span], max_mentions: int | None = None, *, title: str | None = None,
                   title_spans: Iterable[Span] = (), title_forms: str | None = None,
                   body_start: int = 0) -> list[Entity]:
    """One `Entity` per real entity: exact names, short forms of people and organisations merged,
    ordered by salience.

    Each lists its first `max_mentions` mentions (all when None); `count` is the total either way.
    `title_spans` index `title`; `title_forms` is the title as NER read it (an all-caps headline
    in mixed case), whose forms name an entity the text does not.
    """
    groups: dict[str, _Group] = {}

    def add(source: str, raw_start: int, raw_end: int, raw_label: str, in_title: bool) -> None:
        label = LABEL_ALIASES.get(raw_label, raw_label)
        if label in DROPPED_LABELS:
            return
        tidied = tidy_span(source, raw_start, raw_end, label)
        if tidied is None:
            return
        start, end = tidied
        surface = (title_forms or source)[start:end] if in_title else source[start:end]
        group = groups.setdefault(name_key(surface), _Group(label=label))
        (group.title_mentions if in_title else group.mentions).append((start, end, _display(surface)))
        group.label_votes[label] += 1

    for start, end, label in spans:
        add(text, start, end, label, in_title=False)
    if title:
        for start, end, label in title_spans:
            add(title, start, end, label, in_title=True)

    for group in groups.values():
        # One surface form is one entity; its label is what the model said most often.
        group.label = max(group.label_votes, key=lambda lbl: (group.label_votes[lbl], lbl == group.label))

    _merge_short_forms(groups)
    return _entities(list(groups.values()), text, title, body_start, max_mentions)


def _entities(groups: list[_Group], text: str, title: str | None, body_start: int,
              max_mentions: int | None, names: Sequence[str] | None = None) -> list[Entity]:
    """The entities of `groups`, with their salience, ordered by it (`names`: one per group, instead
    of the group's own canonical name)."""
    salience = _salience(groups, text, body_start)
    # Built without validation: every field comes from the code above (a hot path: ~30 per article).
    entities = [
        Entity.model_construct(
            name=names[position] if names is not None else group.canonical_name(),
            label=coarse(group.label),
            type=fine(group.label),
            salience=salience[id(group)],
            count=len(group.mentions) + len(group.title_mentions),
            mentions=[EntityMention.model_construct(start=s, end=e, text=text[s:e])
                      for s, e, _ in sorted(group.mentions)[:max_mentions]],
            title_mentions=[EntityMention.model_construct(start=s, end=e, text=(title or "")[s:e])
                            for s, e, _ in sorted(group.title_mentions)[:max_mentions]],
        )
        for position, group in enumerate(groups)
    ]
    entities.sort(key=lambda entity: (-entity.salience, -entity.count,
                                      entity.mentions[0].start if entity.mentions else -1))
    return entities


def named_places(text: str, found: Iterable[tuple[str, Sequence[tuple[int, int]], Sequence[tuple[int, int]]]],
                 max_mentions: int | None = None, *, title: str | None = None, body_start: int = 0) -> list[Entity]:
    """PLACE entities from places found without NER: (name, mentions in `text`, mentions in `title`)
    each, with salience as for every entity."""
    groups: list[_Group] = []
    names: list[str] = []
    for name, mentions, title_mentions in found:
        group = _Group(label="PLACE", mentions=[(s, e, text[s:e]) for s, e in mentions],
                       title_mentions=[(s, e, (title or "")[s:e]) for s, e in title_mentions])
        groups.append(group)
        names.append(name)
    return _entities(groups, text, title, body_start, max_mentions, names)


# Salience weights: how often, how early, in the title, in the lead (see the contract's `salience`).
_FREQUENCY, _POSITION, _TITLE, _LEAD = 0.4, 0.25, 0.2, 0.15
_LEAD_CHARS = 400


def _salience(groups: list[_Group], text: str, body_start: int) -> dict[int, float]:
    if not groups:
        return {}
    most = max(len(g.mentions) + len(g.title_mentions) for g in groups)
    body_length = max(1, len(text) - body_start)
    paragraph_end = text.find("\n\n", body_start)
    lead_end = min(body_start + _LEAD_CHARS, paragraph_end if paragraph_end != -1 else len(text))
    scores = {}
    for group in groups:
        first = min((start for start, _, _ in group.mentions), default=None)
        score = _FREQUENCY * (len(group.mentions) + len(group.title_mentions)) / most
        if first is not None:
            score += _POSITION * (1 - max(0, first - body_start) / body_length)
            score += _LEAD if first < lead_end else 0.0
        score += _TITLE if group.title_mentions else 0.0
        scores[id(group)] = round(min(score, 1.0), 3)
    return scores


def _is_country(name: str) -> bool:
    try:
        pycountry.countries.lookup(name)
    except LookupError:
        return False
    return True


def _merge_short_forms(groups: dict[str, _Group]) -> None:
    people = {key: g for key, g in groups.items() if g.label == "PERSON"}
    for key in sorted(groups, key=lambda k: len(k.split())):
        group = groups.get(key)
        if group is None:
            continue
        tokens = key.split()
        if group.label == "PERSON" or group.label in _MISTAKABLE_FOR_PERSON:
            # 'amir-abdollahian' is the tail of exactly one longer name: 'hossein amir-abdollahian'.
            longer = [
                k for k in people
                if k != key and len(k.split()) > len(tokens) and k.split()[-len(tokens):] == tokens
            ]
            if len(longer) == 1 and group.label != "PERSON" and (key in people or _is_country(key)):
                longer = []  # 'Jordan' the country stays a place even beside 'Michael Jordan'

            if len(longer) == 1:
                people[longer[0]].absorb(group)
                del groups[key]
                people.pop(key, None)
                continue
        if group.label == "ORG" and len(tokens) > 1 and tokens[-1] in _ORG_DESIGNATORS:
            # 'Palestinian Islamic Jihad Movement' and 'Palestinian Islamic Jihad' are one group.
            shorter = " ".join(tokens[:-1])
            if shorter in groups and groups[shorter].label == "ORG":
                group.absorb(groups.pop(shorter))


@dataclass(frozen=True)
class NerInput:
    """The part of an article NER reads, with its broken hyphens repaired, and how to map back."""

    text: str  # what the recognizer sees
    start: int  # where it begins in the article text
    removed: list[int]  # positions (in `text`) after each space taken out by the repair
    truncated_at: int | None  # where NER stopped reading, when the body was longer than allowed


def ner_input(text: str, *, start: int = 0, max_chars: int | None = None) -> NerInput:
    region = text[start:]
    truncated_at: int | None = None
    if max_chars is not None and len(region) > max_chars:
        region = region[:max_chars]
        truncated_at = start + max_chars
    repaired, removed = repair_broken_hyphens(region)
    return NerInput(repaired, start, removed, truncated_at)


def entities_from_spans(text: str, ner: NerInput, spans: Iterable[Span], max_mentions: int | None = None, *,
                        title: str | None = None, title_spans: Iterable[Span] = (),
                        title_forms: str | None = None,
                        refine: Callable[[str, list[Span]], list[Span]] | None = None) -> list[Entity]:
    """Spans NER found in `ner.text` (and in the title), as grouped entities with offsets into the
    article `text` (and `title`). `refine` mends the spans of a text before they are grouped
    (`label_check.refine_spans`)."""
    start, removed = ner.start, ner.removed
    mapped = [
        (start + _to_original(s, removed), start + _to_original(e - 1, removed) + 1, label)
        for s, e, label in spans
    ]
    read_until = ner.truncated_at if ner.truncated_at is not None else len(text)
    mapped = add_known(mapped, [(start + s, start + e, label)
                                for s, e, label in known_organisation_spans(text[start:read_until])])
    if title:
        title_spans = add_known(list(title_spans), known_organisation_spans(title))
    if refine is not None:
        mapped = refine(text, mapped)
        if title:
            title_spans = refine(title_forms or title, list(title_spans))
    skipped = boilerplate_ranges(text)
    return group_mentions(text, [span for span in mapped if outside(skipped, span[0], span[1])], max_mentions,
                          title=title, title_spans=title_spans, title_forms=title_forms, body_start=ner.start)


_CASED_LETTER = re.compile(r"[^\W\d_]+")


def headline_for_ner(title: str | None) -> str | None:
    """What NER reads of a title: an all-caps headline in mixed case (models read capitals as
    names everywhere or nowhere), the same length so that offsets hold. None without letters."""
    if not title or not any(char.isalpha() for char in title):
        return None
    cased = [char for char in title if char.isalpha() and char.lower() != char.upper()]
    if len(cased) < 4 or sum(char.isupper() for char in cased) < 0.8 * len(cased):
        return title
    mixed = _CASED_LETTER.sub(lambda m: m.group()[0] + m.group()[1:].lower(), title)
    return mixed if len(mixed) == len(title) else title
