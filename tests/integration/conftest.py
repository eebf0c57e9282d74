"""A real embedded broker and a real worker process, started once per test session.

Tests publish with aiokafka and read what the worker produced through `Collector`, which
follows articles.enriched and articles.rejected for the whole session.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from wirestream.contracts import EnrichedArticle, Rejection
from wirestream.kafka.broker import EmbeddedBroker, free_port
from wirestream.kafka.kraft import KafkaCluster
from wirestream.processes import spawn_worker
from wirestream.serialization import decode_model
from wirestream.settings import Settings

from tests.integration.brokers import BROKERS, broker_env, start_broker
from tests.integration.fleet import Fleet

pytestmark = pytest.mark.integration

# The worker's max article size in these tests, so the too-large case stays small.
MAX_ARTICLE_BYTES = 200_000


@dataclass
class Cluster:
    broker: EmbeddedBroker | KafkaCluster
    env: dict[str, str]
    settings: Settings
    logs: Path


@pytest.fixture(scope="package")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The package's broker (Tansu) and the settings of its clients. A module whose tests run on
    Apache Kafka too defines its own `cluster`, `worker`, `collector` and `producer` over
    `running_cluster` and the helpers below (test_pipeline.py): a package-wide fixture with
    parameters is set up again each time a process's tests switch between them."""
    with running_cluster("tansu", tmp_path_factory) as cluster:
        yield cluster


@contextlib.contextmanager
def running_cluster(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    logs = tmp_path_factory.mktemp(f"logs-{kind}")
    broker = start_broker(kind, logs)
    env = {
        **os.environ,
        "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers,
        "WIRESTREAM_WEB_PORT": str(free_port()),
        "WIRESTREAM_MAX_ARTICLE_BYTES": str(MAX_ARTICLE_BYTES),
        **broker_env(kind),
        "WIRESTREAM_LOG_FORMAT": "json",  # the operations tests parse the worker's log lines
    }
    settings = Settings(kafka_bootstrap_servers=broker.bootstrap_servers, max_article_bytes=MAX_ARTICLE_BYTES,
                        broker_kind=kind)
    try:
        yield Cluster(broker, env, settings, logs)
    finally:
        broker.stop()


class WorkerProcess(subprocess.Popen):  # type: ignore[type-arg]
    web_port: int


def start_worker(cluster: Cluster, name: str, **extra_env: str) -> WorkerProcess:
    port = free_port()
    process = spawn_worker({**cluster.env, "WIRESTREAM_WEB_PORT": str(port), **extra_env}, cluster.logs / f"{name}.log")
    process.web_port = port  # type: ignore[attr-defined]
    return process  # type: ignore[return-value]


def stop_process(process: subprocess.Popen[bytes], timeout: float = 20) -> int:
    process.terminate()
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


@dataclass
class Collector:
    """Everything the worker produced this session, by article id and by message key."""

    enriched: dict[str, EnrichedArticle] = field(default_factory=dict)
    enriched_count: dict[str, int] = field(default_factory=dict)
    history: dict[str, list[EnrichedArticle]] = field(default_factory=dict)  # every record per id, in order
    rejected_by_key: dict[str, Rejection] = field(default_factory=dict)
    rejected_by_id: dict[str, Rejection] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, topic: str, value: bytes, settings: Settings) -> None:
        if topic == settings.topic_enriched:
            article = decode_model(EnrichedArticle, value)
            self.enriched[article.id] = article
            self.enriched_count[article.id] = self.enriched_count.get(article.id, 0) + 1
            self.history.setdefault(article.id, []).append(article)
        else:
            rejection = decode_model(Rejection, value)
            if rejection.key is not None:
                self.rejected_by_key[rejection.key] = rejection
            if rejection.article_id is not None:
                self.rejected_by_id[rejection.article_id] = rejection
        self.changed.set()

    async def wait_for(self, *, ids: set[str] = frozenset(), rejected_keys: set[str] = frozenset(),  # type: ignore[assignment]
                       rejected_ids: set[str] = frozenset(), timeout: float = 90) -> None:  # type: ignore[assignment]
        deadline = time.monotonic() + timeout
        while True:
            missing = (ids - set(self.enriched)) | (rejected_keys - set(self.rejected_by_key)) | (
                rejected_ids - set(self.rejected_by_id))
            if not missing:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"not seen within {timeout:.0f}s: {sorted(missing)[:10]}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(remaining, 1.0))


@pytest.fixture(scope="package")
def worker(cluster: Cluster) -> Iterator[WorkerProcess]:
    with running_worker(cluster) as process:
        yield process


@contextlib.contextmanager
def running_worker(cluster: Cluster) -> Iterator[WorkerProcess]:
    process = start_worker(cluster, "worker-1")
    yield process
    code = stop_process(process)
    assert code == 0, f"the worker exited with {code}; see {cluster.logs}"


@pytest.fixture(scope="package")
async def collector(cluster: Cluster, worker: subprocess.Popen[bytes]) -> AsyncIterator[Collector]:
    async with following(cluster) as found:
        yield found


@contextlib.asynccontextmanager
async def following(cluster: Cluster) -> AsyncIterator[Collector]:
    """A Collector of everything the cluster's worker writes (start the worker first)."""
    settings = cluster.settings
    found = Collector()
    # Topics must exist before the consumer subscribes; the worker creates them, so wait for it.
    from wirestream.kafka.admin import prepare_cluster

    await prepare_cluster(settings)
    consumer = AIOKafkaConsumer(settings.topic_enriched, settings.topic_rejected,
                                bootstrap_servers=settings.kafka_bootstrap_servers,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()

    async def follow() -> None:
        async for message in consumer:
            found.add(message.topic, message.value, settings)

    task = asyncio.create_task(follow())
    try:
        yield found
    finally:
        task.cancel()
        with contextlib.suppress(BaseException):
            await task
        # Later tiers block the session's loop for minutes, so the idle fetch may have timed out;
        # closing the fetcher then re-raises its cancelled fetch task (a CancelledError).
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await consumer.stop()


@pytest.fixture(scope="package")
async def producer(cluster: Cluster) -> AsyncIterator[AIOKafkaProducer]:
    async with producing(cluster) as producer:
        yield producer


@contextlib.asynccontextmanager
async def producing(cluster: Cluster) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=cluster.settings.kafka_bootstrap_servers, acks="all")
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


@pytest.fixture
def unique() -> str:
    """A prefix that keeps one test's ids apart from every other test's."""
    return uuid.uuid4().hex[:8]


@pytest.fixture(params=BROKERS)
async def fleet(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Fleet]:
    """A broker of its own, Tansu and then Apache Kafka, and workers to start, kill and count
    (fault and delivery tests)."""
    fleet = Fleet(logs=tmp_path, kind=request.param)
    fleet.start_broker()
    try:
        yield fleet
    finally:
        await fleet.close()
