"""Commands that publish articles and follow the enriched stream: `publish`, `subscribe`.

Both are the client's (`wirestream.client`) with files and a terminal around it: one code path.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from wirestream.cli.inputs import read_inputs
from wirestream.client import Filters, InvalidArticle, Publisher, Subscriber
from wirestream.client.display import summarize, summarize_rejection
from wirestream.contracts import Rejection
from wirestream.serialization import encode_model
from wirestream.settings import Settings


async def publish(paths: list[str], settings: Settings, *, quiet: bool = False) -> int:
    published = failed = 0
    progress = sys.stderr.isatty() and not quiet
    async with Publisher(settings) as publisher:
        pending = []
        for record in read_inputs(paths):
            if record.error is not None or record.value is None:
                failed += 1
                print(f"error: {record.error}", file=sys.stderr)
                continue
            try:
                # The worker's own rules, checked before anything is sent.
                pending.append(await publisher.submit(record.value, where=record.where))
            except InvalidArticle as error:
                failed += 1
                print(f"error: {error}", file=sys.stderr)
                continue
            published += 1
            if progress:
                print(f"\rpublishing... {published} sent, {failed} failed", end="", file=sys.stderr, flush=True)
        for acknowledged in pending:
            await acknowledged  # acked by the broker: only then does it count as published
        topic = settings.topic_raw
    if progress:
        print(file=sys.stderr)
    print(f"published {published}, failed {failed} (topic {topic})", file=sys.stderr)
    return 1 if failed else 0


def filters_of(args: argparse.Namespace) -> Filters:
    return Filters(lang=args.lang, country=args.country, entity=args.entity, near=args.near, label=args.label,
                   new_stories=args.new_stories, no_duplicates=args.no_duplicates)


def _say_broker(answering: bool, message: str) -> None:
    """A broker gone (or back) while following: one line on stderr; the stream goes on on stdout."""
    print(message if answering else f"warning: {message} (Ctrl-C stops)", file=sys.stderr, flush=True)


async def subscribe(args: argparse.Namespace, settings: Settings) -> int:
    shown = 0
    async with Subscriber(settings, filters=filters_of(args), from_beginning=args.from_beginning,
                          rejections=args.rejected, on_broker=_say_broker) as subscriber:
        async for record in subscriber.records():
            if args.json:
                line = encode_model(record).decode()
            else:
                line = summarize_rejection(record) if isinstance(record, Rejection) else summarize(record)
            print(line, flush=True)
            shown += 1
            if args.limit and shown >= args.limit:
                break
    return 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(publish(args.paths, settings, quiet=args.quiet))


def cmd_subscribe(args: argparse.Namespace, settings: Settings) -> int:
    try:
        return asyncio.run(subscribe(args, settings))
    except KeyboardInterrupt:
        return 0
