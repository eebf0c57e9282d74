"""The Faust app of a worker, built from what it is given: `build_app(settings, enrichers)`.

It declares the topics of the catalogue, the table of enriched ids, the agents of the stages
this worker runs, and the web pages /health, /ready and /metrics. Nothing is built at import.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import faust

from wirestream import PIPELINE_VERSION
from wirestream.bootstrap import make_story_index
from wirestream.enrich.dateline import DatelineParser
from wirestream.enrich.ner_memory import NerMemory
from wirestream.enrich.pipeline import Enrichers
from wirestream.faust_fixes import FIXES, App
from wirestream.kafka.security import faust_credentials
from wirestream.kafka.topics import TopicCatalogue, topic_catalogue
from wirestream.settings import Settings, Stage
from wirestream.worker.agents import Agents, Destinations
from wirestream.worker.health import readiness, waiting_records
from wirestream.worker.metrics import CONTENT_TYPE, LOOP_TICK, Metrics
from wirestream.worker.outbox import Outbox
from wirestream.worker.story_table import TabledStories, stories_table
from wirestream.worker.tables import ExpiringSeenIds, seen_ids_table
from wirestream.worker.watchdog import Watchdog


def make_faust_app(settings: Settings, fixes: frozenset[str] = FIXES) -> faust.App:
    """The Faust app with the settings' Kafka connection, timings and sizes; no topics or agents yet.
    `fixes`: the Faust fixes in place (all of them but in the tests that show one is still needed)."""
    limits, tuning = settings.limits, settings.tuning
    if settings.broker_kind == "kafka" and settings.fetch_max_wait is None:
        # Apache Kafka answers a waiting fetch as soon as a record arrives: Faust's own 1.5 s cost
        # no latency there (p50 218 ms against 190 ms at 0.5 s), so the fix is Tansu's, or a
        # value set on purpose.
        fixes = fixes - {"fetch_wait"}
    return App(
        settings.group_id,
        fixes=fixes,
        producer_idempotence=settings.producer_idempotence,
        fetch_max_wait=tuning.fetch_max_wait,
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
        broker_session_timeout=tuning.session_timeout,
        broker_rebalance_timeout=tuning.rebalance_timeout,
        broker_heartbeat_interval=tuning.heartbeat_interval,
        broker_commit_interval=settings.commit_interval,
        producer_max_batch_size=tuning.producer_max_batch_size,
        producer_linger=tuning.producer_linger,
        producer_acks=-1,
        processing_guarantee="at_least_once",  # exactly_once does not hold: README, Guarantees
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_in_thread=False,
        store="memory://",
        table_standby_replicas=0,
    )


@dataclass
class WorkerApp:
    """A built worker: the Faust app and the parts tests and operators look at."""

    app: faust.App
    settings: Settings
    catalogue: TopicCatalogue
    agents: Agents
    metrics: Metrics
    watchdog: Watchdog
    seen_ids: ExpiringSeenIds | None
    consumed: dict[Stage, str]  # stage -> the topic its agent reads

    def health_problems(self) -> list[str]:
        return self.watchdog.problems(waiting_records(self.app, self.consumed))


def build_app(settings: Settings, enrichers: Enrichers | None, *, dateline: DatelineParser | None = None,
              outbox: Outbox | None = None, fixes: frozenset[str] = FIXES) -> WorkerApp:
    """The worker's app for `settings.stage_set`. `enrichers` may be None for a worker that does not
    enrich: the stories stage needs only a dateline parser (`dateline`, or the enrichers').

    `outbox` writes the agents' records (a real one is made by default; tests pass one that fails).
    """
    app = make_faust_app(settings, fixes)
    catalogue = topic_catalogue(settings)
    topics = {spec.name: app.topic(spec.name, partitions=spec.partitions)
              for spec in (catalogue.raw, catalogue.stories, catalogue.ingested, catalogue.enriched, catalogue.rejected)}
    stages = settings.stage_set
    if "enrich" in stages and enrichers is None:
        raise ValueError("a worker that enriches needs enrichers")
    if "stories" in stages and dateline is None and enrichers is None:
        raise ValueError("a worker that assigns stories needs a dateline parser")
    # Each table lives in the worker of its stage: an ingest-only worker has no changelog to recover.
    seen_ids = (ExpiringSeenIds(seen_ids_table(app, catalogue.seen_ids_changelog.partitions), settings.dedupe_retention)
                if "enrich" in stages and settings.dedupe else None)
    # The worker that holds the stories topic's one partition assigns every story.
    stories = (TabledStories(stories_table(app, catalogue.stories_changelog.name), make_story_index(settings))
               if "stories" in stages else None)
    metrics, watchdog = Metrics(), Watchdog(settings.stall_timeout)
    agents = Agents(
        settings, enrichers,
        Destinations(after_ingest=topics[catalogue.after_ingest(settings).name],
                     ingested=topics[catalogue.ingested.name], enriched=topics[catalogue.enriched.name],
                     rejected=topics[catalogue.rejected.name]),
        seen_ids=seen_ids, outbox=(outbox or Outbox()).stopping_when(lambda: bool(app.should_stop)),
        metrics=metrics, watchdog=watchdog, should_stop=lambda: bool(app.should_stop), stories=stories,
        dateline=dateline,
        # Stories route a copy to its original's worker, where what NER found in it is remembered.
        ner_memory=NerMemory() if "enrich" in stages and settings.stories else None,
    )
    reads = {"ingest": catalogue.raw.name, "stories": catalogue.stories.name, "enrich": catalogue.ingested.name}
    consumed = {stage: reads[stage] for stage in stages}
    if "ingest" in stages:
        app.agent(topics[reads["ingest"]], name="ingest_articles")(agents.ingest_articles)
    if "stories" in stages:
        app.agent(topics[reads["stories"]], name="assign_stories")(agents.assign_stories)
    if "enrich" in stages:
        app.agent(topics[reads["enrich"]], name="enrich_articles")(agents.enrich_articles)
    worker = WorkerApp(app, settings, catalogue, agents, metrics, watchdog, seen_ids, consumed)
    _add_pages(worker, enrichers)
    return worker


def _add_pages(worker: WorkerApp, enrichers: Enrichers | None) -> None:
    app, settings, metrics = worker.app, worker.settings, worker.metrics

    async def watch_the_loop() -> None:
        """How late the event loop wakes a short sleep: the time the agents wait for it."""
        loop = asyncio.get_running_loop()
        while not app.should_stop:
            asked = loop.time() + LOOP_TICK
            await asyncio.sleep(LOOP_TICK)
            metrics.loop_delay.observe(max(0.0, loop.time() - asked))

    app.task(watch_the_loop)
    loaded = getattr(enrichers.entities, "loaded", dict) if enrichers else dict
    language_model = enrichers.language.model_name if enrichers else ""
    ner_languages = ",".join(getattr(enrichers.entities, "languages", [])) if enrichers else ""
    metrics.describe(pipeline_version=PIPELINE_VERSION, stages=",".join(settings.stage_set), group=settings.group_id,
                     language_model=language_model, ner_models="",
                     ner_languages=ner_languages)

    @app.page("/metrics")
    async def metrics_page(web: Any, request: Any) -> Any:
        """Prometheus text format: counters, stage and latency histograms, consumer lag."""
        # The NER models are named as loaded: they may load lazily, and this never loads one.
        metrics.describe(pipeline_version=PIPELINE_VERSION, stages=",".join(settings.stage_set),
                         group=settings.group_id, language_model=language_model,
                         ner_models=",".join(f"{language}={name}" for language, name in loaded().items()),
                         ner_languages=ner_languages)
        metrics.observe_lag(app.consumer, set(worker.consumed.values()))
        # As a header: aiohttp refuses a content_type argument that carries a charset.
        return web.bytes(metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        """Alive: the event loop answers and every agent is alive and making progress (503 otherwise)."""
        problems = worker.health_problems()
        if problems:
            return web.json({"status": "failing", "app": settings.app_id, "reasons": problems}, status=503)
        return web.json({"status": "ok", "app": settings.app_id})

    @app.page("/ready")
    async def ready(web: Any, request: Any) -> Any:
        """Ready: healthy, connected, not rebalancing, holding partitions (503 with the reasons otherwise)."""
        is_ready, body = readiness(app, worker.health_problems())
        return web.json(body, status=200 if is_ready else 503)
