"""Apache Kafka on loopback in KRaft mode, from the broker's own jars (`make kafka` copies them).

For the Kafka test tier, `wirestream broker --kafka` and the benchmark: the broker users deploy,
started as plain JVM processes. Each node is a combined controller and broker with a bounded
heap and storage of its own, formatted before its first start; with `nodes=3` the nodes form one
quorum and topics can be replicated three times, as `docker-compose.cluster.yml` lays them out.
A node can be stopped, killed, paused and started again on the same storage (the fault tests).
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from wirestream.errors import ConfigError
from wirestream.kafka.broker import free_port, port_is_open
from wirestream.processes import die_with_parent, reap, stop_child

# The one Apache Kafka version of the repo: docker-compose.yml's image, the chart's and the tests'.
KAFKA_VERSION = "3.9.1"
INSTALL_HINT = "install Java 17 and Maven, then run 'make kafka' (it copies the broker's jars into .tools/)"

_LOG4J = """\
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaConfig=WARN
log4j.logger.org.apache.kafka.common.config.AbstractConfig=WARN
log4j.logger.state.change.logger=WARN
"""


def kafka_libs(explicit: Path | None = None) -> Path:
    """The folder of the broker's jars: `explicit` (WIRESTREAM_KAFKA_LIBS), else the `.tools/` that
    `make kafka` fills, looked for from here upwards and beside this checkout. ConfigError, one line
    saying what to install, when there is none or no Java to run it."""
    if shutil.which("java") is None:
        raise ConfigError(f"Apache Kafka needs Java, and no 'java' is on PATH: {INSTALL_HINT}")
    candidates = [explicit] if explicit is not None else [
        base / ".tools" / f"kafka-{KAFKA_VERSION}" / "libs"
        for base in (Path.cwd(), *Path.cwd().parents, *Path(__file__).resolve().parents)
    ]
    for folder in candidates:
        if folder is not None and any(folder.glob("kafka_2.13-*.jar")):
            return folder
    where = explicit if explicit is not None else f".tools/kafka-{KAFKA_VERSION}/libs"
    raise ConfigError(f"no Apache Kafka {KAFKA_VERSION} jars in {where}: {INSTALL_HINT}")


@dataclass
class KafkaNode:
    """One combined controller+broker process; its storage survives a stop, a kill and a restart."""

    node_id: int
    port: int  # where clients connect
    controller_port: int
    internal_port: int  # the brokers' own listener (the client one, unless clients use security)
    data_dir: Path
    log_path: Path
    properties: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.running and self.process is not None else None


@dataclass
class KafkaCluster:
    """Apache Kafka, `nodes` KRaft nodes on `host`; use as a context manager or start()/stop().

    `client_protocol` is the security protocol of the listener clients connect to (`port`); any
    but PLAINTEXT adds an INTERNAL PLAINTEXT listener on loopback for the brokers themselves (and
    for admin tools: its principal, ANONYMOUS, should be a super user). `config` adds to or
    overrides every node's server.properties (TLS keystores, SASL, an authorizer). `scram_users`
    are created at format time, as `kafka-storage format --add-scram` does: {name: password},
    SCRAM-SHA-256 and -512 both.
    """

    nodes: int = 1
    host: str = "127.0.0.1"
    work_dir: Path | None = None
    log_dir: Path | None = None
    heap_mb: int = 384
    libs: Path | None = None
    config: Mapping[str, str] = field(default_factory=dict)
    scram_users: Mapping[str, str] = field(default_factory=dict)
    ports: list[int] | None = None
    client_protocol: str = "PLAINTEXT"
    # The JVM's first JIT tier only: a node starts on 4.1 CPU seconds instead of 7.0, which a test
    # suite on two cores feels; the benchmark turns it off, to measure the broker at full speed.
    quick_start: bool = True
    members: list[KafkaNode] = field(default_factory=list, init=False)
    _own_dir: tempfile.TemporaryDirectory[str] | None = field(default=None, init=False, repr=False)

    kind = "kafka"

    @property
    def bootstrap_servers(self) -> str:
        return ",".join(f"{self.host}:{node.port}" for node in self.members)

    @property
    def internal_bootstrap_servers(self) -> str:
        """The brokers' own PLAINTEXT listeners (admin tools; the client listeners without security)."""
        return ",".join(f"{self.host}:{node.internal_port}" for node in self.members)

    def run_tool(self, main: str, *args: str, timeout: float = 120.0) -> str:
        """One of Kafka's own command-line tools (`kafka.admin.AclCommand`, ...), run on the broker's
        jars; its output, or ConfigError with it when it fails."""
        assert self.work_dir is not None
        result = subprocess.run(self._java(kafka_libs(self.libs), main, *args, heap_mb=256), capture_output=True,
                                text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise ConfigError(f"{main} failed ({result.returncode}): {result.stdout[-2000:]}{result.stderr[-2000:]}")
        return result.stdout

    @property
    def pid(self) -> int | None:
        """The first node's process id while it runs (the benchmark reads its CPU time)."""
        return self.members[0].pid if self.members else None

    def start(self, timeout: float = 90.0) -> KafkaCluster:
        libs = kafka_libs(self.libs)
        self._layout()
        cluster_id = _random_cluster_id()
        formatting = [self._format(node, libs, cluster_id) for node in self.members]  # side by side: a JVM each
        for node, process in zip(self.members, formatting, strict=True):
            if process.wait(timeout) != 0:
                raise ConfigError(f"formatting Kafka storage for node {node.node_id} failed; see {node.log_path}")
        for node in self.members:
            self.start_node(node.node_id, wait=False)
        self.wait_until_up(timeout)
        return self

    def _layout(self) -> None:
        if self.work_dir is None:
            self._own_dir = tempfile.TemporaryDirectory(prefix="wirestream-kafka-")
            self.work_dir = Path(self._own_dir.name)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        logs = self.log_dir or self.work_dir
        logs.mkdir(parents=True, exist_ok=True)
        ports = self.ports or [free_port() for _ in range(self.nodes)]
        controller_ports = [free_port() for _ in range(self.nodes)]
        voters = ",".join(f"{i + 1}@{self.host}:{p}" for i, p in enumerate(controller_ports))
        (self.work_dir / "log4j.properties").write_text(_LOG4J)
        self.members = []
        for index in range(self.nodes):
            node_id = index + 1
            internal = ports[index] if self.client_protocol == "PLAINTEXT" else free_port()
            node = KafkaNode(node_id, ports[index], controller_ports[index], internal, self.work_dir / f"node-{node_id}",
                             logs / (f"kafka-{node_id}.log" if self.nodes > 1 else "broker.log"),
                             self.work_dir / f"server-{node_id}.properties")
            node.properties.write_text(self._properties(node, voters))
            self.members.append(node)

    def _properties(self, node: KafkaNode, voters: str) -> str:
        replicas = min(3, self.nodes)
        if self.client_protocol == "PLAINTEXT":
            listeners = {"PLAINTEXT": node.port}
            protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
        else:
            listeners = {"CLIENT": node.port, "INTERNAL": node.internal_port}
            protocols = f"CLIENT:{self.client_protocol},INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT"
        advertised = ",".join(f"{name}://{self.host}:{port}" for name, port in listeners.items())
        settings = {
            "process.roles": "broker,controller",
            "node.id": str(node.node_id),
            "controller.quorum.voters": voters,
            "listeners": f"{advertised},CONTROLLER://{self.host}:{node.controller_port}",
            "advertised.listeners": advertised,
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT" if self.client_protocol == "PLAINTEXT" else "INTERNAL",
            "listener.security.protocol.map": protocols,
            "log.dirs": str(node.data_dir),
            "auto.create.topics.enable": "false",  # wirestream creates every topic with its partitions
            "num.partitions": "1",
            "offsets.topic.replication.factor": str(replicas),
            "transaction.state.log.replication.factor": str(replicas),
            "transaction.state.log.min.isr": str(min(2, replicas)),
            # A group's first JoinGroup answers at once, as on a broker that has run for a while.
            "group.initial.rebalance.delay.ms": "0",
            "offsets.topic.num.partitions": "10",
            "transaction.state.log.num.partitions": "10",
            "log.segment.bytes": str(64 * 1024 * 1024),
            "log.cleaner.dedupe.buffer.size": str(8 * 1024 * 1024),
            **self.config,
        }
        return "".join(f"{key}={value}\n" for key, value in settings.items())

    def _java(self, libs: Path, main: str, *args: str, heap_mb: int) -> list[str]:
        assert self.work_dir is not None
        return ["java", f"-Xmx{heap_mb}m", f"-Xms{min(heap_mb, 128)}m", "-XX:+UseSerialGC",
                *(["-XX:TieredStopAtLevel=1"] if self.quick_start else []),
                "-Djava.awt.headless=true", f"-Dlog4j.configuration=file:{self.work_dir / 'log4j.properties'}",
                "-cp", f"{libs}/*", main, *args]

    def _format(self, node: KafkaNode, libs: Path, cluster_id: str) -> subprocess.Popen[bytes]:
        scram = [arg for name, password in self.scram_users.items()
                 for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512")
                 for arg in ("--add-scram", f"{mechanism}=[name={name},password={password}]")]
        command = self._java(libs, "kafka.tools.StorageTool", "format", "--ignore-formatted",
                             f"--cluster-id={cluster_id}",  # '=': an id may start with '-'

                             "-c", str(node.properties), *scram, heap_mb=128)
        with open(node.log_path, "ab") as log:
            return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    preexec_fn=die_with_parent)

    def node(self, node_id: int) -> KafkaNode:
        return self.members[node_id - 1]

    def start_node(self, node_id: int, *, wait: bool = True, timeout: float = 60.0) -> None:
        """Start (or start again, on its storage) one node."""
        node = self.node(node_id)
        if node.running:
            return
        libs = kafka_libs(self.libs)
        with open(node.log_path, "ab") as log:
            node.process = subprocess.Popen(
                self._java(libs, "kafka.Kafka", str(node.properties), heap_mb=self.heap_mb),
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent,
                env={**os.environ, "KAFKA_HEAP_OPTS": ""})
        if wait:
            self._wait_for(node, time.monotonic() + timeout)

    def wait_until_up(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        for node in self.members:
            self._wait_for(node, deadline)

    def _wait_for(self, node: KafkaNode, deadline: float) -> None:
        while not port_is_open(self.host, node.port):
            if node.process is None or node.process.poll() is not None:
                code = node.process.returncode if node.process is not None else None
                self.stop()
                raise ConfigError(f"Apache Kafka node {node.node_id} exited with status {code}; see {node.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise ConfigError(f"Apache Kafka node {node.node_id} did not open {self.host}:{node.port} in time; "
                                  f"see {node.log_path}")
            time.sleep(0.1)

    def stop_node(self, node_id: int, timeout: float = 30.0) -> None:
        """SIGTERM: a controlled shutdown, leadership handed over first; SIGKILL after `timeout`."""
        node = self.node(node_id)
        process, node.process = node.process, None
        if process is not None:
            stop_child(process, timeout)

    def kill_node(self, node_id: int) -> None:
        node = self.node(node_id)
        process, node.process = node.process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def pause_node(self, node_id: int) -> None:
        """SIGSTOP: the node hangs, its sockets open and silent (a hung broker)."""
        process = self.node(node_id).process
        assert process is not None
        process.send_signal(signal.SIGSTOP)

    def resume_node(self, node_id: int) -> None:
        process = self.node(node_id).process
        assert process is not None
        process.send_signal(signal.SIGCONT)

    def wait(self) -> int:
        """Until the first node exits; its exit status."""
        process = self.members[0].process
        assert process is not None
        return process.wait()

    def stop(self, timeout: float = 10.0) -> None:
        """Every node, SIGTERM first (all at once, so none waits for another's shutdown), SIGKILL
        after `timeout`: a broker whose controllers left first can wait for them for ever."""
        stopping = [node.process for node in self.members if node.running and node.process is not None]
        for process in stopping:
            process.send_signal(signal.SIGCONT)  # a paused node cannot act on SIGTERM
            process.terminate()
        for process in stopping:
            reap(process, timeout)
        for node in self.members:
            node.process = None
        if self._own_dir is not None:
            self._own_dir.cleanup()
            self._own_dir = None
            self.work_dir = None

    def __enter__(self) -> KafkaCluster:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def _random_cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes in URL-safe base64 without padding (as `random-uuid`)."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


__all__ = ["INSTALL_HINT", "KAFKA_VERSION", "KafkaCluster", "KafkaNode", "kafka_libs"]
