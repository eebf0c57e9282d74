"""Each Faust fix that works around a defect, shown still needed on Apache Kafka: the same fault
with the fix and without it (`unfixed_worker`). A test here that fails on its unfixed half means
upstream mended the defect, and the fix can go (docs, Stream-library defects)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from wirestream.kafka.admin import describe_group
from wirestream.kafka.kraft import KafkaCluster

from tests.integration.fleet import Fleet, report, short_article
from tests.integration.test_delivery import article

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.kafka]


@pytest.fixture
async def fleet(tmp_path: Path) -> AsyncIterator[Fleet]:
    fleet = Fleet(logs=tmp_path, kind="kafka")
    fleet.start_broker()
    try:
        yield fleet
    finally:
        await fleet.close()


def _worker(fixed: bool, left_out: str) -> tuple[str, ...]:
    return () if fixed else ("-m", "tests.integration.unfixed_worker", left_out)


async def _stable(fleet: Fleet, members: int, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while True:
        state = await describe_group(fleet.settings, "wirestream")
        if state.state == "Stable" and state.members == members:
            return
        assert time.monotonic() < deadline, f"group is {state.state} with {state.members} members; logs in {fleet.logs}"
        await asyncio.sleep(0.2)


@pytest.mark.parametrize("fixed", [True, False], ids=["with-fix", "without-fix"])
async def test_revoke_commits_a_rebalance_replays_nothing_that_was_finished(fleet: Fleet, fixed: bool) -> None:
    """faust-streaming #502: a rebalance forgets the acked offsets of the partitions it revokes. A
    minute between commits and no dedupe table, so that a replay shows as a second record."""
    fleet.extra_env.update(WIRESTREAM_COMMIT_INTERVAL="60", WIRESTREAM_DEDUPE="false")
    fleet.start_worker("w1", *_worker(fixed, "revoke_commits"))
    await fleet.follow()
    first = [short_article(i, "before") for i in range(40)]
    await fleet.publish(first)
    await fleet.until_count(40)
    fleet.start_worker("w2", *_worker(fixed, "revoke_commits"))  # a rebalance, before any commit
    await _stable(fleet, members=2)
    await fleet.publish([short_article(i, "after") for i in range(40)])
    await fleet.until_count(80)
    await asyncio.sleep(5)  # room for replays to come out
    report("revoke_commits on Apache Kafka", fixed=fixed, duplicates=fleet.duplicates())
    if fixed:
        assert fleet.duplicates() == 0
    else:
        assert fleet.duplicates() > 0, "Faust no longer replays revoked partitions: revoke_commits may go"


@pytest.mark.parametrize("fixed", [True, False], ids=["with-fix", "without-fix"])
async def test_batch_acks_an_agent_that_dies_mid_batch_commits_nothing_past_it(fleet: Fleet, fixed: bool) -> None:
    """faust-streaming #315: Faust's `take_events` acks a batch in a `finally`, so the batch an
    agent died in counts as done and its offset is committed: after a restart it is never read."""
    marker = "FATAL-5c2a"
    fleet.start_worker("w1", "-m", "tests.integration.failing_worker", "ner-dies", marker,
                       **({} if fixed else {"LEAVE_OUT_FIXES": "batch_acks"}))
    await fleet.follow()
    await fleet.publish([article("alive", 300)])
    await fleet.wait_until({"alive"})
    await fleet.publish([article("fatal", 300, marker)])
    [where] = [w for w in (await fleet.locate(["fatal"]))["fatal"] if w.startswith("wirestream.ingested")]
    partition, offset = int(where.split("[")[1].split("]")[0]), int(where.split("@")[1])
    deadline = time.monotonic() + 30
    while (await fleet.get("w1", "/health"))[0] != 503:
        assert time.monotonic() < deadline, "the agent did not die"
        await asyncio.sleep(0.3)
    await asyncio.sleep(4)  # several commit intervals
    committed = await fleet.committed("wirestream", "wirestream.ingested", partition)
    report("batch_acks on Apache Kafka", fixed=fixed, died_at=offset, committed=committed)
    if fixed:
        assert committed is None or committed <= offset
    else:
        assert committed is not None and committed > offset, "Faust no longer acks a dying batch: batch_acks may go"


def _producer_ids(fleet: Fleet, topic: str) -> set[int]:
    """The producer ids of every record batch of `topic` on disk, as Kafka's DumpLogSegments reads
    them: -1 for a producer that is not idempotent."""
    assert isinstance(fleet.broker, KafkaCluster) and fleet.broker.work_dir is not None
    segments = sorted(str(path) for path in (fleet.broker.work_dir / "node-1").glob(f"{topic}-*/*.log"))
    dumped = fleet.broker.run_tool("kafka.tools.DumpLogSegments", "--files", ",".join(segments))
    return {int(found) for found in re.findall(r"producerId: (-?\d+)", dumped)}


@pytest.mark.parametrize("idempotent", [True, False], ids=["idempotent", "default"])
async def test_idempotent_producer_the_setting_reaches_the_records_batches(fleet: Fleet, idempotent: bool) -> None:
    """Faust has no setting for it (`idempotent_producer`): with WIRESTREAM_PRODUCER_IDEMPOTENCE the
    enriched records are written by a producer with an id of its own and sequence numbers, which
    the broker uses to drop a retried batch it already has."""
    fleet.extra_env["WIRESTREAM_PRODUCER_IDEMPOTENCE"] = "true" if idempotent else "false"
    fleet.start_worker("w1")
    await fleet.follow()
    await fleet.publish([short_article(i, "idem") for i in range(20)])
    await fleet.until_count(20)
    ids = _producer_ids(fleet, "articles.enriched")
    report("idempotent producer on Apache Kafka", idempotent=idempotent, producer_ids=sorted(ids))
    assert ids and (all(i >= 0 for i in ids) if idempotent else ids == {-1})
