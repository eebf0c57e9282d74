"""`wirestream run` (what `make run` calls): a broker if none answers, workers, the samples, the stream."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from wirestream.cli.signals import interrupt
from wirestream.cli.streams import publish, subscribe
from wirestream.errors import ConfigError
from wirestream.kafka.admin import prepare_cluster
from wirestream.kafka.broker import EmbeddedBroker, port_is_open
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
        asyncio.run(prepare_cluster(settings))
        # NER holds an enrich worker's event loop for tens of milliseconds at a time, so ingest and
        # the one-partition stories stage run in a light process of their own (compose and the chart
        # give each its own): an article waits for NER once, not at every stage (bench: p99 at half
        # load 793 ms this way, 1,189 ms with ingest in the enrich workers).
        light = "ingest,stories" if settings.stories else "ingest"
        for index in range(args.workers):
            env = {**os.environ, "WIRESTREAM_WEB_PORT": str(settings.web_port + index)}
            workers.append(spawn_worker(env, log_dir / f"worker-{index + 1}.log", "--stages", "enrich"))
        env = {**os.environ, "WIRESTREAM_WEB_PORT": str(settings.web_port + args.workers)}
        workers.append(spawn_worker(env, log_dir / "ingest.log", "--stages", light))
        print(f"started {args.workers} enrich worker(s) and an {light.replace(',', '+')} worker; logs in {log_dir}/",
              flush=True)
        asyncio.run(publish([args.samples or str(_samples_dir())], settings, quiet=True))
        print("enriched stream (Ctrl-C to stop):", flush=True)
        follow = argparse.Namespace(from_beginning=True, json=False, lang=None, country=None, entity=None, near=None,
                                    label=None, new_stories=False, no_duplicates=False, limit=args.limit, rejected=True)
        asyncio.run(subscribe(follow, settings))
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
