"""Faust 0.15.3 hard-codes a 1.5 s fetch wait; the embedded broker answers an idle fetch only when
that wait expires, so every hop would cost up to 1.5 s. This consumer thread uses the app's."""

from __future__ import annotations

import asyncio
from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka


class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    """Faust's consumer thread with the fetch wait the app asks for (`App.fetch_max_wait`)."""

    def _create_consumer(self, loop: asyncio.AbstractEventLoop) -> Any:
        consumer = super()._create_consumer(loop)
        consumer._fetch_max_wait_ms = int(getattr(self.app, "fetch_max_wait", 1.5) * 1000)
        return consumer


class FetchWaitConsumer(faust_aiokafka.Consumer):
    """A consumer whose fetch thread waits as long as the app says."""

    def _new_consumer_thread(self) -> ConsumerThread:
        return ConsumerThread(self, loop=self.loop, beacon=self.beacon)
