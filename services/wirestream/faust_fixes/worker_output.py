"""Faust 0.15.3's worker draws a terminal spinner (escape codes that corrupt log files and JSON
lines) and sets up mode's logging over ours; this worker does neither. No upstream issue or PR
offers a switch for either (faust-streaming issues searched 2026-12-03)."""

from __future__ import annotations

from typing import Any, Callable

import faust

from wirestream.faust_fixes.upstream import require


class Worker(faust.Worker):
    def __init__(self, *args: Any, setup_logging: Callable[[], None], **kwargs: Any) -> None:
        self._wirestream_logging = setup_logging
        super().__init__(*args, **kwargs)
        require(self, "spinner", fix="worker_output")
        self.spinner = None

    def _setup_logging(self) -> None:
        self._wirestream_logging()  # the same format (human or JSON) for Faust's lines as for ours
