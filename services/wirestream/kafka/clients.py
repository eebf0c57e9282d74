"""The Kafka clients wirestream builds outside Faust (CLI, client library): where the cluster is,
how to log in, and record sizes that match the topics'."""

from __future__ import annotations

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
        fetch_max_wait_ms=int(settings.fetch_max_wait * 1000),
        max_partition_fetch_bytes=settings.limits.fetch_bytes,
        auto_offset_reset="earliest" if from_beginning else "latest",
        session_timeout_ms=int(settings.session_timeout * 1000),
        heartbeat_interval_ms=int(settings.heartbeat_interval * 1000),
    )
