"""SASL/SCRAM-SHA-512 over TLS with access control, on Apache Kafka (KRaft's StandardAuthorizer).

The test makes its own certificate authority and broker certificate with openssl, creates three
SCRAM users at format time and grants each principal only what its role needs:
- `worker` runs the pipeline: every topic and group whose name starts `articles.` or `wirestream`;
- `publisher` writes to articles.raw;
- `reader` reads articles.enriched and articles.rejected, in groups of its own (`reader-`), and
  may describe the pipeline's topics and groups (end offsets and lag: `wirestream status`, the
  page's health), never read them.
Only the worker (or an admin command run with such rights) creates topics.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from wirestream.client import Subscriber
from wirestream.kafka.broker import free_port
from wirestream.kafka.kraft import KafkaCluster
from wirestream.settings import Settings

from tests.integration.brokers import require_kafka
from tests.integration.fleet import http_get

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.kafka]

PASSWORDS = {"admin": "admin-secret-1f", "worker": "worker-secret-2e", "publisher": "publisher-secret-3d",
             "reader": "reader-secret-4c"}
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@dataclass
class Secured:
    kafka: KafkaCluster
    ca: Path
    logs: Path

    def env(self, user: str, password: str | None = None) -> dict[str, str]:
        secret = self.logs / f"{user}.password"
        secret.write_text((password or PASSWORDS[user]) + "\n", encoding="utf-8")
        return {**os.environ, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": self.kafka.bootstrap_servers,
                "WIRESTREAM_BROKER_KIND": "kafka", "WIRESTREAM_SECURITY_PROTOCOL": "SASL_SSL",
                "WIRESTREAM_SASL_MECHANISM": "SCRAM-SHA-512", "WIRESTREAM_SASL_USERNAME": user,
                "WIRESTREAM_SASL_PASSWORD_FILE": str(secret), "WIRESTREAM_SSL_CAFILE": str(self.ca),
                "WIRESTREAM_CONNECT_TIMEOUT": "15", "WIRESTREAM_NER_LANGUAGES": "en,fr,es,de"}

    def settings(self, user: str) -> Settings:
        return Settings(kafka_bootstrap_servers=self.kafka.bootstrap_servers, broker_kind="kafka",
                        security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512", sasl_username=user,
                        sasl_password=PASSWORDS[user], ssl_cafile=self.ca, connect_timeout=15)  # type: ignore[arg-type]


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_certificates(folder: Path) -> tuple[Path, Path]:
    """A CA and a broker certificate for 127.0.0.1 signed by it; (CA PEM, broker PKCS#12 keystore)."""
    folder.mkdir(parents=True, exist_ok=True)
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=wirestream test CA", cwd=folder)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "broker.key", "-out", "broker.csr",
             "-subj", "/CN=localhost", cwd=folder)
    (folder / "san.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n", encoding="utf-8")
    _openssl("x509", "-req", "-in", "broker.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "broker.pem", "-days", "2", "-extfile", "san.cnf", cwd=folder)
    _openssl("pkcs12", "-export", "-in", "broker.pem", "-inkey", "broker.key", "-certfile", "ca.pem",
             "-out", "broker.p12", "-passout", "pass:keystore-pass", cwd=folder)
    return folder / "ca.pem", folder / "broker.p12"


def _grant(kafka: KafkaCluster, principal: str, operations: list[str], resources: list[str],
           pattern: str = "literal") -> None:
    """kafka-acls.sh --add, through the brokers' own listener (its ANONYMOUS principal is a super user)."""
    kafka.run_tool("kafka.admin.AclCommand", "--bootstrap-server", kafka.internal_bootstrap_servers, "--add",
                   "--allow-principal", f"User:{principal}", *[a for op in operations for a in ("--operation", op)],
                   *resources, "--resource-pattern-type", pattern)


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secured]:
    require_kafka()
    logs = tmp_path_factory.mktemp("secured-kafka")
    ca, keystore = make_certificates(logs / "tls")
    kafka = KafkaCluster(work_dir=logs / "kafka", log_dir=logs, client_protocol="SASL_SSL", scram_users=PASSWORDS,
                         config={
                             "sasl.enabled.mechanisms": "SCRAM-SHA-512",
                             "listener.name.client.scram-sha-512.sasl.jaas.config":
                                 "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                             "ssl.keystore.type": "PKCS12", "ssl.keystore.location": str(keystore),
                             "ssl.keystore.password": "keystore-pass", "ssl.key.password": "keystore-pass",
                             "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                             "allow.everyone.if.no.acl.found": "false",
                             "super.users": "User:admin;User:ANONYMOUS",
                         }).start()
    try:
        _grant(kafka, "worker", ["All"], ["--topic", "articles.", "--topic", "wirestream", "--group", "wirestream"],
               pattern="prefixed")
        _grant(kafka, "publisher", ["Write", "Describe"], ["--topic", "articles.raw"])
        _grant(kafka, "reader", ["Read", "Describe"], ["--topic", "articles.enriched", "--topic", "articles.rejected"])
        _grant(kafka, "reader", ["Read", "Describe"], ["--group", "reader-"], pattern="prefixed")
        _grant(kafka, "reader", ["Describe"], ["--group", "wirestream", "--topic", "wirestream"], pattern="prefixed")
        _grant(kafka, "reader", ["Describe"], ["--topic", "articles.raw"])  # its end offsets, for the lag
        yield Secured(kafka, ca, logs)
    finally:
        kafka.stop()


def _wirestream(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wirestream", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, cwd=SAMPLES.parent)


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 2 and len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    return errors[0]


def test_a_reader_cannot_create_topics_and_is_told_so_in_one_line(secured: Secured) -> None:
    error = _one_error_line(_wirestream(secured.env("reader"), "topics"))
    assert "does not allow user 'reader' to create topic" in error, error
    assert PASSWORDS["reader"] not in error


def test_a_wrong_password_is_one_line_without_the_secret(secured: Secured) -> None:
    result = _wirestream(secured.env("reader", password="wrong-pass-77"), "subscribe", "--limit", "1")
    error = _one_error_line(result)
    assert "refused the connection" in error and "'reader'" in error and "SCRAM-SHA-512" in error
    assert "wrong-pass-77" not in result.stderr + result.stdout


async def test_each_principal_does_its_part_and_readers_need_read_rights_only(secured: Secured) -> None:
    worker_env = {**secured.env("worker"), "WIRESTREAM_WEB_PORT": str(free_port())}
    log = open(secured.logs / "worker.log", "ab")  # noqa: SIM115 - the worker's for its life
    worker = subprocess.Popen([sys.executable, "-m", "wirestream", "worker"], env=worker_env, stdout=log,
                              stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    web_port = free_port()
    web = subprocess.Popen([sys.executable, "-m", "wirestream", "web", "--from-beginning"],
                           env={**secured.env("reader"), "WIRESTREAM_UI_PORT": str(web_port)},
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        samples = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".json"))
        deadline = time.monotonic() + 120  # the worker creates the topics once its models are loaded
        while (published := _wirestream(secured.env("publisher"), "publish", *map(str, samples))).returncode != 0:
            assert worker.poll() is None, (secured.logs / "worker.log").read_text()
            assert time.monotonic() < deadline, published.stderr
            await asyncio.sleep(2)
        assert "failed 0" in published.stderr, published.stdout + published.stderr

        followed = _wirestream(secured.env("reader"), "subscribe", "--from-beginning", "--json", "--limit", "3")
        assert followed.returncode == 0 and len(followed.stdout.splitlines()) == 3, followed.stderr

        async with Subscriber(secured.settings("reader"), from_beginning=True, group="reader-desk") as subscriber:
            first = await asyncio.wait_for(anext(aiter(subscriber)), 60)
        assert first.entities

        status = _wirestream(secured.env("reader"), "status", "--json")
        assert status.returncode == 0 and '"wirestream"' in status.stdout, status.stderr

        deadline = time.monotonic() + 60
        while (page := http_get(f"http://127.0.0.1:{web_port}/api/state"))[0] != 200 or not page[1]["counts"]["articles"]:
            assert web.poll() is None and time.monotonic() < deadline, page
            await asyncio.sleep(1)
        assert "error" not in page[1]["health"], page[1]["health"]
    finally:
        for process in (web, worker):
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
    assert worker.returncode == 0, (secured.logs / "worker.log").read_text()[-3000:]
