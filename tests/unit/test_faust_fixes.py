"""The fixes over Faust and aiokafka, with fakes and no broker: deterministic, where the fault tests
only catch these defects some of the time. Each fix is also shown against the upstream code it
replaces, so that an upstream release that fixes the defect is noticed (the test then fails, and
the fix may go). The tripwire: installed versions and upstream sources are what the fixes were
written for (`faust_fixes/upstream.py`)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace
from typing import Any, AsyncIterator

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.consumer.fetcher import Fetcher
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP
from intervaltree import IntervalTree
from mode.utils.queues import FlowControlEvent, FlowControlQueue
from wirestream.faust_fixes import App
from wirestream.faust_fixes.rebalance_window import NeverEmpty, ResumeAfterRebalance
from wirestream.faust_fixes.skipped_messages import SkipNothing
from wirestream.faust_fixes.upstream import (
    PINNED_VERSIONS,
    UPSTREAM_SOURCES,
    UpstreamChanged,
    drift,
    require,
)

TOPIC_PARTITION = TP("wirestream.ingested", 3)


# -- the tripwire -----------------------------------------------------------------------------------


def test_the_installed_faust_aiokafka_and_mode_are_the_versions_and_code_the_fixes_were_written_for() -> None:
    assert drift() == [], "re-read the fixes against the new upstream code, then update faust_fixes/upstream.py"


def test_the_pins_in_pyproject_are_the_ones_the_tripwire_checks() -> None:
    from tests.conftest import PROJECT

    pyproject = (PROJECT / "pyproject.toml").read_text()
    for name, version in PINNED_VERSIONS.items():
        assert f'"{name}=={version}"' in pyproject


def test_the_tripwire_notices_a_changed_upstream_function(monkeypatch: pytest.MonkeyPatch) -> None:
    target = "faust.streams:Stream.take_events"
    fix, digest = UPSTREAM_SOURCES[target]
    monkeypatch.setitem(UPSTREAM_SOURCES, target, (fix, "0" * 64))
    assert drift() == [f"{target} (used by batch_acks) has changed since the fix was written"]


def test_a_missing_private_attribute_fails_loudly_naming_the_fix_and_the_pins() -> None:
    with pytest.raises(UpstreamChanged) as raised:
        require(SimpleNamespace(_acked={}), "_acked", "_committed_offset", fix="skipped_messages")
    message = str(raised.value)
    assert "has no _committed_offset" in message and "faust_fixes.skipped_messages" in message
    assert "faust-streaming==0.15.3" in message and raised.value.code == "upstream_changed"


def test_a_worker_whose_consumer_lacks_what_health_reads_stops_at_start_up() -> None:
    from wirestream.settings import Settings
    from wirestream.worker.app import make_faust_app

    app = make_faust_app(Settings())
    consumer = app.consumer  # built as at start-up: the checks pass on the pinned versions
    assert consumer._committed_offset is not None  # type: ignore[attr-defined]

    class Renamed(type(consumer)):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)

        def __getattribute__(self, name: str) -> Any:
            if name == "_committed_offset":
                raise AttributeError(name)
            return super().__getattribute__(name)

    with pytest.raises(UpstreamChanged, match="_committed_offset"):
        Renamed(app.transport, callback=consumer.callback, on_partitions_revoked=lambda *a: None,
                on_partitions_assigned=lambda *a: None)


# -- batch acks: a batch is acked only when the agent asks for the next ---------------------------


async def _stream_of(values: list[int], *, upstream: bool = False) -> tuple[Any, list[int]]:
    """A stream over an in-memory channel holding `values`; ours, or Faust's own."""
    import faust

    app = App(f"batch-acks-{id(values)}", broker="memory://", store="memory://")
    if upstream:
        app.conf.Stream = faust.Stream
    app.flow_control.resume()
    channel = app.channel()
    stream = app.stream(channel)
    acked: list[int] = []
    ack = stream.ack

    async def recording_ack(event: Any) -> bool:
        acked.append(event.value)
        return bool(await ack(event))

    stream.ack = recording_ack  # the test's view of what reaches the consumer's ack
    for value in values:
        await channel.send(value=value)
    await stream.maybe_start()
    return stream, acked


async def test_a_batch_is_acked_when_the_agent_asks_for_the_next_and_an_unfinished_one_never() -> None:
    stream, acked = await _stream_of([0, 1, 2, 3, 4])
    batches = stream.take_events(2, within=0.2).__aiter__()
    first = await batches.__anext__()
    assert [event.value for event in first] == [0, 1] and acked == []  # being processed: not acked
    second = await batches.__anext__()
    assert [event.value for event in second] == [2, 3] and acked == [0, 1]
    await batches.aclose()  # the agent stopped (crashed, cancelled, a write failed) inside batch two
    assert acked == [0, 1], "an unfinished batch was acked: its offsets would be committed"
    await stream.stop()


async def test_upstream_take_events_acks_a_batch_the_agent_never_finished() -> None:
    stream, acked = await _stream_of([0, 1, 2, 3], upstream=True)
    batches = stream.take_events(2, within=0.2).__aiter__()
    await batches.__anext__()
    await batches.aclose()
    assert acked == [0, 1], "upstream no longer acks an unfinished batch: batch_acks may be retired"
    await stream.stop()


# -- skipped messages: never commit past a hole, rewind to it ---------------------------------------


class FakeConsumer(SkipNothing):
    """The consumer's offset bookkeeping alone (no Faust service, no thread); rewinds recorded."""

    def __init__(self, committed: int | None, acked: list[int]) -> None:  # no Faust init on purpose
        self._acked: dict[TP, list[int]] = defaultdict(list, {TOPIC_PARTITION: list(acked)})
        self._acked_index: dict[TP, set[int]] = defaultdict(set, {TOPIC_PARTITION: set(acked)})
        self._committed_offset: dict[TP, int | None] = defaultdict(lambda: None, {TOPIC_PARTITION: committed})
        self._gap: dict[TP, IntervalTree] = defaultdict(IntervalTree)
        self._read_offset: dict[TP, int | None] = defaultdict(lambda: None)
        self.rewinds: list[tuple[TP, int]] = []

    async def _rewind(self, tp: TP, offset: int) -> None:
        self.rewinds.append((tp, offset))


def test_upstream_commits_past_a_one_message_hole_at_the_head() -> None:
    # faust-streaming #606: offset 2585 was handed over and never acked, 2586-2589 were.
    consumer = FakeConsumer(committed=2585, acked=[2586, 2587, 2588, 2589])
    assert faust_aiokafka.Consumer._new_offset(consumer, TOPIC_PARTITION) == 2590, (
        "upstream no longer commits past the hole: skipped_messages (2) may be retired")


async def test_a_hole_at_the_head_is_not_committed_past_but_rewound_to() -> None:
    consumer = FakeConsumer(committed=2585, acked=[2586, 2587, 2588, 2589])
    assert consumer._new_offset(TOPIC_PARTITION) is None
    await asyncio.sleep(0)  # the rewind is scheduled, not awaited, by the commit path
    assert consumer.rewinds == [(TOPIC_PARTITION, 2585)]
    assert consumer._acked[TOPIC_PARTITION] == [2586, 2587, 2588, 2589]  # kept for when 2585 is done


async def test_without_a_hole_the_offset_after_the_acked_run_is_committed() -> None:
    consumer = FakeConsumer(committed=2585, acked=[2585, 2586, 2587, 2590])
    assert consumer._new_offset(TOPIC_PARTITION) == 2588
    await asyncio.sleep(0)
    assert consumer.rewinds == []


async def test_a_hole_that_never_heals_is_finally_accepted() -> None:
    consumer = FakeConsumer(committed=10, acked=[12, 13])
    for _ in range(SkipNothing._MAX_REWINDS):
        assert consumer._new_offset(TOPIC_PARTITION) is None
    assert consumer._new_offset(TOPIC_PARTITION) == 14  # 10 and 11 are not in the log: going on
    await asyncio.sleep(0)
    assert len(consumer.rewinds) == SkipNothing._MAX_REWINDS


async def test_a_jump_in_offsets_is_not_taken_for_a_compaction_gap() -> None:
    consumer = FakeConsumer(committed=10, acked=[])
    consumer.app = SimpleNamespace(in_transaction=False)  # type: ignore[assignment]
    await consumer._add_gap(TOPIC_PARTITION, 11, 14)
    assert not consumer._gap[TOPIC_PARTITION]  # left as a hole, for the rewind to heal
    upstream = FakeConsumer(committed=10, acked=[])
    await faust_aiokafka.Consumer._add_gap(upstream, TOPIC_PARTITION, 11, 14)
    assert upstream._gap[TOPIC_PARTITION], "upstream no longer records the jump as a gap"


class DrainingConsumer(FakeConsumer):
    """Enough of a consumer for `_drain_messages`: one fetch of `messages`, a hand-over that the
    flow's suspension cuts short from the `cut_at`-th message on."""

    def __init__(self, messages: list[Any], cut_at: int) -> None:
        super().__init__(committed=None, acked=[])
        self._messages = messages
        self._cut_at = cut_at
        self.delivered: list[int] = []
        self.suspend_flow = asyncio.Event()
        self._stopped = asyncio.Event()
        self.diag = SimpleNamespace(set_flag=lambda flag: None, unset_flag=lambda flag: None)
        self.app = SimpleNamespace(topics=SimpleNamespace(acks_enabled_for=lambda topic: True),
                                   in_transaction=False)
        self.transport = SimpleNamespace(app=SimpleNamespace(should_stop=True))
        self._commit_every = None
        self._n_acked = 0

    @property
    def should_stop(self) -> bool:  # type: ignore[override]
        return False

    async def sleep(self, seconds: float) -> None:  # type: ignore[override]
        await asyncio.sleep(0)

    async def wait_first(self, *waits: Any) -> Any:  # type: ignore[override]
        futures = [asyncio.ensure_future(w) for w in waits]
        await asyncio.wait(futures, return_when=asyncio.FIRST_COMPLETED)
        for future in futures:
            if not future.done():
                future.cancel()

    async def callback(self, message: Any) -> None:  # type: ignore[override]
        if len(self.delivered) >= self._cut_at:
            self.suspend_flow.set()  # a rebalance began while this message was being handed over
            await asyncio.Event().wait()
        self.delivered.append(message.offset)

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Any]]:  # type: ignore[override]
        for message in self._messages:
            yield TOPIC_PARTITION, message
        self._stopped.set()  # one fetch is enough for the test


async def test_a_hand_over_cut_short_by_a_suspended_flow_rewinds_instead_of_skipping() -> None:
    messages = [SimpleNamespace(offset=offset, topic=TOPIC_PARTITION.topic) for offset in (40, 41, 42, 43)]
    consumer = DrainingConsumer(messages, cut_at=2)
    fetcher = SimpleNamespace(_stopped=asyncio.Event())
    await asyncio.wait_for(consumer._drain_messages(fetcher), 5)
    assert consumer.delivered == [40, 41]
    assert consumer._read_offset[TOPIC_PARTITION] == 41  # not advanced past the message cut short
    assert consumer.rewinds == [(TOPIC_PARTITION, 42)]  # read again from it once the flow resumes


# -- rebalance window: nothing handed over while a rebalance ends; uncommitted partitions re-read ----

STREAM = TP("articles.raw", 7)
CHANGELOG = TP("wirestream-seen_ids-changelog", 7)


class RebalancingConsumer(ResumeAfterRebalance):
    """Partition bookkeeping and the seek calls alone (no Faust service, no thread)."""

    def __init__(self, assigned: set[TP], committed: dict[TP, int | None]) -> None:  # no Faust init on purpose
        self.app = SimpleNamespace(rebalancing=True, tables=SimpleNamespace(changelog_topics={CHANGELOG.topic}),
                                   conf=SimpleNamespace(consumer_auto_offset_reset="earliest"))
        self._assigned = set(assigned)
        self._active_partitions: set[TP] = set()
        self._paused_partitions: set[TP] = set(assigned)
        self._held: set[TP] = set()
        self._read_offset: dict[TP, int | None] = defaultdict(lambda: None)
        self._committed_offset: dict[TP, int | None] = defaultdict(lambda: None)
        self._broker_committed = committed
        self.sought_to_beginning: list[TP] = []
        self._thread = SimpleNamespace(seek_to_beginning=self._seek_to_beginning, seek_to_committed=self._seek_to_committed)

    def assignment(self) -> set[TP]:  # type: ignore[override]
        return set(self._assigned)

    async def _seek_to_committed(self) -> dict[TP, int | None]:
        return {tp: self._broker_committed.get(tp) for tp in self._assigned}

    async def _seek_to_beginning(self, *partitions: Any) -> None:
        if not all(isinstance(tp, TopicPartition) for tp in partitions):
            raise TypeError("partitions must be TopicPartition instances")  # as aiokafka says
        self.sought_to_beginning.extend(partitions)


def test_stream_partitions_resumed_while_a_rebalance_ends_wait_for_its_end() -> None:
    consumer = RebalancingConsumer({STREAM, CHANGELOG}, committed={})
    consumer.resume_partitions({STREAM, CHANGELOG})
    assert consumer._active_partitions == {CHANGELOG}  # the changelog is read to recover the tables
    assert STREAM in consumer._paused_partitions  # nothing of it handed over for the clear to drop
    consumer.app.rebalancing = False
    consumer.resume_held_partitions()
    assert consumer._active_partitions == {STREAM, CHANGELOG} and not consumer._paused_partitions


def test_a_held_partition_revoked_before_the_rebalance_ends_is_not_resumed() -> None:
    consumer = RebalancingConsumer({STREAM}, committed={})
    consumer.resume_partitions({STREAM})
    consumer._assigned.clear()
    consumer.resume_held_partitions()
    assert consumer._active_partitions == set() and consumer._held == set()


def test_outside_a_rebalance_partitions_resume_at_once() -> None:
    consumer = RebalancingConsumer({STREAM}, committed={})
    consumer.app.rebalancing = False
    consumer.resume_partitions({STREAM})
    assert consumer._active_partitions == {STREAM}


def test_upstream_flow_control_clears_the_agents_buffers_on_every_resume() -> None:
    # Why (1) is needed: Faust resumes the flow after its seek, when it was already resumed, and a
    # message handed over in between is dropped.
    flow_control = FlowControlEvent()
    flow_control.resume()
    buffer: FlowControlQueue[int] = FlowControlQueue(flow_control=flow_control, clear_on_resume=True)
    buffer.put_nowait_enhanced(0, on_pressure_high=lambda: None, on_pressure_drop=lambda: None)
    flow_control.resume()
    assert buffer.empty(), "mode no longer clears on a resume that changes nothing: rebalance_window (1) may go"


async def test_a_partition_with_nothing_committed_is_sought_to_its_beginning() -> None:
    other, remembered = TP("articles.raw", 3), TP("articles.raw", 5)
    consumer = RebalancingConsumer({STREAM, other, remembered, CHANGELOG}, committed={other: 42, remembered: 9})
    consumer._committed_offset[STREAM] = 17  # what Faust remembered is not what the broker says now
    await consumer.perform_seek()
    assert consumer.sought_to_beginning == [STREAM]  # not the committed ones, not the changelog
    assert consumer._committed_offset[other] == 42 and consumer._read_offset[STREAM] is None


async def test_upstream_seek_to_committed_leaves_a_partition_with_nothing_committed_where_it_is() -> None:
    sought: list[tuple[TP, int]] = []
    upstream = SimpleNamespace(
        _subscription=SimpleNamespace(assigned_partitions=lambda: {STREAM}),
        _fetcher=SimpleNamespace(seek_to=lambda tp, offset: sought.append((tp, offset))),
        committed=lambda tp: asyncio.sleep(0, result=None))
    assert await AIOKafkaConsumer.seek_to_committed(upstream) == {STREAM: None}
    assert sought == [], "aiokafka now seeks an uncommitted partition: rebalance_window (2) may go"


async def test_a_fetch_whose_active_partitions_all_paused_meanwhile_returns_none_of_them() -> None:
    class Fetched(Exception):
        pass

    def read_stream() -> None:  # what reading STREAM's buffered result does here: say it was read
        raise Fetched()

    def fetcher() -> Any:  # aiokafka's Fetcher, as far as fetched_records reads it; STREAM has a record
        return SimpleNamespace(_subscriptions=SimpleNamespace(reassignment_in_progress=False, is_assigned=lambda tp: True),
                               _records={STREAM: SimpleNamespace(check_raise=read_stream)},
                               _notify=lambda future: None, _wait_consume_future=None)

    with pytest.raises(Fetched):  # upstream: an empty set of active partitions reads every partition
        await Fetcher.fetched_records(fetcher(), set(), timeout=0)
    assert await Fetcher.fetched_records(fetcher(), NeverEmpty(set()), timeout=0) == {}
    live = {CHANGELOG}
    view = NeverEmpty(live)
    live.add(STREAM)  # a view: partitions resumed while the fetch waits are read
    assert STREAM in view and len(view) == 2 and set(view) == {STREAM, CHANGELOG}
