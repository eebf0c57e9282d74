"""The table of enriched ids: the latest revision enriched under each id and when, changelog-backed.

A plain Faust table keyed by article id, whose values (`SeenId` v2) carry their own times: an id
is remembered for `dedupe_retention` seconds after its latest revision was enriched, by the clock
of the worker that enriched it, wherever the table is recovered (a restart, a rebalance). A lookup
compares those times itself, so the window is exact; the sweep only frees what has expired,
writing a tombstone to the changelog, at most once per sweep interval per partition.

Faust's windowed table cannot do this: `relative_to_now()` reads a per-partition "latest
timestamp" that starts at 0 in every process, so every id went into the window of 1970, which
the table's clean-up, comparing with the wall clock, deleted at its next run (two minutes after
start with a 24-hour window). Measured and explained in the README, Guarantees.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import Any, Callable, Protocol, Sequence

import faust
from pydantic import ValidationError

from wirestream.contracts import SeenId
from wirestream.enrich.revisions import ExpiryQueue, Remembered, Revision
from wirestream.faust_fixes.batch_table_context import acting_for
from wirestream.kafka.topics import SEEN_IDS_TABLE
from wirestream.serialization import decode_model, encode_model

log = logging.getLogger("wirestream.worker")

_STEP = 10_000  # records read between two turns of the event loop when rebuilding after a recovery


class SeenIds(Protocol):
    """What the enrich agent asks of the table, on behalf of one event (its partition)."""

    def latest(self, event: Any, article_id: str) -> Revision | None: ...

    def remember(self, event: Any, article_id: str, revision: Revision) -> None: ...

    def sweep(self, events: Sequence[Any]) -> int: ...

    def __len__(self) -> int: ...


def seen_ids_table(app: faust.App, partitions: int) -> Any:
    """The Faust table: keys as JSON strings, values as `SeenId` bytes encoded here (orjson)."""
    return app.Table(SEEN_IDS_TABLE, partitions=partitions, key_type=str, value_type=bytes)


def sweep_interval(retention: float) -> float:
    """How often a partition's expired ids are swept out: a quarter of the window, at most a minute."""
    return min(60.0, retention / 4)


class ExpiringSeenIds:
    """`SeenIds` over a plain changelog-backed table (or, in a test, a dict with `on_recover`)."""

    def __init__(self, table: Any, retention: float, *, clock: Callable[[], float] = time.time,
                 sweep_every: float | None = None) -> None:
        self.table = table
        self._retention = retention
        self._clock = clock
        self._sweep_every = sweep_interval(retention) if sweep_every is None else sweep_every
        self._expiry = ExpiryQueue()
        self._swept_at: dict[int, float] = {}
        self.forgotten = 0  # ids swept out by this process
        table.on_recover(self._recovered)

    def __len__(self) -> int:
        """Ids this worker remembers (expired ones not yet swept included)."""
        return len(self._expiry)

    def latest(self, event: Any, article_id: str) -> Revision | None:
        remembered = self._read(article_id)
        if remembered is None or not remembered.current(self._clock(), self._retention):
            return None
        return remembered.revision

    def remember(self, event: Any, article_id: str, revision: Revision) -> None:
        now = self._clock()
        previous = self._read(article_id)
        kept = previous.after(revision, now, self._retention) if previous else Remembered(revision, now, now)
        partition = int(event.message.partition)
        record = SeenId(content_hash=revision.content_hash, revision=revision.number,
                        previous_content_hash=revision.previous_content_hash, seen=list(revision.seen),
                        enriched_at=_utc(kept.enriched_at), first_enriched_at=_utc(kept.first_enriched_at),
                        partition=partition)
        with acting_for(event):
            # A copy: orjson's bytes keep their ~32 KB write buffer, which a large table cannot afford.
            self.table[article_id] = bytes(memoryview(encode_model(record)))
        self._expiry.add(partition, article_id, kept.enriched_at + self._retention)

    def sweep(self, events: Sequence[Any]) -> int:
        """Forget the expired ids of the partitions `events` came from (a tombstone each), at most
        once per sweep interval per partition. Only partitions this worker is processing are swept,
        so a tombstone never lands in a partition another worker owns."""
        now = self._clock()
        by_partition = {int(event.message.partition): event for event in events}
        forgotten = 0
        for partition, event in by_partition.items():
            if now - self._swept_at.get(partition, float("-inf")) < self._sweep_every:
                continue
            self._swept_at[partition] = now
            with acting_for(event):
                for article_id in self._expiry.due(partition, now):
                    remembered = self._read(article_id)
                    if remembered is not None and remembered.current(now, self._retention):
                        continue  # remembered again since (it is queued again under its new time)
                    self.table.pop(article_id, None)
                    forgotten += 1
        self.forgotten += forgotten
        return forgotten

    def _read(self, article_id: str) -> Remembered | None:
        record = _record(self.table.get(article_id))
        return _remembered(record) if record is not None else None

    async def _recovered(self) -> None:
        """Rebuild the expiry order from what the table holds after a recovery. Records of version 1
        (the windowed table's, keyed by (id, window)) are dropped from memory: read as forgotten."""
        entries: list[tuple[int, str, float]] = []
        dropped: list[Any] = []
        for count, (key, value) in enumerate(list(self.table.items()), 1):
            record = _record(value) if isinstance(key, str) else None
            if record is None:
                dropped.append(key)
            else:
                entries.append((record.partition, key, record.enriched_at.timestamp() + self._retention))
            if count % _STEP == 0:
                await asyncio.sleep(0)
        data = getattr(self.table, "data", self.table)  # the local store: no tombstone for what we never wrote
        for key in dropped:
            data.pop(key, None)
        self._expiry.rebuild(entries)
        self._swept_at.clear()
        if entries or dropped:
            log.info("table of enriched ids recovered: %d ids remembered, %d records of the previous version "
                     "dropped", len(entries), len(dropped))


def _record(value: Any) -> SeenId | None:
    """A table value read back; None for anything but a version 2 record (read as forgotten)."""
    if value is None:
        return None
    try:
        return decode_model(SeenId, value)
    except (ValidationError, ValueError, TypeError):
        return None


def _remembered(record: SeenId) -> Remembered:
    revision = Revision(record.revision, record.content_hash, record.previous_content_hash,
                        tuple(record.seen) or (record.content_hash,))
    return Remembered(revision, record.enriched_at.timestamp(), record.first_enriched_at.timestamp())


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
