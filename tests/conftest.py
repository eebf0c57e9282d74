"""Fixtures shared by every tier: real models (session-scoped), fakes, the shared seed article."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Callable

import pytest
from wirestream.bootstrap import (
    make_enrichers,
    make_gazetteer,
    make_language_detector,
)
from wirestream.enrich.dateline import DatelineParser
from wirestream.enrich.geo.gazetteer import Gazetteer
from wirestream.enrich.language.detector import LanguageDetector
from wirestream.enrich.pipeline import Enrichers
from wirestream.serialization import dumps
from wirestream.settings import Settings

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SEED = SHARED / "seeds" / "000_3940d877af9318be.txt"
REFERENCE_TIME = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def gazetteer(settings: Settings) -> Gazetteer:
    return make_gazetteer(settings)


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


__all__ = ["REFERENCE_TIME", "PROJECT", "SEED"]
