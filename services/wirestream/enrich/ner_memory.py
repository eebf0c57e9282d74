"""What NER found in recent articles, so that a near-identical copy does not pay for NER again.

A copy's NER input is compared with its original's: the same text, the original with its tail
trimmed, the original behind something added before it (a byline or credit the dateline parser
did not take; NER reads that part alone), or both, maps the original's spans onto the copy exactly.
Anything else (words changed, a paragraph added) is read by NER: a reused span is never a guess.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from wirestream.enrich.entities import Span

CAPACITY = 2_000  # articles remembered; a copy usually follows its original within minutes
_ANCHOR = 32  # characters of the original's start looked for in a copy (each find is checked)


@dataclass(frozen=True)
class Reuse:
    """The spans of a copy's text read off its original's, and how much of its start (`unread`
    characters, put before the original's text) NER must still read."""

    spans: list[Span]
    unread: int = 0


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
        """The spans of `text` read off the original's, or None when they cannot be exactly."""
        known = self._read.get(original_id)
        if known is None:
            return None
        original, spans = known
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
        unread = shift if any(c.isalnum() for c in text[:shift]) else 0  # white space holds no name
        return Reuse([(start + shift, end + shift, label) for start, end, label in spans if end <= kept],
                     unread=unread)


def _at_boundary(text: str, position: int) -> bool:
    """A cut at `position` ends a word: NER would not have read the last word differently."""
    return position == len(text) or not (text[position - 1].isalnum() and text[position].isalnum())
