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

from typing import Any

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


# The consumer's fixes by module, in the order they stack (the first is outermost).
CONSUMER_FIXES: dict[str, type[faust_aiokafka.Consumer]] = {
    "skipped_messages": SkipNothing,
    "rebalance_window": ResumeAfterRebalance,
    "revoke_commits": CommitBeforeRevoke,
    "fetch_wait": FetchWaitConsumer,
}
# Every fix that can be left out of an app (the others are not workarounds of a defect a broker
# shows: a missing setting, an accessor, the worker's output, a table's context).
FIXES = frozenset({*CONSUMER_FIXES, "batch_acks"})


def consumer_with(fixes: frozenset[str]) -> type[faust_aiokafka.Consumer]:
    """Faust's consumer with `fixes` (names of CONSUMER_FIXES) in place; all of them: `Consumer`."""
    if CONSUMER_FIXES.keys() <= fixes:
        return Consumer
    bases = tuple(mixin for name, mixin in CONSUMER_FIXES.items() if name in fixes) or (faust_aiokafka.Consumer,)

    def verified_init(self: Any, *args: Any, **kwargs: Any) -> None:
        super(consumer, self).__init__(*args, **kwargs)
        verify_consumer(self)

    consumer: type[faust_aiokafka.Consumer] = type("Consumer", bases, {"__init__": verified_init})
    return consumer


class App(faust.App):
    """A Faust app whose transport, producer and streams carry the fixes of this package: every one
    by default, or those named in `fixes` (the tests that show a fix is still needed leave one out)."""

    def __init__(self, *args: Any, producer_idempotence: bool = False, fetch_max_wait: float = 1.5,
                 fixes: frozenset[str] = FIXES, **kwargs: Any) -> None:
        unknown = fixes - FIXES
        if unknown:
            raise ValueError(f"no such Faust fix: {', '.join(sorted(unknown))} (known: {', '.join(sorted(FIXES))})")
        self.producer_idempotence = producer_idempotence
        self.fetch_max_wait = fetch_max_wait
        consumer = consumer_with(fixes)
        self._transport_class = type("Transport", (faust_aiokafka.Transport,), {"Consumer": consumer, "Producer": Producer})
        if "batch_acks" in fixes:
            kwargs["Stream"] = Stream
        super().__init__(*args, **kwargs)

    def _new_transport(self) -> Any:
        return self._transport_class(self.conf.broker_consumer, self)

    def _new_producer_transport(self) -> Any:
        return self._transport_class(self.conf.broker_producer, self)

    def on_rebalance_end(self) -> None:
        super().on_rebalance_end()
        if isinstance(self.consumer, ResumeAfterRebalance):
            self.consumer.resume_held_partitions()  # see rebalance_window

__all__ = ["App", "CONSUMER_FIXES", "Consumer", "FIXES", "Stream", "consumer_with"]
