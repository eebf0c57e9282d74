"""What a worker's /health and /ready report: alive, and ready to do its share of the work.

Ready means: the group coordinator is known (the broker answers), the last rebalance and
any table recovery are over, and the worker holds partitions. Everything is read from the
running Faust app; nothing here talks to the network.
"""

from __future__ import annotations

from typing import Any


def assignment_of(app: Any) -> dict[str, list[int]]:
    """The partitions this worker holds, by topic."""
    held: dict[str, list[int]] = {}
    for tp in app.consumer.assignment():
        held.setdefault(tp.topic, []).append(tp.partition)
    return {topic: sorted(partitions) for topic, partitions in sorted(held.items())}


def _coordinator_known(app: Any) -> bool:
    # aiokafka forgets the coordinator when a heartbeat or commit cannot reach it, so a known
    # coordinator is the consumer's own view that the broker is there.
    consumer = getattr(app.consumer._thread, "_consumer", None)  # noqa: SLF001 - no public accessor
    coordinator = getattr(consumer, "_coordinator", None)
    return getattr(coordinator, "coordinator_id", None) is not None


def readiness(app: Any) -> tuple[bool, dict[str, Any]]:
    """(ready?, the JSON body): the reasons it is not ready, and the partitions it holds."""
    reasons: list[str] = []
    if not _coordinator_known(app):
        reasons.append("not connected to the group coordinator")
    if app.rebalancing:
        reasons.append("rebalancing")
    if getattr(app, "in_recovery", False):
        reasons.append("recovering tables")
    assignment = assignment_of(app)
    if not assignment:
        reasons.append("holds no partitions")
    return not reasons, {
        "ready": not reasons,
        "reasons": reasons,
        "group": app.conf.id,
        "assignment": assignment,
        "rebalances": app.rebalancing_count,
    }
