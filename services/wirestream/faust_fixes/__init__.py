"""Every use of Faust's and aiokafka's private internals, one module per defect it works around.

- `revoke_commits`: acked offsets forgotten on a rebalance or stop (faust-streaming #502).
- `skipped_messages`: a message skipped in-process, then committed past.
- `rebalance_window`: the first messages of an uncommitted partition dropped around a rebalance.
- `batch_acks`: `take_events` acking a batch the agent never finished.
- `batch_table_context`: tables reading the current event, which batches do not set.
- `fetch_wait`: a fetch wait hard-coded to 1.5 s.
- `idempotent_producer`: no setting for an idempotent producer.
- `consumer_state`: no public accessor for committed offsets and the group coordinator.
- `worker_output`: a terminal spinner and mode's logging set up over ours.

`upstream` pins the versions they were written for and checks, at start-up and in a test, that
the code they replace and the attributes they read are still what they were.

`App` is a Faust app with all of them in place.
"""

from __future__ import annotations

from typing import Any, cast

import faust
from faust.transport.drivers import aiokafka as faust_aiokafka

from wirestream.faust_fixes.batch_acks import Stream
from wirestream.faust_fixes.consumer_state import verify_consumer
from wirestream.faust_fixes.fetch_wait import FetchWaitConsumer
from wirestream.faust_fixes.idempotent_producer import Producer
from wirestream.faust_fixes.rebalance_window import ResumeAfterRebalance
from wirestream.faust_fixes.revoke_commits import CommitBeforeRevoke
from wirestream.faust_fixes.skipped_messages import SkipNothing


class Consumer(SkipNothing, ResumeAfterRebalance, CommitBeforeRevoke, FetchWaitConsumer):
    """Faust's Kafka consumer: commits before hand-overs, never skips a message, hands nothing over
    while a rebalance ends, waits as told."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        verify_consumer(self)  # what /health and /ready read: missing, the worker stops here, saying why


class Transport(faust_aiokafka.Transport):
    Consumer = Consumer
    Producer = Producer


class App(faust.App):
    """A Faust app whose transport, producer and streams carry every fix in this package."""

    def __init__(self, *args: Any, producer_idempotence: bool = False, fetch_max_wait: float = 1.5,
                 **kwargs: Any) -> None:
        self.producer_idempotence = producer_idempotence
        self.fetch_max_wait = fetch_max_wait
        super().__init__(*args, Stream=Stream, **kwargs)

    def _new_transport(self) -> Any:
        return Transport(self.conf.broker_consumer, self)

    def _new_producer_transport(self) -> Any:
        return Transport(self.conf.broker_producer, self)

    def on_rebalance_end(self) -> None:
        super().on_rebalance_end()
        cast(Consumer, self.consumer).resume_held_partitions()  # see rebalance_window


__all__ = ["App", "Consumer", "Stream", "Transport"]
