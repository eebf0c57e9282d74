"""`wirestream broker --kafka`: Apache Kafka in KRaft mode on loopback, started and stopped by hand."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from wirestream.client import Publisher, Subscriber
from wirestream.kafka.admin import ensure_topics
from wirestream.kafka.broker import free_port, port_is_open
from wirestream.kafka.topics import topic_catalogue
from wirestream.settings import Settings

from tests.integration.brokers import require_kafka

pytestmark = [pytest.mark.integration, pytest.mark.kafka]


@pytest.mark.parametrize("nodes", [1, 3])
async def test_broker_kafka_formats_starts_serves_and_stops_on_sigterm(tmp_path: Path, nodes: int) -> None:
    require_kafka()
    port = free_port()
    data = tmp_path / "data"
    broker = subprocess.Popen([sys.executable, "-m", "wirestream", "broker", "--kafka", "--nodes", str(nodes),
                               "--port", str(port), "--data-dir", str(data)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              env={**os.environ})
    try:
        assert broker.stdout is not None
        line = broker.stdout.readline().decode()
        bootstrap = ",".join(f"127.0.0.1:{port + i}" for i in range(nodes))
        assert "Apache Kafka 3.9.1 (KRaft" in line and f"bootstrap servers: {bootstrap}" in line, line
        # Its storage is formatted where it was told: a node folder each, with KRaft's metadata log.
        assert sorted(p.name for p in data.glob("node-*")) == [f"node-{i + 1}" for i in range(nodes)]
        settings = Settings(kafka_bootstrap_servers=bootstrap, replication_factor=nodes, partitions=2,
                            connect_timeout=60)
        await ensure_topics(settings, topic_catalogue(settings).all())
        async with Publisher(settings) as publisher:
            await publisher.publish({"id": "raw-check", "text": "LONDON (Reuters) - A broker check."})
        assert settings.broker_kind == "auto"
        async with Subscriber(settings, from_beginning=True) as subscriber:
            assert subscriber._settings.broker_kind == "kafka"  # told apart from Tansu by its cluster id
        started = time.monotonic()
        broker.send_signal(signal.SIGTERM)
        assert broker.wait(60) == 0
        assert not any(port_is_open("127.0.0.1", port + i) for i in range(nodes))
        print(f"\n[measured] wirestream broker --kafka --nodes {nodes}: stopped in {time.monotonic() - started:.1f} s")
    finally:
        if broker.poll() is None:
            broker.kill()
        await asyncio.sleep(0)
