"""What language ID reads of an article: its words, without links, addresses, numbers or boilerplate.

Consumes the body (after the dateline, credit and byline) and the title; produces a bounded,
one-line sample. The cost of the models grows with the text and their answer stops changing after a
few sentences, so a long article is read by its opening only.
"""

from __future__ import annotations

import re
from typing import Final

from wirestream.enrich.boilerplate import boilerplate_ranges

SAMPLE_CHARS: Final = 500
# A body shorter than this is often mostly names ('Keir Starmer met Emmanuel Macron in Paris'):
# the title is read with it.
SHORT_BODY_CHARS: Final = 200

_NOISE: Final = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"                 # links
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"                 # e-mail addresses, and handles' sigils below
    r"|[\w-]+\.(?:com|org|net|html?|php)\b"          # bare domains and file names
    r"|[@#](?=\w)"                                    # a handle's or a hashtag's sigil (its word stays)
    r"|\d+(?:[.,:/%-]\d+)*%?"                         # numbers, times, dates, percentages (any script)
)


def _without(text: str, ranges: list[tuple[int, int]]) -> str:
    kept, position = [], 0
    for start, end in sorted(ranges):
        kept.append(text[position:start])
        position = max(position, end)
    kept.append(text[position:])
    return " ".join(kept)


def language_sample(body: str, title: str | None = None, max_chars: int = SAMPLE_CHARS) -> str:
    """The words language ID reads: the title joins a short body; at most `max_chars`, cut between words."""
    head = body[: max_chars * 2]  # room for the noise taken out; a megabyte of text is not read
    text = _NOISE.sub(" ", _without(head, boilerplate_ranges(head)))
    sample = " ".join(text.split())
    if title and len(sample) < SHORT_BODY_CHARS:
        sample = " ".join(f"{_NOISE.sub(' ', title)} {sample}".split())
    if len(sample) > max_chars:
        cut = sample.rfind(" ", 0, max_chars)
        sample = sample[: cut if cut > max_chars // 2 else max_chars]
    return sample
