"""`wirestream run` (what `make run` calls): a broker if none answers, workers, the samples, the stream."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Coroutine

from wirestream.cli.signals import interrupt
from wirestream.cli.streams import publish, subscribe
from wirestream.errors import ConfigError, WirestreamError
from wirestream.kafka.admin import prepare_cluster
from wirestream.kafka.broker import EmbeddedBroker, port_is_free, port_is_open
from wirestream.processes import spawn_worker
from wirestream.settings import Settings


def _samples_dir() -> Path:
    here = Path.cwd() / "samples"
    return here if here.is_dir() else Path(__file__).resolve().parents[3] / "samples"


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if args.samples and not Path(args.samples).exists():
        raise ConfigError(f"--samples {args.samples}: no such file or directory; "
                          "give a directory of .txt/.json/.jsonl articles")
    host, _, port = settings.kafka_bootstrap_servers.split(",")[0].rpartition(":")
    broker: EmbeddedBroker | None = None
    workers: list[subprocess.Popen[bytes]] = []
    broker_env: dict[str, str] = {}
    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, interrupt)  # a supervisor's SIGTERM stops everything, as Ctrl-C does
    try:
        if port_is_open(host or "127.0.0.1", int(port)):
            print(f"using the Kafka broker at {settings.kafka_bootstrap_servers}", flush=True)
        else:
            broker = EmbeddedBroker(port=int(port), host=host or "127.0.0.1", log_path=log_dir / "broker.log")
            broker.start()
            print(f"started the embedded broker at {broker.bootstrap_servers}", flush=True)
            # Said, not asked: the workers take Tansu's timings from their first start.
            settings = settings.for_broker("tansu")
            broker_env["WIRESTREAM_BROKER_KIND"] = "tansu"
        settings = asyncio.run(prepare_cluster(settings))
        # NER holds an enrich worker's event loop for tens of milliseconds at a time, so ingest and
        # the one-partition stories stage run in a light process of their own (compose and the chart
        # give each its own): an article waits for NER once, not at every stage (bench: p99 at half
        # load 793 ms this way, 1,189 ms with ingest in the enrich workers).
        light = "ingest,stories" if settings.stories else "ingest"
        ports = _web_ports(settings.web_port, args.workers + 1)
        for index in range(args.workers):
            env = {**os.environ, **broker_env, "WIRESTREAM_WEB_PORT": str(ports[index])}
            workers.append(spawn_worker(env, log_dir / f"worker-{index + 1}.log", "--stages", "enrich"))
        env = {**os.environ, **broker_env, "WIRESTREAM_WEB_PORT": str(ports[-1])}
        workers.append(spawn_worker(env, log_dir / "ingest.log", "--stages", light))
        print(f"started {args.workers} enrich worker(s) and an {light.replace(',', '+')} worker; logs in {log_dir}/",
              flush=True)
        asyncio.run(publish([args.samples or str(_samples_dir())], settings, quiet=True))
        print("enriched stream (Ctrl-C to stop):", flush=True)
        follow = argparse.Namespace(from_beginning=True, json=False, lang=None, country=None, entity=None, near=None,
                                    label=None, new_stories=False, no_duplicates=False, limit=args.limit, rejected=True)
        named = {f"enrich worker {index + 1}": (worker, log_dir / f"worker-{index + 1}.log")
                 for index, worker in enumerate(workers[:-1])}
        named[f"{light.replace(',', '+')} worker"] = (workers[-1], log_dir / "ingest.log")
        asyncio.run(_while_workers_live(subscribe(follow, settings), named))
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
        if broker is not None:
            broker.stop()
        print("stopped.", file=sys.stderr)


def _web_ports(first: int, count: int) -> list[int]:
    """`count` ports for the workers' health and metrics, from `first` up, skipping those taken."""
    ports: list[int] = []
    port = first
    while len(ports) < count:
        if port_is_free(port):
            ports.append(port)
        port += 1
    return ports


async def _while_workers_live(follow: Coroutine[Any, Any, object],
                              workers: dict[str, tuple[subprocess.Popen[bytes], Path]]) -> None:
    """Follow the stream for as long as every worker runs: a worker that stops (its port taken, a
    model missing) ends the command with its name and log, rather than a stream that stays empty."""
    stream = asyncio.ensure_future(follow)
    try:
        while not stream.done():
            for name, (worker, log) in workers.items():
                if worker.poll() is not None:
                    raise WirestreamError(f"the {name} stopped (exit code {worker.returncode}): {_last_error(log)}; "
                                          f"see {log}")
            await asyncio.wait({stream}, timeout=0.5)
        stream.result()
    finally:
        stream.cancel()


def _last_error(log: Path) -> str:
    """The last ERROR line of a worker's log, without its time stamp (or a note that there is none)."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "no log"
    errors = [line for line in lines if " ERROR " in line]
    return errors[-1].split(" ERROR ", 1)[1][:300] if errors else "no error logged"
