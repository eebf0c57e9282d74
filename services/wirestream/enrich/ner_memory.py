"""What NER found in recent articles, so that a near-identical copy does not pay for NER again.

A copy's NER input is compared with its original's. The same text, the original with its tail
trimmed, the original behind something added before it (a byline or credit the dateline parser
did not take; NER reads that part alone), or both, maps the original's spans onto the copy
exactly. Otherwise the two are compared sentence by sentence (a sentence of a line; a line is a
paragraph in wire copy): a sentence found unchanged in the original keeps the spans NER found
inside it there; NER reads the sentences changed or added, each run of them on its own. A reused
span is never a guess: it is one NER found in the very same sentence (no sentence boundary is
drawn through a name NER found: 'Mr. Smith' stays whole).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from wirestream.enrich.entities import Span

CAPACITY = 2_000  # articles remembered; a copy usually follows its original within minutes
_ANCHOR = 32  # characters of the original's start looked for in a copy (each find is checked)


@dataclass(frozen=True)
class Reuse:
    """The spans of a copy's text read off its original's, and the parts of it (`unread`: start
    and end, in order) NER must still read."""

    spans: list[Span]
    unread: tuple[tuple[int, int], ...] = ()


class NerMemory:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._read: OrderedDict[str, tuple[str, list[Span]]] = OrderedDict()

    def remember(self, article_id: str, text: str, spans: list[Span]) -> None:
        """`spans` NER found in `text`, the NER input of `article_id`."""
        self._read[article_id] = (text, spans)
        self._read.move_to_end(article_id)
        while len(self._read) > self._capacity:
            self._read.popitem(last=False)

    def reuse(self, original_id: str, text: str) -> Reuse | None:
        """The spans of `text` read off the original's, or None when nothing can be, exactly."""
        known = self._read.get(original_id)
        if known is None:
            return None
        original, spans = known
        return _shifted(original, spans, text) or _by_sentences(original, spans, text)


def _shifted(original: str, spans: list[Span], text: str) -> Reuse | None:
    """The copy is the original, perhaps trimmed at its end, perhaps behind something put before it."""
    if text == original:
        return Reuse(list(spans))
    # Where the original begins in the copy: after anything put before it (a byline or credit
    # the dateline parser did not take), and how much of it follows (the tail may be trimmed).
    anchor = original[: min(_ANCHOR, len(original), len(text))]
    shift = text.find(anchor) if anchor else -1
    while shift >= 0 and not (original.startswith(text[shift:]) and _at_boundary(text, shift)):
        shift = text.find(anchor, shift + 1)
    kept = len(text) - shift
    if shift < 0 or not _at_boundary(original, kept):
        return None
    unread = ((0, shift),) if any(c.isalnum() for c in text[:shift]) else ()  # white space holds no name
    return Reuse([(start + shift, end + shift, label) for start, end, label in spans if end <= kept], unread=unread)


def _lines(text: str) -> list[tuple[int, int]]:
    """Start and end of each line of `text` that holds more than white space."""
    found, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            found.append((start, start + len(line)))
        start += len(line) + 1
    return found


_SENTENCE_END = re.compile(r"[.!?][\"'”’»)]*\s+")
_SENTENCE_START = "\"“‘«("


def _sentences(text: str, spans: Sequence[Span] = ()) -> list[tuple[int, int]]:
    """Start and end of each sentence of each line of `text` (the white space between left out).
    A sentence ends at a full stop, question or exclamation mark before a capital, a digit or an
    opening quote, unless an abbreviation ends there or one of `spans` (names found in `text`)
    runs across it."""
    inside = {position for start, end, _ in spans for position in range(start + 1, end)}
    found: list[tuple[int, int]] = []
    for start, end in _lines(text):
        begin = start
        for stop in _SENTENCE_END.finditer(text, start, end):
            following = text[stop.end() : stop.end() + 1]
            cut = stop.start() + len(stop.group().rstrip())
            if following and (following.isupper() or following.isdigit() or following in _SENTENCE_START) \
                    and not _abbreviation(text, begin, stop.start()) and cut not in inside and stop.end() not in inside:
                found.append((begin, cut))
                begin = stop.end()
        found.append((begin, end))
    return found


def _abbreviation(text: str, start: int, stop: int) -> bool:
    """The word before a full stop at `stop` is an abbreviation ('Mr.', 'Dr.', 'U.S.'), not a sentence's end."""
    words = text[start:stop].rsplit(None, 1)
    word = words[-1] if words else ""
    return text[stop] == "." and ("." in word or (word[:1].isupper() and len(word) <= 3))


def _by_sentences(original: str, spans: list[Span], text: str) -> Reuse | None:
    """Each sentence of the copy found unchanged in the original keeps its spans; the runs of the
    others are left for NER. None when no sentence is unchanged."""
    unused: dict[str, list[int]] = {}
    for start, end in _sentences(original, spans):
        unused.setdefault(original[start:end], []).append(start)
    reused: list[Span] = []
    unread: list[tuple[int, int]] = []
    matched = False
    for start, end in _sentences(text):
        places = unused.get(text[start:end])
        if not places:
            if unread and not text[unread[-1][1] : start].strip():  # runs on from the last unread sentence
                unread[-1] = (unread[-1][0], end)
            else:
                unread.append((start, end))
            continue
        there = places.pop(0)
        matched = True
        shift = start - there
        reused += [(s + shift, e + shift, label) for s, e, label in spans if there <= s and e <= there + end - start]
    if not matched:
        return None
    return Reuse(reused, unread=tuple(region for region in unread if any(c.isalnum() for c in text[slice(*region)])))


def _at_boundary(text: str, position: int) -> bool:
    """A cut at `position` ends a word: NER would not have read the last word differently."""
    return position == len(text) or not (text[position - 1].isalnum() and text[position].isalnum())
