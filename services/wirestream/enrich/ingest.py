"""Stage 1, ingest: a message value in, a validated, normalised and identified article out.

A value is a RawArticle JSON object or plain UTF-8 text; anything else raises the
`RejectMessage` that names why (see `wirestream.errors`).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from wirestream.contracts import IngestedArticle, RawArticle
from wirestream.defaults import MAX_ARTICLE_BYTES
from wirestream.enrich.normalize import derive_article_id, normalize_text
from wirestream.errors import (
    EmptyText,
    InvalidArticle,
    InvalidJson,
    NotAnObject,
    NotUtf8,
    TooLarge,
)
from wirestream.serialization import JSONDecodeError, loads

# Values that may be JSON: a JSON text starts with one of these (after whitespace).
_JSON_START = frozenset('{["-0123456789tfn')
# What other feeds and APIs call an article's text: named in the error when `text` is missing.
_TEXT_ALIASES = ("body", "content", "article", "story", "full_text", "fulltext", "article_body", "articleBody",
                 "description", "Text", "Body", "Content")


def parse_raw(value: bytes | None, max_bytes: int) -> RawArticle:
    """A message value as a RawArticle: a JSON object, or plain UTF-8 text that is not JSON."""
    if not value:
        raise EmptyText("the message has no value")
    if len(value) > max_bytes:
        raise TooLarge(f"the value is {len(value):,} bytes; the limit is {max_bytes:,} (WIRESTREAM_MAX_ARTICLE_BYTES)")
    try:
        decoded = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(f"the value is not UTF-8: {exc}") from None
    head = decoded.lstrip("\ufeff \t\r\n")
    if head[:1] in _JSON_START:
        try:
            parsed = loads(head)
        except (JSONDecodeError, RecursionError) as exc:
            if head.startswith("{") or "depth limit" in str(exc) or isinstance(exc, RecursionError):
                raise InvalidJson(f"the value starts like a JSON object but does not parse: {exc}") from None
            parsed = None  # plain text that happens to start like JSON: '[Reuters] ...', 'no dateline'
        else:
            if not isinstance(parsed, dict):
                raise NotAnObject(f"the value is JSON {type(parsed).__name__}, not an object")
        if isinstance(parsed, dict):
            try:
                return RawArticle.model_validate(parsed)
            except ValidationError as exc:
                raise InvalidArticle(_describe(exc, parsed)) from None
    return RawArticle(text=decoded)


def _describe(exc: ValidationError, fields: dict[str, object]) -> str:
    problems = [f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors()[:5]]
    if "text" not in fields:
        meant = next((name for name in _TEXT_ALIASES if isinstance(fields.get(name), str)), None)
        if meant is not None:
            problems = [f"text: Field required (the article has {meant!r}: the text goes in 'text'; rename the "
                        f"field)" if p == "text: Field required" else p for p in problems]
    return "; ".join(problems)


def ingest(value: bytes | None, received_at: datetime, max_bytes: int = MAX_ARTICLE_BYTES) -> IngestedArticle:
    """Stage 1: validate, normalise and identify an incoming article."""
    raw = parse_raw(value, max_bytes)
    text = normalize_text(raw.text)
    if not text:
        raise EmptyText("the text is empty once whitespace and control characters are removed")
    return IngestedArticle(
        id=raw.id.strip() if raw.id else derive_article_id(text),
        title=raw.title,
        url=raw.url,
        source=raw.source,
        published_at=raw.published_at,
        received_at=received_at,
        metadata=raw.metadata,
        text=text,
        language_hint=raw.language,
        reprocess=raw.reprocess,
    )
