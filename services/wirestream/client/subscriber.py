"""Following the enriched stream: `Subscriber`, an async iterator of validated models.

Ephemeral by default (no consumer group: it reads every partition from the latest record, or
from the beginning, and remembers nothing); with `group`, durable: the group's committed offset
says where to go on, and an article counts as read once the next one is asked for, or when the
subscriber is closed without an error; one whose handling was cut short by a crash or an
exception is read again (at least once).
Records of the previous contract version are upgraded as they are read.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer, TopicPartition

from wirestream.client.filters import Filters
from wirestream.client.settings import client_settings
from wirestream.contracts import EnrichedArticle, Rejection
from wirestream.kafka.admin import prepare_cluster
from wirestream.kafka.clients import make_consumer
from wirestream.kafka.topics import topic_catalogue
from wirestream.serialization import decode_model
from wirestream.settings import Settings

COMMIT_EVERY = 1.0  # seconds between commits of a durable subscription (and one at close)


class Subscriber:
    """`async with Subscriber(filters=Filters(lang="en")) as articles: async for article in articles: ...`

    `rejections=True` also reads articles.rejected: iterate `records()` to get both
    (`EnrichedArticle` and `Rejection`); plain iteration yields the enriched articles only.
    """

    def __init__(self, settings: Settings | None = None, *, filters: Filters | None = None, group: str | None = None,
                 from_beginning: bool = False, rejections: bool = False) -> None:
        self._settings = client_settings(settings)
        catalogue = topic_catalogue(self._settings)
        self._enriched, self._rejected = catalogue.enriched.name, catalogue.rejected.name
        self._topics = [self._enriched] + ([self._rejected] if rejections else [])
        self.filters = filters or Filters()
        self._group = group
        self._from_beginning = from_beginning
        self._reader: AIOKafkaConsumer | None = None
        self._read: dict[TopicPartition, int] = {}  # the next offset to commit, per partition
        self._handing_out: tuple[TopicPartition, int] | None = None  # the record the caller holds
        self._committed_at = time.monotonic()

    async def __aenter__(self) -> Subscriber:
        await self.start()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        await self.close(handled=kind is None)

    async def start(self) -> None:
        """Wait for the broker (WIRESTREAM_CONNECT_TIMEOUT) and subscribe."""
        await prepare_cluster(self._settings)
        self._reader = make_consumer(self._settings, *self._topics, from_beginning=self._from_beginning,
                                       group=self._group)
        await self._reader.start()

    async def close(self, handled: bool = True) -> None:
        """Commit what was read (a durable subscription; with `handled`, the last record handed out
        too) and leave."""
        if handled and self._handing_out is not None:
            partition, offset = self._handing_out
            self._read[partition] = offset
        self._handing_out = None
        if self._reader is not None:
            consumer, self._reader = self._reader, None
            try:
                await self._commit(consumer)
            finally:
                await consumer.stop()

    def __aiter__(self) -> AsyncIterator[EnrichedArticle]:
        return self.articles()

    async def articles(self) -> AsyncIterator[EnrichedArticle]:
        """The enriched articles that pass the filters."""
        async for record in self.records():
            if isinstance(record, EnrichedArticle):
                yield record

    async def records(self) -> AsyncIterator[EnrichedArticle | Rejection]:
        """The enriched articles that pass the filters, and the rejections when asked for."""
        consumer = self._reader
        if consumer is None:
            raise RuntimeError("the subscriber is not started: use 'async with Subscriber() as subscriber'")
        async for message in consumer:
            record: EnrichedArticle | Rejection | None
            if message.topic == self._rejected:
                record = decode_model(Rejection, message.value)
            else:
                article = decode_model(EnrichedArticle, message.value)
                record = article if self.filters.matches(article) else None
            position = (TopicPartition(message.topic, message.partition), message.offset + 1)
            if record is not None:
                self._handing_out = position
                yield record  # handled by the caller before its offset counts as read
                self._handing_out = None
            self._read[position[0]] = position[1]
            if self._group is not None and time.monotonic() - self._committed_at >= COMMIT_EVERY:
                await self._commit(consumer)

    async def _commit(self, consumer: AIOKafkaConsumer) -> None:
        if self._group is not None and self._read:
            await consumer.commit(dict(self._read))
            self._read.clear()
        self._committed_at = time.monotonic()
