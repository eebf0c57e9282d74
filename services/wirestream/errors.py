"""Exceptions, grouped by what the caller must do with the message.

`RejectMessage` and its subclasses: send the message to `articles.rejected` with `code` as reason.
`RetryLater`: a passing fault (broker, resources); do not reject, try again.
"""

from __future__ import annotations

from wirestream.contracts.rejection import RejectionStage


class WirestreamError(Exception):
    """Root of every error wirestream raises on purpose."""

    code = "wirestream_error"


class RejectMessage(WirestreamError):
    """The message cannot be enriched; it goes to articles.rejected with this code, as rejected by
    `stage`: the class's own (ingest's input errors), or the one named where it is raised."""

    code = "rejected"
    stage: RejectionStage = "enrich"

    def __init__(self, message: str = "", *, stage: RejectionStage | None = None) -> None:
        super().__init__(message)
        if stage is not None:
            self.stage = stage


class InputRejected(RejectMessage):
    """What ingest refuses: the message as it came in is not an article."""

    stage: RejectionStage = "ingest"


class NotUtf8(InputRejected):
    """The value is not valid UTF-8 text."""

    code = "not_utf8"


class TooLarge(InputRejected):
    """The value is larger than the configured maximum article size."""

    code = "too_large"


class InvalidJson(InputRejected):
    """The value starts like a JSON object but does not parse."""

    code = "invalid_json"


class NotAnObject(InputRejected):
    """The value is JSON, but not a JSON object."""

    code = "not_an_object"


class InvalidArticle(InputRejected):
    """The JSON object does not match the RawArticle contract (wrong or missing fields)."""

    code = "invalid_article"


class EmptyText(InputRejected):
    """The article text is empty once whitespace and control characters are removed."""

    code = "empty_text"


class OutputTooLarge(RejectMessage):
    """The output record is larger than a topic can carry, even with its mentions capped, or the broker
    refused it as too large."""

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
