"""What a worker's /health and /ready report: alive, and ready to do its share of the work.

Ready means: the group coordinator is known (the broker answers), the last rebalance and
any table recovery are over, and the worker holds partitions. Everything is read from the
running Faust app; nothing here talks to the network.
"""

from __future__ import annotations

from typing import Any, Mapping

from faust.exceptions import ConsumerNotStarted

from wirestream.faust_fixes.consumer_state import (
    committed_offsets,
    coordinator_known,
    in_recovery,
)
from wirestream.settings import Stage


def _assigned(consumer: Any) -> set[Any] | None:
    """The consumer's partitions; None before it has started (the web server answers a few hundred
    milliseconds before it, and a probe may ask then)."""
    try:
        return set(consumer.assignment())
    except ConsumerNotStarted:
        return None


def assignment_of(app: Any) -> dict[str, list[int]] | None:
    """The partitions this worker holds, by topic; None before its consumer has started."""
    assigned = _assigned(app.consumer)
    if assigned is None:
        return None
    held: dict[str, list[int]] = {}
    for tp in assigned:
        held.setdefault(tp.topic, []).append(tp.partition)
    return {topic: sorted(partitions) for topic, partitions in sorted(held.items())}


def waiting_records(app: Any, topics: Mapping[Stage, str]) -> dict[str, int]:
    """Per agent (agent -> the topic it reads): records on its partitions not yet committed.

    Nothing counts while the group coordinator is unknown or a rebalance is under way: a broker
    outage is waited out (see README, Guarantees), not reported as a stalled agent.
    """
    if not coordinator_known(app.consumer) or app.rebalancing:
        return {}
    consumer = app.consumer
    assigned = _assigned(consumer)
    if assigned is None:
        return {}
    committed = committed_offsets(consumer)
    waiting: dict[str, int] = {agent: 0 for agent in topics}
    by_topic = {topic: agent for agent, topic in topics.items()}
    for tp in assigned:
        agent = by_topic.get(tp.topic)
        highwater = consumer.highwater(tp)
        if agent is None or highwater is None or highwater < 0:
            continue
        waiting[agent] += max(0, highwater - (committed.get(tp) or 0))
    return waiting


def readiness(app: Any, problems: list[str] | None = None) -> tuple[bool, dict[str, Any]]:
    """(ready?, the JSON body): the reasons it is not ready, and the partitions it holds.

    `problems` are the watchdog's (a dead or stalled agent): they make the worker unready too.
    """
    reasons: list[str] = list(problems or [])
    if not coordinator_known(app.consumer):
        reasons.append("not connected to the group coordinator")
    if app.rebalancing:
        reasons.append("rebalancing")
    if in_recovery(app):
        reasons.append("recovering tables")
    assignment = assignment_of(app)
    if assignment is None:
        reasons.append("the consumer has not started")
    elif not assignment:
        reasons.append("holds no partitions")
    return not reasons, {
        "ready": not reasons,
        "reasons": reasons,
        "group": app.conf.id,
        "assignment": assignment or {},
        "rebalances": app.rebalancing_count,
    }
