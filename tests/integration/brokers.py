"""The two brokers every guarantee is shown on: Tansu (embedded, in memory) and Apache Kafka (KRaft).

A test asks for a broker by kind through a fixture parameter (`BROKERS`, or `on_both_brokers` for a
module whose fixtures take `broker_kind`). Apache Kafka comes from the jars `make kafka` installs;
where Java or the jars are missing its tests skip with one line saying what to install, except
under CI=true, where they fail: CI must run them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import pytest
from wirestream.errors import ConfigError
from wirestream.kafka.broker import EmbeddedBroker, free_port
from wirestream.kafka.kraft import KafkaCluster, kafka_libs
from wirestream.settings import Settings

BROKERS = [pytest.param("tansu", id="tansu"), pytest.param("kafka", id="kafka", marks=pytest.mark.kafka)]


class Broker(Protocol):
    @property
    def bootstrap_servers(self) -> str: ...

    @property
    def pid(self) -> int | None: ...

    def stop(self) -> None: ...


def require_kafka() -> None:
    """Skip (fail under CI=true) the calling test when Apache Kafka cannot run here."""
    try:
        kafka_libs(Settings().kafka_libs)
    except ConfigError as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Kafka tier must run under CI=true: {missing}")
        pytest.skip(f"Kafka tier: {missing}")


def start_broker(kind: str, logs: Path, port: int | None = None) -> EmbeddedBroker | KafkaCluster:
    if kind == "tansu":
        return EmbeddedBroker(port=port or free_port(), log_path=logs / "broker.log").start()
    require_kafka()
    # WIRESTREAM_KAFKA_LIBS runs the tier on other jars (the 4.x smoke run: README, Guarantees).
    return KafkaCluster(nodes=1, work_dir=logs / "kafka", log_dir=logs, ports=[port] if port else None,
                        libs=Settings().kafka_libs).start()


def broker_env(kind: str) -> dict[str, str]:
    """What a worker on `kind` is told. On Tansu, short group timings keep the tests' rebalances
    quick (its JoinGroup waits session_timeout/2); Apache Kafka's workers run with the defaults
    users deploy (it refuses a session under its group.min.session.timeout.ms of 6 s)."""
    if kind == "tansu":
        return {"WIRESTREAM_BROKER_KIND": "tansu", "WIRESTREAM_SESSION_TIMEOUT": "4", "WIRESTREAM_REBALANCE_TIMEOUT": "4"}
    return {"WIRESTREAM_BROKER_KIND": "kafka"}
