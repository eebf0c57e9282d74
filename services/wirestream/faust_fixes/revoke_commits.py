"""Faust 0.15.3 forgets the acked offsets of revoked partitions before anyone commits them
(faust-streaming issue #502), so every rebalance replays up to a commit interval, and a stop
may too. Commit them first: stop the flow, let in-flight events finish, flush the producer.
Upstream: faust-streaming #502 (open, unreleased as of 0.15.3).
"""

from __future__ import annotations

import logging
from typing import Any, Set

from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

from wirestream.faust_fixes.upstream import require

log = logging.getLogger("wirestream.faust_fixes")


class CommitBeforeRevoke(faust_aiokafka.Consumer):
    """Commits acked offsets before partitions are revoked and when the worker stops."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        require(self, "stop_flow", "wait_empty", "commit", "assignment", fix="revoke_commits")
        require(self.app, "flow_control", "producer", fix="revoke_commits")

    async def _drain_and_commit(self, reason: str) -> None:
        app: Any = self.app
        self.stop_flow()
        app.flow_control.suspend()
        app.flow_control.clear()  # buffered but unprocessed events go back to the broker, uncommitted
        await self.wait_empty()  # events already being processed finish and are acked
        await app.producer.flush()  # their output is acknowledged before their offsets are committed
        committed = await self.commit()
        log.info("committed acked offsets before %s (%s)", reason, "done" if committed else "nothing new")

    async def on_partitions_revoked(self, revoked: Set[TP]) -> None:
        if revoked and not self.app.should_stop:
            try:
                await self._drain_and_commit(f"revoking {len(revoked)} partitions")
            except Exception as exc:  # noqa: BLE001 - a failed commit only means replays, as before
                log.warning("could not commit before the rebalance (%s); those messages will be replayed", exc)
        await super().on_partitions_revoked(revoked)

    async def on_stop(self) -> None:
        try:
            if self.assignment():
                await self._drain_and_commit("stopping")
        except Exception as exc:  # noqa: BLE001 - stopping goes on; the records are replayed, as before
            log.warning("could not commit on stop (%s); those messages will be replayed", exc)
        await super().on_stop()
