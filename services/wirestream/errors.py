"""Exceptions, grouped by what the caller must do with the message.

`RejectMessage` and its subclasses: send the message to `articles.rejected` with `code` as reason.
`RetryLater`: a passing fault (broker, resources); do not reject, try again.
"""

from __future__ import annotations


class WirestreamError(Exception):
    """Root of every error wirestream raises on purpose."""

    code = "wirestream_error"


class RejectMessage(WirestreamError):
    """The message cannot be enriched; it goes to articles.rejected with this code."""

    code = "rejected"
    stage: str | None = None  # set by the stage that raised it


class NotUtf8(RejectMessage):
    """The value is not valid UTF-8 text."""

    code = "not_utf8"


class TooLarge(RejectMessage):
    """The value is larger than the configured maximum article size."""

    code = "too_large"


class InvalidJson(RejectMessage):
    """The value starts like a JSON object but does not parse."""

    code = "invalid_json"


class NotAnObject(RejectMessage):
    """The value is JSON, but not a JSON object."""

    code = "not_an_object"


class InvalidArticle(RejectMessage):
    """The JSON object does not match the RawArticle contract (wrong or missing fields)."""

    code = "invalid_article"


class EmptyText(RejectMessage):
    """The article text is empty once whitespace and control characters are removed."""

    code = "empty_text"


class OutputTooLarge(RejectMessage):
    """The output record is larger than a topic can carry, even with its mentions capped, or the broker refused it as too large."""

    code = "output_too_large"


class OutputRefused(RejectMessage):
    """The broker refused the output record as invalid; no retry can change that."""

    code = "output_refused"


class StageFailed(RejectMessage):
    """An enricher raised while processing this article."""

    code = "stage_failed"


class RetryLater(WirestreamError):
    """A passing fault: the message is fine and should be tried again."""

    code = "retry_later"


class BrokerUnavailable(RetryLater):
    """No Kafka broker answered within the time allowed: start one, or point the settings at one."""

    code = "broker_unavailable"


class ConfigError(WirestreamError):
    """The settings or the command line are wrong; the message says how to fix them."""

    code = "config_error"
