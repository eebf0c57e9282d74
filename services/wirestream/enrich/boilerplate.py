"""Wire boilerplate that is not part of the story: 'Read more:' trailers and 'Iran PressIran news:' labels.

Consumes normalised text; produces the character ranges NER should not report entities from.
The text itself is left as it came (subscribers still get every character).
"""

from __future__ import annotations

import re

# A trailer line after which come links to other stories.
_TRAILER = re.compile(
    r"^(?:read more|read also|also read|related|related articles?|related stories|see also|more on this|recommended)"
    r"\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# A paragraph opening with a site label ending in 'news:' (Iran Press prints 'Iran PressIran news:'):
# up to four capitalised words, the last one glued to 'news:' or a space before it. The words before
# the last are atomic and end in a space: written as `(?:[A-Z][\w.]*\s?){1,4}news:`, a line of 300
# capitals backtracked through every way of cutting it into four words (44 s, the whole worker
# frozen and its Kafka session lost; the fuzz test's payload 212).
_SITE_LABEL = re.compile(r"^(?>[A-Z][\w.]*\s){0,3}[A-Z][\w.]*\s?news:", re.MULTILINE)


def boilerplate_ranges(text: str) -> list[tuple[int, int]]:
    ranges = [(m.start(), m.end()) for m in _SITE_LABEL.finditer(text)]
    trailer = _TRAILER.search(text)
    if trailer is not None and trailer.start() > len(text) // 3:
        ranges.append((trailer.start(), len(text)))
    return ranges


def outside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= lo or start >= hi for lo, hi in ranges)
