"""Places named in a text in any language or script, found by the gazetteer alone.

For the languages no NER model covers (Arabic, Chinese, Russian, Turkish, ...): consumes a text
and the gazetteer; produces, for each place named, its name as the gazetteer writes it in the
text's language ('Москва' for 'в Москве'), the offsets of its mentions, and the place. What is
found: countries (in the 28 languages of `gazetteer.COUNTRY_NAME_LANGUAGES`), US states, and
cities of 100,000 people or more by any of their names. The text's own grammar is undone where
it changes names: Russian and other Cyrillic case endings ('Москве', 'Германии', 'Китае'),
Arabic proclitics ('والقاهرة', 'بالقاهرة', 'للقاهرة'), Turkish suffixes after the apostrophe
('Ankara'da'). Chinese and Japanese, written without spaces, are read by the longest name that
starts at each character. A word in a cased script must be capitalised to be a name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, Protocol

from wirestream.enrich.geo.gazetteer import Place
from wirestream.enrich.geo.gazetteer import is_cjk as _is_cjk

# A city found by a name alone must be this large (smaller ones share their names with words).
MIN_POPULATION = 100_000
# ... and, where the script has no capitals to tell a name from a word (Arabic, Hebrew), this large.
MIN_POPULATION_CASELESS = 300_000
# A city's name of one word shorter than this, or opening a sentence, must be a city this large.
_MIN_LETTERS = 5
_LARGE_CITY = 1_000_000
# GeoNames' other names in Latin letters hold stray words ('Google' for Topeka, 'Hamas' for Hamm): a
# city found by one must be this large ('Gazze' is Gaza's Turkish name).
_LATIN_OTHER_NAME = 300_000
_MAX_WORDS = 4
_CJK_LONGEST = 8
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[-‐](?=[^\W\d_]))*")
# Arabic proclitics written onto a name: and, so, in/with, to/for, like; 'لل' is 'ل' + 'ال'.
_ARABIC_PREFIXES = ("و", "ف", "ب", "ل", "ك")
# Cyrillic case endings and what the nominative ends with instead (Москве -> Москва, Германии ->
# Германия, Китае -> Китай, Париже -> Париж).
_CYRILLIC_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ией", ("ия",)), ("ии", ("ия",)), ("ию", ("ия",)),
    ("ой", ("а", "ая")), ("ою", ("а",)), ("ей", ("ь", "я")), ("ом", ("",)), ("ем", ("", "й")),
    ("е", ("а", "", "й", "я")), ("ы", ("а",)), ("и", ("а", "я", "ь")), ("у", ("а", "")),
    ("а", ("",)), ("я", ("й", "ь")), ("ю", ("я", "й")),
)
# Arabic words that are also other names of large cities: 'the city' is Medina's.
_ARABIC_WORDS = frozenset({"المدينة", "مدينة", "الشام", "وأن", "وان"})


class PlaceLexicon(Protocol):
    """What the search needs of the gazetteer."""

    def candidates(self, name: str, *, alternates_from: int = 0) -> list[Place]: ...

    def country(self, code: str) -> Place | None: ...

    def us_state_place(self, code: str) -> Place | None: ...

    @staticmethod
    def country_code(name: str, language: str | None = None) -> str | None: ...

    @staticmethod
    def us_state(region: str) -> str | None: ...

    def names_in_script(self, script: str) -> frozenset[str]: ...


@dataclass
class FoundPlace:
    """A place and where the text names it; `name` is as the gazetteer writes it in the text's language."""

    place: Place
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    title_mentions: list[tuple[int, int]] = field(default_factory=list)


def find_places(text: str, lexicon: PlaceLexicon, *, start: int = 0, title: str | None = None,
                language: str | None = None) -> list[FoundPlace]:
    """The places `text[start:]` (and `title`) name, in order of first mention; country names are
    read in `language` (ISO 639-1) and English."""
    found: dict[int, FoundPlace] = {}
    for source, offset, in_title in ((text, start, False), (title or "", 0, True)):
        for begin, end, name, place in _mentions(source, offset, lexicon, language):
            entry = found.setdefault(place.geonames_id, FoundPlace(place, name))
            (entry.title_mentions if in_title else entry.mentions).append((begin, end))
    return list(found.values())


def _mentions(text: str, start: int, lexicon: PlaceLexicon, language: str | None
              ) -> Iterator[tuple[int, int, str, Place]]:
    position = start
    while position < len(text):
        char = text[position]
        if _is_cjk(char):
            match = _cjk_name(text, position, lexicon, language)
            if match is not None:
                yield match
                position = match[1]
            else:
                position += 1
            continue
        word = _WORD.match(text, position)
        if word is None:
            position += 1
            continue
        match = _word_name(text, position, lexicon, language)
        if match is not None:
            yield match
            position = match[1]
        else:
            position = word.end()


def _word_name(text: str, position: int, lexicon: PlaceLexicon, language: str | None
               ) -> tuple[int, int, str, Place] | None:
    """The longest name of up to four words starting at `position`, each word possibly inflected. A
    one-word name opening a sentence, where every word is capitalised, must be a country or a city
    of a million people."""
    opens_sentence = _opens_sentence(text, position)
    words: list[re.Match[str]] = []
    cursor = position
    for _ in range(_MAX_WORDS):
        word = _WORD.match(text, cursor)
        if word is None:
            break
        words.append(word)
        gap = re.match(r"[ \t]+", text[word.end():])
        if gap is None:
            break
        cursor = word.end() + gap.end()
    for count in range(len(words), 0, -1):
        chosen = words[:count]
        if not all(_may_be_name(w.group()) for w in chosen):
            continue
        for forms in _forms(chosen):
            name = " ".join(forms)
            place = _place(name, lexicon, caseless=_caseless(name), language=language,
                           demanding=count == 1 and opens_sentence)
            if place is not None:
                # A Turkish suffix after an apostrophe is not part of the name ('Ankara'da').
                return chosen[0].start(), chosen[-1].start() + len(_surface(chosen[-1].group())), name, place
    return None


def _surface(word: str) -> str:
    return re.split(r"['’]", word, maxsplit=1)[0]


def _forms(words: list[re.Match[str]]) -> Iterator[list[str]]:
    """The words as written, then with the grammar undone (each word's variants, the first kept last)."""
    variants = [_variants(_surface(word.group())) for word in words]
    if len(variants) == 1:
        for variant in variants[0]:
            yield [variant]
        return
    yield [v[0] for v in variants]
    if len(variants) == 2:
        for first in variants[0]:
            for second in variants[1]:
                yield [first, second]


@lru_cache(maxsize=65_536)
def _variants(word: str) -> tuple[str, ...]:
    out = [word]
    if _script(word) == "arabic":
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix) + 2:
                rest = word[len(prefix):]
                out.append(rest)  # 'والقاهرة', 'بالقاهرة' -> 'القاهرة'; 'وبغداد' -> 'بغداد'
                if prefix == "ل" and rest.startswith("ل"):
                    out.append("ا" + rest)  # 'للقاهرة' is 'ل' + 'القاهرة', its alif dropped
    elif _script(word) == "cyrillic":
        lowered = word
        for ending, nominatives in _CYRILLIC_ENDINGS:
            if lowered.endswith(ending) and len(lowered) > len(ending) + 2:
                stem = lowered[: -len(ending)]
                out.extend(stem + nominative for nominative in nominatives)
    return tuple(dict.fromkeys(out))


def _place(name: str, lexicon: PlaceLexicon, *, caseless: bool, language: str | None = None,
           demanding: bool = False) -> Place | None:
    """The country, US state or city `name` names without doubt. A city by a name of one word must
    be large (see the module) and that word at least five letters long ('Ben', 'Усі', 'Мога' are
    words, and other names of Bern, Wuxi and Moga); `demanding` (a word that opens a sentence)
    asks six letters and a million people of a city ('Карай', 'drive!', is Karaj's)."""
    if name in _ARABIC_WORDS:
        return None
    code = lexicon.country_code(name, language)
    if code is not None:
        return lexicon.country(code)
    if len(name) > 4 and not caseless and not demanding:
        state = lexicon.us_state(name) if " " in name or name.isalpha() else None
        if state is not None:
            found = lexicon.us_state_place(state)
            if found is not None:
                return found
    floor = MIN_POPULATION_CASELESS if caseless else MIN_POPULATION
    cjk = any(_is_cjk(c) for c in name)
    one_word = " " not in name and not cjk
    if (one_word and len(name) < 3) or (cjk and len(name) < 3 and all(_is_kana(c) for c in name)):
        return None  # 'เว', 'マン': a syllable, not a name
    letters = 3 if caseless else _MIN_LETTERS  # Arabic writes no vowels: 'غزة', 'حلب' are names
    if one_word and (len(name) < letters or (demanding and len(name) < letters + 1)):
        return None  # 'Усі', 'Карай', 'Benim': words that are other names of cities somewhere
    if one_word and demanding:
        floor = _LARGE_CITY
    candidates = [p for p in lexicon.candidates(name, alternates_from=floor) if p.population >= floor]
    if not candidates or (len(candidates) > 1 and candidates[0].population < 10 * candidates[1].population):
        return None
    best = candidates[0]
    if one_word and _script(name) == "latin" and best.population < _LATIN_OTHER_NAME \
            and best.geonames_id not in {p.geonames_id for p in lexicon.candidates(name, alternates_from=10**12)}:
        return None  # a Latin word that is only another name of a smaller city: 'Google' is Topeka's
    return best


def _is_kana(char: str) -> bool:
    return 0x3040 <= ord(char) <= 0x30FF


def _opens_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip(" \t\"“«'(")
    return not before or before[-1] in ".!?\n:;。！？"


def _cjk_name(text: str, position: int, lexicon: PlaceLexicon, language: str | None
              ) -> tuple[int, int, str, Place] | None:
    names = lexicon.names_in_script("cjk")
    for length in range(min(_CJK_LONGEST, len(text) - position), 1, -1):
        candidate = text[position:position + length]
        if candidate in names:
            place = _place(candidate, lexicon, caseless=False, language=language)
            if place is not None:
                return position, position + length, candidate, place
    return None


def _may_be_name(word: str) -> bool:
    """In a cased script a name is capitalised; a one-letter word is never one."""
    surface = _surface(word)
    if len(surface) < 2:
        return False
    first = surface[0]
    return first.isupper() or first.lower() == first.upper()


def _caseless(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.lower() == c.upper() for c in letters) and not any(_is_cjk(c) for c in letters)


@lru_cache(maxsize=4096)
def _script(word: str) -> str:
    for char in word:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("ARABIC"):
                return "arabic"
            if name.startswith("CYRILLIC"):
                return "cyrillic"
            if name.startswith("LATIN"):
                return "latin"
            return "other"
    return "other"


