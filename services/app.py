"""The Faust app and its agents: raw -> ingest -> language -> dateline -> entities -> enriched.

Agents are thin: they take raw bytes off a topic, call the stage functions in `pipeline`,
and send the result on, keyed by article id, or a Rejection to the rejected topic. Decoding
happens inside the agent so that bad input is rejected by us, not acked away by Faust.
"""

from __future__ import annotations

import logging
from typing import Any

import faust

from wirestream import runtime
from wirestream.errors import RejectMessage, StageFailed
from wirestream.pipeline import ArticleInProgress, ingest, make_rejection, now, republishable, run_stage
from wirestream.schemas import EnrichedArticle
from wirestream.serialization import decode_model, encode_model
from wirestream.settings import Settings, get_settings
from wirestream.topics import TopicCatalogue, topic_catalogue

log = logging.getLogger("wirestream.worker")


def make_app(settings: Settings) -> faust.App:
    return faust.App(
        settings.app_id,
        broker=[f"kafka://{server.strip()}" for server in settings.kafka_bootstrap_servers.split(",")],
        key_serializer="raw",
        value_serializer="raw",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=True,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.session_timeout,
        broker_rebalance_timeout=settings.rebalance_timeout,
        broker_heartbeat_interval=settings.heartbeat_interval,
        broker_commit_interval=settings.commit_interval,
        producer_max_batch_size=settings.producer_max_batch_size,
        producer_acks=-1,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_in_thread=False,
        store="memory://",
        table_standby_replicas=0,
    )


settings = get_settings()
app = make_app(settings)
catalogue: TopicCatalogue = topic_catalogue(settings)

raw_topic = app.topic(catalogue.raw.name, partitions=catalogue.raw.partitions)
language_topic = app.topic(catalogue.language.name, partitions=catalogue.language.partitions)
dateline_topic = app.topic(catalogue.dateline.name, partitions=catalogue.dateline.partitions)
entities_topic = app.topic(catalogue.entities.name, partitions=catalogue.entities.partitions)
enriched_topic = app.topic(catalogue.enriched.name, partitions=catalogue.enriched.partitions)
rejected_topic = app.topic(catalogue.rejected.name, partitions=catalogue.rejected.partitions)

@app.page("/health")
async def health(web: Any, request: Any) -> Any:
    """Alive: the worker's event loop answers."""
    return web.json({"status": "ok", "app": settings.app_id})


_NEXT_TOPIC = {"language": dateline_topic, "dateline": entities_topic, "entities": enriched_topic}


async def _reject(error: RejectMessage, stage: str, original: bytes | None, key: bytes | None,
                  received_at: Any, article_id: str | None = None) -> None:
    rejection = make_rejection(error, stage, original, key, received_at, article_id)
    log.warning("rejected article=%s stage=%s reason=%s: %s", article_id or "-", stage, rejection.reason, rejection.error)
    await rejected_topic.send(key=key, value=encode_model(rejection))


@app.agent(raw_topic)
async def ingest_articles(stream: faust.StreamT) -> None:
    """articles.raw -> validated, normalised ArticleInProgress on the language stage topic."""
    async for event in stream.events():
        received_at = now()
        value, key = event.value, event.key
        try:
            item = ingest(value, received_at, runtime.enrichers().max_article_bytes)
        except RejectMessage as error:
            await _reject(error, "ingest", value, key, received_at)
            continue
        except Exception as exc:  # noqa: BLE001 - an unforeseen bug costs one message, not the partition
            log.exception("ingest failed unexpectedly")
            await _reject(StageFailed(f"{type(exc).__name__}: {exc}"), "ingest", value, key, received_at)
            continue
        await language_topic.send(key=item.id.encode(), value=encode_model(item))


async def _run_stage(stage: str, stream: faust.StreamT) -> None:
    next_topic = _NEXT_TOPIC[stage]
    async for event in stream.events():
        value, key = event.value, event.key
        try:
            item = decode_model(ArticleInProgress, value)
        except Exception as exc:  # noqa: BLE001
            await _reject(StageFailed(f"undecodable stage message: {exc}"), stage, value, key, now())
            continue
        try:
            result = run_stage(stage, item, runtime.enrichers())
        except RejectMessage as error:
            await _reject(error, stage, republishable(item), key, item.received_at, item.id)
            continue
        if isinstance(result, EnrichedArticle):
            log.info("enriched article=%s language=%s entities=%d", result.id, result.language.code, len(result.entities))
        await next_topic.send(key=item.id.encode(), value=encode_model(result))


@app.agent(language_topic)
async def detect_language(stream: faust.StreamT) -> None:
    """Adds the language."""
    await _run_stage("language", stream)


@app.agent(dateline_topic)
async def parse_dateline(stream: faust.StreamT) -> None:
    """Adds the dateline."""
    await _run_stage("dateline", stream)


@app.agent(entities_topic)
async def extract_entities(stream: faust.StreamT) -> None:
    """Adds the entities; the article leaves on articles.enriched."""
    await _run_stage("entities", stream)
