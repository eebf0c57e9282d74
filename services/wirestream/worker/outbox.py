"""Writing a batch's records and knowing that the broker has them.

Consumes records (a topic, a key, a value); produces, for each, either its acknowledgement or
the permanent error that means it can never be written (too large, refused as invalid). A
temporary failure (the broker away, slow, or electing a leader) is retried with back-off until
the record is acknowledged: an agent acks its input only after `deliver` returns, so a record
that was not written is never committed past.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Protocol, Sequence

from aiokafka.errors import (
    CorruptRecordException,
    InvalidTimestampError,
    MessageSizeTooLargeError,
    ProducerClosed,
    RecordListTooLargeError,
    RecordTooLargeError,
)

log = logging.getLogger("wirestream.worker.outbox")

# Errors no retry can mend: the record itself is what the broker or the client refuses.
TOO_LARGE = (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError)
REFUSED = (CorruptRecordException, InvalidTimestampError)
PERMANENT = TOO_LARGE + REFUSED


class Destination(Protocol):
    """A topic to write to: Faust's `Topic.send` returns a future of the broker's acknowledgement."""

    async def send(self, *, key: bytes | None, value: bytes) -> Awaitable[Any]: ...


@dataclass(frozen=True)
class Outgoing:
    destination: Destination
    key: bytes | None
    value: bytes


class Stopping(Exception):
    """The worker is stopping while records wait to be written: their input must not be acked."""


class Outbox:
    """Sends records, waits for their acknowledgements, and retries what failed for a passing reason."""

    def __init__(self, stopping: Callable[[], bool] | None = None, *, first_delay: float = 0.2,
                 max_delay: float = 5.0) -> None:
        self._stopping = stopping or (lambda: False)
        self._first_delay = first_delay
        self._max_delay = max_delay

    def stopping_when(self, stopping: Callable[[], bool]) -> Outbox:
        """Give up waiting (raise `Stopping`) once `stopping()` is true: the worker that owns it stops."""
        self._stopping = stopping
        return self

    async def deliver(self, records: Sequence[Outgoing]) -> list[BaseException | None]:
        """One result per record, in order: None once acknowledged, or the permanent error.

        Raises `Stopping` when the worker stops before every record is acknowledged.
        """
        results: list[BaseException | None] = [None] * len(records)
        pending = list(range(len(records)))
        delay = self._first_delay
        while pending:
            failed = await self._attempt([records[i] for i in pending])
            retry: list[int] = []
            for index, error in zip(pending, failed):
                if error is None:
                    continue
                if isinstance(error, PERMANENT):
                    results[index] = error
                elif isinstance(error, ProducerClosed) or self._stopping():
                    raise Stopping(f"stopping with {len(pending)} records not acknowledged") from error
                else:
                    retry.append(index)
                    last_error = error
            if retry:
                log.warning("%d records not acknowledged (%s); trying again in %.1fs",
                            len(retry), str(last_error) or type(last_error).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._max_delay)
            pending = retry
        return results

    @staticmethod
    async def _attempt(records: Sequence[Outgoing]) -> list[BaseException | None]:
        """Send every record, then wait for every acknowledgement: one round trip for the batch."""
        sent: list[Any] = []
        for record in records:
            try:
                sent.append(await record.destination.send(key=record.key, value=record.value))
            except Exception as exc:  # noqa: BLE001 - sorted by the caller: permanent, or retried
                sent.append(exc)
        errors: list[BaseException | None] = []
        for future in sent:
            if isinstance(future, BaseException):
                errors.append(future)
                continue
            try:
                await future
                errors.append(None)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - each record's own error, sorted by the caller
                errors.append(exc)
        return errors
