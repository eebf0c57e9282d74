"""A broker of its own, workers that can be killed and started, and a count of every id that came out.

Fault tests use a fresh broker each (Tansu or Apache Kafka: `kind`), so their counts see nobody
else's messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from wirestream.contracts import EnrichedArticle, Rejection
from wirestream.kafka.broker import EmbeddedBroker, free_port
from wirestream.kafka.kraft import KafkaCluster
from wirestream.processes import WORKER_COMMAND, spawn_worker
from wirestream.serialization import decode_model, dumps, loads
from wirestream.settings import Settings

from tests.integration.brokers import broker_env, start_broker


def short_article(index: int, tag: str) -> bytes:
    """A small, realistic article: NER stays cheap so thousands go through in a test."""
    return dumps({
        "id": f"{tag}-{index:05d}",
        "text": f"LONDON (Reuters) - Keir Starmer met Emmanuel Macron in Paris on day {index}.",
    })


@dataclass
class Fleet:
    logs: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    kind: str = "tansu"
    broker: EmbeddedBroker | KafkaCluster | None = None
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    web_ports: dict[str, int] = field(default_factory=dict)
    enriched: Counter[str] = field(default_factory=Counter)
    latest: dict[str, EnrichedArticle] = field(default_factory=dict)  # the last record of each id
    rejected: list[Rejection] = field(default_factory=list)
    _consumer: AIOKafkaConsumer | None = None
    _task: asyncio.Task[None] | None = None
    progress_at: float = field(default_factory=time.monotonic)

    @property
    def bootstrap(self) -> str:
        assert self.broker is not None
        return self.broker.bootstrap_servers

    def env(self, **overrides: str) -> dict[str, str]:
        return {
            **os.environ,
            "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            **broker_env(self.kind),
            # A fleet's articles are English: its workers load the English model only and start
            # seconds sooner (spaCy's French module alone takes 3.7 s of CPU to import).
            "WIRESTREAM_NER_LANGUAGES": "en",
            **self.extra_env,
            **overrides,
        }

    @property
    def settings(self) -> Settings:
        """Settings of a client of this fleet's broker, tuned for it."""
        return Settings(kafka_bootstrap_servers=self.bootstrap, broker_kind=self.kind)  # type: ignore[arg-type]

    def start_broker(self, port: int | None = None) -> None:
        self.broker = start_broker(self.kind, self.logs, port)

    def start_worker(self, name: str, *command: str, **env: str) -> subprocess.Popen[bytes]:
        """A worker process (`python -m wirestream worker`, or the given command, e.g. a test worker)."""
        self.web_ports[name] = free_port()
        process = spawn_worker(self.env(WIRESTREAM_WEB_PORT=str(self.web_ports[name]), **env), self.logs / f"{name}.log",
                               command=command or WORKER_COMMAND, cwd=Path(__file__).resolve().parents[2])
        self.workers[name] = process
        return process

    async def get(self, name: str, path: str) -> tuple[int, Any]:
        """GET a worker's web endpoint: (status, decoded JSON body); (0, None) while it does not answer."""
        return await asyncio.to_thread(http_get, f"http://127.0.0.1:{self.web_ports[name]}{path}")

    def kill(self, name: str) -> None:
        self.workers[name].send_signal(signal.SIGKILL)
        self.workers[name].wait()

    def terminate(self, name: str, timeout: float = 30) -> tuple[int, float]:
        started = time.monotonic()
        process = self.workers[name]
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout)
        return code, time.monotonic() - started

    async def follow(self) -> None:
        """Read articles.enriched and articles.rejected from their beginning."""
        settings = self.settings
        from wirestream.kafka.admin import prepare_cluster

        await prepare_cluster(settings)
        self._consumer = AIOKafkaConsumer(settings.topic_enriched, settings.topic_rejected,
                                          bootstrap_servers=self.bootstrap, auto_offset_reset="earliest",
                                          enable_auto_commit=False)
        await self._consumer.start()

        async def read() -> None:
            assert self._consumer is not None
            async for message in self._consumer:
                if message.topic == settings.topic_enriched:
                    article = decode_model(EnrichedArticle, message.value)
                    self.enriched[article.id] += 1
                    self.latest[article.id] = article
                else:
                    self.rejected.append(decode_model(Rejection, message.value))
                self.progress_at = time.monotonic()

        self._task = asyncio.create_task(read())

    async def publish(self, values: list[bytes], *, producer: AIOKafkaProducer | None = None) -> None:
        own = producer is None
        producer = producer or AIOKafkaProducer(bootstrap_servers=self.bootstrap, acks="all", linger_ms=5)
        if own:
            await producer.start()
        try:
            futures = [await producer.send("articles.raw", value) for value in values]
            for future in futures:
                await future
        finally:
            if own:
                await producer.stop()

    async def until_count(self, count: int, limit: float = 300) -> None:
        """Until `count` distinct ids came out."""
        deadline = time.monotonic() + limit
        while len(self.enriched) < count:
            assert time.monotonic() < deadline, f"only {len(self.enriched)} of {count} came out; logs in {self.logs}"
            await asyncio.sleep(0.1)

    async def wait_until(self, expected: set[str], *, stall: float = 60, limit: float = 600) -> None:
        """Until every expected id came out; fails if nothing new arrives for `stall` seconds."""
        started = time.monotonic()
        self.progress_at = time.monotonic()
        while not expected <= set(self.enriched):
            now = time.monotonic()
            if now - self.progress_at > stall or now - started > limit:
                missing = sorted(expected - set(self.enriched))
                where = await self.locate(missing[:20])
                raise AssertionError(f"no progress for {stall:.0f}s (or over {limit:.0f}s); {len(missing)} ids missing; "
                                     f"where they are: {where}; logs in {self.logs}")
            await asyncio.sleep(0.25)

    async def locate(self, ids: list[str]) -> dict[str, list[str]]:
        """Which topics (and partition@offset) hold each id: tells where a lost message stopped."""
        settings = self.settings
        found: dict[str, list[str]] = {i: [] for i in ids}
        consumer = AIOKafkaConsumer(settings.topic_raw, settings.topic_ingested, bootstrap_servers=self.bootstrap,
                                    auto_offset_reset="earliest", enable_auto_commit=False)
        await consumer.start()
        try:
            while True:
                batch = await consumer.getmany(timeout_ms=2000)
                if not batch:
                    return found
                for tp, messages in batch.items():
                    for message in messages:
                        for article_id in ids:
                            if article_id.encode() in (message.value or b""):
                                found[article_id].append(f"{tp.topic}[{tp.partition}]@{message.offset}")
        finally:
            await consumer.stop()

    async def close(self) -> None:
        for process in self.workers.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()
        if self.broker is not None:
            self.broker.stop()

    async def committed(self, group: str, topic: str, partition: int) -> int | None:
        """The offset `group` has committed on one partition (the next one it will read), or None."""
        from aiokafka import TopicPartition
        from wirestream.kafka.status import committed_offsets

        tp = TopicPartition(topic, partition)
        return (await committed_offsets(self.settings, group, [tp]))[tp]

    def duplicates(self) -> int:
        return sum(count - 1 for count in self.enriched.values() if count > 1)


def metric_values(port: int, name: str) -> float:
    """The sum of a Prometheus metric's samples on a worker's /metrics page (0 when absent)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        lines = response.read().decode().splitlines()
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines
               if line.startswith(name) and line[len(name):len(name) + 1] in (" ", "{"))


def http_get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, loads(error.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):  # not up, or too busy to answer yet
        return 0, None


def report(name: str, **figures: Any) -> None:
    """Figures a test measured, printed for the closing note and README (pytest -s or -rA shows them)."""
    print(f"\n[measured] {name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))
