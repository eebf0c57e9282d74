"""Commands that publish articles and follow the enriched stream: `publish`, `subscribe`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from wirestream.cli.inputs import read_inputs
from wirestream.cli.summary import matches, summarize, summarize_rejection
from wirestream.contracts import EnrichedArticle, Rejection
from wirestream.enrich.ingest import parse_raw
from wirestream.errors import RejectMessage
from wirestream.kafka.admin import prepare_cluster
from wirestream.kafka.clients import make_consumer, make_producer
from wirestream.kafka.topics import topic_catalogue
from wirestream.serialization import decode_model
from wirestream.settings import Settings


async def publish(paths: list[str], settings: Settings, *, quiet: bool = False) -> int:
    await prepare_cluster(settings)
    topic = topic_catalogue(settings).raw.name
    producer = make_producer(settings)
    await producer.start()
    published = failed = 0
    progress = sys.stderr.isatty() and not quiet
    try:
        pending = []
        for record in read_inputs(paths):
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


async def subscribe(args: argparse.Namespace, settings: Settings) -> int:
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
                if not matches(article, args.lang, args.country, args.entity, args.near, args.label,
                               new_stories=args.new_stories, no_duplicates=args.no_duplicates):
                    continue
                line = message.value.decode() if args.json else summarize(article)
            print(line, flush=True)
            shown += 1
            if args.limit and shown >= args.limit:
                break
    finally:
        await consumer.stop()
    return 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(publish(args.paths, settings, quiet=args.quiet))


def cmd_subscribe(args: argparse.Namespace, settings: Settings) -> int:
    try:
        return asyncio.run(subscribe(args, settings))
    except KeyboardInterrupt:
        return 0
