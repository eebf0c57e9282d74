"""Following the enriched stream: `Subscriber`, an async iterator of validated models.

Ephemeral by default (no consumer group: it reads every partition from the latest record, or
from the beginning, and remembers nothing); with `group`, durable: the group's committed offset
says where to go on, and an article counts as read once the next one is asked for, or when the
subscriber is closed without an error; one whose handling was cut short by a crash or an
exception is read again (at least once).
Records of the previous contract version are upgraded as they are read.

A broker that stops answering is reported, not waited on in silence: after
WIRESTREAM_CONNECT_TIMEOUT without an answer `on_broker(False, message)` is called once (by
default a WARNING on the `wirestream.client` logger), the subscriber keeps trying, and
`on_broker(True, message)` says when the broker answers again. It never gives up by itself.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from wirestream.client.filters import Filters
from wirestream.client.settings import client_settings
from wirestream.contracts import EnrichedArticle, Rejection
from wirestream.kafka.admin import meet_cluster
from wirestream.kafka.clients import (
    hold_connection_errors,
    make_consumer,
    release_connection_errors,
)
from wirestream.kafka.topics import topic_catalogue
from wirestream.serialization import decode_model
from wirestream.settings import Settings

COMMIT_EVERY = 1.0  # seconds between commits of a durable subscription (and one at close)

log = logging.getLogger("wirestream.client")

# Told whether the broker answers (True: again; False: no longer), with a one-line message.
BrokerCallback = Callable[[bool, str], None]


def _log_broker(answering: bool, message: str) -> None:
    (log.info if answering else log.warning)("%s", message)


class Subscriber:
    """`async with Subscriber(filters=Filters(lang="en")) as articles: async for article in articles: ...`

    `rejections=True` also reads articles.rejected: iterate `records()` to get both
    (`EnrichedArticle` and `Rejection`); plain iteration yields the enriched articles only.
    """

    def __init__(self, settings: Settings | None = None, *, filters: Filters | None = None, group: str | None = None,
                 from_beginning: bool = False, rejections: bool = False,
                 on_broker: BrokerCallback | None = None) -> None:
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
        self._on_broker = on_broker or _log_broker
        self._broker_answering = True

    async def __aenter__(self) -> Subscriber:
        await self.start()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        await self.close(handled=kind is None)

    async def start(self) -> None:
        """Wait for the broker (WIRESTREAM_CONNECT_TIMEOUT) and subscribe."""
        self._settings = await meet_cluster(self._settings)
        reader = make_consumer(self._settings, *self._topics, from_beginning=self._from_beginning, group=self._group)
        try:
            await reader.start()
        except BaseException:
            await reader.stop()  # never left unclosed, whatever cut the start short
            raise
        self._reader = reader
        hold_connection_errors()  # aiokafka's connection errors: reported once, by `_watch_broker`

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
                release_connection_errors()

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
        idle_since = time.monotonic()
        while True:
            batches = await consumer.getmany(timeout_ms=self._idle_check_ms())
            if not batches:
                if time.monotonic() - idle_since >= self._idle_check_ms() / 1000:
                    await self._watch_broker(consumer)
                    idle_since = time.monotonic()
                continue
            idle_since = time.monotonic()
            if not self._broker_answering:
                self._broker_answers(True)
            for message in (message for messages in batches.values() for message in messages):
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

    def _idle_check_ms(self) -> int:
        """How long a quiet stream waits before asking whether the broker is still there: half the
        connect timeout, so that a broker gone is reported within it."""
        return max(200, int(self._settings.connect_timeout * 500))

    async def _watch_broker(self, consumer: AIOKafkaConsumer) -> None:
        """Ask the cluster for its topics (a metadata request): an answer means it is there."""
        try:
            await asyncio.wait_for(consumer.topics(), self._settings.connect_timeout / 2)
        except (TimeoutError, KafkaError, OSError):
            if self._broker_answering:
                self._broker_answers(False)
        else:
            if not self._broker_answering:
                self._broker_answers(True)

    def _broker_answers(self, answering: bool) -> None:
        self._broker_answering = answering
        servers = self._settings.kafka_bootstrap_servers
        self._on_broker(answering, f"the Kafka broker at {servers} answers again; following on" if answering else
                        f"no answer from the Kafka broker at {servers} for {self._settings.connect_timeout:g}s "
                        "(WIRESTREAM_CONNECT_TIMEOUT); still trying")

    async def _commit(self, consumer: AIOKafkaConsumer) -> None:
        if self._group is not None and self._read:
            await consumer.commit(dict(self._read))
            self._read.clear()
        self._committed_at = time.monotonic()
