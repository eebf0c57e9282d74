"""Nothing lost, nothing stuck: workers killed and stopped mid-stream, each test on a broker of its own."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.fleet import Fleet, report, short_article

pytestmark = [pytest.mark.integration, pytest.mark.slow]

STREAM = 5_000


@pytest.fixture
async def fleet(tmp_path: Path) -> AsyncIterator[Fleet]:
    fleet = Fleet(logs=tmp_path)
    fleet.start_broker()
    try:
        yield fleet
    finally:
        await fleet.close()


async def _until_count(fleet: Fleet, count: int, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while len(fleet.enriched) < count:
        assert time.monotonic() < deadline, f"only {len(fleet.enriched)} of {count} came out; logs in {fleet.logs}"
        await asyncio.sleep(0.1)


async def test_sigkill_of_one_of_two_workers_loses_nothing(fleet: Fleet) -> None:
    fleet.start_worker("w1")
    fleet.start_worker("w2")
    await fleet.follow()
    ids = {f"kill-{i:05d}" for i in range(STREAM)}
    publishing = asyncio.create_task(fleet.publish([short_article(i, "kill") for i in range(STREAM)]))
    await _until_count(fleet, STREAM // 4)
    fleet.kill("w1")
    killed_at = len(fleet.enriched)
    await _until_count(fleet, STREAM // 2)
    fleet.start_worker("w1-again")
    await publishing
    await fleet.wait_until(ids)
    assert set(fleet.enriched) == ids
    assert not fleet.rejected
    report("SIGKILL 1 of 2 workers", articles=STREAM, lost=0, duplicates=fleet.duplicates(), killed_after=killed_at)


async def test_sigterm_of_one_worker_and_a_third_joining_lose_and_duplicate_nothing(fleet: Fleet) -> None:
    fleet.start_worker("w1")
    fleet.start_worker("w2")
    await fleet.follow()
    ids = {f"term-{i:05d}" for i in range(STREAM)}
    publishing = asyncio.create_task(fleet.publish([short_article(i, "term") for i in range(STREAM)]))
    await _until_count(fleet, STREAM // 4)
    fleet.start_worker("w3")
    await _until_count(fleet, STREAM // 2)
    code, seconds = fleet.terminate("w1")
    assert code == 0
    assert seconds < 20
    await publishing
    await fleet.wait_until(ids)
    assert set(fleet.enriched) == ids
    assert fleet.duplicates() == 0
    assert not fleet.rejected
    report("SIGTERM 1 of 2 workers + a third joining", articles=STREAM, lost=0, duplicates=0,
           sigterm_exit_seconds=round(seconds, 1))
