"""Fixtures shared by every tier: real models (session-scoped), fakes, the shared seed article."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

import pytest
from wirestream.dateline import DatelineParser
from wirestream.entities import Span
from wirestream.gazetteer import Gazetteer
from wirestream.language import LanguageDetector
from wirestream.models import (
    EntityRecognizers,
    make_enrichers,
    make_gazetteer,
    make_language_detector,
)
from wirestream.pipeline import Enrichers
from wirestream.serialization import dumps
from wirestream.settings import Settings

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SEED = SHARED / "seeds" / "000_3940d877af9318be.txt"
REFERENCE_TIME = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return make_gazetteer()


@pytest.fixture(scope="session")
def dateline_parser(gazetteer: Gazetteer) -> DatelineParser:
    return DatelineParser(gazetteer)


@pytest.fixture(scope="session")
def language_detector(settings: Settings) -> LanguageDetector:
    return make_language_detector(settings)


@pytest.fixture(scope="session")
def enrichers(settings: Settings) -> Enrichers:
    return make_enrichers(settings)


@pytest.fixture
def seed_path() -> Path:
    """The shared seed article; tests that need it skip where ../shared is absent."""
    if not SEED.is_file():
        pytest.skip("../shared/seeds is not present")
    return SEED


@pytest.fixture
def article_factory() -> Callable[..., bytes]:
    """A RawArticle JSON message; keyword arguments override or add fields."""

    def build(**overrides: Any) -> bytes:
        fields: dict[str, Any] = {
            "text": "LONDON, Nov 24 (Reuters) - Keir Starmer met Emmanuel Macron in London on Monday.",
        }
        fields.update(overrides)
        return dumps({k: v for k, v in fields.items() if v is not ...})

    return build


class FakeRecognizer:
    """NER that returns the spans it was given, for grouping tests without a model."""

    model_name = "fake-ner-1"

    def __init__(self, spans_for: Callable[[str], list[Span]]) -> None:
        self._spans_for = spans_for
        self.calls: list[str] = []
        self.batches: list[int] = []

    def spans(self, text: str) -> list[Span]:
        self.calls.append(text)
        return self._spans_for(text)

    def spans_batch(self, texts: Sequence[str]) -> list[list[Span]]:
        self.batches.append(len(texts))
        return [self.spans(text) for text in texts]


class FakeRecognizers:
    def __init__(self, by_language: dict[str, Any]) -> None:
        self._by_language = by_language

    def for_language(self, language: str) -> Any:
        return self._by_language.get(language)


__all__ = ["EntityRecognizers", "FakeRecognizer", "FakeRecognizers", "REFERENCE_TIME", "PROJECT", "SEED"]
