"""Faust 0.15.3 loses the first messages of a partition with nothing committed, when they arrive
around a rebalance; found by the stories tests (copies published while their worker restarted or
the group rebalanced never came out, 3 times in 9 suite runs).

1. At the end of a rebalance Faust resumes the stream partitions, seeks them back to their
   committed offsets, and only then resumes its flow control, which clears the agents' buffers.
   Messages handed over in between are dropped in-process, the fetch position already past them.
   Stream partitions resumed during a rebalance now stay paused until it has ended: nothing is
   handed over that the clear would drop.
2. Faust clears the agents' buffers when partitions are revoked too, and counts on the seek back
   to the committed offsets to read those messages again. aiokafka's `seek_to_committed` leaves a
   partition with nothing committed where it is, so its first messages were skipped for good (the
   hole `skipped_messages` heals needs a committed offset to be seen). Such a partition is now
   sought to its beginning, as the group's `earliest` reset policy says.
3. A fetch waits with the live set of active partitions, and aiokafka reads an empty set as "every
   partition": when recovery pauses the changelogs while a fetch waits, and no stream partition is
   resumed yet, that fetch returns the stream partitions' records, in the middle of the rebalance.
   The fetch now gets a view of the live set that is never empty to aiokafka.

Upstream: not reported as such (searched 2026-12-03); the clear-on-resume is mode's
`FlowControlEvent.resume`, the order is Faust's `Recovery.on_recovery_completed`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Set
from typing import Any, Iterable, Mapping, cast

from aiokafka import TopicPartition
from aiokafka.errors import IllegalStateError
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

from wirestream.faust_fixes.upstream import require

log = logging.getLogger("wirestream.faust_fixes")


class NeverEmpty(Set[TP]):
    """(3): the live set of active partitions, which aiokafka never takes for "all partitions"."""

    def __init__(self, live: Set[TP]) -> None:
        self._live = live

    def __contains__(self, tp: object) -> bool:
        return tp in self._live

    def __iter__(self) -> Iterator[TP]:
        return iter(self._live)

    def __len__(self) -> int:
        return len(self._live)

    def __bool__(self) -> bool:
        return True


class ResumeAfterRebalance(faust_aiokafka.Consumer):
    """Resumes stream partitions only once a rebalance has ended, re-reads uncommitted ones from
    their beginning, and never lets a fetch take no active partition for all of them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        require(self, "_is_changelog_tp", "_paused_partitions", "_thread", fix="rebalance_window")
        require(self.app, "rebalancing", fix="rebalance_window")
        self._held: set[TP] = set()

    def resume_partitions(self, tps: Iterable[TP]) -> None:
        resumed = set(tps)
        if self.app.rebalancing:
            held = {tp for tp in resumed if not self._is_changelog_tp(tp)}
            self._held |= held
            resumed -= held
        super().resume_partitions(resumed)

    def resume_held_partitions(self) -> None:
        """(1): the app calls this once a rebalance has ended, after the agents' buffers were cleared."""
        held, self._held = self._held & self.assignment(), set()
        if held:
            super().resume_partitions(held)

    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> Any:
        # aiokafka only tests the partitions for truth and membership, which the view answers.
        view = None if active_partitions is None else cast(set[TP], NeverEmpty(active_partitions))
        return await super()._getmany(view, timeout)

    async def seek_to_committed(self) -> Mapping[TP, int]:
        committed = await super().seek_to_committed()
        # (2): from this very answer, not from what Faust last remembered (a rebalance may be midway).
        # aiokafka did not seek on 0 either; both mean "from the beginning".
        uncommitted = [TopicPartition(tp.topic, tp.partition) for tp, offset in committed.items()
                       if not offset and not self._is_changelog_tp(tp)]
        if uncommitted and self.app.conf.consumer_auto_offset_reset == "earliest":
            try:
                await self._thread.seek_to_beginning(*uncommitted)
            except IllegalStateError as exc:  # revoked meanwhile: its next owner seeks it
                log.debug("could not seek %s to the beginning: %s", uncommitted, exc)
        return committed
