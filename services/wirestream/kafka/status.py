"""`wirestream status`: the topics, how far each consumer group has got, and the current rates.

End offsets come from fetch responses (the high-water mark of each partition): the embedded
broker answers ListOffsets wrongly, and a fetch is right everywhere. Committed offsets come
from the group coordinator. Rates are the growth of end offsets over a short interval.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from wirestream.kafka.clients import client_options
from wirestream.kafka.topics import topic_catalogue
from wirestream.settings import Settings


@dataclass
class TopicStatus:
    name: str
    partitions: int
    end_offsets: list[int]
    rate: float = 0.0  # records/s over the sampling interval

    @property
    def records(self) -> int:
        return sum(self.end_offsets)


@dataclass
class GroupStatus:
    group: str
    stage: str
    topic: str
    committed: list[int | None]
    lag: list[int]

    @property
    def total_lag(self) -> int:
        return sum(self.lag)


@dataclass
class Status:
    bootstrap_servers: str
    interval: float
    topics: list[TopicStatus] = field(default_factory=list)
    groups: list[GroupStatus] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for topic, topic_status in zip(data["topics"], self.topics):
            topic["records"] = topic_status.records
        for group, group_status in zip(data["groups"], self.groups):
            group["total_lag"] = group_status.total_lag
        return data


async def end_offsets(settings: Settings, partitions: list[TopicPartition], timeout: float = 10) -> dict[TopicPartition, int]:
    """The high-water mark of each partition. Apache Kafka answers ListOffsets, which needs only
    the right to describe a topic; Tansu answers it wrongly, so there (and while the broker is not
    known) it is read from a fetch response, which needs the right to read."""
    consumer = AIOKafkaConsumer(**client_options(settings), enable_auto_commit=False, max_partition_fetch_bytes=1024,
                                fetch_max_wait_ms=int(settings.tuning.fetch_max_wait * 1000))
    try:  # started inside: a start cut short (a cancelled page, a broker gone) still closes it
        await consumer.start()
        if settings.broker_kind == "kafka":
            return dict(await consumer.end_offsets(partitions))
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        deadline = time.monotonic() + timeout
        while any(consumer.highwater(tp) is None for tp in partitions) and time.monotonic() < deadline:
            await consumer.getmany(*partitions, timeout_ms=200, max_records=1)
        return {tp: consumer.highwater(tp) or 0 for tp in partitions}
    finally:
        await consumer.stop()


async def committed_offsets(settings: Settings, group: str, partitions: list[TopicPartition]) -> dict[TopicPartition, int | None]:
    """The group's committed offsets, asked the way a consumer asks (OffsetFetch) without joining the group.

    The admin client's OffsetFetch is not understood by the embedded broker; a consumer's is, everywhere.
    """
    consumer = AIOKafkaConsumer(**client_options(settings), group_id=group, enable_auto_commit=False)
    try:
        await consumer.start()
        return {tp: await consumer.committed(tp) for tp in partitions}
    finally:
        await consumer.stop()


@dataclass(frozen=True)
class Look:
    """The cluster at one moment: every partition's end offset, and what each group committed."""

    at: float  # time.monotonic()
    end: dict[TopicPartition, int]
    committed: dict[tuple[str, str, str], dict[TopicPartition, int | None]]  # (group, stage, topic) -> offsets


async def look(settings: Settings) -> Look:
    catalogue = topic_catalogue(settings)
    specs = [s for s in catalogue.all() if s not in catalogue.changelogs]
    partitions = [TopicPartition(s.name, p) for s in specs for p in range(s.partitions)]
    end = await end_offsets(settings, partitions)
    at = time.monotonic()
    # Who may read what: ingest reads raw, stories the stories topic, enrich ingested, each in the
    # group its worker's stages make (a combined worker's group does all three).
    read_by = {"ingest": catalogue.raw, "stories": catalogue.stories, "enrich": catalogue.ingested}
    readers = [(group, stage, read_by[stage]) for group, stage in settings.possible_groups()]
    committed: dict[tuple[str, str, str], dict[TopicPartition, int | None]] = {}
    for group, stage, spec in readers:
        tps = [TopicPartition(spec.name, p) for p in range(spec.partitions)]
        committed[(group, stage, spec.name)] = await committed_offsets(settings, group, tps)
    return Look(at, end, committed)


def status_between(settings: Settings, first: Look | None, second: Look) -> Status:
    """The cluster at `second`, with rates over the time since `first` (0 without it)."""
    catalogue = topic_catalogue(settings)
    specs = [s for s in catalogue.all() if s not in catalogue.changelogs]
    elapsed = max(second.at - first.at, 1e-9) if first is not None else 0.0
    status = Status(settings.kafka_bootstrap_servers, round(elapsed, 2))
    for spec in specs:
        tps = [TopicPartition(spec.name, p) for p in range(spec.partitions)]
        grown = sum(second.end[tp] - first.end.get(tp, second.end[tp]) for tp in tps) if first is not None else 0
        rate = round(grown / elapsed, 1) if elapsed else 0.0
        status.topics.append(TopicStatus(spec.name, spec.partitions, [second.end[tp] for tp in tps], rate))
    for (group, stage, topic), committed in second.committed.items():
        if all(offset is None for offset in committed.values()):
            continue  # this group has never read this topic (split or combined workers, not both)
        tps = sorted(committed, key=lambda tp: tp.partition)
        offsets = [committed[tp] for tp in tps]
        lag = [max(0, second.end[tp] - (offset or 0)) for tp, offset in zip(tps, offsets)]
        status.groups.append(GroupStatus(group, stage, topic, offsets, lag))
    return status


async def collect_status(settings: Settings, interval: float = 2.0) -> Status:
    """Two looks `interval` seconds apart: rates over that interval, lag at the second."""
    first = await look(settings)
    await asyncio.sleep(interval)
    return status_between(settings, first, await look(settings))


def render(status: Status) -> str:
    lines = [f"Kafka at {status.bootstrap_servers} (rates over {status.interval:.1f}s)", "",
             f"{'topic':<34} {'partitions':>10} {'records':>10} {'per s':>8}"]
    for topic in status.topics:
        lines.append(f"{topic.name:<34} {topic.partitions:>10} {topic.records:>10} {topic.rate:>8.1f}")
    lines += ["", f"{'consumer group':<24} {'stage':<8} {'reads':<24} {'lag':>8}  per partition"]
    if not status.groups:
        lines.append("(no consumer group has committed yet: no worker has run)")
    for group in status.groups:
        per_partition = " ".join(str(n) for n in group.lag)
        lines.append(f"{group.group:<24} {group.stage:<8} {group.topic:<24} {group.total_lag:>8}  {per_partition}")
    return "\n".join(lines)
