"""What comes in on articles.raw: accepted as an article, or rejected with a stable reason."""

from __future__ import annotations

from typing import Callable

import pytest
from wirestream.contracts import Rejection
from wirestream.enrich.ingest import ingest, parse_raw
from wirestream.enrich.normalize import derive_article_id, normalize_text
from wirestream.enrich.outputs import make_rejection
from wirestream.enrich.pipeline import Enrichers, enrich
from wirestream.errors import (
    EmptyText,
    InvalidArticle,
    InvalidJson,
    NotAnObject,
    NotUtf8,
    RejectMessage,
    TooLarge,
)
from wirestream.serialization import decode_model, dumps, encode_model

from tests.conftest import REFERENCE_TIME


def test_json_object_becomes_an_article(article_factory: Callable[..., bytes]) -> None:
    item = ingest(article_factory(id="a-1", title="T", source="Reuters", metadata={"desk": "uk"}), REFERENCE_TIME)
    assert (item.id, item.title, item.source, item.metadata) == ("a-1", "T", "Reuters", {"desk": "uk"})
    assert item.received_at == REFERENCE_TIME


def test_plain_text_that_is_not_json_becomes_the_text() -> None:
    item = ingest(b"no dateline here, just text", REFERENCE_TIME)
    assert item.text == "no dateline here, just text"


def test_text_that_starts_like_a_json_array_but_is_prose_is_text() -> None:
    assert ingest(b"[Reuters] Markets fell.", REFERENCE_TIME).text == "[Reuters] Markets fell."


def test_article_without_id_gets_a_stable_id_from_its_normalised_text() -> None:
    first = ingest(b'{"text": "Same  article\\r\\ntext"}', REFERENCE_TIME)
    second = ingest(b"Same article\ntext", REFERENCE_TIME)
    assert first.id == second.id == derive_article_id("Same article\ntext")
    assert ingest(b"Another article", REFERENCE_TIME).id != first.id


def test_unknown_fields_are_kept_in_metadata() -> None:
    item = ingest(b'{"text": "x y", "author": "Jane", "metadata": {"desk": "uk"}}', REFERENCE_TIME)
    assert item.metadata == {"author": "Jane", "desk": "uk"}


def test_naive_published_at_is_read_as_utc() -> None:
    item = ingest(b'{"text": "x", "published_at": "2026-11-24T10:00:00"}', REFERENCE_TIME)
    assert item.published_at is not None and item.published_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


REJECTED: list[tuple[bytes | None, type[RejectMessage], str]] = [
    (b"\xff\xfe\x00bad", NotUtf8, "not_utf8"),
    (b"[1, 2, 3]", NotAnObject, "not_an_object"),
    (b"42", NotAnObject, "not_an_object"),
    (b'"just a string"', NotAnObject, "not_an_object"),
    (b"null", NotAnObject, "not_an_object"),
    (b"true", NotAnObject, "not_an_object"),
    (b'{"text": "unterminated', InvalidJson, "invalid_json"),
    (b"{not json at all}", InvalidJson, "invalid_json"),
    (b"[" * 10_000 + b"]" * 10_000, InvalidJson, "invalid_json"),
    (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, InvalidJson, "invalid_json"),
    (b'{"title": "no text"}', InvalidArticle, "invalid_article"),
    (b'{"text": 42}', InvalidArticle, "invalid_article"),
    (b'{"text": ""}', InvalidArticle, "invalid_article"),
    (b'{"text": "ok", "published_at": "yesterday"}', InvalidArticle, "invalid_article"),
    (b'{"text": "ok", "metadata": []}', InvalidArticle, "invalid_article"),
    (b'{"text": "ok", "id": "   "}', InvalidArticle, "invalid_article"),
    (b'{"text": " \\n\\t\\u0000 "}', EmptyText, "empty_text"),
    (b" \n\t ", EmptyText, "empty_text"),
    (b"", EmptyText, "empty_text"),
    (None, EmptyText, "empty_text"),
]


@pytest.mark.parametrize(
    ("value", "error", "reason"),
    REJECTED,
    ids=[f"{reason}: {(v or b'')[:24]!r}" for v, _, reason in REJECTED],
)
def test_bad_input_is_rejected_with_its_reason(value: bytes | None, error: type[RejectMessage], reason: str) -> None:
    with pytest.raises(error) as raised:
        ingest(value, REFERENCE_TIME)
    assert raised.value.code == reason


def test_oversized_value_is_rejected_before_it_is_decoded() -> None:
    with pytest.raises(TooLarge, match="WIRESTREAM_MAX_ARTICLE_BYTES"):
        parse_raw(b"x" * 2_000, max_bytes=1_000)


def test_rejection_keeps_the_exact_bytes_and_key() -> None:
    original = b"\xff\xfe not utf-8"
    rejection = make_rejection(NotUtf8("bad"), original, b"\x80key", REFERENCE_TIME)
    again = decode_model(Rejection, encode_model(rejection))
    assert again.original_encoding == "base64" and again.original_bytes() == original
    assert again.key_encoding == "base64"
    assert (again.reason, again.stage, again.error) == ("not_utf8", "ingest", "bad")


def test_rejection_of_utf8_input_keeps_it_readable() -> None:
    rejection = make_rejection(NotAnObject("JSON list"), b"[1]", None, REFERENCE_TIME)
    assert (rejection.original, rejection.original_encoding, rejection.key) == ("[1]", "utf-8", None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  a\u00a0\u00a0b  ", "a b"),
        ("line\r\nbreaks\rhere", "line\nbreaks\nhere"),
        ("para\n\n\n\n\nnext", "para\n\nnext"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("ctrl\x00\x07chars", "ctrl chars"),
        ("e\u0301", "\u00e9"),
        ("می\u200cخواهم", "می\u200cخواهم"),
        ("tabs\tand   spaces \n next", "tabs and spaces\nnext"),
    ],
    ids=["nbsp collapsed", "line endings unified", "paragraphs kept", "invisible removed", "controls removed",
         "NFC composed", "ZWNJ kept for Persian", "spaces tidied"],
)
def test_normalisation(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_mixed_scripts_and_rtl_text_are_enriched(enrichers: Enrichers) -> None:
    article = enrich("القاهرة — Cairo said مرحبا the talks continue. Шалом.".encode(), enrichers)
    assert article.language.code in {"ar", "en"}
    assert article.text.startswith("القاهرة")


def test_a_top_level_field_that_clashes_with_metadata_is_rejected_not_dropped() -> None:
    value = dumps({"text": "x", "author": "Jane", "metadata": {"author": "John"}})
    with pytest.raises(InvalidArticle, match="'author' is given at the top level and in metadata"):
        ingest(value, REFERENCE_TIME)
    same = ingest(dumps({"text": "x", "author": "Jane", "metadata": {"author": "Jane", "desk": "world"}}), REFERENCE_TIME)
    assert same.metadata == {"author": "Jane", "desk": "world"}


@pytest.mark.parametrize("field", ["body", "content", "articleBody"], ids=["body", "content", "a schema.org name"])
def test_an_article_with_its_text_under_another_name_is_told_which_field_was_meant(field: str) -> None:
    with pytest.raises(InvalidArticle) as raised:
        ingest(dumps({"id": "x", field: "LONDON (Reuters) - The text."}), REFERENCE_TIME)
    assert f"the article has '{field}': the text goes in 'text'; rename the field" in str(raised.value)


def test_without_text_or_a_likely_name_for_it_the_error_is_the_plain_one() -> None:
    with pytest.raises(InvalidArticle, match=r"^text: Field required$"):
        ingest(dumps({"id": "x", "body": 42}), REFERENCE_TIME)
