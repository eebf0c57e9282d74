"""The typed client against the embedded broker and a real worker: publish, subscribe (ephemeral
and durable), filters, errors."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from wirestream.client import (
    BrokerUnavailable,
    EnrichedArticle,
    Filters,
    InvalidArticle,
    InvalidSettings,
    NotInAsyncContext,
    Publisher,
    RawArticle,
    Rejection,
    Subscriber,
    SyncPublisher,
)
from wirestream.kafka.broker import free_port
from wirestream.settings import Settings

from tests.integration.conftest import Cluster, Collector

pytestmark = pytest.mark.integration


async def _first(subscriber: Subscriber, ids: set[str], timeout: float = 60) -> dict[str, EnrichedArticle]:
    found: dict[str, EnrichedArticle] = {}

    async def read() -> None:
        async for article in subscriber:
            if article.id in ids:
                found[article.id] = article
                if set(found) == ids:
                    return

    await asyncio.wait_for(read(), timeout)
    return found


async def test_published_articles_come_back_as_validated_models_through_the_filters(
        cluster: Cluster, collector: Collector, unique: str) -> None:
    french = f"PARIS, 24 nov (AFP) - Emmanuel Macron a reçu Olaf Scholz à l'Élysée lundi, {unique}."
    async with Publisher(cluster.settings) as publisher:
        ids = await publisher.publish_many([
            RawArticle(id=f"{unique}-model", text="LONDON (Reuters) - Keir Starmer spoke in the Commons on Monday."),
            {"id": f"{unique}-dict", "text": french},
            f"BERLIN (dpa) - Friedrich Merz sprach am Montag im Bundestag über den Haushalt, {unique}.",
        ])
        assert ids[:2] == [f"{unique}-model", f"{unique}-dict"] and len(ids[2]) == 16  # the text's hash
        with pytest.raises(InvalidArticle) as bad:
            await publisher.publish({"id": f"{unique}-empty", "text": "   "})
        assert bad.value.reason == "empty_text" and "fix the input" in str(bad.value)
    async with Subscriber(cluster.settings, from_beginning=True) as everything:
        found = await _first(everything, set(ids))
    assert all(isinstance(article, EnrichedArticle) for article in found.values())
    async with Subscriber(cluster.settings, from_beginning=True, filters=Filters(lang="fr")) as french_only:
        only = await _first(french_only, {f"{unique}-dict"})
    assert only[f"{unique}-dict"].language.code == "fr"
    await collector.wait_for(ids=set(ids))
    assert f"{unique}-empty" not in collector.enriched and f"{unique}-empty" not in collector.rejected_by_id


async def test_a_durable_subscription_goes_on_where_its_group_left_off(cluster: Cluster, collector: Collector,
                                                                        unique: str) -> None:
    group = f"client-test-{unique}"
    async with Publisher(cluster.settings) as publisher:
        first = await publisher.publish({"id": f"{unique}-1", "text": f"ROME (ANSA) - Giorgia Meloni spoke {unique}."})
    async with Subscriber(cluster.settings, group=group, from_beginning=True) as subscriber:
        await _first(subscriber, {first})
    async with Publisher(cluster.settings) as publisher:
        second = await publisher.publish({"id": f"{unique}-2", "text": f"MADRID (EFE) - Pedro Sánchez spoke {unique}."})
    seen: list[str] = []
    async with Subscriber(cluster.settings, group=group, from_beginning=True) as subscriber:
        async def read() -> None:
            async for article in subscriber:
                seen.append(article.id)
                if article.id == second:
                    return
        await asyncio.wait_for(read(), 60)
    # The group had read up to the first (closed without an error: it counts as handled).
    assert second in seen and first not in seen


async def test_rejections_come_as_models_when_asked_for(cluster: Cluster, collector: Collector, unique: str) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=cluster.settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait(cluster.settings.topic_raw, b"\xff\xfe" + unique.encode(), key=unique.encode())
    finally:
        await producer.stop()
    async with Subscriber(cluster.settings, from_beginning=True, rejections=True) as subscriber:
        async def read() -> Rejection:
            async for record in subscriber.records():
                if isinstance(record, Rejection) and record.key == unique:
                    return record
            raise AssertionError("the stream ended")
        rejection = await asyncio.wait_for(read(), 60)
    assert rejection.reason == "not_utf8"


async def test_errors_are_one_line_with_stable_types() -> None:
    nobody = Settings(kafka_bootstrap_servers=f"127.0.0.1:{free_port()}", connect_timeout=1)
    with pytest.raises(BrokerUnavailable, match="no Kafka broker answers at .*WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"):
        async with Publisher(nobody):
            pass
    with pytest.raises(NotInAsyncContext, match="use the async API"):
        SyncPublisher(nobody)  # an event loop runs here, as in a notebook


def test_bad_settings_and_the_sync_publisher(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_PARTITIONS", "none")
    with pytest.raises(InvalidSettings, match="WIRESTREAM_PARTITIONS") as bad:
        Publisher()
    assert "\n" not in str(bad.value)
    monkeypatch.delenv("WIRESTREAM_PARTITIONS")
    # A script: a process of its own, no event loop running.
    script = ("from wirestream.client import SyncPublisher\n"
              "with SyncPublisher() as publisher:\n"
              "    print(publisher.publish('ATHENS (AP) - Kyriakos Mitsotakis spoke on Tuesday.'))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                            env={**cluster.env})
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip()) == 16
