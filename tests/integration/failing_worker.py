"""A real worker with a fault injected where production code takes its dependencies:
`python -m tests.integration.failing_worker FAULT MARKER [SECONDS]`.

FAULT is one of:
- `ner-raises`: NER raises an exception for articles carrying MARKER, like a model bug would;
- `ner-dies`: NER raises a BaseException (nothing in the stage guards catches it): the agent dies;
- `send-fails`: writing a record that carries MARKER fails with a broker time-out for SECONDS;
- `send-too-large`: writing a record that carries MARKER is refused as too large, for good.

The enrichers and the outbox are the production ones, wrapped or subclassed, and passed to
`run_worker` the way production passes them: nothing is monkeypatched.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from typing import Any, Sequence

from aiokafka.errors import KafkaTimeoutError, MessageSizeTooLargeError
from wirestream.bootstrap import make_enrichers
from wirestream.enrich.entities import Span
from wirestream.settings import Settings
from wirestream.worker.outbox import Outbox, Outgoing
from wirestream.worker.run import run_worker

from tests.integration.unfixed_worker import fixes_from_env


class InjectedDeath(BaseException):
    """Not an Exception: escapes every per-article guard, as a fatal fault would."""


class FailOnMarker:
    """Wraps a recognizer; raises on texts that contain the marker."""

    def __init__(self, inner: Any, marker: str, error: type[BaseException]) -> None:
        self._inner = inner
        self._marker = marker
        self._error = error
        self.model_name = inner.model_name

    def spans(self, text: str) -> list[Span]:
        if self._marker in text:
            raise self._error(f"injected NER failure on {self._marker}")
        return self._inner.spans(text)

    def spans_batch(self, texts: Sequence[str]) -> list[list[Span]]:
        if any(self._marker in text for text in texts):
            raise self._error(f"injected NER failure on {self._marker} in a batch of {len(texts)}")
        return self._inner.spans_batch(texts)


class FailingRecognizers:
    def __init__(self, inner: Any, marker: str, error: type[BaseException]) -> None:
        self._inner = inner
        self._marker = marker
        self._error = error

    def for_language(self, language: str) -> Any:
        recognizer = self._inner.for_language(language)
        return FailOnMarker(recognizer, self._marker, self._error) if recognizer is not None else None


class _FailingDestination:
    """Fails every send until `until` (a monotonic time; None: for ever), then sends for real."""

    def __init__(self, inner: Any, error: BaseException, until: float | None) -> None:
        self._inner = inner
        self._error = error
        self._until = until

    async def send(self, *, key: bytes | None, value: bytes) -> Any:
        if self._until is None or time.monotonic() < self._until:
            raise self._error
        return await self._inner.send(key=key, value=value)


class FaultyOutbox(Outbox):
    """The real outbox; records carrying the marker fail, for `seconds` or (None) for good."""

    def __init__(self, topic: str, marker: bytes, error: BaseException, seconds: float | None) -> None:
        super().__init__()
        self._topic = topic
        self._marker = marker
        self._error = error
        self._until: float | None = None
        self._seconds = seconds

    async def deliver(self, records: Sequence[Outgoing]) -> list[BaseException | None]:
        return await super().deliver([self._faulty(record) for record in records])

    def _faulty(self, record: Outgoing) -> Outgoing:
        if self._marker not in record.value or record.destination.get_topic_name() != self._topic:  # type: ignore[attr-defined]
            return record  # only enriched records fail: ingest and rejections go through
        if self._seconds is not None:
            self._until = self._until or time.monotonic() + self._seconds
        return replace(record, destination=_FailingDestination(record.destination, self._error, self._until))


if __name__ == "__main__":
    fault, marker = sys.argv[1], sys.argv[2]
    settings = Settings()
    enrichers = make_enrichers(settings)
    outbox: Outbox | None = None
    if fault == "ner-raises":
        enrichers = replace(enrichers, entities=FailingRecognizers(enrichers.entities, marker, RuntimeError))
    elif fault == "ner-dies":
        enrichers = replace(enrichers, entities=FailingRecognizers(enrichers.entities, marker, InjectedDeath))
    elif fault == "send-fails":
        outbox = FaultyOutbox(settings.topic_enriched, marker.encode(),
                              KafkaTimeoutError("injected: the broker did not answer in time"), float(sys.argv[3]))
    elif fault == "send-too-large":
        outbox = FaultyOutbox(settings.topic_enriched, marker.encode(),
                              MessageSizeTooLargeError("injected: the record is larger than the broker accepts"), None)
    else:
        sys.exit(f"unknown fault {fault!r}")
    run_worker(settings, enrichers, outbox=outbox, fixes=fixes_from_env())
