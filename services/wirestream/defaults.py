"""Every default that both the settings and the pure core need, defined once.

`Settings` reads them as its field defaults; the core uses them where it is called without
settings (tests, `wirestream enrich`'s helpers, the evaluation through `Settings()`), so tuning
one never leaves the other measuring something else.
"""

from __future__ import annotations

from typing import Final

# Sizes
MAX_ARTICLE_BYTES: Final = 1_000_000  # the largest article accepted; every other size limit follows from it
NER_MAX_CHARS: Final = 100_000  # NER reads at most this many characters of an article
MAX_MENTIONS_PER_ENTITY: Final = 20  # mentions listed per entity; `count` keeps the total

# Stories (measured on eval/story_set.py: README, Stories)
STORY_WINDOW_SECONDS: Final = 72 * 3600.0  # how long an article stays findable for its copies and its story
STORY_THRESHOLD: Final = 0.45  # similarity from which an article joins the closest earlier one's story
DUPLICATE_THRESHOLD: Final = 0.6  # similarity from which it is also a near-identical copy
KEY_TERM_THRESHOLD: Final = 0.8  # share of the shorter article's numbers and names the other must have
