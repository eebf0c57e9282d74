"""HTML in article text: tags stripped, entities decoded, scripts and styles dropped.

Consumes text as a publisher sent it; produces the plain text a reader would see, with block
elements as line or paragraph breaks. It runs first in normalisation, so every offset the
pipeline reports refers to the cleaned text. Text without markup passes through unchanged:
a tag must be a known HTML element, so `a <b and c> d` in prose is left alone.
"""

from __future__ import annotations

import html
import re

# Elements whose content is not text a reader sees.
_HIDDEN = re.compile(r"<(script|style|noscript|template|iframe|svg|head)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<!DOCTYPE[^>]*>|<\?xml[^>]*\?>", re.IGNORECASE | re.DOTALL)
_BLOCK = ("p|div|h[1-6]|blockquote|section|article|header|footer|aside|nav|figure|figcaption|table|ul|ol|dl|pre|"
          "address|main|form|fieldset|hr")
_LINE = "li|tr|dt|dd|caption|option"
_CELL = "td|th"
_INLINE = ("a|abbr|b|bdi|bdo|big|cite|code|data|del|dfn|em|font|i|img|ins|kbd|label|mark|q|s|samp|small|span|"
           "strike|strong|sub|sup|time|tt|u|var|wbr|tbody|thead|tfoot|col|colgroup|html|body|meta|link|"
           "title|center|picture|source|video|audio|button|input|select|textarea")
_PARAGRAPH_TAG = re.compile(rf"</?(?:{_BLOCK})\b[^<>]*>", re.IGNORECASE)
# A line break: <br>, and the start of a list item or a row (their ends add nothing).
_LINE_TAG = re.compile(rf"<br\b[^<>]*/?>|<(?:{_LINE})\b[^<>]*>", re.IGNORECASE)
_LINE_END = re.compile(rf"</(?:{_LINE})\s*>", re.IGNORECASE)
_CELL_TAG = re.compile(rf"</?(?:{_CELL})\b[^<>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})\b[^<>]*/?>", re.IGNORECASE)
# Entities that lost their '&' on the way (`Iran#39;s`, `quot;Yes,quot;`): decoded only where that
# reading is the only one. A numeric one is never anything else; a named one only after a
# non-letter, so that a word ending in 'amp;' or 'quot;' is left alone.
_BROKEN_NUMERIC = re.compile(r"(?<!&)#(34|38|39|160|821[1-2]|821[6-7]|822[0-1]|8230|x27|x22|x26|xA0|xa0);")
_BROKEN_NAMED = re.compile(r"(?<![&\w])(quot|amp|apos|nbsp|lt|gt|laquo|raquo|rsquo|lsquo|rdquo|ldquo|ndash|mdash);")
# What only markup looks like: a closing tag, a bare or self-closing tag, a comment, an entity.
# Without one of these, text is prose, even with '<' in it (`a <b and c> d`).
_LOOKS_LIKE_MARKUP = re.compile(r"</[a-zA-Z][\w-]*\s*>|<[a-zA-Z][\w-]*\s*/?>|<!--|&#?\w{2,8};|"
                                r"(?<!&)#(?:34|38|39|x27);|(?<![&\w])(?:quot|amp|apos|nbsp);")


def strip_markup(text: str) -> str:
    """The text a reader sees: tags removed (block elements as breaks), entities decoded."""
    if not _LOOKS_LIKE_MARKUP.search(text):
        return text
    text = _COMMENT.sub(" ", text)
    text = _HIDDEN.sub(" ", text)
    text = _PARAGRAPH_TAG.sub("\n\n", text)
    text = _LINE_TAG.sub("\n", text)
    text = _LINE_END.sub("", text)
    text = _CELL_TAG.sub(" ", text)
    text = _INLINE_TAG.sub("", text)
    text = _BROKEN_NUMERIC.sub(lambda m: f"&#{m.group(1)};", text)
    text = _BROKEN_NAMED.sub(lambda m: f"&{m.group(1)};", text)
    return html.unescape(text).replace("\xa0", " ")
