"""The `wirestream` command: broker, worker, topics, status, publish, subscribe, enrich, web, run.

Parses the command line and the settings (one line and status 2 when either is wrong), sets up
logging, and runs the command from its module (`ops`, `streams`, `enrich`, `run`). Faust and the
NLP models are loaded only by the commands that use them.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn, Sequence

from pydantic import ValidationError
from pydantic_settings import SettingsError

from wirestream.cli.enrich import cmd_enrich
from wirestream.cli.ops import cmd_broker, cmd_status, cmd_topics, cmd_worker
from wirestream.cli.run import cmd_run
from wirestream.cli.streams import cmd_publish, cmd_subscribe
from wirestream.cli.web import cmd_web
from wirestream.errors import ConfigError, RetryLater, WirestreamError
from wirestream.logs import configure_logging
from wirestream.settings import Settings, describe_settings_error

# Commands that talk to Kafka: they need complete security settings; `enrich` and `broker` do not.
KAFKA_COMMANDS = frozenset({"worker", "topics", "status", "publish", "subscribe", "run", "web"})
# Commands a person waits on: a short connect timeout, and no client log lines before the error.
INTERACTIVE_COMMANDS = frozenset({"topics", "status", "publish", "subscribe", "enrich"})


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


def _near(text: str) -> tuple[float, float, float]:
    try:
        latitude, longitude, km = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not LAT,LON,KM (e.g. 48.86,2.35,50)") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180 and km > 0):
        raise argparse.ArgumentTypeError(f"{text!r}: latitude -90..90, longitude -180..180, km above 0")
    return latitude, longitude, km


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wirestream", description="Streaming enrichment of news articles over Kafka.")
    commands = parser.add_subparsers(dest="command", required=True)

    broker = commands.add_parser("broker", help="run a broker on loopback in the foreground: the embedded one "
                                                  "(Tansu, in memory), or Apache Kafka with --kafka")
    broker.add_argument("--port", type=_port, default=None, help="port on 127.0.0.1 (default 9092; Kafka's "
                                                                   "further nodes take the ports after it)")
    broker.add_argument("--kafka", action="store_true", help="Apache Kafka (KRaft) from the jars 'make kafka' "
                                                              "installs, instead of Tansu")
    broker.add_argument("--nodes", type=_positive_int, default=1, help="Kafka nodes, each a controller and a "
                                                                       "broker (default 1; 3 as in docker-compose.cluster.yml)")
    broker.add_argument("--data-dir", default=None, help="where Kafka keeps its storage (default: a temporary "
                                                         "folder, removed when it stops)")
    broker.set_defaults(func=cmd_broker)

    topics = commands.add_parser("topics", help="create every topic with its partition count, and list them")
    topics.set_defaults(func=cmd_topics)

    status = commands.add_parser("status", help="topics, end offsets, consumer-group lag per stage, current rates")
    status.add_argument("--json", action="store_true", help="one JSON object, for scripts")
    status.add_argument("--interval", type=_positive_seconds, default=2.0,
                        help="seconds over which rates are measured (default 2)")
    status.set_defaults(func=cmd_status)

    worker = commands.add_parser("worker", help="run the pipeline's agents (a Faust worker)")
    worker.add_argument("--stages", help="any of ingest, stories, enrich, comma-separated (default all three; "
                                         "WIRESTREAM_STAGES): scale NER alone with enrich workers beside one "
                                         "ingest,stories worker")
    worker.set_defaults(func=cmd_worker)

    publish = commands.add_parser("publish", help="publish articles to articles.raw")
    publish.add_argument("paths", nargs="+", metavar="PATH",
                         help=".txt/.json/.jsonl files, directories, or - for JSON lines on stdin")
    publish.add_argument("--quiet", action="store_true", help="no progress bar")
    publish.set_defaults(func=cmd_publish)

    subscribe = commands.add_parser("subscribe", help="follow articles.enriched")
    subscribe.add_argument("--from-beginning", action="store_true")
    subscribe.add_argument("--json", action="store_true", help="print the full EnrichedArticle JSON")
    subscribe.add_argument("--lang", help="only this language (ISO 639-1)")
    subscribe.add_argument("--country", help="only articles whose dateline or a place they name is in this country "
                                             "(ISO 3166-1 alpha-2)")
    subscribe.add_argument("--near", type=_near, metavar="LAT,LON,KM",
                           help="only articles whose dateline or a place they name lies within KM of LAT,LON")
    subscribe.add_argument("--entity", help="only articles that mention this entity: its name or any whole-word part "
                                            "of it ('Macron' finds 'Emmanuel Macron'), any case")
    subscribe.add_argument("--label", help="only articles with an entity of this label (PERSON, ORG, PLACE, MISC) "
                                           "or finer type (GPE, NORP, ...); with --entity, that entity must have it")
    subscribe.add_argument("--new-stories", action="store_true",
                           help="only the first article of each story (articles without a story pass)")
    subscribe.add_argument("--no-duplicates", action="store_true",
                           help="leave out near-identical copies of earlier articles (story.duplicate_of set)")
    subscribe.add_argument("--limit", type=_positive_int, default=None, help="stop after N articles")
    subscribe.add_argument("--rejected", action="store_true", help="also show articles.rejected")
    subscribe.set_defaults(func=cmd_subscribe)

    enrich = commands.add_parser("enrich", help="enrich files or stdin without a broker")
    enrich.add_argument("paths", nargs="*", metavar="PATH",
                        help="a .txt/.json/.jsonl file, or - (default) for JSON lines on stdin")
    enrich.set_defaults(func=cmd_enrich)

    web = commands.add_parser("web", help="serve the live newsroom page (read-only) on WIRESTREAM_UI_HOST:UI_PORT")
    web.add_argument("--from-beginning", action="store_true", help="fill it with what the topics hold")
    web.set_defaults(func=cmd_web)

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
        # A flag is its variable's shortcut; the settings object is made here, once, and passed on.
        settings = Settings(**({"stages": args.stages} if getattr(args, "stages", None) else {}))
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
    except BrokenPipeError:
        # The reader of our output went away (`wirestream subscribe | head`): stop quietly, as a
        # Unix tool killed by SIGPIPE does, and keep Python from failing again on the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
