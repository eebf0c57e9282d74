"""What a user sees when something is wrong: one line naming the problem and the fix, the right
exit status, no log noise, and never a secret. Most run the command in process (`main`); the
ones about processes and time run it as a user would."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from wirestream.cli.main import main
from wirestream.kafka.broker import free_port, port_is_open

from tests.conftest import PROJECT

PASSWORD = "Pa55-zebra-7731-do-not-print"


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings come from the environment; the CLI replaces the root log handlers, which we put back."""
    for name in list(os.environ):
        if name.startswith("WIRESTREAM_"):
            monkeypatch.delenv(name)
    handlers, level = list(logging.getLogger().handlers), logging.getLogger().level
    yield monkeypatch
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level)


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str],
            *args: str) -> tuple[int, str, str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


INCOMPLETE = {
    "SASL without a user": {"WIRESTREAM_SECURITY_PROTOCOL": "SASL_SSL", "WIRESTREAM_SASL_PASSWORD": PASSWORD},
    "SASL with a CA file that is not there": {
        "WIRESTREAM_SECURITY_PROTOCOL": "SASL_SSL", "WIRESTREAM_SASL_USERNAME": "alice",
        "WIRESTREAM_SASL_PASSWORD": PASSWORD, "WIRESTREAM_SSL_CAFILE": "/nonexistent/ca.pem"},
    "a client certificate without its key": {
        "WIRESTREAM_SECURITY_PROTOCOL": "SSL", "WIRESTREAM_SSL_CERTFILE": str(PROJECT / "tests/unit/tls/client.pem"),
        "WIRESTREAM_SASL_PASSWORD": PASSWORD},
}
INVALID = {
    "an unknown mechanism": {"WIRESTREAM_SECURITY_PROTOCOL": "SASL_SSL", "WIRESTREAM_SASL_MECHANISM": "GSSAPI",
                             "WIRESTREAM_SASL_USERNAME": "alice", "WIRESTREAM_SASL_PASSWORD": PASSWORD},
    "an unknown protocol": {"WIRESTREAM_SECURITY_PROTOCOL": "TLS", "WIRESTREAM_SASL_PASSWORD": PASSWORD},
    "a partition count that is not a number": {"WIRESTREAM_PARTITIONS": "lots", "WIRESTREAM_SASL_PASSWORD": PASSWORD},
    "models that are not JSON": {"WIRESTREAM_NER_MODELS": "en=spacy", "WIRESTREAM_SASL_PASSWORD": PASSWORD},
}


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    article = tmp_path / "a.txt"
    article.write_text("LONDON (Reuters) - Keir Starmer spoke.", encoding="utf-8")
    return {"topics": ["topics"], "status": ["status"], "publish": ["publish", str(article)],
            "subscribe": ["subscribe", "--limit", "1"], "worker": ["worker"],
            "run": ["run", "--samples", str(tmp_path), "--log-dir", str(tmp_path / "logs")]}


@pytest.mark.parametrize("case", sorted(INCOMPLETE) + sorted(INVALID))
def test_every_kafka_command_refuses_bad_security_settings_in_one_line_without_the_password(
        case: str, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    env = INCOMPLETE.get(case) or INVALID[case]
    for command, args in _commands(tmp_path).items():
        code, out, err = run_cli(cli_env, capsys, env, *args)
        assert code == 2, (command, err)
        assert PASSWORD not in out + err, command
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (command, err)
        assert "WIRESTREAM_" in lines[0] and "pydantic" not in lines[0] and "input_value" not in lines[0], lines[0]


@pytest.mark.slow
def test_a_complete_password_never_shows_when_the_broker_is_away(cli_env: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    env = {"WIRESTREAM_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "WIRESTREAM_SASL_USERNAME": "alice",
           "WIRESTREAM_SASL_PASSWORD": PASSWORD, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
           "WIRESTREAM_CONNECT_TIMEOUT": "1", "WIRESTREAM_STARTUP_TIMEOUT": "1"}
    for command, args in _commands(tmp_path).items():
        if command == "run":
            continue  # it would start an embedded broker at that address
        code, out, err = run_cli(cli_env, capsys, env, *args)
        assert code == 2 and "no Kafka broker answers" in err, (command, err)
        assert PASSWORD not in out + err, command


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(INCOMPLETE))
def test_enrich_runs_offline_whatever_the_kafka_security_settings(case: str, cli_env: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("LONDON (Reuters) - Keir Starmer spoke in Leeds.", encoding="utf-8")
    code, out, err = run_cli(cli_env, capsys, INCOMPLETE[case], "enrich", str(article))
    assert code == 0, err
    assert '"city":"London"' in out or '"city":"LONDON"' in out
    assert PASSWORD not in out + err


@pytest.mark.parametrize(("args", "message"), [
    (["subscribe", "--limit", "0"], "argument --limit: must be 1 or more, got 0"),
    (["subscribe", "--limit", "-1"], "argument --limit: must be 1 or more, got -1"),
    (["run", "--limit", "0"], "argument --limit: must be 1 or more, got 0"),
    (["broker", "--port", "99999"], "argument --port: a port is 1 to 65535, got 99999"),
    (["status", "--interval", "0"], "argument --interval: must be more than 0"),
    (["publish"], "the following arguments are required: PATH"),
    (["subscribe", "--near", "48.8,2.3"], "argument --near: '48.8,2.3' is not LAT,LON,KM"),
    (["subscribe", "--near", "91,2.3,10"], "argument --near: '91,2.3,10': latitude -90..90"),
], ids=["--limit 0", "--limit -1", "run --limit 0", "a port out of range", "a zero interval", "a missing path",
        "--near without a distance", "--near off the globe"])
def test_a_bad_argument_is_one_line_with_status_2(args: list[str], message: str, cli_env: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(cli_env, capsys, {}, *args)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err


def test_run_with_samples_that_do_not_exist_says_so(cli_env: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(cli_env, capsys, {"WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}"},
                           "run", "--samples", "/nonexistent/articles")
    assert code == 2
    assert err.strip() == ("error: --samples /nonexistent/articles: no such file or directory; "
                           "give a directory of .txt/.json/.jsonl articles")


def _wirestream(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "wirestream", *args], env=env, capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    return result, time.monotonic() - started


@pytest.mark.slow
@pytest.mark.parametrize("args", [["topics"], ["publish", "samples/01_london_reuters.txt"], ["subscribe"], ["status"]],
                         ids=["topics", "publish", "subscribe", "status"])
def test_with_no_broker_a_command_says_so_in_one_line_within_seconds(args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRESTREAM_")}
    env["WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"] = f"127.0.0.1:{free_port()}"
    result, seconds = _wirestream(*args, env=env)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [result.stderr.strip()], result.stderr  # one line, nothing else
    assert result.stderr.startswith("error: no Kafka broker answers at 127.0.0.1:")
    assert seconds < 12, seconds  # the default connect timeout is 5 s


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_broker_command_stops_on_a_signal_with_its_child_and_exits_0(sig: signal.Signals) -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "wirestream", "broker", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not port_is_open("127.0.0.1", port):
            assert time.monotonic() < deadline and process.poll() is None, "the broker did not start"
            time.sleep(0.1)
        [tansu] = _children(process.pid)
        started = time.monotonic()
        process.send_signal(sig)
        code = process.wait(timeout=10)
        assert code == 0 and time.monotonic() - started < 6
        assert not _alive(tansu), "the embedded broker process outlived the command"
        assert not port_is_open("127.0.0.1", port)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_run_ends_with_the_name_and_error_of_a_worker_that_stopped(tmp_path: Path) -> None:
    import asyncio

    from wirestream.cli.run import _while_workers_live
    from wirestream.errors import WirestreamError

    log = tmp_path / "ingest.log"
    log.write_text("2026-12-03 17:15:09,908 INFO faust.worker: starting\n2026-12-03 17:15:09,908 ERROR "
                   "faust.worker: [^Worker]: Error: OSError(98, 'address already in use')\n")
    stopped = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(3)"])
    started = time.monotonic()
    with pytest.raises(WirestreamError) as raised:
        await _while_workers_live(asyncio.sleep(60), {"ingest+stories worker": (stopped, log)})
    assert time.monotonic() - started < 5  # not the stream's 60 s: the run says so at once
    assert str(raised.value) == ("the ingest+stories worker stopped (exit code 3): faust.worker: [^Worker]: Error: "
                                 f"OSError(98, 'address already in use'); see {log}")


def test_run_gives_each_worker_a_port_nothing_holds() -> None:
    import socket

    from wirestream.cli.run import _web_ports

    first = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", first + 1))
        taken.listen()
        ports = _web_ports(first, 3)
    assert ports[0] == first and first + 1 not in ports and len(set(ports)) == 3 and ports == sorted(ports)
