"""Child processes: the embedded broker and worker processes, which end when their parent does.

`spawn_worker` is the one way a worker process is started: by `wirestream run`, the integration
tests and the benchmark alike.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Mapping, Sequence

WORKER_COMMAND = ("-m", "wirestream", "worker")


def die_with_parent() -> None:
    """For child processes (broker, workers): end when the process that started them ends (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def stop_child(process: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGTERM, then SIGKILL if it has not exited after `timeout` seconds; reaped either way."""
    if process.poll() is not None:
        return
    process.terminate()
    reap(process, timeout)


def reap(process: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait up to `timeout` seconds for a child told to stop, then SIGKILL it."""
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def spawn_worker(env: Mapping[str, str], log_path: Path, *args: str, command: Sequence[str] = WORKER_COMMAND,
                 cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """`python -m wirestream worker ARGS…` (or another `command`), its output appended to `log_path`.

    `env` is the whole environment of the child: settings reach it as WIRESTREAM_* variables.
    """
    log = open(log_path, "ab")  # noqa: SIM115 - the child writes to it for its whole life
    try:
        return subprocess.Popen([sys.executable, *command, *args], env=dict(env), cwd=cwd, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
    finally:
        log.close()  # the child has its own copy of the descriptor
