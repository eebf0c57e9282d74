"""Scaling out: worker processes share the partitions, and stages scale on their own.

Each test runs on a broker of its own. Group state comes from the broker's coordinator
(DescribeGroups); who holds which partitions from each worker's `/ready` (the embedded
broker does not return member assignments).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from wirestream.kafka.admin import GroupState, describe_group

from tests.integration.brokers import BROKERS
from tests.integration.fleet import Fleet, report, short_article

pytestmark = [pytest.mark.integration, pytest.mark.slow]

STREAM = 3_000
PARTITIONS = 8


@pytest.fixture(params=BROKERS)
async def fleet(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Fleet]:
    fleet = Fleet(logs=tmp_path, extra_env={"WIRESTREAM_PARTITIONS": str(PARTITIONS)}, kind=request.param)
    fleet.start_broker()
    try:
        yield fleet
    finally:
        await fleet.close()


async def _group(fleet: Fleet, group: str) -> GroupState:
    return await describe_group(fleet.settings, group)


async def _settled(fleet: Fleet, group: str, workers: list[str],
                   limit: float = 120) -> tuple[dict[str, dict[str, list[int]]], float]:
    """Wait until the group is Stable with exactly `workers`, each ready; returns their assignments
    and how long the group was rebalancing."""
    deadline = time.monotonic() + limit
    unsettled_since: float | None = None
    while True:
        state = await _group(fleet, group)
        now = time.monotonic()
        if state.state != "Stable" and unsettled_since is None:
            unsettled_since = now
        if state.state == "Stable" and state.members == len(workers):
            answers = {name: await fleet.get(name, "/ready") for name in workers}
            if all(status == 200 for status, _ in answers.values()):
                took = time.monotonic() - unsettled_since if unsettled_since is not None else 0.0
                return {name: body["assignment"] for name, (_, body) in answers.items()}, took
        assert now < deadline, f"group {group} is {state.state} with {state.members} members; logs in {fleet.logs}"
        await asyncio.sleep(0.1)


def _assert_spread(assignments: dict[str, dict[str, list[int]]], topic: str) -> None:
    """Every partition of `topic` held by exactly one worker, and every worker holding its share."""
    holders = {name: held.get(topic, []) for name, held in assignments.items()}
    held = sorted(p for partitions in holders.values() for p in partitions)
    assert held == list(range(PARTITIONS)), f"{topic}: {holders}"
    assert min(map(len, holders.values())) >= PARTITIONS // len(holders), f"{topic} is spread unevenly: {holders}"


@pytest.mark.long
async def test_one_two_three_workers_share_the_partitions_and_enrich_each_article_once(fleet: Fleet) -> None:
    group = "wirestream"
    fleet.start_worker("w1")
    await fleet.follow()
    held, _ = await _settled(fleet, group, ["w1"])
    _assert_spread(held, "wirestream.ingested")
    _assert_spread(held, "articles.raw")

    ids = {f"scale-{i:05d}" for i in range(STREAM)}
    publishing = asyncio.create_task(fleet.publish([short_article(i, "scale") for i in range(STREAM)]))
    rebalances: dict[str, float] = {}

    await fleet.until_count(STREAM // 5)
    fleet.start_worker("w2")
    held, rebalances["join 1->2"] = await _settled(fleet, group, ["w1", "w2"])
    _assert_spread(held, "wirestream.ingested")

    await fleet.until_count(2 * STREAM // 5)
    fleet.start_worker("w3")
    held, rebalances["join 2->3"] = await _settled(fleet, group, ["w1", "w2", "w3"])
    _assert_spread(held, "wirestream.ingested")
    _assert_spread(held, "articles.raw")

    await fleet.until_count(3 * STREAM // 5)
    code, _ = fleet.terminate("w1")
    assert code == 0
    held, rebalances["leave 3->2"] = await _settled(fleet, group, ["w2", "w3"])
    _assert_spread(held, "wirestream.ingested")

    await publishing
    await fleet.wait_until(ids)
    assert set(fleet.enriched) == ids
    assert fleet.duplicates() == 0
    assert not fleet.rejected
    report("1 -> 2 -> 3 -> 2 workers, 8 partitions", articles=STREAM, lost=0, duplicates=0,
           **{k.replace(" ", "_").replace("->", "to"): f"{v:.1f}s" for k, v in rebalances.items()})


async def test_stages_run_as_their_own_groups_and_enrich_scales_alone(fleet: Fleet) -> None:
    fleet.start_worker("ingest", "-m", "wirestream", "worker", "--stages", "ingest")
    fleet.start_worker("stories", "-m", "wirestream", "worker", "--stages", "stories")
    fleet.start_worker("enrich-1", "-m", "wirestream", "worker", "--stages", "enrich")
    fleet.start_worker("enrich-2", "-m", "wirestream", "worker", "--stages", "enrich")
    await fleet.follow()
    ingest, _ = await _settled(fleet, "wirestream-ingest", ["ingest"])
    stories, _ = await _settled(fleet, "wirestream-stories", ["stories"])
    enrich, _ = await _settled(fleet, "wirestream", ["enrich-1", "enrich-2"])
    assert {topic for topic in ingest["ingest"] if "__assignor" not in topic} == {"articles.raw"}  # + Faust's own
    assert {topic for topic in stories["stories"] if "__assignor" not in topic} == \
        {"wirestream.stories", "wirestream-stories-changelog"}  # its table's changelog, under the catalogue's name
    _assert_spread(ingest, "articles.raw")
    _assert_spread(enrich, "wirestream.ingested")
    assert all("articles.raw" not in held and "wirestream.stories" not in held for held in enrich.values())

    count = 1_000
    ids = {f"stages-{i:05d}" for i in range(count)}
    await fleet.publish([short_article(i, "stages") for i in range(count)])
    await fleet.wait_until(ids)
    assert set(fleet.enriched) == ids
    assert fleet.duplicates() == 0
    # The ingest-only worker never loads a model: it starts in a second and stays small.
    # The ingest and stories workers never load a NER model: they start in seconds and stay small.
    for light in ("ingest", "stories"):
        assert "loaded spaCy" not in (fleet.logs / f"{light}.log").read_text(encoding="utf-8", errors="replace")
    assert "loaded spaCy" in (fleet.logs / "enrich-1.log").read_text(encoding="utf-8", errors="replace")
    assert all(fleet.latest[i].story is not None for i in ids)  # every article passed the stories worker
    report("stages: 1 ingest + 1 stories + 2 enrich workers", articles=count, lost=0, duplicates=0)
