"""A supervisor's SIGTERM ends a command the way Ctrl-C does: through its `finally` blocks."""

from __future__ import annotations


def interrupt(*_: object) -> None:
    raise KeyboardInterrupt
