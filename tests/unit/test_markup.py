"""HTML in article text: what a reader would see, before anything else reads the text."""

from __future__ import annotations

import pytest
from wirestream.enrich.markup import strip_markup
from wirestream.enrich.normalize import normalize_text


@pytest.mark.parametrize(("raw", "clean"), [
    ("<p>LONDON (Reuters) - Keir Starmer <b>met</b> Emmanuel Macron.</p><p>They talked.</p>",
     "LONDON (Reuters) - Keir Starmer met Emmanuel Macron.\n\nThey talked."),
    ("Line one<br>line two<br/>line three", "Line one\nline two\nline three"),
    ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
    ("Iran&#39;s minister said &quot;no&quot; &amp; left.", "Iran's minister said \"no\" & left."),
    ("Iran#39;s minister said quot;noquot; amp; left.", "Iran's minister said \"noquot; & left."),
    ("AT&amp;T and R&amp;D", "AT&T and R&D"),
    ("<script>var x = '<p>not text</p>';</script>PARIS (AFP) - Texte.<style>p {color: red}</style>",
     "PARIS (AFP) - Texte."),
    ("<!-- a comment -->Text<!-- another -->", "Text"),
    ("<a href='https://example.com/a?b=1&amp;c=2'>Berlin</a> (dpa) - Der Text", "Berlin (dpa) - Der Text"),
    ("<table><tr><td>Kyiv</td><td>3</td></tr></table>", "Kyiv 3"),
    ("caf&eacute; &nbsp;and&#x27;s", "café and's"),
], ids=["paragraphs and inline tags", "line breaks", "list items", "entities", "entities that lost their ampersand",
        "escaped ampersands", "scripts and styles dropped", "comments dropped", "links keep their text",
        "table cells", "named and hexadecimal entities"])
def test_markup_becomes_what_a_reader_sees(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


@pytest.mark.parametrize("text", [
    "Prices rose 3 < 4 and 5 > 2 in the survey.",
    "a <b and c> d: an inequality, not a tag",
    "The word quotidian; and the ampersand in Tom & Jerry.",
    "Plain text with no markup at all.",
    "A hashtag #1 and #2024; a score of 3#4.",
], ids=["comparison signs", "a tag-like aside", "words that end like entity names", "plain text", "hashes"])
def test_text_without_markup_is_left_as_it_is(text: str) -> None:
    assert strip_markup(text) == text


def test_the_id_of_an_article_is_that_of_its_clean_text() -> None:
    from wirestream.enrich.normalize import derive_article_id

    assert derive_article_id(normalize_text("<p>Same story.</p>")) == derive_article_id(normalize_text("Same story."))
