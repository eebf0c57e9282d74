"""Faust 0.15.3's `Stream.take_events` acks every event of a batch in a `finally`, so a batch the
agent never finished (a write failed, the agent crashed, or a stop cancelled it) counts as done
and its offsets are committed. This stream acks a batch only once the agent asks for the next.
Upstream: faust-streaming #315 and robinhood/faust #604 (an event whose processing raised is acked
and skipped after a restart); no fix released as of 0.15.3.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncGenerator, List, Sequence, cast

import faust
from faust.streams import _tracks_buffer_agen
from faust.types import EventT
from mode import Seconds, want_seconds
from mode.utils.aiter import aiter
from mode.utils.futures import notify

from wirestream.faust_fixes.upstream import require


class Stream(faust.Stream):  # type: ignore[type-arg]  # Faust's Stream is generic only in its stubs
    """Faust's stream, whose `take_events` acks a batch only when the agent has finished it."""

    @_tracks_buffer_agen
    async def take_events(self, max_: int, within: Seconds) -> AsyncGenerator[Sequence[EventT[Any]], None]:
        # Faust 0.15.3's take_events, but for the acknowledgement (see `finished`).
        require(self, "enable_acks", "add_processor", "_enable_passive", "_processors", "current_event",
                "wait_for_stopped", "channel", "ack", fix="batch_acks")
        buffer: List[Any] = []
        events: List[EventT[Any]] = []
        buffer_full = asyncio.Event()
        buffer_consumed = asyncio.Event()
        timeout = want_seconds(within) if within else None
        stream_enable_acks: bool = self.enable_acks
        buffer_consuming: asyncio.Future[Any] | None = None
        channel_it = aiter(self.channel)

        async def add_to_buffer(value: Any) -> Any:
            nonlocal buffer_consuming
            try:
                if buffer_consuming is not None:
                    try:
                        await buffer_consuming
                    finally:
                        buffer_consuming = None
                buffer.append(value)
                event = self.current_event
                if event is None:
                    raise RuntimeError("Take buffer found current_event is None")
                events.append(event)
                if len(buffer) >= max_:
                    buffer_full.set()
                    buffer_consumed.clear()
                    await self.wait(buffer_consumed)  # type: ignore[arg-type]  # as upstream: mode types its own Event
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.log.exception("Error adding to take buffer: %r", exc)
                await self.crash(exc)
            return value

        self.enable_acks = False
        self.add_processor(add_to_buffer)
        self._enable_passive(cast(Any, channel_it))
        try:
            while not self.should_stop:
                await self.wait_for_stopped(buffer_full, timeout=timeout)  # type: ignore[arg-type]  # as upstream, too
                if buffer:
                    buffer_consuming = self.loop.create_future()
                    finished = False
                    try:
                        yield list(events)
                        finished = True  # the agent asked for the next batch: this one is done
                    finally:
                        buffer.clear()
                        if finished:
                            for event in events:
                                await self.ack(event)
                        events.clear()
                        notify(buffer_consuming)
                        buffer_full.clear()
                        buffer_consumed.set()
        finally:
            self.enable_acks = stream_enable_acks
            self._processors.remove(add_to_buffer)
