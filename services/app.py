"""The Faust app and its agents: articles.raw -> [ingest] -> wirestream.ingested -> [enrich] -> articles.enriched.

Agents are thin: they take raw bytes off a topic, call the stage functions in `pipeline`,
and send the result on, keyed by article id, or a Rejection to the rejected topic. Decoding
happens inside the agent so that bad input is rejected by us, not acked away by Faust.
Ingest re-keys articles by id, so that the enrich agent and its table of seen ids are
partitioned by id: a re-published or redelivered article meets its own entry.
"""

from __future__ import annotations

import logging
import weakref
from contextlib import contextmanager
from datetime import timedelta
from time import perf_counter
from typing import Any, Iterator, Sequence

import faust
from faust.streams import _current_event
from wirestream import PIPELINE_VERSION, runtime
from wirestream.delivery import App
from wirestream.errors import RejectMessage, StageFailed
from wirestream.health import readiness
from wirestream.language import MODEL_NAME as LANGUAGE_MODEL_NAME
from wirestream.logs import about
from wirestream.metrics import CONTENT_TYPE, Metrics
from wirestream.pipeline import (
    ArticleInProgress,
    BatchReport,
    enrich_batch,
    ingest,
    make_rejection,
    now,
    republishable,
)
from wirestream.security import faust_credentials
from wirestream.serialization import decode_model, encode_model
from wirestream.settings import Settings, get_settings
from wirestream.topics import SEEN_IDS_TABLE, TopicCatalogue, topic_catalogue

log = logging.getLogger("wirestream.worker")


def make_app(settings: Settings) -> faust.App:
    return App(
        settings.group_id,
        producer_idempotence=settings.producer_idempotence,
        fetch_max_wait=settings.fetch_max_wait,
        broker=[f"kafka://{server.strip()}" for server in settings.kafka_bootstrap_servers.split(",")],
        broker_credentials=faust_credentials(settings),
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
        processing_guarantee=settings.processing_guarantee,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_in_thread=False,
        store="memory://",
        table_standby_replicas=0,
        table_cleanup_interval=min(60.0, settings.dedupe_retention / 2),
    )


settings = get_settings()
app = make_app(settings)
catalogue: TopicCatalogue = topic_catalogue(settings)

raw_topic = app.topic(catalogue.raw.name, partitions=catalogue.raw.partitions)
ingested_topic = app.topic(catalogue.ingested.name, partitions=catalogue.ingested.partitions)
enriched_topic = app.topic(catalogue.enriched.name, partitions=catalogue.enriched.partitions)
rejected_topic = app.topic(catalogue.rejected.name, partitions=catalogue.rejected.partitions)

# Ids enriched in the last `dedupe_retention` seconds: two tumbling windows of that size, so an
# id is remembered for at least one and at most two windows; older windows expire on their own.
_WINDOW = timedelta(seconds=settings.dedupe_retention)
# Only a worker that enriches holds the table: ingest-only workers have no changelog to recover.
seen_ids = (
    app.Table(SEEN_IDS_TABLE, default=int, partitions=catalogue.seen_ids_changelog.partitions)
    .tumbling(_WINDOW, expires=_WINDOW * 2)
    .relative_to_now()
) if "enrich" in settings.stage_set else None


metrics = Metrics()


def _describe_worker() -> None:
    """Versions of what this worker runs; the NER models once they are loaded (never loaded for this)."""
    enrichers = runtime.built()
    loaded = getattr(enrichers.entities, "loaded", dict)() if enrichers else {}
    metrics.describe(pipeline_version=PIPELINE_VERSION, stages=",".join(settings.stage_set), group=settings.group_id,
                     language_model=LANGUAGE_MODEL_NAME if enrichers else "",
                     ner_models=",".join(f"{language}={name}" for language, name in loaded.items()))


@app.page("/metrics")
async def metrics_page(web: Any, request: Any) -> Any:
    """Prometheus text format: counters, stage and latency histograms, consumer lag."""
    _describe_worker()
    metrics.observe_lag(app.consumer)
    # As a header: aiohttp refuses a content_type argument that carries a charset.
    return web.bytes(metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})


@app.page("/health")
async def health(web: Any, request: Any) -> Any:
    """Alive: the worker's event loop answers."""
    return web.json({"status": "ok", "app": settings.app_id})


@app.page("/ready")
async def ready(web: Any, request: Any) -> Any:
    """Ready: connected, not rebalancing, holding partitions (503 with the reasons otherwise)."""
    is_ready, body = readiness(app)
    return web.json(body, status=200 if is_ready else 503)


async def _reject(error: RejectMessage, stage: str, original: bytes | None, key: bytes | None,
                  received_at: Any, article_id: str | None = None) -> None:
    rejection = make_rejection(error, stage, original, key, received_at, article_id)
    log.warning("rejected article=%s stage=%s reason=%s: %s", article_id or "-", stage, rejection.reason, rejection.error,
                extra=about(article_id, stage))
    metrics.rejected.labels(stage, rejection.reason).inc()
    await rejected_topic.send(key=key, value=encode_model(rejection))


async def ingest_articles(stream: faust.StreamT) -> None:
    """articles.raw -> validated, normalised ArticleInProgress on wirestream.ingested, keyed by id."""
    async for event in stream.events():
        received_at = now()
        value, key = event.value, event.key
        metrics.articles_in.labels("ingest").inc()
        started = perf_counter()
        try:
            item = ingest(value, received_at, settings.max_article_bytes)
        except RejectMessage as error:
            await _reject(error, "ingest", value, key, received_at)
            continue
        except Exception as exc:  # noqa: BLE001 - an unforeseen bug costs one message, not the partition
            log.exception("ingest failed unexpectedly", extra=about(None, "ingest"))
            await _reject(StageFailed(f"{type(exc).__name__}: {exc}"), "ingest", value, key, received_at)
            continue
        metrics.stage_seconds.labels("ingest").observe(perf_counter() - started)
        await ingested_topic.send(key=item.id.encode(), value=encode_model(item))


@contextmanager
def _acting_for(event: faust.EventT) -> Iterator[None]:
    """Make `event` Faust's current event: a table reads its partition (and stream time) from it.

    Faust sets it per event while iterating a stream, but not for the events of a batch.
    """
    token = _current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        _current_event.reset(token)


def _already_enriched(event: faust.EventT, article_id: str) -> bool:
    assert seen_ids is not None
    with _acting_for(event):
        window = seen_ids[article_id]
        return bool(window.now() or window.delta(_WINDOW))


def _remember(event: faust.EventT, article_id: str) -> None:
    assert seen_ids is not None
    with _acting_for(event):
        seen_ids[article_id] += 1


async def enrich_articles(stream: faust.StreamT) -> None:
    """wirestream.ingested -> language, dateline, entities -> articles.enriched (once per id).

    Articles are taken in batches (up to `batch_size`, waiting at most `batch_wait` for more), so
    that NER reads a batch in one call; each is sent on, or rejected, on its own.
    """
    async for events in stream.take_events(settings.batch_size, within=settings.batch_wait):
        await _enrich_events(events)


async def _enrich_events(events: Sequence[faust.EventT]) -> None:
    items: list[tuple[faust.EventT, ArticleInProgress]] = []
    in_batch: set[str] = set()
    metrics.articles_in.labels("enrich").inc(len(events))
    for event in events:
        try:
            item = decode_model(ArticleInProgress, event.value)
        except Exception as exc:  # noqa: BLE001
            await _reject(StageFailed(f"undecodable internal message: {exc}"), "enrich", event.value, event.key, now())
            continue
        if settings.dedupe and not item.reprocess and (item.id in in_batch or _already_enriched(event, item.id)):
            log.info("duplicate article=%s stage=enrich tp=%s:%s offset=%s: already enriched, skipped",
                     item.id, event.message.topic, event.message.partition, event.message.offset,
                     extra=about(item.id, "enrich"))
            metrics.duplicates.inc()
            continue
        in_batch.add(item.id)
        items.append((event, item))

    report = BatchReport()
    results = enrich_batch([item for _, item in items], runtime.enrichers(), report)
    metrics.observe_stages(report.stage_seconds)
    for size in report.ner_batches:
        metrics.ner_batch.observe(size)
    for (event, item), result in zip(items, results):
        if isinstance(result, RejectMessage):
            await _reject(result, result.stage or "enrich", republishable(item), event.key, item.received_at, item.id)
            continue
        await enriched_topic.send(key=item.id.encode(), value=encode_model(result))
        if settings.dedupe:
            _remember(event, item.id)
        metrics.enriched.labels(result.language.code).inc()
        metrics.end_to_end.observe((now() - item.received_at).total_seconds())
        log.info("enriched article=%s stage=enrich tp=%s:%s offset=%s language=%s entities=%d",
                 result.id, event.message.topic, event.message.partition, event.message.offset,
                 result.language.code, len(result.entities), extra=about(result.id, "enrich"))


if "ingest" in settings.stage_set:
    app.agent(raw_topic, name="ingest_articles")(ingest_articles)
if "enrich" in settings.stage_set:
    app.agent(ingested_topic, name="enrich_articles")(enrich_articles)
