"""The record of a message wirestream could not enrich, on `articles.rejected`."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Encoding = Literal["utf-8", "base64"]


def encode_bytes(data: bytes) -> tuple[str, Encoding]:
    """Bytes as text: UTF-8 when they are valid UTF-8, else base64 (so nothing is altered)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), "base64"


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

    schema_version: Literal[1] = 1
    reason: str = Field(description="Stable code, e.g. 'invalid_json', 'empty_text', 'stage_failed'.")
    stage: str = Field(description="The stage that rejected it: ingest, language, dateline, entities.")
    error: str = Field(description="Human-readable detail.")
    received_at: datetime
    article_id: str | None = None
    key: str | None
    key_encoding: Encoding = "utf-8"
    original: str
    original_encoding: Encoding = "utf-8"

    def original_bytes(self) -> bytes:
        return decode_bytes(self.original, self.original_encoding)
