"""The stories stage's index, kept in a changelog-backed Faust table so that it outlives its worker.

The index itself (`enrich/stories.py`) lives in memory; after each batch the records of what
changed are written to the table (an article forgotten at the end of the window becomes a
tombstone). When the table has been recovered — at start, after a restart, after a rebalance
that moved the stories partition — the index is rebuilt from the table before the next article.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import faust

from wirestream.contracts import StoryArticleState, StoryState
from wirestream.enrich.stories import StoryIndex
from wirestream.faust_fixes.batch_table_context import acting_for
from wirestream.kafka.topics import STORIES_TABLE
from wirestream.serialization import decode_model, encode_model

log = logging.getLogger("wirestream.worker")

_ARTICLE, _STORY = b"a:", b"s:"


def stories_table(app: faust.App) -> Any:
    """The Faust table, with raw bytes both ways: keys and values are encoded here (orjson,
    through the models)."""
    return app.Table(STORIES_TABLE, partitions=1, key_type=bytes, value_type=bytes)


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

    def ready_for(self, event: Any) -> None:
        """Rebuild the index from the table if it was recovered since the last batch."""
        if self._restored:
            return
        started = time.monotonic()
        articles: list[tuple[str, dict[str, Any]]] = []
        stories: list[tuple[str, dict[str, Any]]] = []
        with acting_for(event):
            for key, value in self.table.items():
                name = key.decode() if isinstance(key, bytes) else str(key)
                if name.startswith("a:"):
                    articles.append((name[2:], decode_model(StoryArticleState, value).model_dump(mode="json")))
                elif name.startswith("s:"):
                    stories.append((name[2:], decode_model(StoryState, value).model_dump(mode="json")))
        self.index.restore(articles, stories)
        self._restored = True
        log.info("stories index rebuilt from its table: %d articles, %d stories in %.2fs",
                 len(articles), len(stories), time.monotonic() - started)

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
