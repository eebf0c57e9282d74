"""Logging for every wirestream process: readable lines on a terminal, JSON lines for log systems.

`WIRESTREAM_LOG_FORMAT=json` gives one JSON object per line (time, level, logger, message,
and `article_id` / `stage` on lines about an article). Lines about an article pass those two
as `extra` (see `about`). Article text is never logged at INFO or above, and secrets never:
the settings hold passwords as SecretStr, and Faust's credentials print only the user.
Repeated client errors (aiokafka while a broker is away) are shown once per interval with a
count, not ten times a second.
"""

from __future__ import annotations

import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

from wirestream.serialization import dumps
from wirestream.settings import Settings

HUMAN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_CHATTY = ("aiokafka", "kafka")  # client libraries that log every failed reconnect attempt
_REPEAT_INTERVAL = 30.0


def about(article_id: str | None, stage: str) -> dict[str, Any]:
    """`extra=` for a log line about one article."""
    return {"article_id": article_id, "stage": stage}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("article_id", "stage"):
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return dumps(entry).decode()


class RepeatFilter(logging.Filter):
    """For loggers under `prefixes`: a message template once per interval; the next says how many were held back."""

    def __init__(self, prefixes: tuple[str, ...] = _CHATTY, interval: float = _REPEAT_INTERVAL) -> None:
        super().__init__()
        self.prefixes = prefixes
        self.interval = interval
        self._last: dict[tuple[str, Any], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self.prefixes):
            return True
        key = (record.name, record.msg)
        now = time.monotonic()
        shown_at, held = self._last.get(key, (float("-inf"), 0))
        if now - shown_at < self.interval:
            self._last[key] = (shown_at, held + 1)
            return False
        if held:
            record.msg = f"{record.msg} (and {held} more like it in the last {now - shown_at:.0f}s)"
        self._last[key] = (now, 0)
        return True


def configure_logging(settings: Settings, *, interactive: bool = False) -> None:
    """Replace the root handlers with one on stderr in the chosen format; tame the chatty clients.

    `interactive` commands (a person waits on them) show warnings and errors only: their outcome
    is the one line they print, not the Kafka client's account of its retries.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else logging.Formatter(HUMAN_FORMAT))
    handler.addFilter(RepeatFilter())  # on the handler: a logger's own filters miss its children's records
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    level = logging.getLevelName(settings.log_level.upper())
    root.setLevel(max(level, logging.WARNING) if interactive else level)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.CRITICAL if interactive else logging.ERROR)
