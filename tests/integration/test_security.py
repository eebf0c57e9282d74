"""SASL against the embedded broker started with `--authentication`.

What could be exercised here: the broker demands SASL, clients speak SCRAM to it, and a refused
login ends a command with one clear line and status 2 instead of a retry loop. What could not:
a successful login — Tansu's `user create` cannot itself log in to a broker that requires
authentication, and its memory storage forgets users across a restart, so no user can exist.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from wirestream.kafka.broker import EmbeddedBroker, free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def secured_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    logs = tmp_path_factory.mktemp("secured")
    broker = EmbeddedBroker(port=free_port(), log_path=logs / "broker.log", authentication=True).start()
    try:
        yield broker
    finally:
        broker.stop()


def _wirestream(broker: EmbeddedBroker, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers,
                "WIRESTREAM_CONNECT_TIMEOUT": "3", **env}
    return subprocess.run([sys.executable, "-m", "wirestream", *args], env=full_env, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-256", "SCRAM-SHA-512"])
@pytest.mark.parametrize("command", [["topics"], ["worker"], ["publish", "samples/01_london_reuters.txt"]],
                         ids=["topics", "worker", "publish"])
def test_a_refused_login_is_one_clear_line_and_status_2(secured_broker: EmbeddedBroker, command: list[str],
                                                         mechanism: str, tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("not-the-password\n", encoding="utf-8")
    result = _wirestream(secured_broker, *command, WIRESTREAM_SECURITY_PROTOCOL="SASL_PLAINTEXT",
                         WIRESTREAM_SASL_MECHANISM=mechanism, WIRESTREAM_SASL_USERNAME="alice",
                         WIRESTREAM_SASL_PASSWORD_FILE=str(secret), WIRESTREAM_STARTUP_TIMEOUT="3")
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "refused the connection" in errors[0] and mechanism in errors[0] and "'alice'" in errors[0]
    assert "Traceback" not in result.stderr
    assert "not-the-password" not in result.stderr + result.stdout  # the secret never shows


def test_a_client_without_credentials_is_turned_away(secured_broker: EmbeddedBroker) -> None:
    result = _wirestream(secured_broker, "topics")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: no Kafka broker answers at")
    assert "Traceback" not in result.stderr
