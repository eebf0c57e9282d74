"""Is every agent of this worker alive and making progress? What /health and /ready report.

An agent that died, or that holds partitions with records waiting and has made no progress for
`stall_timeout` seconds, makes the worker unhealthy, so that a supervisor (Docker, Kubernetes)
restarts it: its uncommitted input is then read again by a healthy worker. Nothing here talks
to the network; the worker passes in how many records wait on each agent's partitions.
"""

from __future__ import annotations

import logging
import time
from typing import Callable, Mapping

log = logging.getLogger("wirestream.worker.run")


class Watchdog:
    def __init__(self, stall_timeout: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._stall_timeout = stall_timeout
        self._clock = clock
        self._started = clock()
        self._progress: dict[str, float] = {}
        self._deaths: dict[str, str] = {}
        self._reported: tuple[str, ...] = ()

    def progress(self, agent: str) -> None:
        """The agent took a batch off its topic, or finished one."""
        self._progress[agent] = self._clock()

    def died(self, agent: str, error: BaseException) -> None:
        self._deaths[agent] = f"{type(error).__name__}: {error}"
        log.critical("agent %s died (%s); this worker is no longer healthy", agent, self._deaths[agent])

    def problems(self, waiting: Mapping[str, int]) -> list[str]:
        """Why the worker is unhealthy (empty when it is not); `waiting` = records waiting per agent."""
        found = [f"agent {agent} died: {reason}" for agent, reason in sorted(self._deaths.items())]
        now = self._clock()
        for agent, records in sorted(waiting.items()):
            idle = now - self._progress.get(agent, self._started)
            if records > 0 and idle > self._stall_timeout:
                found.append(f"agent {agent} has made no progress for {idle:.0f}s with {records} records waiting")
        if tuple(found) != self._reported:
            self._reported = tuple(found)
            for problem in found:
                log.error("unhealthy: %s", problem)
        return found
