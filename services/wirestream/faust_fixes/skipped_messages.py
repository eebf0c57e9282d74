"""Faust 0.15.3 can skip a message in-process and then commit past it; found by the fault tests.

1. When the flow is suspended while a fetched message is being handed to an agent, Faust
   abandons the hand-over but still advances its read offset: the message is skipped
   in-process. We rewind the partition to that message instead.
2. Faust commits past a hole of exactly one offset at the head of the acked list (it tests
   `min(acked) - committed > 1`, but `committed` is already the next offset to read), and it
   takes any jump in offsets for a compaction gap and marks it acked; together they turn a
   skipped message into a lost one. Faust also goes on with a batch fetched before a seek,
   then drops the messages fetched again as already read. We never commit past a hole, never
   take a jump for a gap (our topics are not compacted), and rewind a partition to its hole.
3. A rebalance clears the events buffered for the agents, and Faust seeks the partitions back
   to their committed offsets; when that seek fails half-way (a partition revoked meanwhile),
   a partition whose messages were handed over, never acked and are no longer in flight is
   stranded: nothing later arrives to reveal the hole. We look for such partitions every commit
   interval and rewind them.

Upstream: faust-streaming #606 (a one-message hole at the head of the acked list is committed
past; fix proposed in PR #707, not released), after #312 / PR #313 and its regression #378 (a
jump in offsets taken for a compaction gap). (1) and (3) were found by our fault tests; no
upstream issue describes them (searched 2026-12-03).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, AsyncIterator, Iterable, Mapping, cast

from faust.transport.consumer import CONSUMER_FETCHING
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP
from mode import Service, ServiceT

from wirestream.faust_fixes.consumer_state import coordinator_known
from wirestream.faust_fixes.upstream import require

log = logging.getLogger("wirestream.faust_fixes")


class SkipNothing(faust_aiokafka.Consumer):
    """Never commits past a hole, never takes a jump for a gap, rewinds a partition to its hole."""

    # Rewinds per (partition, offset), so that a hole that cannot heal (records deleted by
    # retention before they were read) is finally accepted instead of rewound forever.
    _MAX_REWINDS = 60  # one a commit interval: about a minute

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        require(self, "_acked", "_committed_offset", "_read_offset", "_unacked_messages", "_n_acked",
                "_commit_every", "suspend_flow", "diag", "flow_active", "consumer_stopped_errors",
                fix="skipped_messages")

    def _new_offset(self, tp: TP) -> int | None:
        # (2): never commit while the next offset to read has not been acked; rewind to it.
        acked = self._acked[tp]
        committed = self._committed_offset[tp]
        if acked and committed is not None and min(acked) > committed:
            rewinds = self.__dict__.setdefault("_rewinds", {})
            tries = rewinds.get((tp, committed), 0)
            if tries < self._MAX_REWINDS:
                rewinds[(tp, committed)] = tries + 1
                log.warning("offset %s of %s:%s was skipped in-process; rewinding to it", committed, tp.topic, tp.partition)
                asyncio.ensure_future(self._rewind(tp, committed))
                return None
            log.warning("offsets %s..%s of %s:%s are not in the log; going on", committed, min(acked) - 1, tp.topic, tp.partition)
            acked.extend(range(committed, min(acked)))
            acked.sort()
        return super()._new_offset(tp)

    @Service.task
    async def _heal_stranded_partitions(self) -> None:  # pragma: no cover - exercised by fault tests
        """(3): rewind a partition whose handed-over messages are neither acked nor in flight.

        Only while connected and settled, and only once the same state was seen three checks in a
        row: a commit that failed while the broker was away looks the same for a moment.
        """
        interval = max(1.0, float(self.app.conf.broker_commit_interval))
        seen: dict[TP, tuple[int, int, int]] = {}  # tp -> (read, committed, checks in a row)
        async for _ in self.itertimer(interval, name="heal_stranded_partitions"):
            if self.app.rebalancing or not self.flow_active or not coordinator_known(self):
                seen.clear()
                continue
            found = stranded(self.assignment(), self._read_offset, self._committed_offset, self._acked,
                             {(m.tp, m.offset) for m in list(self._unacked_messages)})
            seen = {tp: state for tp, state in seen.items() if tp in found}
            for tp in found:
                read, committed = cast(int, self._read_offset[tp]), cast(int, self._committed_offset[tp])
                previous = seen.get(tp)
                checks = previous[2] + 1 if previous is not None and previous[:2] == (read, committed) else 1
                seen[tp] = (read, committed, checks)
                if checks < 3:
                    continue
                del seen[tp]
                log.warning("offsets %s..%s of %s:%s were handed over but never processed; rewinding to them",
                            committed, read, tp.topic, tp.partition)
                await self._rewind(tp, committed)

    async def _add_gap(self, tp: TP, offset_from: int, offset_to: int) -> None:
        # Without transactions our topics have no control records and no compaction, so a jump
        # in offsets is a message skipped in-process, not a gap: leave the hole for (2) to heal.
        if self.app.in_transaction:
            await super()._add_gap(tp, offset_from, offset_to)

    async def _drain_messages(self, fetcher: ServiceT) -> None:  # pragma: no cover - exercised by fault tests
        """Faust's fetch loop, except that a hand-over cut short by a flow suspension rewinds (1)."""
        callback = self.callback
        getmany = self.getmany
        consumer_should_stop = cast(Service, self)._stopped.is_set
        fetcher_should_stop = cast(Service, fetcher)._stopped.is_set
        read_offsets = self._read_offset
        acks_enabled_for = self.app.topics.acks_enabled_for
        commit_every = self._commit_every
        try:
            while not (consumer_should_stop() or fetcher_should_stop()):
                self.diag.set_flag(CONSUMER_FETCHING)
                ait = cast(AsyncIterator[Any], getmany(timeout=1.0))
                await self.sleep(0)
                if self.should_stop:
                    continue
                rewound: set[TP] = set()
                since_yield = 0
                async for tp, message in ait:
                    since_yield += 1
                    if since_yield > 100:
                        await asyncio.sleep(0)
                        since_yield = 0
                    if tp in rewound:
                        continue  # fetched again from the rewound offset once the flow resumes
                    offset = message.offset
                    read_offset = read_offsets.get(tp)
                    if read_offset is not None and offset < read_offset:
                        continue  # already handed over
                    if read_offset and offset - read_offset > 1 and acks_enabled_for(message.topic):
                        await self._add_gap(tp, read_offset + 1, offset)
                    if commit_every is not None and self._n_acked >= commit_every:
                        self._n_acked = 0
                        await self.commit()
                    delivery = asyncio.ensure_future(callback(message))
                    await self.wait_first(delivery, self.suspend_flow.wait())
                    if not delivery.done():
                        delivery.cancel()
                    if delivery.done() and not delivery.cancelled() and delivery.exception() is None:
                        read_offsets[tp] = offset
                    else:
                        rewound.add(tp)
                        await self._rewind(tp, offset)
                self.diag.unset_flag(CONSUMER_FETCHING)
        except self.consumer_stopped_errors:
            if self.transport.app.should_stop:
                return
            raise
        except asyncio.CancelledError:
            if self.transport.app.should_stop:
                return
            raise
        finally:
            self.diag.unset_flag(CONSUMER_FETCHING)

    async def _rewind(self, tp: TP, offset: int) -> None:
        try:
            await self.seek(tp, offset)  # also sets the read offset back to `offset`
        except Exception as exc:  # noqa: BLE001 - revoked meanwhile: its next owner starts at the committed offset
            log.debug("could not rewind %s to %s: %s", tp, offset, exc)


def stranded(assigned: Iterable[TP], read: Mapping[TP, int | None], committed: Mapping[TP, int | None],
             acked: Mapping[TP, list[int]], in_flight: set[tuple[TP, int]]) -> list[TP]:
    """Partitions whose messages from the committed offset up to the last one read were handed over,
    yet none of them is acked or still in flight: they were dropped in-process."""
    found = []
    for tp in assigned:
        last, next_to_commit = read.get(tp), committed.get(tp)
        # Strictly after: a seek leaves the read offset at the committed one, with nothing handed over.
        if last is None or next_to_commit is None or last <= next_to_commit or acked.get(tp):
            continue
        if any(t == tp and next_to_commit <= offset <= last for t, offset in in_flight):
            continue
        found.append(tp)
    return found
