"""The client's errors: stable types, one-line messages that say what to fix.

Each is also what the CLI prints (`error: <message>`), so a script and a person read the same.
"""

from __future__ import annotations

from wirestream.errors import (
    BrokerUnavailable,
    ConfigError,
    RejectMessage,
    WirestreamError,
)


class InvalidSettings(ConfigError):
    """A WIRESTREAM_* variable (or a settings argument) is wrong; the message names it."""

    code = "invalid_settings"


class InvalidArticle(WirestreamError):
    """An article the pipeline would reject (`reason`: the rejection code it would get); nothing
    was published."""

    code = "invalid_article"

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason

    @classmethod
    def from_rejection(cls, error: RejectMessage, where: str) -> InvalidArticle:
        return cls(f"{where}: {error} ({error.code}); fix the input and publish it again", error.code)


class NotInAsyncContext(WirestreamError):
    """The synchronous API was called where an event loop already runs (a notebook, an async app)."""

    code = "event_loop_running"


__all__ = ["BrokerUnavailable", "ConfigError", "InvalidArticle", "InvalidSettings", "NotInAsyncContext",
           "WirestreamError"]
