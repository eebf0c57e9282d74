"""Running a worker: wait for the cluster, create the topics, load the models, then start Faust.

`run_worker` is what `wirestream worker` calls; tests call it too, with enrichers of their own.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import Any

from wirestream import runtime
from wirestream.kafka import ensure_topics, wait_for_broker
from wirestream.logs import configure_logging
from wirestream.pipeline import Enrichers
from wirestream.settings import Settings
from wirestream.topics import topic_catalogue

log = logging.getLogger("wirestream.worker")


async def prepare_cluster(settings: Settings, wait: float | None = None) -> None:
    """Wait for the broker (None = settings.connect_timeout, 0 = forever) and create every topic."""
    await wait_for_broker(settings, timeout=wait)
    created = await ensure_topics(settings, topic_catalogue(settings).all())
    if created:
        log.info("created topics %s with %d partitions", ", ".join(created), settings.partitions)


def run_worker(settings: Settings, enrichers: Enrichers | None = None) -> int:
    """Block until the worker stops; returns its exit status."""
    asyncio.run(prepare_cluster(settings, wait=settings.startup_timeout))
    started = time.monotonic()
    if enrichers is not None:
        runtime.install(enrichers)
    if "enrich" in settings.stage_set:
        runtime.enrichers()  # load the models before joining the group, not while holding partitions
        log.info("models loaded in %.1fs", time.monotonic() - started)
        # The models are hundreds of thousands of long-lived objects: keep the cyclic GC from
        # walking them again on every full collection while articles are processed.
        gc.collect()
        gc.freeze()

    import faust
    from wirestream.app import app

    class Worker(faust.Worker):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.spinner = None  # its terminal escape codes would corrupt log files and JSON lines

        def _setup_logging(self) -> None:
            configure_logging(settings)  # ours, not mode's: the same format (human or JSON) for Faust's lines

    asyncio.set_event_loop(asyncio.new_event_loop())  # asyncio.run() above closed its own
    worker = Worker(app, loglevel=settings.log_level, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()  # exits the process with Faust's status
    return 0
