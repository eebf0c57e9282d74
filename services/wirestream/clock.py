"""The time, always timezone-aware UTC: arrival and processing stamps are compared across machines."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
