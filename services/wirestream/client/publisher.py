"""Publishing articles: `Publisher` (async) and `SyncPublisher` (scripts).

An article is checked with the worker's own ingest rules before it is sent, so an article the
pipeline would reject raises `InvalidArticle` here and is not published; its id is the one the
pipeline will give it (its own, or the hash of its text), and it is the record key, so the
revisions of an article keep their order. `publish` returns once the broker has acknowledged
the record (acks=all).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Mapping
from typing import Any

from aiokafka import AIOKafkaProducer

from wirestream.client.errors import InvalidArticle, NotInAsyncContext
from wirestream.client.settings import client_settings
from wirestream.clock import now
from wirestream.contracts import RawArticle
from wirestream.enrich.ingest import ingest
from wirestream.errors import RejectMessage
from wirestream.kafka.admin import meet_cluster
from wirestream.kafka.clients import make_producer
from wirestream.kafka.topics import topic_catalogue
from wirestream.serialization import dumps, encode_model
from wirestream.settings import Settings

# A RawArticle, a dict of its fields, the text alone, or a message value as bytes (JSON or text).
Article = RawArticle | Mapping[str, Any] | str | bytes


def message_value(article: Article, where: str = "article") -> bytes:
    """What goes on articles.raw for `article`."""
    if not isinstance(article, (RawArticle, bytes, str, Mapping)):
        raise InvalidArticle(f"{where}: {type(article).__name__} is not an article: pass a RawArticle, a dict of its "
                             "fields, its text (str) or a message value (bytes)", "invalid_article")
    if isinstance(article, RawArticle):
        return encode_model(article)
    if isinstance(article, bytes):
        return article
    if isinstance(article, str):
        return dumps({"text": article})  # the text itself, even if it looks like JSON
    return dumps(dict(article))


class Publisher:
    """`async with Publisher() as publisher: article_id = await publisher.publish(article)`.

    Settings come from the environment (WIRESTREAM_*) unless given. Raises `BrokerUnavailable`
    when no broker answers within WIRESTREAM_CONNECT_TIMEOUT, `InvalidSettings` for a wrong
    variable, `InvalidArticle` for an article the pipeline would reject.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = client_settings(settings)
        self._topic = topic_catalogue(self._settings).raw.name
        self._producer: AIOKafkaProducer | None = None

    async def __aenter__(self) -> Publisher:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Wait for the broker (WIRESTREAM_CONNECT_TIMEOUT); the worker creates the topics."""
        self._settings = await meet_cluster(self._settings)
        self._producer = make_producer(self._settings)
        await self._producer.start()

    async def close(self) -> None:
        """Send what is buffered and let the connection go."""
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()

    def check(self, article: Article, where: str = "article") -> tuple[str, bytes]:
        """The id and message value of `article`, as the pipeline will see them; InvalidArticle
        (naming `where`) if it would reject it."""
        value = message_value(article, where)
        try:
            return ingest(value, now(), self._settings.max_article_bytes).id, value
        except RejectMessage as error:
            raise InvalidArticle.from_rejection(error, where) from None

    async def submit(self, article: Article, where: str = "article") -> Awaitable[str]:
        """Check and send `article`; the result resolves to its id once the broker has it."""
        return await self._send(*self.check(article, where))

    async def _send(self, article_id: str, value: bytes) -> Awaitable[str]:
        if self._producer is None:
            raise RuntimeError("the publisher is not started: use 'async with Publisher() as publisher'")
        sent = await self._producer.send(self._topic, value=value, key=article_id.encode())

        async def acknowledged() -> str:
            await sent
            return article_id

        return acknowledged()

    async def publish(self, article: Article) -> str:
        """Publish one article; returns its id once the broker has acknowledged it."""
        return await (await self.submit(article))

    async def publish_many(self, articles: Iterable[Article]) -> list[str]:
        """Publish several: all are checked before any is sent (InvalidArticle names the first bad
        one by its position); returns their ids, in order, once the broker has them all."""
        checked = [self.check(article, f"article {position}") for position, article in enumerate(articles)]
        pending = [await self._send(article_id, value) for article_id, value in checked]
        return list(await asyncio.gather(*pending))


class SyncPublisher:
    """For scripts: `with SyncPublisher() as publisher: publisher.publish(article)`.

    It runs its own event loop, so it cannot be used where one already runs (a notebook, an async
    application): there, use `Publisher` with `await`.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise NotInAsyncContext("an event loop is already running here (a notebook?): use the async API, "
                                    "'async with Publisher() as publisher: await publisher.publish(article)'")
        self._runner = asyncio.Runner()
        self._publisher = Publisher(settings)

    def __enter__(self) -> SyncPublisher:
        try:
            self._runner.run(self._publisher.start())
        except BaseException:
            self._runner.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._runner.run(self._publisher.close())
        finally:
            self._runner.close()

    def publish(self, article: Article) -> str:
        return self._runner.run(self._publisher.publish(article))

    def publish_many(self, articles: Iterable[Article]) -> list[str]:
        return self._runner.run(self._publisher.publish_many(articles))
