"""The ceiling: the enrichment libraries called in a plain loop over the corpus in memory.

The same models and components as wirestream (the language ensemble, the dateline parser, spaCy
with only what NER needs), one article at a time, no broker, no serialisation.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Sequence

from wirestream.bootstrap import (
    make_dateline_parser,
    make_entity_recognizers,
    make_language_detector,
)
from wirestream.serialization import loads
from wirestream.settings import Settings

from bench.corpus import Article
from bench.streaming import Throughput


def measure_bare(corpus: Sequence[Article]) -> Throughput:
    settings = Settings()
    detector = make_language_detector(settings)
    parser = make_dateline_parser(settings)
    recognizers = make_entity_recognizers(settings)
    recognizers.preload()
    texts = [loads(article.value)["text"] for article in corpus]
    reference = datetime(2026, 11, 24, 12, tzinfo=timezone.utc)

    started = time.perf_counter()
    for text in texts:
        language = detector.detect(text)
        dateline = parser.parse(text, reference)
        recognizer = recognizers.for_language(language.code)
        if recognizer is not None:
            recognizer.spans(text[dateline.end:] if dateline else text)
    seconds = time.perf_counter() - started
    return Throughput(len(corpus), sum(a.words for a in corpus), seconds)
