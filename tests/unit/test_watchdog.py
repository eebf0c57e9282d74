"""/health and /ready: a dead agent, or one that holds lagging partitions without progress, makes
the worker unhealthy so that a supervisor restarts it; a broker outage does not."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from faust.types import TP
from wirestream.worker.health import readiness, waiting_records
from wirestream.worker.watchdog import Watchdog


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fake_app(highwaters: dict[tuple[str, int], int], committed: dict[tuple[str, int], int], *,
             connected: bool = True, rebalancing: bool = False) -> Any:
    tps = {TP(t, p): v for (t, p), v in highwaters.items()}
    coordinator = SimpleNamespace(coordinator_id=1 if connected else None)
    consumer = SimpleNamespace(
        assignment=lambda: set(tps), highwater=lambda tp: tps[tp],
        _committed_offset={TP(t, p): v for (t, p), v in committed.items()},
        _thread=SimpleNamespace(_consumer=SimpleNamespace(_coordinator=coordinator)),
    )
    return SimpleNamespace(consumer=consumer, rebalancing=rebalancing, in_recovery=False, rebalancing_count=0,
                           conf=SimpleNamespace(id="wirestream"))


AGENTS = {"ingest": "articles.raw", "enrich": "wirestream.ingested"}


def test_records_waiting_are_counted_per_agent_from_its_own_topic_only() -> None:
    app = fake_app({("articles.raw", 0): 10, ("wirestream.ingested", 0): 7, ("wirestream.ingested", 1): 3,
                    ("wirestream-seen_ids-changelog", 0): 50},
                   {("articles.raw", 0): 10, ("wirestream.ingested", 0): 2})
    assert waiting_records(app, AGENTS) == {"ingest": 0, "enrich": 8}


def test_nothing_counts_as_waiting_while_the_broker_is_away_or_the_group_rebalances() -> None:
    lagging = {("wirestream.ingested", 0): 7}
    assert waiting_records(fake_app(lagging, {}, connected=False), AGENTS) == {}
    assert waiting_records(fake_app(lagging, {}, rebalancing=True), AGENTS) == {}


def test_an_agent_with_records_waiting_and_no_progress_past_the_timeout_is_stalled() -> None:
    clock = Clock()
    watchdog = Watchdog(stall_timeout=120, clock=clock)
    watchdog.progress("enrich")
    clock.now += 119
    assert watchdog.problems({"enrich": 5}) == []
    clock.now += 2
    assert watchdog.problems({"enrich": 5}) == ["agent enrich has made no progress for 121s with 5 records waiting"]
    assert watchdog.problems({"enrich": 0}) == []  # idle with nothing to do is fine
    watchdog.progress("enrich")
    assert watchdog.problems({"enrich": 5}) == []


def test_a_dead_agent_stays_a_problem_and_makes_the_worker_unready() -> None:
    watchdog = Watchdog(stall_timeout=120, clock=Clock())
    watchdog.died("enrich", RuntimeError("boom"))
    watchdog.progress("enrich")  # a restarted actor does not make the worker whole again
    problems = watchdog.problems({})
    assert problems == ["agent enrich died: RuntimeError: boom"]
    ready, body = readiness(fake_app({("wirestream.ingested", 0): 1}, {}), problems)
    assert not ready and body["reasons"][0] == "agent enrich died: RuntimeError: boom"


def test_a_healthy_worker_holding_partitions_is_ready() -> None:
    ready, body = readiness(fake_app({("wirestream.ingested", 0): 1}, {("wirestream.ingested", 0): 1}), [])
    assert ready and body["reasons"] == [] and body["assignment"] == {"wirestream.ingested": [0]}


def test_a_probe_before_the_consumer_has_started_is_answered_not_ready() -> None:
    # The web server answers before Faust's consumer thread runs: a readiness probe then must get
    # a 503 with the reason, not an error (it raised ConsumerNotStarted, a 500 and a traceback).
    from faust.exceptions import ConsumerNotStarted

    def not_started() -> set[TP]:
        raise ConsumerNotStarted("Consumer thread not yet started")

    app = fake_app({}, {})
    app.consumer.assignment = not_started
    ready, body = readiness(app, [])
    assert not ready and "the consumer has not started" in body["reasons"] and body["assignment"] == {}
    assert waiting_records(app, AGENTS) == {}
