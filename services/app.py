"""The Faust app and its agents: articles.raw -> [ingest] -> wirestream.ingested -> [enrich] -> articles.enriched.

Agents are thin: they take raw bytes off a topic, call the stage functions in `pipeline`,
and write the result on, keyed by article id, or a Rejection to the rejected topic. Decoding
happens inside the agent so that bad input is rejected by us, not acked away by Faust.
Ingest re-keys articles by id, so that the enrich agent and its table of enriched ids are
partitioned by id: a re-published or redelivered article meets its own entry.

A batch is acked only once every record it produced has been acknowledged by the broker
(`outbox`); a record that can never be written is replaced by a rejection that says so.
"""

from __future__ import annotations

import logging
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from time import perf_counter
from typing import Any, Iterator, Sequence

import faust
from faust.streams import _current_event
from wirestream import PIPELINE_VERSION, runtime
from wirestream.delivery import App
from wirestream.errors import OutputRefused, OutputTooLarge, RejectMessage, StageFailed
from wirestream.health import readiness, waiting_records
from wirestream.language import MODEL_NAME as LANGUAGE_MODEL_NAME
from wirestream.logs import about
from wirestream.metrics import CONTENT_TYPE, Metrics
from wirestream.outbox import TOO_LARGE, Outbox, Outgoing
from wirestream.pipeline import (
    ArticleInProgress,
    BatchReport,
    encode_enriched,
    enrich_batch,
    ingest,
    make_rejection,
    now,
    republishable,
)
from wirestream.revisions import Revision, next_revision, unique_id_runs
from wirestream.schemas import EnrichedArticle, Rejection
from wirestream.schemas.articles import content_hash
from wirestream.security import faust_credentials
from wirestream.serialization import decode_model, encode_model
from wirestream.settings import Settings, get_settings
from wirestream.topics import SEEN_IDS_TABLE, TopicCatalogue, topic_catalogue
from wirestream.watchdog import Watchdog

log = logging.getLogger("wirestream.worker")


def make_app(settings: Settings) -> faust.App:
    limits = settings.limits
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
        # Sized together (see limits.py): any record a stage writes can be written and read again.
        producer_max_request_size=limits.request_bytes,
        consumer_max_fetch_size=limits.fetch_bytes,
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
limits = settings.limits
app = make_app(settings)
catalogue: TopicCatalogue = topic_catalogue(settings)

raw_topic = app.topic(catalogue.raw.name, partitions=catalogue.raw.partitions)
ingested_topic = app.topic(catalogue.ingested.name, partitions=catalogue.ingested.partitions)
enriched_topic = app.topic(catalogue.enriched.name, partitions=catalogue.enriched.partitions)
rejected_topic = app.topic(catalogue.rejected.name, partitions=catalogue.rejected.partitions)

# The latest revision enriched under each id in the last `dedupe_retention` seconds: two tumbling
# windows of that size, so an id is remembered for at least one and at most two windows; older
# windows expire on their own. Only a worker that enriches holds the table.
_WINDOW = timedelta(seconds=settings.dedupe_retention)
seen_ids = (
    app.Table(SEEN_IDS_TABLE, default=dict, partitions=catalogue.seen_ids_changelog.partitions)
    .tumbling(_WINDOW, expires=_WINDOW * 2)
    .relative_to_now()
) if "enrich" in settings.stage_set else None

# The topic each agent reads: lag and stalls are reported for these, not for table changelogs.
CONSUMED = {"ingest": catalogue.raw.name, "enrich": catalogue.ingested.name}

metrics = Metrics()
watchdog = Watchdog(settings.stall_timeout)
outbox = Outbox(stopping=lambda: bool(app.should_stop))


def _describe_worker() -> None:
    """Versions of what this worker runs; the NER models once they are loaded (never loaded for this)."""
    enrichers = runtime.built()
    loaded = getattr(enrichers.entities, "loaded", dict)() if enrichers else {}
    metrics.describe(pipeline_version=PIPELINE_VERSION, stages=",".join(settings.stage_set), group=settings.group_id,
                     language_model=LANGUAGE_MODEL_NAME if enrichers else "",
                     ner_models=",".join(f"{language}={name}" for language, name in loaded.items()))


def _consumed_topics() -> set[str]:
    return {CONSUMED[stage] for stage in settings.stage_set}


def _health_problems() -> list[str]:
    waiting = waiting_records(app, {stage: CONSUMED[stage] for stage in settings.stage_set})
    return watchdog.problems(waiting)


@app.page("/metrics")
async def metrics_page(web: Any, request: Any) -> Any:
    """Prometheus text format: counters, stage and latency histograms, consumer lag."""
    _describe_worker()
    metrics.observe_lag(app.consumer, _consumed_topics())
    # As a header: aiohttp refuses a content_type argument that carries a charset.
    return web.bytes(metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})


@app.page("/health")
async def health(web: Any, request: Any) -> Any:
    """Alive: the event loop answers and every agent is alive and making progress (503 otherwise)."""
    problems = _health_problems()
    if problems:
        return web.json({"status": "failing", "app": settings.app_id, "reasons": problems}, status=503)
    return web.json({"status": "ok", "app": settings.app_id})


@app.page("/ready")
async def ready(web: Any, request: Any) -> Any:
    """Ready: healthy, connected, not rebalancing, holding partitions (503 with the reasons otherwise)."""
    is_ready, body = readiness(app, _health_problems())
    return web.json(body, status=200 if is_ready else 503)


@contextmanager
def _watched(agent: str) -> Iterator[None]:
    """An agent that ends other than by the worker stopping is dead: the worker turns unhealthy."""
    try:
        yield
    except BaseException as exc:
        if not app.should_stop:
            watchdog.died(agent, exc)
        raise


@dataclass
class _Output:
    """A record a batch must write, what to write instead if it never can, and what it means."""

    record: Outgoing
    article_id: str | None
    rejection: Rejection | None  # set when the record is a rejection
    instead: _Output | None = None  # for a rejection: the same without its original (always fits)
    refused: tuple[str, bytes | None, bytes | None, datetime] | None = None  # stage, original, key, received_at


def _rejection(error: RejectMessage, stage: str, original: bytes | None, key: bytes | None,
               received_at: datetime, article_id: str | None = None) -> _Output:
    full = make_rejection(error, stage, original, key, received_at, article_id, limits)
    # Kept for a broker that refuses even that: none of the original, but its size and SHA-256.
    bare = make_rejection(error, stage, original, key, received_at, article_id, replace(limits, article_bytes=0,
                                                                                        rejection_prefix_bytes=0))
    return _Output(Outgoing(rejected_topic, key, encode_model(full)), article_id, full,
                   instead=_Output(Outgoing(rejected_topic, key, encode_model(bare)), article_id, bare))


def _refusal(error: BaseException) -> RejectMessage:
    """Why a record the broker or the client will never take was rejected."""
    if isinstance(error, TOO_LARGE):
        return OutputTooLarge(f"the record was refused as too large: {type(error).__name__}: {error}")
    return OutputRefused(f"the record was refused: {type(error).__name__}: {error}")


async def _write(outputs: list[_Output]) -> list[_Output]:
    """Write every output; each that can never be written is replaced by its rejection, which always
    arrives (as a last resort without its original). Returns what was written, in order."""
    results = await outbox.deliver([output.record for output in outputs])
    written = list(outputs)
    retry: list[int] = []
    for index, error in enumerate(results):
        if error is None:
            continue
        output = outputs[index]
        if output.rejection is not None:
            if output.instead is None:
                raise RuntimeError(f"not even a bare rejection could be written: {error}") from error
            written[index] = output.instead
        else:
            assert output.refused is not None
            stage, original, key, received_at = output.refused
            written[index] = _rejection(_refusal(error), stage, original, key, received_at, output.article_id)
        retry.append(index)
    if retry:
        again = await _write([written[i] for i in retry])
        for index, output in zip(retry, again):
            written[index] = output
    return written


def _count_rejections(written: Sequence[_Output]) -> None:
    for output in written:
        rejection = output.rejection
        if rejection is None:
            continue
        log.warning("rejected article=%s stage=%s reason=%s: %s", output.article_id or "-", rejection.stage,
                    rejection.reason, rejection.error, extra=about(output.article_id, rejection.stage))
        metrics.rejected.labels(rejection.stage, rejection.reason).inc()


async def ingest_articles(stream: faust.StreamT) -> None:
    """articles.raw -> validated, normalised ArticleInProgress on wirestream.ingested, keyed by id."""
    with _watched("ingest"):
        async for events in stream.take_events(settings.batch_size, within=settings.batch_wait):
            watchdog.progress("ingest")
            await _ingest_events(events)
            watchdog.progress("ingest")


async def _ingest_events(events: Sequence[faust.EventT]) -> None:
    metrics.articles_in.labels("ingest").inc(len(events))
    outputs: list[_Output] = []
    for event in events:
        received_at = now()
        value, key = event.value, event.key
        started = perf_counter()
        try:
            item = ingest(value, received_at, settings.max_article_bytes)
        except RejectMessage as error:
            outputs.append(_rejection(error, "ingest", value, key, received_at))
            continue
        except Exception as exc:  # noqa: BLE001 - an unforeseen bug costs one message, not the partition
            log.exception("ingest failed unexpectedly", extra=about(None, "ingest"))
            outputs.append(_rejection(StageFailed(f"{type(exc).__name__}: {exc}"), "ingest", value, key, received_at))
            continue
        metrics.stage_seconds.labels("ingest").observe(perf_counter() - started)
        outputs.append(_Output(Outgoing(ingested_topic, item.id.encode(), encode_model(item)), item.id, None,
                               refused=("ingest", value, key, received_at)))
    _count_rejections(await _write(outputs))


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


def _latest_revision(event: faust.EventT, article_id: str) -> Revision | None:
    """The latest revision enriched under this id in the window, as the table remembers it."""
    assert seen_ids is not None
    with _acting_for(event):
        window = seen_ids[article_id]
        return Revision.from_table(window.now() or window.delta(_WINDOW))


def _remember(event: faust.EventT, article_id: str, revision: Revision) -> None:
    assert seen_ids is not None
    with _acting_for(event):
        seen_ids[article_id] = revision.to_table()


async def enrich_articles(stream: faust.StreamT) -> None:
    """wirestream.ingested -> language, dateline, entities -> articles.enriched (once per id and text).

    Articles are taken in batches (up to `batch_size`, waiting at most `batch_wait` for more), so
    that NER reads a batch in one call; each is written on, or rejected, on its own.
    """
    with _watched("enrich"):
        async for events in stream.take_events(settings.batch_size, within=settings.batch_wait):
            watchdog.progress("enrich")
            await _enrich_events(events)
            watchdog.progress("enrich")


async def _enrich_events(events: Sequence[faust.EventT]) -> None:
    metrics.articles_in.labels("enrich").inc(len(events))
    decoded: list[tuple[faust.EventT, ArticleInProgress]] = []
    undecodable: list[_Output] = []
    for event in events:
        try:
            decoded.append((event, decode_model(ArticleInProgress, event.value)))
        except Exception as exc:  # noqa: BLE001
            undecodable.append(_rejection(StageFailed(f"undecodable internal message: {exc}"), "enrich",
                                          event.value, event.key, now()))
    if undecodable:
        _count_rejections(await _write(undecodable))
    # Two versions of one id in a batch go one after the other, so that the second is compared
    # with the first as the table has recorded it.
    for run in unique_id_runs(decoded, key=lambda pair: pair[1].id):
        await _enrich_run(run)


async def _enrich_run(decoded: Sequence[tuple[faust.EventT, ArticleInProgress]]) -> None:
    items: list[tuple[faust.EventT, ArticleInProgress, Revision]] = []
    for event, item in decoded:
        digest = content_hash(item.text)
        previous = _latest_revision(event, item.id) if settings.dedupe else None
        revision = next_revision(previous, digest, reprocess=item.reprocess)
        if revision is None:
            log.info("duplicate article=%s stage=enrich tp=%s:%s offset=%s: this text was enriched already, skipped",
                     item.id, event.message.topic, event.message.partition, event.message.offset,
                     extra=about(item.id, "enrich"))
            metrics.duplicates.inc()
            continue
        items.append((event, item, revision))

    report = BatchReport()
    results = enrich_batch([item for _, item, _ in items], runtime.enrichers(), report)
    metrics.observe_stages(report.stage_seconds)
    for size in report.ner_batches:
        metrics.ner_batch.observe(size)

    outputs: list[_Output] = []
    languages: dict[str, str] = {}
    for (event, item, revision), result in zip(items, results):
        original = republishable(item)
        if isinstance(result, EnrichedArticle):
            try:
                record = encode_enriched(revision.stamp(result), limits)
            except RejectMessage as error:
                result = error
            else:
                languages[item.id] = result.language.code
                outputs.append(_Output(Outgoing(enriched_topic, item.id.encode(), record), item.id, None,
                                       refused=("enrich", original, event.key, item.received_at)))
                continue
        outputs.append(_rejection(result, result.stage or "enrich", original, event.key, item.received_at, item.id))

    written = await _write(outputs)
    _count_rejections(written)
    for (event, item, revision), output in zip(items, written):
        if output.rejection is not None:
            continue
        if settings.dedupe:
            _remember(event, item.id, revision)
        metrics.enriched.labels(languages[item.id]).inc()
        metrics.end_to_end.observe((now() - item.received_at).total_seconds())
        log.info("enriched article=%s stage=enrich tp=%s:%s offset=%s language=%s revision=%d",
                 item.id, event.message.topic, event.message.partition, event.message.offset,
                 languages[item.id], revision.number, extra=about(item.id, "enrich"))


if "ingest" in settings.stage_set:
    app.agent(raw_topic, name="ingest_articles")(ingest_articles)
if "enrich" in settings.stage_set:
    app.agent(ingested_topic, name="enrich_articles")(enrich_articles)
