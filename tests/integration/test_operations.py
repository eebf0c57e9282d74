"""What operators see of a running worker: /metrics, JSON log lines, `wirestream status`.

Runs against the package's broker and worker (started with WIRESTREAM_LOG_FORMAT=json), after
articles have gone through it.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client.parser import text_string_to_metric_families
from wirestream.serialization import dumps, loads

from tests.integration.conftest import Cluster, Collector

pytestmark = pytest.mark.integration

SECRET_TEXT = "Zanzibar-only-in-the-text"  # appears in an article's text, must never appear in a log line


async def _publish_some(producer: AIOKafkaProducer, collector: Collector, unique: str) -> set[str]:
    ids = {f"{unique}-ops-{i}" for i in range(5)}
    for article_id in sorted(ids):
        value = dumps({"id": article_id, "text": f"LONDON (Reuters) - Keir Starmer spoke in Leeds. {SECRET_TEXT}"})
        await producer.send_and_wait("articles.raw", value)
    await producer.send_and_wait("articles.raw", b'{"text": ')  # one rejection
    await collector.wait_for(ids=ids)
    return ids


def _fetch(url: str) -> tuple[int, bytes]:
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


async def test_metrics_are_prometheus_text_with_counts_stage_times_lag_and_models(
        worker, cluster: Cluster, producer: AIOKafkaProducer, collector: Collector, unique: str) -> None:  # type: ignore[no-untyped-def]
    await _publish_some(producer, collector, unique)
    await asyncio.sleep(1.5)  # a commit interval, so that lag reflects the work done
    status, body = await asyncio.to_thread(_fetch, f"http://127.0.0.1:{worker.web_port}/metrics")
    assert status == 200
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))

    def total(name: str, **labels: str) -> float:
        return sum(v for found, v in samples.get(name, []) if all(found.get(k) == x for k, x in labels.items()))

    assert total("wirestream_articles_in_total", stage="ingest") >= 6
    assert total("wirestream_articles_in_total", stage="enrich") >= 5
    assert total("wirestream_articles_enriched_total", language="en") >= 5
    assert total("wirestream_articles_rejected_total", stage="ingest", reason="invalid_json") >= 1
    for stage in ("ingest", "language", "dateline", "entities"):
        assert total("wirestream_stage_seconds_count", stage=stage) >= 5, stage
    assert total("wirestream_end_to_end_seconds_count") >= 5
    assert total("wirestream_ner_batch_size_count") >= 1
    lag = {(found["topic"], found["partition"]) for found, _ in samples["wirestream_consumer_lag"]}
    assert {("articles.raw", str(p)) for p in range(cluster.settings.partitions)} <= lag
    (info, _), = samples["wirestream_worker_info"]
    assert info["language_model"].startswith("wirestream-langid-ensemble-1 (fasttext-lid.176-lite ")
    assert "cld3 " in info["language_model"] and "langid " in info["language_model"]
    assert {"en", "fr", "de", "es", "nl", "pt"} <= set(info["ner_languages"].split(","))  # what gets entities
    assert "en=en_core_web_sm" in info["ner_models"] and "-3.8.0" in info["ner_models"]  # package and version loaded
    assert samples["wirestream_worker_start_time_seconds"][0][1] > 1.7e9


async def test_worker_log_lines_are_json_with_article_id_and_stage_and_never_the_text(
        worker, cluster: Cluster, producer: AIOKafkaProducer, collector: Collector, unique: str) -> None:  # type: ignore[no-untyped-def]
    ids = await _publish_some(producer, collector, unique)
    await asyncio.sleep(0.5)
    lines = (cluster.logs / "worker-1.log").read_text(encoding="utf-8").splitlines()
    entries = [loads(line) for line in lines if line.strip()]  # every line is one JSON object
    assert entries and all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    about = [e for e in entries if e.get("article_id") in ids]
    assert {e["article_id"] for e in about} == ids
    assert all(e["stage"] == "enrich" for e in about)
    rejected = [e for e in entries if e.get("stage") == "ingest" and "invalid_json" in e["message"]]
    assert rejected and rejected[0]["level"] == "WARNING"
    assert not [e for e in entries if SECRET_TEXT in str(e) and e["level"] != "DEBUG"]


async def test_status_shows_topics_offsets_and_lag_per_stage(cluster: Cluster, collector: Collector,
                                                             producer: AIOKafkaProducer, unique: str) -> None:
    await _publish_some(producer, collector, unique)
    await asyncio.sleep(1.5)
    env = {**os.environ, **cluster.env}
    result = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "wirestream", "status", "--json", "--interval", "1"],
                                     env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    status = loads(result.stdout)
    topics = {t["name"]: t for t in status["topics"]}
    assert topics["articles.raw"]["partitions"] == cluster.settings.partitions
    assert topics["articles.raw"]["records"] >= 6 and topics["articles.enriched"]["records"] >= 5
    assert len(topics["articles.enriched"]["end_offsets"]) == cluster.settings.partitions
    groups = {(g["group"], g["stage"]): g for g in status["groups"]}
    assert set(groups) == {("wirestream", "ingest"), ("wirestream", "stories"), ("wirestream", "enrich")}  # one combined worker
    assert len(groups[("wirestream", "stories")]["lag"]) == 1  # one partition
    assert groups[("wirestream", "enrich")]["topic"] == "wirestream.ingested"
    assert len(groups[("wirestream", "enrich")]["lag"]) == cluster.settings.partitions
    assert groups[("wirestream", "enrich")]["total_lag"] == 0  # everything published has been enriched

    human = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "wirestream", "status", "--interval", "0.5"],
                                    env=env, capture_output=True, text=True, timeout=60)
    assert human.returncode == 0 and "articles.enriched" in human.stdout and "consumer group" in human.stdout
