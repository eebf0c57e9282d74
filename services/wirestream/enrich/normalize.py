"""Text normalisation and stable article ids.

Consumes raw article text; produces NFC text without HTML markup, with tidy whitespace and
paragraph breaks kept, and an id derived from that text, so the same article always gets
the same id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from wirestream.enrich.markup import strip_markup

# Invisible characters that only get in the way; ZWJ/ZWNJ are kept because Persian and
# Indic scripts need them to spell words.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
# Control characters (category Cc) other than the whitespace ones, and lone surrogates (Cs).
_UNWANTED_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Markup stripped, NFC, line breaks unified, control characters dropped, spaces collapsed,
    paragraphs kept."""
    text = strip_markup(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", text)
    text = _UNWANTED_CONTROL.sub(" ", text)  # private use (Co) stays: fonts use it
    text = unicodedata.normalize("NFC", text)
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


def derive_article_id(normalized_text: str) -> str:
    """A 16-hex-digit id from the normalised text: equal texts, equal ids."""
    return hashlib.blake2b(normalized_text.encode("utf-8"), digest_size=8).hexdigest()
