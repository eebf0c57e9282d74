"""The record of a message wirestream could not enrich, on `articles.rejected`."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Encoding = Literal["utf-8", "base64"]
# Why a message was rejected: each code is the `code` of one error in wirestream.errors, and the
# README's table of reasons lists exactly these (a test holds all three together).
RejectionReason = Literal[
    "not_utf8", "too_large", "invalid_json", "not_an_object", "invalid_article", "empty_text",
    "stage_failed", "output_too_large", "output_refused",
]
# Where it was rejected: ingest, the stories stage, one of the enrich stages, or the enrich agent
# writing its output.
RejectionStage = Literal["ingest", "stories", "language", "dateline", "entities", "enrich"]
# Version 3 added the stage `stories`; version 2 added original_size, original_sha256 and truncated;
# records of both earlier versions are upgraded on read.
REJECTION_SCHEMA_VERSION: Final = 3


def encode_bytes(data: bytes) -> tuple[str, Encoding]:
    """Bytes as text: UTF-8 when they are valid UTF-8, else base64 (so nothing is altered)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), "base64"


def encode_prefix(data: bytes, limit: int) -> tuple[str, Encoding]:
    """At most `limit` bytes of `data` as text: cut at a character boundary when it is UTF-8."""
    head = data[:limit]
    try:
        return head.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return head[: exc.start].decode("utf-8"), "utf-8"  # the cut fell inside a character
        return base64.b64encode(head).decode("ascii"), "base64"


def decode_bytes(text: str, encoding: Encoding) -> bytes:
    if encoding == "base64":
        try:
            return base64.b64decode(text, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"not base64: {exc}") from exc
    return text.encode("utf-8")


class Rejection(BaseModel):
    """A message that could not be enriched, with why, where, and the exact bytes that came in."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Rejection")

    schema_version: Literal[3] = REJECTION_SCHEMA_VERSION
    reason: RejectionReason = Field(description="Why, as a stable code (see the README's table of reasons).")
    stage: RejectionStage = Field(description="Where: ingest, stories, a stage of enrich, or enrich writing its output.")
    error: str = Field(description="Human-readable detail.")
    received_at: datetime
    article_id: str | None = None
    key: str | None
    key_encoding: Encoding = "utf-8"
    original: str = Field(description="The bytes that came in (all of them unless `truncated`).")
    original_encoding: Encoding = "utf-8"
    original_size: int = Field(ge=0, description="Size of the whole original in bytes.")
    original_sha256: str = Field(description="SHA-256 (hex) of the whole original.")
    truncated: bool = Field(default=False, description="True when `original` holds only the first bytes: the "
                                                       "original was larger than the article limit.")

    def original_bytes(self) -> bytes:
        return decode_bytes(self.original, self.original_encoding)

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        # Version 2 is version 3 without the stage `stories`: read as it is.
        if isinstance(data, dict) and data.get("schema_version") == 2:
            return {**data, "schema_version": REJECTION_SCHEMA_VERSION}
        # Version 1 always carried the whole original: its size and hash follow from it.
        if isinstance(data, dict) and data.get("schema_version") == 1:
            data = dict(data)
            try:
                original = decode_bytes(data.get("original", ""), data.get("original_encoding", "utf-8"))
            except (ValueError, TypeError, AttributeError):
                original = b""
            data.setdefault("original_size", len(original))
            data.setdefault("original_sha256", hashlib.sha256(original).hexdigest())
            data["schema_version"] = REJECTION_SCHEMA_VERSION
        return data
