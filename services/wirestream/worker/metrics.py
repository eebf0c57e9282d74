"""Prometheus metrics of one worker, served on its web server at /metrics.

Counters and histograms are updated by the agents; consumer lag is read from the Faust
consumer when Prometheus scrapes. Each worker has its own registry: the numbers are the
process's own, and tests can build a fresh one.
"""

from __future__ import annotations

import time
from typing import Any, Collection

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from wirestream.enrich.pipeline import BatchReport
from wirestream.faust_fixes.consumer_state import committed_offsets

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Per-article stage times run from microseconds (ingest) to seconds (NER of a long article).
_STAGE_BUCKETS = (0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
_DELAY_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
LOOP_TICK = 0.1  # seconds between two looks at how late the event loop runs


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.articles_in = Counter("wirestream_articles_in", "Messages a stage took off its topic.", ["stage"], registry=r)
        self.enriched = Counter("wirestream_articles_enriched", "Articles published enriched.", ["language"], registry=r)
        self.rejected = Counter("wirestream_articles_rejected", "Messages sent to the rejected topic.",
                                ["stage", "reason"], registry=r)
        self.duplicates = Counter("wirestream_articles_duplicate", "Articles skipped as already enriched.", registry=r)
        self.dedupe_ids = Gauge("wirestream_dedupe_ids", "Article ids this worker remembers as enriched "
                                "(WIRESTREAM_DEDUPE_RETENTION).", registry=r)
        self.dedupe_forgotten = Counter("wirestream_dedupe_ids_forgotten", "Ids swept out of the table of "
                                        "enriched ids at the end of their window.", registry=r)
        self.stage_seconds = Histogram("wirestream_stage_seconds", "Processing time per article, by stage "
                                       "(a batched NER call is shared evenly by its articles).", ["stage"],
                                       buckets=_STAGE_BUCKETS, registry=r)
        self.end_to_end = Histogram("wirestream_end_to_end_seconds", "From an article's arrival (received_at) "
                                    "to its enriched record being sent.", buckets=_LATENCY_BUCKETS, registry=r)
        self.loop_delay = Histogram("wirestream_event_loop_delay_seconds", "How late the worker's event loop "
                                    f"wakes a {LOOP_TICK} s sleep: what every agent of the process waits while "
                                    "another holds the loop (NER, while it reads a batch).",
                                    buckets=_DELAY_BUCKETS, registry=r)
        self.ner_batch = Histogram("wirestream_ner_batch_size", "Articles NER read in one call.",
                                   buckets=_BATCH_BUCKETS, registry=r)
        self.stories_opened = Counter("wirestream_stories_opened", "Articles that opened a story of their own.",
                                      registry=r)
        self.stories_joined = Counter("wirestream_story_articles_joined", "Articles that joined an earlier "
                                      "article's story (copies included).", registry=r)
        self.story_duplicates = Counter("wirestream_story_duplicates", "Articles marked near-identical copies "
                                        "(story.duplicate_of).", registry=r)
        self.ner_reused = Counter("wirestream_ner_reused", "Articles whose body NER did not read in full: "
                                  "near-identical copies that reused the entities of their original (all of "
                                  "them, or those of the lines they kept).", registry=r)
        self.story_index_articles = Gauge("wirestream_story_index_articles", "Articles in the stories window held "
                                          "by this worker's index.", registry=r)
        self.lag = Gauge("wirestream_consumer_lag", "Records not yet committed, by assigned topic-partition.",
                         ["topic", "partition"], registry=r)
        self.start_time = Gauge("wirestream_worker_start_time_seconds", "When this worker started (Unix time).",
                                registry=r)
        self.info = Info("wirestream_worker", "Pipeline version, stages and the models in use.", registry=r)
        self.start_time.set(time.time())

    def describe(self, **labels: str) -> None:
        self.info.info(labels)

    def observe_batch(self, report: BatchReport) -> None:
        """What one `enrich_batch` call measured: each stage's seconds per article, NER's batch
        sizes, the copies that reused their original's entities."""
        for stage, seconds in report.stage_seconds.items():
            histogram = self.stage_seconds.labels(stage)
            for value in seconds:
                histogram.observe(value)
        for size in report.ner_batches:
            self.ner_batch.observe(size)
        self.ner_reused.inc(report.reused)

    def observe_lag(self, consumer: Any, topics: Collection[str]) -> None:
        """Highwater minus committed offset of every partition of `topics` this worker holds (read at
        scrape time). Only the topics agents consume: a table's changelog is read, never committed."""
        self.lag.clear()  # partitions moved away by a rebalance must not linger
        committed = committed_offsets(consumer)
        for tp in consumer.assignment():
            if tp.topic not in topics:
                continue
            highwater = consumer.highwater(tp)
            if highwater is None or highwater < 0:
                continue
            done = committed.get(tp) or 0
            self.lag.labels(tp.topic, str(tp.partition)).set(max(0, highwater - done))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
