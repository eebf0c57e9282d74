"""The `wirestream` command: broker, worker, publish, subscribe, enrich, run."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn, Sequence

from pydantic import ValidationError
from pydantic_settings import SettingsError
from wirestream.errors import ConfigError, RetryLater, WirestreamError
from wirestream.logs import configure_logging
from wirestream.settings import Settings, describe_settings_error, get_settings

log = logging.getLogger("wirestream")

# Commands that talk to Kafka: they need complete security settings; `enrich` and `broker` do not.
KAFKA_COMMANDS = frozenset({"worker", "topics", "status", "publish", "subscribe", "run"})
# Commands a person waits on: a short connect timeout, and no client log lines before the error.
INTERACTIVE_COMMANDS = frozenset({"topics", "status", "publish", "subscribe", "enrich"})


def cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    from wirestream.broker import EmbeddedBroker

    broker = EmbeddedBroker(port=args.port or settings.broker_port)
    # The handler only interrupts what runs (starting, or the wait below); stopping and reaping the
    # child happens once, in `finally`. Waiting on the child inside the handler would deadlock
    # with the wait it interrupted.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        broker.start()
        print(f"embedded broker (Tansu, in memory) listening; bootstrap servers: {broker.bootstrap_servers}", flush=True)
        code = broker.wait()
        print(f"error: the embedded broker exited by itself with status {code}; see its output above", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        broker.stop()


def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    """Create the topics (the compose file's one-shot service) and list them with their partitions."""
    from wirestream.topics import topic_catalogue
    from wirestream.worker import prepare_cluster

    asyncio.run(prepare_cluster(settings))

    for spec in topic_catalogue(settings).all():
        print(f"{spec.name:<32} {spec.partitions:>4} partitions  {spec.description}")
    limits = settings.limits
    print(f"records up to {limits.record_bytes:,} bytes (max.message.bytes, from WIRESTREAM_MAX_ARTICLE_BYTES="
          f"{limits.article_bytes:,}); brokers need message.max.bytes >= {limits.request_bytes:,}")
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from wirestream.serialization import dumps
    from wirestream.status import Status, collect_status, render
    from wirestream.worker import prepare_cluster

    async def collect() -> Status:
        await prepare_cluster(settings)
        return await collect_status(settings, interval=args.interval)

    status = asyncio.run(collect())
    print(dumps(status.as_json()).decode() if args.json else render(status))
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from wirestream.worker import run_worker

    return run_worker(settings)


async def _publish(args: argparse.Namespace, settings: Settings) -> int:
    from wirestream.errors import RejectMessage
    from wirestream.inputs import read_inputs
    from wirestream.kafka import make_producer
    from wirestream.pipeline import parse_raw
    from wirestream.topics import topic_catalogue
    from wirestream.worker import prepare_cluster

    await prepare_cluster(settings)
    topic = topic_catalogue(settings).raw.name
    producer = make_producer(settings)
    await producer.start()
    published = failed = 0
    progress = sys.stderr.isatty() and not args.quiet
    try:
        pending = []
        for record in read_inputs(args.paths):
            error = record.error
            if error is None and record.value is not None:
                try:
                    parse_raw(record.value, settings.max_article_bytes)  # the worker's own rules, checked early
                except RejectMessage as exc:
                    error = f"{record.where}: {exc} ({exc.code}); fix the input and publish it again"
            if error is not None:
                failed += 1
                print(f"error: {error}", file=sys.stderr)
                continue
            key = record.key.encode() if record.key else None
            pending.append(await producer.send(topic, value=record.value, key=key))
            published += 1
            if progress:
                print(f"\rpublishing... {published} sent, {failed} failed", end="", file=sys.stderr, flush=True)
        for future in pending:
            await future  # acked by the broker: only then does it count as published
    finally:
        await producer.stop()
    if progress:
        print(file=sys.stderr)
    print(f"published {published}, failed {failed} (topic {topic})", file=sys.stderr)
    return 1 if failed else 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_publish(args, settings))


async def _subscribe(args: argparse.Namespace, settings: Settings) -> int:
    from wirestream.kafka import make_consumer
    from wirestream.schemas import EnrichedArticle, Rejection
    from wirestream.serialization import decode_model
    from wirestream.summary import summarize, summarize_rejection
    from wirestream.topics import topic_catalogue
    from wirestream.worker import prepare_cluster

    await prepare_cluster(settings)
    catalogue = topic_catalogue(settings)
    topics = [catalogue.enriched.name] + ([catalogue.rejected.name] if args.rejected else [])
    consumer = make_consumer(settings, *topics, from_beginning=args.from_beginning)
    await consumer.start()
    shown = 0
    try:
        async for message in consumer:
            if message.topic == catalogue.rejected.name:
                rejection = decode_model(Rejection, message.value)
                line = message.value.decode() if args.json else summarize_rejection(rejection)
            else:
                article = decode_model(EnrichedArticle, message.value)
                if not _matches(args, article):
                    continue
                line = message.value.decode() if args.json else summarize(article)
            print(line, flush=True)
            shown += 1
            if args.limit and shown >= args.limit:
                break
    finally:
        await consumer.stop()
    return 0


def _matches(args: argparse.Namespace, article: Any) -> bool:
    from wirestream.summary import matches

    return matches(article, args.lang, args.country, args.entity)


def cmd_subscribe(args: argparse.Namespace, settings: Settings) -> int:
    try:
        return asyncio.run(_subscribe(args, settings))
    except KeyboardInterrupt:
        return 0


def cmd_enrich(args: argparse.Namespace, settings: Settings) -> int:
    from wirestream.errors import RejectMessage
    from wirestream.inputs import read_inputs
    from wirestream.models import make_enrichers
    from wirestream.pipeline import enrich, make_rejection, now
    from wirestream.serialization import encode_model

    records = read_inputs(args.paths or ["-"])
    enrichers = make_enrichers(settings, preload=False)
    failed = 0
    out = sys.stdout.buffer
    for record in records:
        if record.error is not None:
            failed += 1
            print(f"error: {record.error}", file=sys.stderr)
            continue
        received_at = now()
        try:
            result = encode_model(enrich(record.value, enrichers, received_at))
        except RejectMessage as exc:
            key = record.key.encode() if record.key else None
            result = encode_model(make_rejection(exc, exc.stage or "ingest", record.value, key, received_at))
        out.write(result + b"\n")
    out.flush()
    return 1 if failed else 0


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _samples_dir() -> Path:
    here = Path.cwd() / "samples"
    return here if here.is_dir() else Path(__file__).resolve().parent.parent / "samples"


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from wirestream.broker import EmbeddedBroker, die_with_parent, port_is_open
    from wirestream.worker import prepare_cluster

    if args.samples and not Path(args.samples).exists():
        raise ConfigError(f"--samples {args.samples}: no such file or directory; "
                          "give a directory of .txt/.json/.jsonl articles")

    host, _, port = settings.kafka_bootstrap_servers.split(",")[0].rpartition(":")
    broker: EmbeddedBroker | None = None
    workers: list[subprocess.Popen[bytes]] = []
    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    # A supervisor's SIGTERM stops everything run started, as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if port_is_open(host or "127.0.0.1", int(port)):
            print(f"using the Kafka broker at {settings.kafka_bootstrap_servers}", flush=True)
        else:
            broker = EmbeddedBroker(port=int(port), host=host or "127.0.0.1", log_path=log_dir / "broker.log")
            broker.start()
            print(f"started the embedded broker at {broker.bootstrap_servers}", flush=True)
        asyncio.run(prepare_cluster(settings))
        for index in range(args.workers):
            env = dict(os.environ, WIRESTREAM_WEB_PORT=str(settings.web_port + index))
            log_file = open(log_dir / f"worker-{index + 1}.log", "ab")
            workers.append(subprocess.Popen([sys.executable, "-m", "wirestream", "worker"], env=env,
                                            stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            preexec_fn=die_with_parent))
        print(f"started {args.workers} worker(s); logs in {log_dir}/", flush=True)
        samples = args.samples or str(_samples_dir())
        publish_args = argparse.Namespace(paths=[samples], quiet=True)
        asyncio.run(_publish(publish_args, settings))
        print("enriched stream (Ctrl-C to stop):", flush=True)
        subscribe_args = argparse.Namespace(from_beginning=True, json=False, lang=None, country=None, entity=None,
                                            limit=args.limit, rejected=True)
        asyncio.run(_subscribe(subscribe_args, settings))
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


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, like every other error of the command."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message} (see '{self.prog} --help')\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 3600, got {text}")
    return value


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wirestream", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    broker = commands.add_parser("broker", help="run the embedded broker (Tansu, in memory) in the foreground")
    broker.add_argument("--port", type=_port, default=None, help="port on 127.0.0.1 (default 9092)")
    broker.set_defaults(func=cmd_broker)

    topics = commands.add_parser("topics", help="create every topic with its partition count, and list them")
    topics.set_defaults(func=cmd_topics)

    status = commands.add_parser("status", help="topics, end offsets, consumer-group lag per stage, current rates")
    status.add_argument("--json", action="store_true", help="one JSON object, for scripts")
    status.add_argument("--interval", type=_positive_seconds, default=2.0,
                        help="seconds over which rates are measured (default 2)")
    status.set_defaults(func=cmd_status)

    worker = commands.add_parser("worker", help="run the pipeline's agents (a Faust worker)")
    worker.add_argument("--stages", help="ingest, enrich, or ingest,enrich (default; WIRESTREAM_STAGES): "
                                         "scale NER alone with enrich-only workers")
    worker.set_defaults(func=cmd_worker)

    publish = commands.add_parser("publish", help="publish articles to articles.raw")
    publish.add_argument("paths", nargs="+", metavar="PATH", help=".txt/.json/.jsonl files, directories, or - for JSON lines on stdin")
    publish.add_argument("--quiet", action="store_true", help="no progress bar")
    publish.set_defaults(func=cmd_publish)

    subscribe = commands.add_parser("subscribe", help="follow articles.enriched")
    subscribe.add_argument("--from-beginning", action="store_true")
    subscribe.add_argument("--json", action="store_true", help="print the full EnrichedArticle JSON")
    subscribe.add_argument("--lang", help="only this language (ISO 639-1)")
    subscribe.add_argument("--country", help="only datelines in this country (ISO 3166-1 alpha-2)")
    subscribe.add_argument("--entity", help="only articles that mention this entity: its name or any whole-word part "
                                            "of it ('Macron' finds 'Emmanuel Macron'), any case")
    subscribe.add_argument("--limit", type=_positive_int, default=None, help="stop after N articles")
    subscribe.add_argument("--rejected", action="store_true", help="also show articles.rejected")
    subscribe.set_defaults(func=cmd_subscribe)

    enrich = commands.add_parser("enrich", help="enrich files or stdin without a broker")
    enrich.add_argument("paths", nargs="*", metavar="PATH", help="a .txt/.json/.jsonl file, or - (default) for JSON lines on stdin")
    enrich.set_defaults(func=cmd_enrich)

    run = commands.add_parser("run", help="broker + worker + sample articles + live enriched stream")
    run.add_argument("--workers", type=_positive_int, default=1)
    run.add_argument("--samples", help="directory of articles to publish (default: samples/)")
    run.add_argument("--limit", type=_positive_int, default=None, help="stop after N records (default: until Ctrl-C)")
    run.add_argument("--log-dir", default=".wirestream", help="where broker and worker logs go")
    run.set_defaults(func=cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "stages", None):
            os.environ["WIRESTREAM_STAGES"] = args.stages  # a flag is the variable's shortcut; the app reads settings
            get_settings.cache_clear()
        settings = get_settings()
        if args.command in KAFKA_COMMANDS:
            settings.require_kafka()
    except (ValidationError, SettingsError) as exc:
        print(f"error: invalid settings: {describe_settings_error(exc)}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings, interactive=args.command in INTERACTIVE_COMMANDS)
    try:
        return int(args.func(args, settings) or 0)
    except (ConfigError, RetryLater) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except WirestreamError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
