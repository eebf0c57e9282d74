"""The table of enriched ids: the latest revision enriched under each id, changelog-backed.

Two tumbling windows of `dedupe_retention` seconds: an id is remembered for at least one and at
most two windows, and older windows expire on their own, so memory stays bounded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Protocol

import faust

from wirestream.enrich.revisions import Revision
from wirestream.faust_fixes.batch_table_context import acting_for
from wirestream.kafka.topics import SEEN_IDS_TABLE


class SeenIds(Protocol):
    """What the enrich agent asks of the table, on behalf of one event (its partition)."""

    def latest(self, event: Any, article_id: str) -> Revision | None: ...

    def remember(self, event: Any, article_id: str, revision: Revision) -> None: ...


class WindowedSeenIds:
    """`SeenIds` over a windowed Faust table, relative to wall-clock time."""

    def __init__(self, app: faust.App, retention: float, partitions: int) -> None:
        self._window = timedelta(seconds=retention)
        self.table = (
            app.Table(SEEN_IDS_TABLE, default=dict, partitions=partitions)
            .tumbling(self._window, expires=self._window * 2)
            .relative_to_now()
        )

    def latest(self, event: Any, article_id: str) -> Revision | None:
        with acting_for(event):
            window = self.table[article_id]
            return Revision.from_table(window.now() or window.delta(self._window))

    def remember(self, event: Any, article_id: str, revision: Revision) -> None:
        with acting_for(event):
            self.table[article_id] = revision.to_table()
