"""Streaming rows: a fresh broker, N worker processes, the corpus published and read back.

The broker is the embedded Tansu, or Apache Kafka (KRaft, one node) when the row's environment
says `WIRESTREAM_BROKER_KIND=kafka`; the workers take that broker's defaults.

Throughput runs from the first publish to the last output record read; workers are started,
warmed up and hold their partitions before the clock starts. Start-up time is measured
separately, from launching one worker to its first output record.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
import urllib.request
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from wirestream.kafka.admin import GroupState, describe_group, prepare_cluster
from wirestream.kafka.broker import EmbeddedBroker, free_port
from wirestream.kafka.kraft import KafkaCluster
from wirestream.processes import spawn_worker
from wirestream.serialization import dumps, loads
from wirestream.settings import Settings

from bench.corpus import Article

PROJECT = Path(__file__).resolve().parent.parent
RAW, ENRICHED, REJECTED = "articles.raw", "articles.enriched", "articles.rejected"
PARTITIONS = 8
WARMUP = 16  # one short article per partition and then some, so every worker has done real work


@dataclass
class Throughput:
    articles: int
    words: int
    seconds: float
    peak_rss_mb: list[float] = field(default_factory=list)  # the enriching workers
    reused: int | None = None  # articles whose entities were reused from their original (the workers' metric)
    beside_rss_mb: float | None = None  # the light worker beside them (stories, or ingest and stories), where one runs
    busy: list[float] = field(default_factory=list)  # CPU seconds per second of the run, per worker (beside first)
    broker_busy: float = 0.0  # the same for the embedded broker
    bench_busy: float = 0.0  # and for this process (publishing, reading the records)

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds


def describe_busy(result: Throughput) -> str:
    """CPU seconds per second of each worker, the light one beside them first where there is one."""
    names = (["beside"] if result.beside_rss_mb else []) + [f"worker {n + 1}" for n in range(len(result.peak_rss_mb))]
    workers = ", ".join(f"{name} {busy:.2f}" for name, busy in zip(names, result.busy))
    return f"{workers}, broker {result.broker_busy:.2f}, bench {result.bench_busy:.2f}"


def _warmup_article(index: int, tag: str) -> bytes:
    return dumps({"id": f"{tag}-{index:03d}", "text": f"LONDON (Reuters) - Keir Starmer met Emmanuel Macron on day {index}."})


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process ever had."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Cluster:
    """One broker and the worker processes of one row; a context manager."""

    def __init__(self, command: Sequence[str], env: dict[str, str], logs: Path) -> None:
        self.command = list(command)
        self.env = env
        self.logs = logs
        self.broker: EmbeddedBroker | KafkaCluster = (
            KafkaCluster(work_dir=logs / "kafka", log_dir=logs, quick_start=False) if env.get("WIRESTREAM_BROKER_KIND") == "kafka"
            else EmbeddedBroker(port=free_port(), log_path=logs / "broker.log"))
        self.workers: list[subprocess.Popen[bytes]] = []
        self.web_ports: list[int] = []

    @property
    def bootstrap(self) -> str:
        return self.broker.bootstrap_servers

    async def __aenter__(self) -> Cluster:
        self.logs.mkdir(parents=True, exist_ok=True)
        self.broker.start()
        # Every topic of the catalogue, as `wirestream topics` makes them (articles.raw, .enriched and
        # .rejected, which the naive app uses too, and the workers' internal ones: a reader of one must
        # not make the broker auto-create it with 4 partitions).
        await prepare_cluster(Settings(kafka_bootstrap_servers=self.bootstrap, partitions=PARTITIONS,
                                       app_id=self.env.get("WIRESTREAM_APP_ID", "wirestream"),
                                       broker_kind=self.env.get("WIRESTREAM_BROKER_KIND", "auto")))  # type: ignore[arg-type]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        self.broker.stop()

    def start_worker(self, *args: str) -> subprocess.Popen[bytes]:
        """A worker running the row's command, with `args` after it (`--stages stories`)."""
        index = len(self.workers)
        self.web_ports.append(free_port())
        env = {**os.environ, **self.env, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
               "WIRESTREAM_WEB_PORT": str(self.web_ports[-1]), "WIRESTREAM_LOG_LEVEL": "warning"}
        worker = spawn_worker(env, self.logs / f"worker-{index + 1}.log", *args, command=self.command, cwd=PROJECT)
        self.workers.append(worker)
        return worker

    def check_alive(self) -> None:
        for index, worker in enumerate(self.workers):
            if worker.poll() is not None:
                raise RuntimeError(f"worker {index + 1} exited with status {worker.returncode}; "
                                   f"see {self.logs}/worker-{index + 1}.log")

    def metric(self, name: str) -> int | None:
        """A counter summed over the workers' /metrics pages (None when a worker does not answer)."""
        total = 0.0
        for port in self.web_ports:
            lines = self.metrics_of(port)
            if lines is None:
                return None
            total += sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith(name + " "))
        return int(total)

    @staticmethod
    def metrics_of(port: int) -> list[str] | None:
        """A worker's /metrics page, line by line (None when it does not answer)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                return response.read().decode().splitlines()
        except OSError:
            return None

    def peak_rss_mb(self) -> list[float]:
        return [_peak_rss_mb(worker.pid) for worker in self.workers]

    def cpu_seconds(self) -> list[float]:
        """CPU seconds so far of each worker, then of the broker, then of this process."""
        assert self.broker.pid is not None
        return [_cpu_seconds(pid) for pid in [w.pid for w in self.workers] + [self.broker.pid, os.getpid()]]

    async def group(self, group: str) -> GroupState:
        return await describe_group(Settings(kafka_bootstrap_servers=self.bootstrap), group)


class Reader:
    """Reads every output record from the beginning and notes when each id arrived."""

    def __init__(self, bootstrap: str, topics: Sequence[str] = (ENRICHED, REJECTED)) -> None:
        self.arrived: dict[str, float] = {}
        self._consumer = AIOKafkaConsumer(*topics, bootstrap_servers=bootstrap,
                                          auto_offset_reset="earliest", enable_auto_commit=False,
                                          fetch_max_wait_ms=50)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._consumer.start()
        self._task = asyncio.create_task(self._read())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
        await self._consumer.stop()

    async def _read(self) -> None:
        async for message in self._consumer:
            record = loads(message.value)
            article_id = record.get("id") or record.get("article_id")
            if article_id:
                self.arrived.setdefault(article_id, time.perf_counter())

    async def wait_for(self, ids: Sequence[str], timeout: float, cluster: Cluster) -> None:
        deadline = time.perf_counter() + timeout
        while not all(i in self.arrived for i in ids):
            cluster.check_alive()
            if time.perf_counter() > deadline:
                missing = [i for i in ids if i not in self.arrived]
                raise TimeoutError(f"{len(missing)} of {len(ids)} articles did not come out in {timeout:.0f}s")
            await asyncio.sleep(0.02)


async def _publish_all(producer: AIOKafkaProducer, articles: Sequence[Article]) -> None:
    pending = [await producer.send(RAW, value=a.value, key=a.id.encode()) for a in articles]
    await asyncio.gather(*pending)


@asynccontextmanager
async def _running(command: Sequence[str], env: dict[str, str], logs: Path, linger_ms: int,
                   outputs: Sequence[str] = (ENRICHED, REJECTED)) -> AsyncIterator[tuple[Cluster, Reader, AIOKafkaProducer]]:
    """A fresh cluster with a reader of its output and a producer to its input."""
    async with Cluster(command, env, logs) as cluster:
        reader = Reader(cluster.bootstrap, outputs)
        await reader.start()
        producer = AIOKafkaProducer(bootstrap_servers=cluster.bootstrap, acks="all", linger_ms=linger_ms)
        await producer.start()
        try:
            yield cluster, reader, producer
        finally:
            await producer.stop()
            await reader.stop()


Observer = Callable[[Cluster], Awaitable[None]]


async def measure_throughput(command: Sequence[str], env: dict[str, str], workers: int,
                             corpus: Sequence[Article], group: str, logs: Path, *,
                             stages: Sequence[str] = (), beside: Sequence[str] = (),
                             observe: Observer | None = None, outputs: Sequence[str] = (ENRICHED, REJECTED),
                             group_members: int | None = None) -> Throughput:
    """Articles/s of `workers` processes running `command` (with `--stages` from `stages`, if given),
    and one worker running the stages `beside` next to them (if any), first publish to the last
    record read from `outputs`. `observe`, if given, runs while the corpus passes (cancelled at
    the end). `group_members`: how many members `group` has once all have joined (`workers`)."""
    async with _running(command, env, logs, linger_ms=5, outputs=outputs) as (cluster, reader, producer):
        if beside:
            cluster.start_worker("--stages", ",".join(beside))
        for _ in range(workers):
            cluster.start_worker(*(("--stages", ",".join(stages)) if stages else ()))
        warmup = [Article(f"warmup-{i:03d}", "en", 12, _warmup_article(i, "warmup")) for i in range(WARMUP)]
        await _publish_all(producer, warmup)
        await reader.wait_for([a.id for a in warmup], timeout=180, cluster=cluster)
        await _wait_for_members(cluster, group, workers if group_members is None else group_members)
        watching = asyncio.create_task(observe(cluster)) if observe is not None else None
        cpu_before = cluster.cpu_seconds()
        started = time.perf_counter()
        await _publish_all(producer, corpus)
        ids = [a.id for a in corpus]
        try:
            await reader.wait_for(ids, timeout=60 + 2 * len(corpus), cluster=cluster)
        finally:
            if watching is not None:
                watching.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watching
        seconds = max(reader.arrived[i] for i in ids) - started
        *busy, broker_busy, bench_busy = [(after - before) / seconds
                                          for before, after in zip(cpu_before, cluster.cpu_seconds())]
        rss = cluster.peak_rss_mb()
        return Throughput(len(corpus), sum(a.words for a in corpus), seconds, rss[1:] if beside else rss,
                          await asyncio.to_thread(cluster.metric, "wirestream_ner_reused_total"),
                          rss[0] if beside else None, busy, broker_busy, bench_busy)


async def _wait_for_members(cluster: Cluster, group: str, expected: int, timeout: float = 60) -> None:
    """Every worker holds partitions: the group has them all and a rebalance has settled."""
    deadline = time.perf_counter() + timeout
    while (state := await cluster.group(group)).state != "Stable" or state.members != expected:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the group {group} is {state.state} with {state.members} members, "
                               f"not Stable with {expected}, after {timeout:.0f}s")
        await asyncio.sleep(0.5)


@dataclass
class Latency:
    rate: float
    samples: list[float]  # seconds, publish to record read

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def measure_latency(command: Sequence[str], env: dict[str, str], corpus: Sequence[Article],
                          rate: float, seconds: float, group: str, logs: Path, *,
                          stages: Sequence[str] = (), beside: Sequence[str] = ()) -> tuple[Latency, float]:
    """Publish at `rate` articles/s for `seconds`; latency of each, and the worker's start-up time
    (the workers of the layout `stages` and `beside` describe, as `measure_throughput`)."""
    async with _running(command, env, logs, linger_ms=0) as (cluster, reader, producer):
        # Start-up: the first record is waiting before the worker is launched.
        await _publish_all(producer, [Article("startup-000", "en", 12, _warmup_article(0, "startup"))])
        launched = time.perf_counter()
        if beside:
            cluster.start_worker("--stages", ",".join(beside))
        cluster.start_worker(*(("--stages", ",".join(stages)) if stages else ()))
        await reader.wait_for(["startup-000"], timeout=180, cluster=cluster)
        startup = reader.arrived["startup-000"] - launched
        await _wait_for_members(cluster, group, 1)

        count = min(len(corpus), max(1, int(rate * seconds)))
        sent: dict[str, float] = {}
        interval = 1 / rate
        begin = time.perf_counter()
        for index, article in enumerate(corpus[:count]):
            delay = begin + index * interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sent[article.id] = time.perf_counter()
            await producer.send(RAW, value=article.value, key=article.id.encode())
        await reader.wait_for(list(sent), timeout=120 + 2 * count, cluster=cluster)
        return Latency(rate, [reader.arrived[i] - t for i, t in sent.items()]), startup
