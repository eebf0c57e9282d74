"""What leaves the pipeline: the enriched record, within the size topics carry, or the rejection
that says why an article could not be enriched, with as much of the original as fits."""

from __future__ import annotations

import hashlib
from datetime import datetime

from wirestream.contracts import EnrichedArticle, IngestedArticle, RawArticle, Rejection
from wirestream.contracts.rejection import encode_bytes, encode_prefix
from wirestream.defaults import MAX_ARTICLE_BYTES
from wirestream.errors import OutputTooLarge, RejectMessage
from wirestream.limits import SizeLimits, size_limits
from wirestream.serialization import encode_model


def republishable(item: IngestedArticle) -> bytes:
    """The article as a RawArticle again, so a rejection after ingest can be fixed and re-published."""
    raw = RawArticle(
        id=item.id,
        text=item.text,
        title=item.title,
        url=item.url,
        source=item.source,
        published_at=item.published_at,
        language=item.language_hint,
        metadata=item.metadata,
        reprocess=item.reprocess,
    )
    return encode_model(raw)


def encode_enriched(article: EnrichedArticle, limits: SizeLimits) -> bytes:
    """The record to publish; OutputTooLarge when no topic could carry it (mentions are already capped)."""
    record = encode_model(article)
    if len(record) > limits.record_bytes:
        raise OutputTooLarge(f"the enriched record is {len(record):,} bytes; topics carry at most "
                             f"{limits.record_bytes:,} (derived from WIRESTREAM_MAX_ARTICLE_BYTES)")
    return record


# An exception's message can be as long as the data it quotes: a rejection says enough in this much.
_ERROR_CHARS = 2_000


def make_rejection(
    error: RejectMessage,
    original: bytes | None,
    key: bytes | None,
    received_at: datetime,
    article_id: str | None = None,
    limits: SizeLimits | None = None,
) -> Rejection:
    """The record of a message that could not be enriched, where `error` was raised. An original over
    the article limit is kept as a prefix, with its size and SHA-256, so that the rejection always
    fits its topic."""
    limits = limits or size_limits(MAX_ARTICLE_BYTES)
    original = original or b""
    truncated = len(original) > limits.article_bytes
    if truncated:
        original_text, original_encoding = encode_prefix(original, limits.rejection_prefix_bytes)
    else:
        original_text, original_encoding = encode_bytes(original)
    key_text, key_encoding = encode_bytes(key[: limits.rejection_prefix_bytes]) if key is not None else (None, "utf-8")
    message = str(error) or error.__doc__ or error.code
    # Validated, not constructed: `reason` and `stage` must be codes the contract lists.
    return Rejection.model_validate({
        "reason": error.code,
        "stage": error.stage,
        "error": message if len(message) <= _ERROR_CHARS else message[:_ERROR_CHARS] + "…",
        "received_at": received_at,
        "article_id": article_id,
        "key": key_text,
        "key_encoding": key_encoding,
        "original": original_text,
        "original_encoding": original_encoding,
        "original_size": len(original),
        "original_sha256": hashlib.sha256(original).hexdigest(),
        "truncated": truncated,
    })
