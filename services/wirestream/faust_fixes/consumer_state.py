"""Faust 0.15.3 has no public accessor for what /health, /ready and /metrics need to know of its
consumer: the offsets it committed and whether it knows its group coordinator."""

from __future__ import annotations

from typing import Any, Mapping

from faust.types import TP


def committed_offsets(consumer: Any) -> Mapping[TP, int | None]:
    """The next offset to read, per partition, as last committed by this consumer."""
    return getattr(consumer, "_committed_offset", {})


def coordinator_known(consumer: Any) -> bool:
    """aiokafka forgets the coordinator when a heartbeat or commit cannot reach it, so a known
    coordinator is the consumer's own view that the broker is there."""
    inner = getattr(getattr(consumer, "_thread", None), "_consumer", None)
    coordinator = getattr(inner, "_coordinator", None)
    return getattr(coordinator, "coordinator_id", None) is not None
