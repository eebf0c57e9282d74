"""Writing systems: which script a text's letters are in, and which languages write it.

Consumes text; produces the dominant script and its share of the letters. A script that one
language alone writes decides the language before any model is asked; a script several
languages share narrows the candidates the models choose from.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

# (first code point, last code point, script), sorted; letters outside these blocks are 'other'.
_BLOCKS: Final = sorted([
    (0x0041, 0x024F, "Latin"), (0x1E00, 0x1EFF, "Latin"), (0xFF21, 0xFF5A, "Latin"),
    (0x0370, 0x03FF, "Greek"), (0x1F00, 0x1FFF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"), (0x1C80, 0x1C8F, "Cyrillic"), (0xA640, 0xA69F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"), (0xFB1D, 0xFB4F, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"), (0x0750, 0x077F, "Arabic"), (0x08A0, 0x08FF, "Arabic"),
    (0xFB50, 0xFDFF, "Arabic"), (0xFE70, 0xFEFF, "Arabic"),
    (0x0780, 0x07BF, "Thaana"),
    (0x0900, 0x097F, "Devanagari"), (0x0980, 0x09FF, "Bengali"), (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"), (0x0B00, 0x0B7F, "Oriya"), (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"), (0x0C80, 0x0CFF, "Kannada"), (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"), (0x0E00, 0x0E7F, "Thai"), (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"), (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"), (0x1C90, 0x1CBF, "Georgian"),
    (0x1100, 0x11FF, "Hangul"), (0x3130, 0x318F, "Hangul"), (0xAC00, 0xD7AF, "Hangul"),
    (0x1200, 0x139F, "Ethiopic"), (0x1780, 0x17FF, "Khmer"),
    (0x3040, 0x30FF, "Kana"), (0x31F0, 0x31FF, "Kana"), (0xFF66, 0xFF9F, "Kana"),
    (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"), (0xF900, 0xFAFF, "Han"), (0x20000, 0x2FFFF, "Han"),
])
_STARTS: Final = [start for start, _, _ in _BLOCKS]

# The languages (ISO 639-1 where one exists) that write each script, among those the models know.
# One language: the script decides. Latin is written by too many to narrow anything.
SCRIPT_LANGUAGES: Final[dict[str, frozenset[str]]] = {script: frozenset(codes.split()) for script, codes in {
    "Greek": "el", "Armenian": "hy", "Georgian": "ka", "Thai": "th", "Lao": "lo", "Khmer": "km",
    "Myanmar": "my", "Tibetan": "bo", "Sinhala": "si", "Tamil": "ta", "Telugu": "te", "Kannada": "kn",
    "Malayalam": "ml", "Gujarati": "gu", "Gurmukhi": "pa", "Oriya": "or", "Thaana": "dv", "Hangul": "ko",
    "Kana": "ja",
    "Hebrew": "he yi",
    "Bengali": "bn as",
    "Ethiopic": "am ti",
    "Devanagari": "hi mr ne sa mai new",
    "Han": "zh ja",  # kanji without kana: most likely Chinese, but a short Japanese headline can be all kanji
    "Cyrillic": "ru uk bg sr mk be kk ky mn tg tt ba cv ce os sah",
    "Arabic": "ar fa ur ps ckb sd ug ku arz azb pnb",
}.items()}

# Languages written in Latin letters as well as in their own script (Serbian, Kurdish, ...).
_ALSO_LATIN: Final = frozenset("sr ku kk tt ba uz az tk mn".split())
# Languages never written in Latin letters: a model naming one for a Latin text is wrong.
NOT_LATIN: Final = frozenset().union(*(codes for script, codes in SCRIPT_LANGUAGES.items())) - _ALSO_LATIN

# Japanese writes kanji with kana; a few kana among many kanji still make a text Japanese.
_KANA_SHARE_FOR_JAPANESE: Final = 0.05


@dataclass(frozen=True)
class ScriptReading:
    """The script most of a text's letters are in, its share of them, and how many letters there are."""

    script: str | None
    share: float
    letters: int

    @property
    def candidates(self) -> frozenset[str] | None:
        """The languages this script allows; None when it does not narrow them (Latin, unknown, mixed)."""
        if self.script is None or self.share < 0.6:
            return None
        return SCRIPT_LANGUAGES.get(self.script)

    def allows(self, code: str) -> bool:
        """Whether a text in this script can be in language `code`."""
        candidates = self.candidates
        if candidates is not None:
            return code in candidates
        return not (self.script == "Latin" and self.share >= 0.6 and code in NOT_LATIN)


@lru_cache(maxsize=4096)
def script_of(char: str) -> str:
    index = bisect_right(_STARTS, ord(char)) - 1
    if index >= 0:
        start, end, script = _BLOCKS[index]
        if start <= ord(char) <= end:
            return script
    return "other"


_NOT_LETTER: Final = re.compile(r"[\W\d_]+")
_ASCII_LETTERS: Final = re.compile(r"[A-Za-z]+")


def read_script(text: str) -> ScriptReading:
    letters = _NOT_LETTER.sub("", text)  # letters (and a few marks): counted in C, not per character
    if not letters:
        return ScriptReading(None, 0.0, 0)
    if letters.isascii():
        return ScriptReading("Latin", 1.0, len(letters))
    others = _ASCII_LETTERS.sub("", letters)
    counts = Counter(map(script_of, others))
    counts["Latin"] += len(letters) - len(others)
    letters_count = len(letters)
    if counts["Kana"] and counts["Kana"] >= _KANA_SHARE_FOR_JAPANESE * (counts["Kana"] + counts["Han"]):
        counts["Kana"] += counts.pop("Han", 0)  # kanji in a text with kana are Japanese
    script, count = counts.most_common(1)[0]
    return ScriptReading(script if script != "other" else None, count / letters_count, letters_count)


_ALPHABETS: Final = frozenset({"Latin", "Greek", "Cyrillic", "Armenian", "Georgian", "Hebrew", "Arabic", None})


def min_letters(script: str | None) -> int:
    """Fewer letters than this are not text to identify ('x y z', an acronym). Hanzi, kana and
    hangul are syllables or words; Indic and South-East Asian letters carry their vowels as marks."""
    if script in ("Han", "Kana", "Hangul"):
        return 2
    return 5 if script in _ALPHABETS else 3
