"""What a user meets when things go wrong, through the real commands and a broker of each test's own:
a broker that dies under `wirestream subscribe`, a page closed under `wirestream web`, a broker
stopped while a client is connected, and the client's errors in a script with no logging set up."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from wirestream.kafka.broker import EmbeddedBroker, free_port

from tests.integration.fleet import report

pytestmark = pytest.mark.integration

CONNECT_TIMEOUT = 3.0


def _env(port: int, **extra: str) -> dict[str, str]:
    return {**os.environ, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}",
            "WIRESTREAM_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT), **extra}


def _wirestream(*args: str, env: dict[str, str], stderr: Path) -> subprocess.Popen[bytes]:
    with stderr.open("wb") as output:
        return subprocess.Popen([sys.executable, "-m", "wirestream", *args], env=env, stdout=subprocess.DEVNULL,
                                stderr=output, stdin=subprocess.DEVNULL)


async def _until_in(path: Path, text: str, limit: float) -> float:
    """Seconds until `text` appears in the file at `path`."""
    started = time.monotonic()
    while text not in path.read_text(errors="replace"):
        assert time.monotonic() - started < limit, f"{text!r} not in {path.name} within {limit:.0f}s: {path.read_text()}"
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def test_subscribe_says_within_the_connect_timeout_that_the_broker_is_gone_keeps_trying_and_follows_on(
    tmp_path: Path,
) -> None:
    port = free_port()
    broker = EmbeddedBroker(port=port, log_path=tmp_path / "broker.log").start()
    stderr = tmp_path / "subscribe.err"
    subscriber = _wirestream("subscribe", env=_env(port), stderr=stderr)
    try:
        await asyncio.sleep(4)  # subscribed (it creates the topics first)
        assert subscriber.poll() is None, stderr.read_text()
        gone_at = time.monotonic()
        broker.stop()
        await _until_in(stderr, "warning: no answer from the Kafka broker", CONNECT_TIMEOUT + 3)
        told_after = time.monotonic() - gone_at
        assert told_after <= CONNECT_TIMEOUT + 1.0
        await asyncio.sleep(2)
        assert subscriber.poll() is None  # still trying
        assert stderr.read_text().count("no answer from the Kafka broker") == 1  # said once, not per retry
        broker = EmbeddedBroker(port=port, log_path=tmp_path / "broker-2.log").start()
        await _until_in(stderr, "answers again", 30)
        subscriber.send_signal(signal.SIGINT)
        assert subscriber.wait(15) == 0
        lines = stderr.read_text().splitlines()
        assert len(lines) == 2 and not any("Traceback" in line or "Unable" in line for line in lines), lines
        report("subscribe, broker gone", seconds_to_say_so=round(told_after, 1), connect_timeout=CONNECT_TIMEOUT)
    finally:
        if subscriber.poll() is None:
            subscriber.kill()
        broker.stop()


async def test_the_broker_stops_at_once_on_sigterm_with_a_client_connected(tmp_path: Path) -> None:
    port = free_port()
    stderr = tmp_path / "broker.err"
    with stderr.open("wb") as output:
        broker = subprocess.Popen([sys.executable, "-m", "wirestream", "broker", "--port", str(port)],
                                  env=_env(port), stdout=subprocess.PIPE, stderr=output)
    subscriber = None
    try:
        assert broker.stdout is not None and b"listening" in broker.stdout.readline()
        subscriber = _wirestream("subscribe", env=_env(port), stderr=tmp_path / "subscribe.err")
        await asyncio.sleep(5)
        assert subscriber.poll() is None
        started = time.monotonic()
        broker.send_signal(signal.SIGTERM)
        assert broker.wait(10) == 0
        stopped_in = time.monotonic() - started
        # Stopping takes ~1.4 s (1 s for Tansu to go on SIGTERM, then SIGKILL); left to itself Tansu
        # waits 6.5 s for the subscriber. The bound sits between the two, with room for a loaded CI.
        assert stopped_in < 4.0, f"{stopped_in:.1f}s"
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        report("broker stop with a subscriber connected", seconds=round(stopped_in, 2))
    finally:
        for process in (broker, subscriber):
            if process is not None and process.poll() is None:
                process.kill()


async def test_closing_the_page_and_stopping_web_log_no_error(tmp_path: Path) -> None:
    port, ui_port = free_port(), free_port()
    broker = EmbeddedBroker(port=port, log_path=tmp_path / "broker.log").start()
    stderr = tmp_path / "web.err"
    web = _wirestream("web", env=_env(port, WIRESTREAM_UI_PORT=str(ui_port)), stderr=stderr)
    try:
        await _until_in(stderr, "newsroom page on", 30)
        for _ in range(3):  # a browser opens the live stream, then the page is closed
            reader, writer = await asyncio.open_connection("127.0.0.1", ui_port)
            writer.write(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{ui_port}\r\n\r\n".encode())
            await writer.drain()
            assert b"200" in await asyncio.wait_for(reader.readline(), 10)
            writer.transport.abort()  # gone, as a closed tab is
        await asyncio.sleep(HEALTH_WAIT)  # the next events are written to the closed streams
        web.send_signal(signal.SIGINT)
        assert web.wait(20) == 0
        output = stderr.read_text()
        for sign in ("Traceback", "ERROR", "Unclosed", "ClientConnectionResetError", "Task was destroyed"):
            assert sign not in output, output
    finally:
        if web.poll() is None:
            web.kill()
        broker.stop()


HEALTH_WAIT = 6.0  # the page's server writes the cluster's health to every open stream every 5 s


def test_the_client_says_broker_unavailable_and_nothing_else_in_a_script_without_logging(tmp_path: Path) -> None:
    script = tmp_path / "user_script.py"
    script.write_text(
        "import asyncio\n"
        "from wirestream.client import BrokerUnavailable, Publisher\n"
        "async def main():\n"
        "    try:\n"
        "        async with Publisher() as publisher:\n"
        "            await publisher.publish('text')\n"
        "    except BrokerUnavailable as error:\n"
        "        print(type(error).__name__, error.code, repr(error)[:40])\n"
        "asyncio.run(main())\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], env=_env(free_port()), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("BrokerUnavailable broker_unavailable BrokerUnavailable(")
    assert result.stderr == ""  # no 'Unable connect to …' lines from the Kafka client
