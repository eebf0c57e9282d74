"""The dedupe window with an injected clock: an id is remembered for the retention after its latest
revision was enriched, whatever the sweep does, after a recovery too; the sweep forgets expired ids
with a tombstone, only in the partitions it is given, at most once per interval."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from wirestream.contracts import SeenId
from wirestream.enrich.revisions import ExpiryQueue, Remembered, Revision, next_revision
from wirestream.serialization import decode_model, encode_model
from wirestream.worker.tables import ExpiringSeenIds, sweep_interval

RETENTION = 86_400.0
T0 = 1_790_000_000.0  # a day in 2026, in seconds since the epoch


class Clock:
    def __init__(self, start: float = T0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class Event(SimpleNamespace):
    """An event a Faust table can act for (it keeps a weak reference to it)."""


def on(partition: int) -> Any:
    return Event(message=SimpleNamespace(topic="wirestream.ingested", partition=partition, offset=0))


class FakeTable(dict):  # type: ignore[type-arg]
    """A table's local contents; `popped` lists the deletes a Faust table turns into tombstones."""

    def __init__(self) -> None:
        super().__init__()
        self.callbacks: list[Any] = []
        self.popped: list[str] = []

    def on_recover(self, callback: Any) -> None:
        self.callbacks.append(callback)

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self:
            self.popped.append(key)
        return super().pop(key, *default)

    async def recover(self) -> None:
        for callback in self.callbacks:
            await callback()


def first(article_id: str, digest: str = "h1") -> Revision:
    revision = next_revision(None, digest)
    assert revision is not None
    return revision


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def table() -> FakeTable:
    return FakeTable()


@pytest.fixture
def seen(table: FakeTable, clock: Clock) -> ExpiringSeenIds:
    return ExpiringSeenIds(table, RETENTION, clock=clock)


@pytest.mark.parametrize("after", [1, 120, 3_600, 0.8 * RETENTION, RETENTION - 1],
                         ids=["a second", "two minutes", "an hour", "0.8 of the window", "a second before its end"])
def test_an_id_is_remembered_for_the_whole_window(seen: ExpiringSeenIds, clock: Clock, after: float) -> None:
    seen.remember(on(3), "a", first("a"))
    clock.now += after
    seen.sweep([on(3)])  # a sweep inside the window changes nothing
    assert seen.latest(on(3), "a") == first("a")
    assert next_revision(seen.latest(on(3), "a"), "h1") is None  # the re-send is a duplicate


@pytest.mark.parametrize("after", [RETENTION, RETENTION + 1, 2 * RETENTION],
                         ids=["at its end", "a second after", "two windows after"])
def test_after_the_window_the_id_is_forgotten_even_before_any_sweep(seen: ExpiringSeenIds, clock: Clock,
                                                                     after: float) -> None:
    seen.remember(on(3), "a", first("a"))
    clock.now += after
    assert seen.latest(on(3), "a") is None
    assert next_revision(seen.latest(on(3), "a"), "h1") == first("a")  # enriched again, as revision 1


def test_a_new_revision_starts_the_window_again_and_a_resend_does_not(seen: ExpiringSeenIds, clock: Clock) -> None:
    seen.remember(on(0), "a", first("a"))
    clock.now += 0.9 * RETENTION
    second = next_revision(seen.latest(on(0), "a"), "h2")
    assert second is not None and second.number == 2
    seen.remember(on(0), "a", second)
    clock.now += 0.5 * RETENTION  # 1.4 windows after revision 1, 0.5 after revision 2
    assert seen.latest(on(0), "a") == second
    assert next_revision(seen.latest(on(0), "a"), "h1") is None  # revision 1 re-sent late: still a duplicate
    record = decode_model(SeenId, seen.table["a"])
    assert record.first_enriched_at.timestamp() == T0 and record.enriched_at.timestamp() == T0 + 0.9 * RETENTION


def test_the_sweep_forgets_expired_ids_with_a_tombstone_only_in_the_partitions_it_is_given(
    seen: ExpiringSeenIds, table: FakeTable, clock: Clock,
) -> None:
    seen.remember(on(0), "old-0", first("old-0"))
    seen.remember(on(1), "old-1", first("old-1"))
    clock.now += RETENTION / 2
    seen.remember(on(0), "young-0", first("young-0"))
    clock.now += RETENTION / 2 + 1
    assert seen.sweep([on(0), on(0)]) == 1
    assert table.popped == ["old-0"]  # partition 1 is not being processed here: not touched
    assert set(table) == {"old-1", "young-0"} and len(seen) == 2
    assert seen.sweep([on(1)]) == 1 and table.popped == ["old-0", "old-1"]


def test_a_partition_is_swept_at_most_once_per_interval(seen: ExpiringSeenIds, table: FakeTable, clock: Clock) -> None:
    assert sweep_interval(RETENTION) == 60 and sweep_interval(40) == 10
    seen.remember(on(0), "a", first("a"))
    clock.now += 30
    seen.remember(on(0), "c", first("c"))
    clock.now = T0 + RETENTION
    assert seen.sweep([on(0)]) == 1 and table.popped == ["a"]
    clock.now = T0 + RETENTION + 40  # "c" has expired, but the last sweep was 40 s ago
    assert seen.latest(on(0), "c") is None  # a lookup does not wait for the sweep
    assert seen.sweep([on(0)]) == 0 and "c" in table
    clock.now = T0 + RETENTION + 61
    assert seen.sweep([on(0)]) == 1 and table.popped == ["a", "c"]


async def test_after_a_recovery_the_window_is_measured_from_the_recorded_times(table: FakeTable, clock: Clock) -> None:
    before = ExpiringSeenIds(table, RETENTION, clock=clock)
    before.remember(on(2), "kept", first("kept"))
    clock.now += 0.6 * RETENTION
    before.remember(on(5), "later", first("later"))
    # A new process (a restart, or a rebalance that moved the partitions) recovers the same table.
    clock.now += 0.3 * RETENTION
    table.callbacks.clear()
    after = ExpiringSeenIds(table, RETENTION, clock=clock)
    await table.recover()
    assert after.latest(on(2), "kept") is not None and after.latest(on(5), "later") is not None
    assert len(after) == 2
    clock.now += 0.2 * RETENTION  # 1.1 windows after "kept", 0.5 after "later"
    assert after.latest(on(2), "kept") is None and after.latest(on(5), "later") is not None
    assert after.sweep([on(2), on(5)]) == 1 and table.popped == ["kept"]


async def test_records_of_the_windowed_table_are_read_as_forgotten_and_dropped_at_recovery(
    seen: ExpiringSeenIds, table: FakeTable,
) -> None:
    old_value = b'{"content_hash": "h1", "revision": 1, "previous_content_hash": null, "seen": ["h1"]}'
    table[("a", (0.0, 86399.9))] = old_value  # version 1: keyed by (id, window), no times
    table["b"] = old_value  # a version 1 value under a plain key
    await table.recover()
    assert seen.latest(on(0), "a") is None and seen.latest(on(0), "b") is None
    assert dict(table) == {} and table.popped == [("a", (0.0, 86399.9)), "b"]


def test_the_table_value_is_what_the_changelog_contract_says(seen: ExpiringSeenIds) -> None:
    second = next_revision(first("a"), "h2")
    assert second is not None
    seen.remember(on(7), "a", second)
    record = decode_model(SeenId, seen.table["a"])
    assert (record.schema_version, record.revision, record.seen, record.partition) == (2, 2, ["h1", "h2"], 7)
    assert decode_model(SeenId, encode_model(record)) == record


def test_the_expiry_queue_keeps_the_order_when_the_clock_steps_back() -> None:
    queue = ExpiryQueue()
    queue.add(0, "a", 100.0)
    queue.add(0, "b", 300.0)
    queue.add(0, "c", 200.0)  # the clock stepped back between "b" and "c"
    queue.add(1, "a", 400.0)  # remembered again from another partition: moved there
    assert queue.due(0, 250.0) == ["c"]
    assert queue.due(0, 1e9) == ["b"] and queue.due(1, 1e9) == ["a"] and len(queue) == 0


def test_remembered_after_a_revision_keeps_the_first_time_inside_the_window() -> None:
    kept = Remembered(first("a"), T0, T0)
    assert kept.after(first("a"), T0 + 10, RETENTION) == Remembered(first("a"), T0 + 10, T0)
    assert kept.after(first("a"), T0 + RETENTION, RETENTION) == Remembered(first("a"), T0 + RETENTION, T0 + RETENTION)
