"""Nothing vanishes: every article is enriched, rejected, or refused at the door with a clear error;
a record that is not written is never committed past; a dead agent makes the worker unhealthy.

Each test runs on a broker of its own, with the default size limits (1 MB articles).
"""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from wirestream.limits import size_limits
from wirestream.serialization import dumps

from tests.integration.fleet import Fleet, report

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LIMITS = size_limits(1_000_000)


def article(article_id: str, size: int, marker: str = "") -> bytes:
    """A wire story of about `size` bytes: one dateline, then paragraphs that differ."""
    paragraphs = ["LONDON, Nov 26 (Reuters) - Keir Starmer met Emmanuel Macron in London on Wednesday. " + marker]
    index = 0
    while sum(map(len, paragraphs)) < size:
        index += 1
        paragraphs.append(f"Paragraph {index}: the ministers of Britain and France discussed trade, energy and the "
                          f"Channel with officials from Brussels, said a spokesman in Downing Street on day {index}.")
    return dumps({"id": article_id, "text": "\n\n".join(paragraphs)})


async def _healthy(fleet: Fleet, name: str, limit: float = 30) -> tuple[int, dict[str, object]]:
    deadline = time.monotonic() + limit
    while True:
        status, body = await fleet.get(name, "/ready")
        if status == 200 or time.monotonic() > deadline:
            return status, body
        await asyncio.sleep(0.5)


async def test_small_600_kb_small_and_1_4_mb_articles_are_all_accounted_for_and_the_worker_lives(
        fleet: Fleet, tmp_path: Path) -> None:
    fleet.start_worker("w1")
    await fleet.follow()
    small_1, large, small_2 = article("small-1", 300), article("large-600kb", 600_000), article("small-2", 300)
    huge = article("huge-1400kb", 1_400_000)
    assert len(large) < LIMITS.article_bytes < len(huge)
    # A producer that lets the oversized article through to the topic, as any Kafka client may.
    producer = AIOKafkaProducer(bootstrap_servers=fleet.bootstrap, acks="all", max_request_size=LIMITS.request_bytes)
    await producer.start()
    try:
        for value, key in ((small_1, b"small-1"), (large, b"large"), (small_2, b"small-2"), (huge, b"huge")):
            await producer.send_and_wait("articles.raw", value, key=key)
    finally:
        await producer.stop()
    await fleet.wait_until({"small-1", "large-600kb", "small-2"}, stall=90)
    deadline = time.monotonic() + 30
    while not fleet.rejected and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    [rejection] = fleet.rejected
    assert (rejection.key, rejection.reason, rejection.stage) == ("huge", "too_large", "ingest")
    assert rejection.truncated and rejection.original_size == len(huge)
    assert rejection.original_sha256 == hashlib.sha256(huge).hexdigest()
    assert huge.startswith(rejection.original_bytes()) and len(rejection.original_bytes()) == LIMITS.rejection_prefix_bytes
    assert fleet.enriched == {"small-1": 1, "large-600kb": 1, "small-2": 1}
    status, body = await _healthy(fleet, "w1")
    assert status == 200, body

    # The command line refuses the oversized one at the door, naming the file, and sends the rest.
    (tmp_path / "huge.json").write_bytes(huge)
    (tmp_path / "fine.json").write_bytes(article("fine-1", 500))
    result = subprocess.run([sys.executable, "-m", "wirestream", "publish", str(tmp_path / "huge.json"),
                             str(tmp_path / "fine.json")], env=fleet.env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"error: {tmp_path / 'huge.json'}: the value is 1,4" in result.stderr and "(too_large)" in result.stderr
    assert "published 1, failed 1" in result.stderr
    await fleet.wait_until({"fine-1"})
    report("small, 600 KB, small, 1.4 MB", enriched=3, rejected_too_large=1, refused_at_the_door=1, lost=0)


async def test_a_record_the_broker_will_never_take_becomes_an_output_too_large_rejection(fleet: Fleet) -> None:
    marker = "NEVER-FITS-51c2"
    fleet.start_worker("w1", "-m", "tests.integration.failing_worker", "send-too-large", marker)
    await fleet.follow()
    values = [article(f"fit-{i}", 300, marker if i == 2 else "") for i in range(5)]
    await fleet.publish(values)
    await fleet.wait_until({f"fit-{i}" for i in range(5) if i != 2})
    deadline = time.monotonic() + 30
    while not fleet.rejected and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    [rejection] = fleet.rejected
    assert (rejection.article_id, rejection.reason, rejection.stage) == ("fit-2", "output_too_large", "enrich")
    assert marker in rejection.original and not rejection.truncated  # the accepted article, to fix and re-publish
    assert "fit-2" not in fleet.enriched
    status, body = await _healthy(fleet, "w1")
    assert status == 200, body


async def test_a_failing_produce_never_advances_the_committed_offset(fleet: Fleet) -> None:
    marker, seconds = "SLOW-BROKER-9e1d", 10.0
    fleet.start_worker("w1", "-m", "tests.integration.failing_worker", "send-fails", marker, str(seconds))
    await fleet.follow()
    await fleet.publish([article("warm-up", 300)])
    await fleet.wait_until({"warm-up"})
    await fleet.publish([article("held", 300, marker)] + [article(f"after-{i}", 300) for i in range(20)])
    [where] = [w for w in (await fleet.locate(["held"]))["held"] if w.startswith("wirestream.ingested")]
    partition, offset = int(where.split("[")[1].split("]")[0]), int(where.split("@")[1])
    await asyncio.sleep(4)  # several commit intervals while the enriched record cannot be written
    assert "held" not in fleet.enriched
    committed = await fleet.committed("wirestream", "wirestream.ingested", partition)
    assert committed is None or committed <= offset, f"committed {committed} past the unwritten record at {offset}"
    await fleet.wait_until({"held"} | {f"after-{i}" for i in range(20)}, stall=60)
    assert fleet.enriched["held"] == 1 and not fleet.rejected
    deadline = time.monotonic() + 15
    while (await fleet.committed("wirestream", "wirestream.ingested", partition) or 0) <= offset:
        assert time.monotonic() < deadline, "the offset was not committed once the record was written"
        await asyncio.sleep(0.5)
    report("produce failing for 10 s", held_offset=offset, committed_during_failure=committed, lost=0, duplicates=0)


async def test_an_agent_that_dies_makes_health_and_ready_fail_and_commits_nothing_past_it(fleet: Fleet) -> None:
    marker = "FATAL-0b7e"
    fleet.start_worker("w1", "-m", "tests.integration.failing_worker", "ner-dies", marker)
    await fleet.follow()
    await fleet.publish([article("alive", 300)])
    await fleet.wait_until({"alive"})
    assert (await fleet.get("w1", "/health"))[0] == 200
    await fleet.publish([article("fatal", 300, marker)])
    [where] = [w for w in (await fleet.locate(["fatal"]))["fatal"] if w.startswith("wirestream.ingested")]
    partition, offset = int(where.split("[")[1].split("]")[0]), int(where.split("@")[1])
    deadline = time.monotonic() + 30
    while True:
        status, body = await fleet.get("w1", "/health")
        if status == 503:
            break
        assert time.monotonic() < deadline, f"/health still says {status} {body}"
        await asyncio.sleep(0.3)
    assert body["status"] == "failing" and any("agent enrich died" in r for r in body["reasons"]), body
    ready_status, ready_body = await fleet.get("w1", "/ready")
    assert ready_status == 503 and any("agent enrich died" in r for r in ready_body["reasons"])
    await asyncio.sleep(3)
    committed = await fleet.committed("wirestream", "wirestream.ingested", partition)
    assert committed is None or committed <= offset, f"committed {committed} past the article it died on ({offset})"
    assert "agent enrich died" in (fleet.logs / "w1.log").read_text(encoding="utf-8", errors="replace")
