"""Faust 0.15.3 hard-codes a 1.5 s fetch wait (`fetch_max_wait_ms=1500` in
`AIOKafkaConsumerThread._create_worker_consumer`); the embedded broker answers an idle fetch only
when that wait expires, so every hop would cost up to 1.5 s. This consumer thread uses the app's.
No upstream issue or PR makes it a setting (faust-streaming issues searched 2026-12-03)."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from faust.transport.drivers import aiokafka as faust_aiokafka

from wirestream.faust_fixes.consumer_state import verify_client
from wirestream.faust_fixes.upstream import require


class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    """Faust's consumer thread with the fetch wait the app asks for (`App.fetch_max_wait`)."""

    def _create_consumer(self, loop: asyncio.AbstractEventLoop) -> Any:
        consumer = super()._create_consumer(loop)
        # aiokafka reads it when it starts its fetcher: an attribute of another name would be ignored.
        require(consumer, "_fetch_max_wait_ms", fix="fetch_wait")
        verify_client(consumer)
        consumer._fetch_max_wait_ms = int(cast(Any, self.app).fetch_max_wait * 1000)
        return consumer


class FetchWaitConsumer(faust_aiokafka.Consumer):
    """A consumer whose fetch thread waits as long as the app says."""

    def _new_consumer_thread(self) -> ConsumerThread:
        return ConsumerThread(self, loop=self.loop, beacon=self.beacon)
