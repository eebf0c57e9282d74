"""Stories through a real broker: the index outlives its worker (SIGKILL, restart), follows the
stories partition to another worker (a rebalance), and copies meet their originals whatever
partition their ids hash to. Each test has a broker of its own."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.partitioner import DefaultPartitioner
from wirestream.serialization import dumps
from wirestream.settings import Settings

from tests.integration.fleet import Fleet, metric_values, report

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ORIGINALS = {
    "ecb": ("FRANKFURT (Reuters) - The European Central Bank left its deposit rate at 2.0 percent on Thursday, "
            "as Christine Lagarde said inflation in the euro area had settled close to the bank's target.\n\n"
            "Economists polled by Reuters had expected the decision. The governing council meets again on "
            "January 29, when new staff projections for growth and prices will be published.\n\n"
            "The euro was little changed at 1.16 dollars, and German bond yields fell by two basis points."),
    "floods": ("VALENCIA (AFP) - Heavy rain flooded parts of Valencia overnight, forcing the closure of 14 "
               "schools and the main railway station, regional officials said on Wednesday.\n\n"
               "Emergency services rescued more than 60 people from cars and homes in Paiporta and Catarroja, "
               "where up to 180 litres of rain per square metre fell in six hours.\n\n"
               "Prime Minister Pedro Sanchez said the army would send 500 soldiers to help clear the streets."),
    "chips": ("VELDHOVEN (Reuters) - ASML reported third-quarter bookings of 5.4 billion euros on Wednesday, "
              "above the 4.9 billion analysts had expected, as orders from Taiwan Semiconductor rose.\n\n"
              "Chief executive Christophe Fouquet said demand for its most advanced machines would grow in "
              "2026, while sales to China would fall to about a quarter of the total.\n\n"
              "Shares in the Dutch company rose 6 percent in Amsterdam by midday."),
}


def _copy(text: str) -> str:
    """An outlet's copy: a byline line put before it, the last paragraph trimmed."""
    return "By Anna Berg\n" + text.rsplit("\n\n", 1)[0]


def _partition(key: str, partitions: int) -> int:
    return DefaultPartitioner()(key.encode(), list(range(partitions)), list(range(partitions)))


def _copy_ids(partitions: int) -> dict[str, str]:
    """An id for each original's copy that hashes to another partition than the original's."""
    ids = {}
    for original in ORIGINALS:
        suffix = 0
        while _partition(f"{original}-copy-{suffix}", partitions) == _partition(original, partitions):
            suffix += 1
        ids[original] = f"{original}-copy-{suffix}"
    return ids


async def _publish(fleet: Fleet, articles: dict[str, str]) -> None:
    await fleet.publish([dumps({"id": article_id, "text": text}) for article_id, text in articles.items()])
    await fleet.wait_until(set(articles), stall=90)


async def _stories_committed(fleet: Fleet, offset: int, limit: float = 60) -> None:
    """Until the group has committed the stories partition up to `offset`: the table's records were
    flushed before that commit (Faust flushes its producer first)."""
    settings = Settings()
    deadline = time.monotonic() + limit
    while (await fleet.committed(settings.app_id, settings.topic_stories, 0) or 0) < offset:
        assert time.monotonic() < deadline, f"stories not committed up to {offset}; logs in {fleet.logs}"
        await asyncio.sleep(0.5)


async def _keys_on_ingested(fleet: Fleet, ids: set[str]) -> dict[str, str]:
    """Article id -> the key its record carries on wirestream.ingested."""
    consumer = AIOKafkaConsumer(Settings().topic_ingested, bootstrap_servers=fleet.bootstrap,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    found: dict[str, str] = {}
    try:
        while set(found) != ids:
            batch = await consumer.getmany(timeout_ms=2000)
            assert batch, f"not all on wirestream.ingested: {sorted(ids - set(found))}"
            for messages in batch.values():
                for message in messages:
                    for article_id in ids:
                        if f'"id":"{article_id}"'.encode() in (message.value or b""):
                            found[article_id] = (message.key or b"").decode()
    finally:
        await consumer.stop()
    return found


def _joined(fleet: Fleet, copies: dict[str, str]) -> None:
    for original, copy in copies.items():
        first, joined = fleet.latest[original].story, fleet.latest[copy].story
        assert first is not None and joined is not None, "every article carries its story"
        assert (joined.id, joined.first_article_id, joined.size, joined.duplicate_of) == (first.id, original, 2, original)


async def test_a_copy_of_an_article_seen_before_a_sigkill_joins_its_story_after_the_restart(fleet: Fleet) -> None:
    fleet.start_worker("w1")
    await fleet.follow()
    await _publish(fleet, ORIGINALS)
    assert len({fleet.latest[i].story.id for i in ORIGINALS if fleet.latest[i].story}) == 3
    await _stories_committed(fleet, len(ORIGINALS))
    fleet.kill("w1")

    fleet.start_worker("w2")
    copies = _copy_ids(Settings().partitions)
    started = time.monotonic()
    await _publish(fleet, {copies[original]: _copy(text) for original, text in ORIGINALS.items()})
    _joined(fleet, copies)
    # The second worker opened no story: it found the originals in the recovered table, it did
    # not read them again.
    port = fleet.web_ports["w2"]
    assert metric_values(port, "wirestream_stories_opened_total") == 0
    assert metric_values(port, "wirestream_story_duplicates_total") == 3
    assert metric_values(port, "wirestream_story_index_articles") == 6
    report("stories after SIGKILL and restart", copies=3, joined=3, seconds_to_copies_out=round(time.monotonic() - started, 1))


async def test_copies_meet_their_originals_across_partitions_and_a_rebalance(fleet: Fleet) -> None:
    partitions = Settings().partitions
    copies = _copy_ids(partitions)
    assert all(_partition(copy, partitions) != _partition(original, partitions) for original, copy in copies.items())
    fleet.start_worker("w1")
    await fleet.follow()
    await _publish(fleet, ORIGINALS)
    await _stories_committed(fleet, len(ORIGINALS))

    # A second worker joins and the first leaves: the stories partition moves with its table.
    # (Only once the second has joined: under load its models take several seconds to load, and
    # the first leaving before it is a different scenario, a restart.)
    fleet.start_worker("w2")
    deadline = time.monotonic() + 90
    while (await fleet.get("w2", "/ready"))[0] != 200:
        assert time.monotonic() < deadline, f"w2 never became ready; logs in {fleet.logs}"
        await asyncio.sleep(0.5)
    code, _ = fleet.terminate("w1")
    assert code == 0
    await _publish(fleet, {copies[original]: _copy(text) for original, text in ORIGINALS.items()})
    _joined(fleet, copies)
    # Each copy went on to enrich keyed by its original, so the worker that read the original reads it.
    keys = await _keys_on_ingested(fleet, set(copies.values()))
    assert keys == {copy: original for original, copy in copies.items()}
    assert not fleet.rejected
