"""The ceilings: the enrichment libraries called in a plain loop over the corpus in memory.

- `measure_bare`: the same models and components as wirestream (the language ensemble, the
  dateline parser, spaCy with only what NER needs), one article at a time, no broker, no
  serialisation: the ceiling for one process.
- `measure_bare_parallel`: that loop in two processes at once, on the same corpus: what this
  machine gives two CPU-bound processes (the ceiling for `wirestream x2`).
- `measure_pipeline`: wirestream's own enrichment (`enrich_batch`, batches of 16, stories and the
  NER memory) in a plain loop: what the broker and Faust cost is the gap between this row and
  `wirestream`; what the enrichment around NER costs, the gap between this row and bare.
"""

from __future__ import annotations

import multiprocessing
import time
from datetime import UTC, datetime
from typing import Any, Sequence

from wirestream.bootstrap import (
    make_dateline_parser,
    make_enrichers,
    make_entity_recognizers,
    make_language_detector,
    make_story_index,
)
from wirestream.enrich.ingest import ingest
from wirestream.enrich.ner_memory import NerMemory
from wirestream.enrich.pipeline import Memory, enrich_batch
from wirestream.serialization import loads
from wirestream.settings import Settings

from bench.corpus import Article
from bench.streaming import Throughput

BATCH = 16  # WIRESTREAM_BATCH_SIZE's default


def measure_bare(corpus: Sequence[Article], ready: Any = None) -> Throughput:
    """`ready`, if given, is a barrier waited on once the models are loaded."""
    settings = Settings()
    detector = make_language_detector(settings)
    parser = make_dateline_parser(settings)
    recognizers = make_entity_recognizers(settings)
    recognizers.preload()
    texts = [loads(article.value)["text"] for article in corpus]
    reference = datetime(2026, 11, 24, 12, tzinfo=UTC)
    if ready is not None:
        ready.wait()

    started = time.perf_counter()
    for text in texts:
        language = detector.detect(text)
        dateline = parser.parse(text, reference)
        recognizer = recognizers.for_language(language.code)
        if recognizer is not None:
            recognizer.spans(text[dateline.end:] if dateline else text)
    seconds = time.perf_counter() - started
    return Throughput(len(corpus), sum(a.words for a in corpus), seconds)


def _bare_in_child(corpus: Sequence[Article], ready: Any, results: Any) -> None:
    results.put(measure_bare(corpus, ready).seconds)


def measure_bare_parallel(corpus: Sequence[Article], processes: int = 2) -> Throughput:
    """`processes` bare loops over the whole corpus at once, started together once all have loaded
    their models; articles/s is all the articles read over the slowest loop's time."""
    context = multiprocessing.get_context("spawn")
    ready, results = context.Barrier(processes + 1), context.Queue()
    children = [context.Process(target=_bare_in_child, args=(corpus, ready, results)) for _ in range(processes)]
    for child in children:
        child.start()
    ready.wait()
    seconds = max(results.get(timeout=3600) for _ in children)
    for child in children:
        child.join()
    return Throughput(processes * len(corpus), processes * sum(a.words for a in corpus), seconds)


def measure_pipeline(corpus: Sequence[Article]) -> Throughput:
    settings = Settings()
    enrichers = make_enrichers(settings)
    received = datetime(2026, 11, 24, 12, tzinfo=UTC)
    items = [ingest(article.value, received) for article in corpus]
    memory = Memory(stories=make_story_index(settings), spans=NerMemory())
    started = time.perf_counter()
    for first in range(0, len(items), BATCH):
        enrich_batch(items[first:first + BATCH], enrichers, memory)
    seconds = time.perf_counter() - started
    return Throughput(len(corpus), sum(a.words for a in corpus), seconds)
