"""The Kafka clients wirestream builds outside Faust (CLI, client library): where the cluster is,
how to log in, and record sizes that match the topics'."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from wirestream.kafka.security import aiokafka_security
from wirestream.settings import Settings


def client_options(settings: Settings) -> dict[str, Any]:
    """What every aiokafka client of ours is built with: where the cluster is and how to log in."""
    return {"bootstrap_servers": settings.kafka_bootstrap_servers, **aiokafka_security(settings)}


def make_producer(settings: Settings) -> AIOKafkaProducer:
    # acks=all: a publish counts only once every in-sync replica has it. The request size is the
    # topics' record size, so an article the worker accepts is never refused at the client.
    return AIOKafkaProducer(**client_options(settings), acks="all", linger_ms=5,
                            max_request_size=settings.limits.request_bytes)


def make_consumer(settings: Settings, *topics: str, from_beginning: bool, group: str | None = None) -> AIOKafkaConsumer:
    """A reader of `topics`: group-less by default (every partition, nothing committed); with
    `group`, a member of that consumer group that commits when told (the client's durable
    subscriptions)."""
    return AIOKafkaConsumer(
        *topics,
        **client_options(settings),
        group_id=group,
        enable_auto_commit=False,
        fetch_max_wait_ms=int(settings.tuning.fetch_max_wait * 1000),
        max_partition_fetch_bytes=settings.limits.fetch_bytes,
        auto_offset_reset="earliest" if from_beginning else "latest",
        session_timeout_ms=int(settings.tuning.session_timeout * 1000),
        heartbeat_interval_ms=int(settings.tuning.heartbeat_interval * 1000),
    )


class _ConnectionErrors(logging.Filter):
    """aiokafka's lines about a broker it cannot reach, held back while a caller of ours reports the
    broker's absence itself (one line, when it matters): without logging set up, Python prints
    them to the user's stderr, several a second."""

    SIGNS = ("Unable connect to", "Unable to update metadata", "KafkaConnectionError", "NodeNotReadyError",
             "Connection at ", "RequestTimedOutError", "Heartbeat session expired", "coordinator dead",
             "Group Coordinator Request failed", "Heartbeat send request failed", "CoordinatorNotAvailable",
             "NotCoordinator")

    def __init__(self) -> None:
        super().__init__()
        self.holders = 0

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(sign in message for sign in self.SIGNS)


_CONNECTION_ERRORS = _ConnectionErrors()
# The loggers aiokafka reports an unreachable broker on (aiokafka/client.py logs as "aiokafka"):
# a filter sees only the records of the logger it is on, not its children's.
_CLIENT_LOGGERS = ("aiokafka", "aiokafka.conn", "aiokafka.consumer.fetcher", "aiokafka.consumer.group_coordinator",
                   "aiokafka.producer.sender", "aiokafka.producer.producer")


def hold_connection_errors() -> None:
    """From now on aiokafka's connection errors are not logged: the caller reports them. Pair with
    `release_connection_errors`; holders are counted, so several can hold at once."""
    if _CONNECTION_ERRORS.holders == 0:
        for name in _CLIENT_LOGGERS:
            logging.getLogger(name).addFilter(_CONNECTION_ERRORS)
    _CONNECTION_ERRORS.holders += 1


def release_connection_errors() -> None:
    _CONNECTION_ERRORS.holders -= 1
    if _CONNECTION_ERRORS.holders == 0:
        for name in _CLIENT_LOGGERS:
            logging.getLogger(name).removeFilter(_CONNECTION_ERRORS)


@contextmanager
def connection_errors_reported_by_us() -> Iterator[None]:
    """While inside, aiokafka's connection errors are not logged: the code inside reports them."""
    hold_connection_errors()
    try:
        yield
    finally:
        release_connection_errors()
