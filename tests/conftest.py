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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """How `make test` (xdist, `--dist loadgroup`) shares the tests among its processes.

    An integration test with a broker of its own (it does not use the shared `cluster`) is a unit
    of its own, so the long ones run side by side; the other tests go by file, so that a file's
    tests share their process's broker, worker and models. Tests marked `long` start first, then
    the rest of the integration tier, then the unit tier: the last units to finish are short ones.
    """
    groups: dict[str, str] = {}
    for item in items:
        alone = "integration" in item.keywords and "cluster" not in getattr(item, "fixturenames", ())
        # A file's tests on Apache Kafka share a broker and worker of their own, apart from Tansu's.
        shared = item.nodeid.split("::")[0] + ("[kafka]" if "kafka" in item.keywords else "")
        groups[item.nodeid] = item.nodeid if alone else shared
        item.add_marker(pytest.mark.xdist_group(groups[item.nodeid]))
    # A group's tests run one after another, so that its shared broker is set up once; a group
    # with a long test starts first.
    long_groups = {groups[item.nodeid] for item in items if "long" in item.keywords}
    order = {item.nodeid: index for index, item in enumerate(items)}
    items.sort(key=lambda item: (groups[item.nodeid] not in long_groups, "integration" not in item.keywords,
                                 groups[item.nodeid], order[item.nodeid]))


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
