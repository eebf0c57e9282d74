"""The wirestream command against a real embedded broker: publish, subscribe, run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from wirestream.kafka.broker import free_port
from wirestream.serialization import loads

from tests.conftest import PROJECT
from tests.integration.conftest import Cluster, Collector

pytestmark = pytest.mark.integration

SAMPLES = PROJECT / "samples"


def wirestream(*args: str, env: dict[str, str], timeout: float = 120,
               stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wirestream", *args], env=env, capture_output=True,
                          timeout=timeout, input=stdin.decode() if stdin else None, text=True)


async def test_publish_samples_then_subscribe_shows_them(cluster: Cluster, collector: Collector, tmp_path: Path) -> None:
    published = wirestream("publish", str(SAMPLES), env=cluster.env)
    assert published.returncode == 0, published.stderr
    sample_ids = {p.stem for p in SAMPLES.glob("*.txt")} | {"seoul-yonhap-20261124"}
    assert f"published {len(sample_ids)}, failed 0" in published.stderr
    await collector.wait_for(ids=sample_ids)

    # Every French article this session has enriched so far, whatever partition holds it (the order
    # across partitions is not promised): the sample is among them, as JSON.
    french = {i for i, article in collector.enriched.items() if article.language.code == "fr"}
    shown = wirestream("subscribe", "--from-beginning", "--json", "--lang", "fr", "--limit", str(len(french)),
                       env=cluster.env, timeout=60)
    assert shown.returncode == 0, shown.stderr
    articles = [loads(line) for line in shown.stdout.strip().splitlines()]
    assert {a["id"] for a in articles} == french and all(a["language"]["code"] == "fr" for a in articles)
    assert "05_paris_afp_fr" in french

    iranian = {i for i, article in collector.enriched.items()
               if any(e.name == "Abbas Araghchi" for e in article.entities)
               and article.dateline is not None and article.dateline.country_code == "IR"}
    shown = wirestream("subscribe", "--from-beginning", "--country", "IR", "--entity", "Abbas Araghchi",
                       "--limit", str(len(iranian)), env=cluster.env, timeout=60)
    assert shown.returncode == 0, shown.stderr
    line = next(line for line in shown.stdout.strip().splitlines() if line.startswith("08_tehran_ip"))
    assert "Tehran, IR (IP)" in line and "PERSON Abbas Araghchi x2" in line


def test_publish_names_the_bad_file_and_line_and_sends_the_rest(cluster: Cluster, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("LONDON (Reuters) - Fine.", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text('{"text": "ok"}\n[1, 2]\n{"text": "fine too"}\n', encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"text": "no end', encoding="utf-8")
    result = wirestream("publish", str(tmp_path), env=cluster.env)
    assert result.returncode == 1
    assert f"{tmp_path / 'feed.jsonl'}:2" in result.stderr and "not an object" in result.stderr
    assert f"{tmp_path / 'broken.json'}:" in result.stderr and "does not parse" in result.stderr
    assert "published 3, failed 2" in result.stderr


def test_publish_reads_json_lines_on_stdin(cluster: Cluster) -> None:
    result = wirestream("publish", "-", env=cluster.env, stdin=b'{"id": "stdin-1", "text": "PARIS (AFP) - Oui."}\n')
    assert result.returncode == 0 and "published 1, failed 0" in result.stderr


def test_unreachable_broker_gives_one_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
           "WIRESTREAM_CONNECT_TIMEOUT": "2"}
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    result = wirestream("publish", str(tmp_path / "a.txt"), env=env, timeout=60)
    assert result.returncode == 2
    assert "no Kafka broker answers" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_run_starts_everything_shows_the_samples_and_stops(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}", "WIRESTREAM_WEB_PORT": str(free_port())}
    count = len(list(SAMPLES.glob("*.txt"))) + len(list(SAMPLES.glob("*.json")))
    result = subprocess.run([sys.executable, "-m", "wirestream", "run", "--limit", str(count), "--log-dir", str(tmp_path)],
                            env=env, capture_output=True, text=True, timeout=240, cwd=PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert f"started the embedded broker at 127.0.0.1:{port}" in lines[0]
    shown = [line for line in lines if line[:3].rstrip("_").isdigit() or line.startswith("seoul-")]
    assert len(shown) == count
    assert any(line.startswith("08_tehran_ip") and "Tehran, IR (IP)" in line for line in shown)
    assert any(line.startswith("11_no_dateline") and "no dateline" in line for line in shown)
    # Everything it started is stopped: the port is free again.
    from wirestream.kafka.broker import port_is_open

    assert not port_is_open("127.0.0.1", port)
