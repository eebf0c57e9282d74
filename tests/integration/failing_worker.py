"""A real worker whose NER raises for articles carrying a marker: `python -m tests.integration.failing_worker MARKER`.

The enrichers are built by the same factory as in production and wrapped, not monkeypatched.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any, Sequence

from wirestream.entities import Span
from wirestream.models import make_enrichers
from wirestream.settings import get_settings
from wirestream.worker import run_worker


class FailOnMarker:
    """Wraps a recognizer; raises on texts that contain the marker, like a model bug would."""

    def __init__(self, inner: Any, marker: str) -> None:
        self._inner = inner
        self._marker = marker
        self.model_name = inner.model_name

    def spans(self, text: str) -> list[Span]:
        if self._marker in text:
            raise RuntimeError(f"injected NER failure on {self._marker}")
        return self._inner.spans(text)

    def spans_batch(self, texts: Sequence[str]) -> list[list[Span]]:
        if any(self._marker in text for text in texts):
            raise RuntimeError(f"injected NER failure on {self._marker} in a batch of {len(texts)}")
        return self._inner.spans_batch(texts)


class FailingRecognizers:
    def __init__(self, inner: Any, marker: str) -> None:
        self._inner = inner
        self._marker = marker

    def for_language(self, language: str) -> Any:
        recognizer = self._inner.for_language(language)
        return FailOnMarker(recognizer, self._marker) if recognizer is not None else None


if __name__ == "__main__":
    settings = get_settings()
    enrichers = make_enrichers(settings)
    sys.exit(run_worker(settings, replace(enrichers, entities=FailingRecognizers(enrichers.entities, sys.argv[1]))))
