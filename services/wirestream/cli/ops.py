"""Commands that run or look after the cluster: `broker`, `topics`, `status`, `worker`."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

from wirestream.cli.signals import interrupt
from wirestream.errors import ConfigError
from wirestream.kafka.admin import meet_cluster, prepare_cluster
from wirestream.kafka.broker import EmbeddedBroker
from wirestream.kafka.kraft import KAFKA_VERSION, KafkaCluster
from wirestream.kafka.status import collect_status, render
from wirestream.kafka.topics import topic_catalogue
from wirestream.serialization import dumps
from wirestream.settings import Settings


def cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    port = args.port or settings.broker_port
    broker: EmbeddedBroker | KafkaCluster
    if args.kafka:
        # The nodes after the first take the ports after it: 9092, 9093, 9094 by default.
        broker = KafkaCluster(nodes=args.nodes, ports=[port + i for i in range(args.nodes)], libs=settings.kafka_libs,
                              work_dir=Path(args.data_dir) if args.data_dir else None)
        what = f"Apache Kafka {KAFKA_VERSION} (KRaft, {args.nodes} node{'s' if args.nodes > 1 else ''})"
    elif args.nodes != 1:
        raise ConfigError("--nodes needs --kafka: the embedded broker is one node")
    else:
        broker = EmbeddedBroker(port=port)
        what = "embedded broker (Tansu, in memory)"
    # The handler only interrupts what runs (starting, or the wait below); stopping and reaping the
    # child happens once, in `finally`. Waiting on the child inside the handler would deadlock
    # with the wait it interrupted.
    signal.signal(signal.SIGTERM, interrupt)
    try:
        broker.start()
        print(f"{what} listening; bootstrap servers: {broker.bootstrap_servers}", flush=True)
        code = broker.wait()
        print(f"error: the broker exited by itself with status {code}; see its output above", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        broker.stop()


def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    """Create the topics (the compose file's one-shot service) and list them with their partitions."""
    asyncio.run(prepare_cluster(settings))
    for spec in topic_catalogue(settings).all():
        print(f"{spec.name:<32} {spec.partitions:>4} partitions  {spec.description}")
    limits = settings.limits
    print(f"records up to {limits.record_bytes:,} bytes (max.message.bytes, from WIRESTREAM_MAX_ARTICLE_BYTES="
          f"{limits.article_bytes:,}); brokers need message.max.bytes >= {limits.request_bytes:,}")
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    async def collect() -> str:
        tuned = await meet_cluster(settings)  # read-only: it creates topics on Tansu alone
        status = await collect_status(tuned, interval=args.interval)
        return dumps(status.as_json()).decode() if args.json else render(status)

    print(asyncio.run(collect()))
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    # Faust and the models: imported only for this command.
    from wirestream.worker.run import run_worker

    run_worker(settings)
