"""Faust 0.15.3 has no public accessor for what /health, /ready and /metrics need to know of its
consumer: the offsets it committed, whether it knows its group coordinator, and whether a table
recovery is under way. No upstream issue asks for one (faust-streaming issues searched
2026-12-03). The attributes are read directly: `verify` checks at start-up that they exist, so a
rename fails the worker at once instead of leaving /ready at 503 with no error."""

from __future__ import annotations

from typing import Any, Mapping

from faust.types import TP

from wirestream.faust_fixes.upstream import require


def verify_consumer(consumer: Any) -> None:
    """Faust's consumer, once built (before it starts)."""
    require(consumer, "_committed_offset", "_thread", fix="consumer_state")
    require(consumer._thread, "_consumer", fix="consumer_state")


def verify_client(client: Any) -> None:
    """aiokafka's consumer, once created (before it starts)."""
    require(client, "_coordinator", fix="consumer_state")


def committed_offsets(consumer: Any) -> Mapping[TP, int | None]:
    """The next offset to read, per partition, as last committed by this consumer."""
    offsets: Mapping[TP, int | None] = consumer._committed_offset
    return offsets


def coordinator_known(consumer: Any) -> bool:
    """aiokafka forgets the coordinator when a heartbeat or commit cannot reach it, so a known
    coordinator is the consumer's own view that the broker is there."""
    client = consumer._thread._consumer  # None until the consumer thread has started
    coordinator = client._coordinator if client is not None else None  # None until aiokafka started
    return coordinator is not None and coordinator.coordinator_id is not None


def in_recovery(app: Any) -> bool:
    """Faust's recovery sets `app.in_recovery` while it restores tables; the app has no such
    attribute before the first recovery starts."""
    return bool(app.__dict__.get("in_recovery", False))
