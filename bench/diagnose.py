"""`python -m bench --diagnose`: where the time goes when two workers share the corpus.

Three layouts, one after the other on the same corpus: two combined workers (every stage in
each, the stories stage in whichever holds its one partition), two ingest+enrich workers beside
one stories worker, and two enrich workers beside one ingest+stories worker. While the corpus
passes, once a second: each stage's consumer lag (as `wirestream status` computes it) and each
worker's counters. At the end: how late each worker's event loop woke
(`wirestream_event_loop_delay_seconds`), which worker did what, and how often Faust's producer
buffer was full (its warning, in the worker logs).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from wirestream.kafka.status import Look, look, status_between
from wirestream.settings import Settings

from bench.corpus import Article
from bench.streaming import Cluster, Throughput, describe_busy, measure_throughput

SAMPLE_EVERY = 1.0


@dataclass
class Samples:
    """What the observer saw, once a second."""

    app_id: str
    looks: list[Look] = field(default_factory=list)
    lag: dict[str, list[int]] = field(default_factory=dict)  # "group/stage" -> lag at each look

    async def observe(self, cluster: Cluster) -> None:
        settings = Settings(kafka_bootstrap_servers=cluster.bootstrap, app_id=self.app_id)
        previous: Look | None = None
        while True:
            started = time.monotonic()
            current = await look(settings)
            status = status_between(settings, previous, current)
            for group in status.groups:
                self.lag.setdefault(f"{group.group}/{group.stage}", []).append(group.total_lag)
            previous = current
            await asyncio.sleep(max(0.0, SAMPLE_EVERY - (time.monotonic() - started)))


def _histogram(lines: list[str], name: str) -> tuple[float, float, dict[float, float]]:
    """Sum, count and cumulative bucket counts of a histogram on a /metrics page."""
    total = count = 0.0
    buckets: dict[float, float] = {}
    for line in lines:
        if line.startswith(name + "_sum "):
            total = float(line.rsplit(" ", 1)[1])
        elif line.startswith(name + "_count "):
            count = float(line.rsplit(" ", 1)[1])
        elif line.startswith(name + "_bucket{"):
            bound = line.split('le="', 1)[1].split('"', 1)[0]
            if bound != "+Inf":
                buckets[float(bound)] = float(line.rsplit(" ", 1)[1])
    return total, count, buckets


def _counter(lines: list[str], name: str, label: str) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith(f"{name}{{") and label in line)


def _workers_report(cluster: Cluster, logs: Path) -> list[str]:
    rows = ["| worker | stages it ran (articles in) | loop delay mean | loop late > 100 ms | producer buffer full |",
            "|---|---|---:|---:|---:|"]
    for index, port in enumerate(cluster.web_ports):
        lines = cluster.metrics_of(port) or []
        ran = {stage: _counter(lines, "wirestream_articles_in_total", f'stage="{stage}"')
               for stage in ("ingest", "stories", "enrich")}
        total, count, buckets = _histogram(lines, "wirestream_event_loop_delay_seconds")
        late = (count - buckets.get(0.1, count)) / count if count else 0.0
        log = (logs / f"worker-{index + 1}.log").read_text(encoding="utf-8", errors="replace")
        full = log.count("producer buffer full")
        did = ", ".join(f"{stage} {n:.0f}" for stage, n in ran.items() if n)
        rows.append(f"| {index + 1} | {did} | {total / count * 1000 if count else 0:.0f} ms | {late:.0%} | {full} |")
    return rows


async def diagnose(corpus: Sequence[Article], env: dict[str, str], app_id: str, logs: Path) -> None:
    layouts: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
        ("two combined workers", (), ()),
        ("two ingest+enrich workers and a stories worker", ("ingest", "enrich"), ("stories",)),
        ("two enrich workers and an ingest+stories worker", ("enrich",), ("ingest", "stories"))]
    for name, stages, beside in layouts:
        samples = Samples(app_id)
        reports: list[str] = []
        folder = logs / name.replace(" ", "-").replace("+", "")

        async def observe(cluster: Cluster, samples: Samples = samples, reports: list[str] = reports,
                          folder: Path = folder) -> None:
            try:
                await samples.observe(cluster)
            finally:  # the workers' own figures, while they still run
                reports.extend(await asyncio.to_thread(_workers_report, cluster, folder))

        result: Throughput = await measure_throughput(["-m", "wirestream", "worker"], env, 2, corpus, app_id, folder,
                                                      stages=stages, beside=beside, observe=observe)
        print(f"\n## {name}: {result.articles_per_s:.1f} articles/s ({result.seconds:.1f} s)")
        print(f"CPU seconds per second: {describe_busy(result)}")
        print("| group/stage | lag mean | lag max | share of samples with lag |")
        print("|---|---:|---:|---:|")
        for key, values in sorted(samples.lag.items()):
            if not any(values):
                continue
            busy = sum(1 for v in values if v) / len(values)
            print(f"| {key} | {statistics.fmean(values):.0f} | {max(values)} | {busy:.0%} |")
        print()
        print("\n".join(reports))
