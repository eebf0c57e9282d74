"""The stories stage's index, kept in a changelog-backed Faust table so that it outlives its worker.

The index itself (`enrich/stories.py`) lives in memory; after each batch the records of what
changed are written to the table (an article forgotten at the end of the window becomes a
tombstone). When the table has been recovered — at start, after a restart, after a rebalance
that moved the stories partition — the index is rebuilt from the table before the next article.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import Iterator
from typing import Any

import faust

from wirestream.contracts import StoryArticleState, StoryState
from wirestream.enrich.stories import StoryIndex
from wirestream.faust_fixes.batch_table_context import acting_for
from wirestream.kafka.topics import STORIES_TABLE
from wirestream.serialization import encode_model, loads

log = logging.getLogger("wirestream.worker")

_ARTICLE, _STORY = b"a:", b"s:"
_STEP = 1_000  # records rebuilt between two turns of the event loop (~0.1 s)
_DONE = object()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for one step of the rebuild, not across its awaits (other
    coroutines run then): hundreds of thousands of small acyclic objects, which it would walk again
    and again as they are made, taking most of the time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def stories_table(app: faust.App, changelog: str) -> Any:
    """The Faust table, with raw bytes both ways: keys and values are encoded here (orjson,
    through the models). Its changelog is named by the catalogue, not by the consumer group, so
    the index outlives a move of the stage between a combined worker and one of its own."""
    topic = app.topic(changelog, partitions=1, key_type=bytes, value_type=bytes, compacting=True, deleting=True,
                      acks=False, internal=True)
    return app.Table(STORIES_TABLE, partitions=1, key_type=bytes, value_type=bytes, changelog_topic=topic)


class TabledStories:
    """`table` is the Faust table of `stories_table` (a test may hand in a dict with `on_recover`)."""

    def __init__(self, table: Any, index: StoryIndex) -> None:
        index.track_changes = True
        self.index = index
        self.table = table
        self.table.on_recover(self._recovered)
        self._restored = False

    async def _recovered(self) -> None:
        # Rebuilt on the next batch, which only the worker holding the partition gets; until then
        # a worker that lost the partition holds nothing.
        self.index.restore([], [])
        self._restored = False

    async def ready_for(self, event: Any) -> None:
        """Rebuild the index from the table if it was recovered since the last batch. It takes
        ~6 s per 100,000 articles, so it lets the event loop run between steps: the consumer's
        heartbeats must go on, or the group would count this worker gone and rebalance again."""
        if self._restored:
            return
        started = time.monotonic()
        await self._rebuild(event)
        log.info("stories index rebuilt from its table: %d articles in %.2fs", len(self.index),
                 time.monotonic() - started)

    async def _rebuild(self, event: Any) -> None:
        with acting_for(event), _collector_paused():
            records = list(self.table.items())
        articles: list[tuple[str, dict[str, Any]]] = []
        stories: list[tuple[str, dict[str, Any]]] = []
        for start in range(0, len(records), _STEP):
            with _collector_paused():
                for key, value in records[start : start + _STEP]:
                    name = key.decode() if isinstance(key, bytes) else str(key)
                    # Read as JSON, not validated again: the records were validated by their model when written.
                    if name.startswith("a:"):
                        articles.append((name[2:], loads(value)))
                    elif name.startswith("s:"):
                        stories.append((name[2:], loads(value)))
            await asyncio.sleep(0)
        steps = self.index.restoring(articles, stories, every=_STEP)
        while True:
            with _collector_paused():
                more = next(steps, _DONE) is not _DONE
            if not more:
                break
            await asyncio.sleep(0)
        self._restored = True

    def save(self, event: Any) -> int:
        """Write what changed in the index to the table; returns the number of records written."""
        articles, stories = self.index.changes()
        with acting_for(event):
            for prefix, model, changed in ((_ARTICLE, StoryArticleState, articles), (_STORY, StoryState, stories)):
                for name, record in changed.items():
                    key = prefix + name.encode()
                    if record is None:
                        self.table.pop(key, None)
                    else:
                        # A copy: orjson's bytes keep their ~32 KB write buffer (measured with
                        # tracemalloc), which a table holding 100,000 of them cannot afford.
                        self.table[key] = bytes(memoryview(encode_model(model.model_validate(record))))
        return len(articles) + len(stories)
