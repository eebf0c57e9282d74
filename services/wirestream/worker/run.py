"""Running a worker: wait for the cluster, create the topics, load the models, then start Faust.

`run_worker` is what `wirestream worker` calls, in the process that `spawn_worker` starts; test
workers call it with enrichers or an outbox of their own.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import NoReturn

from wirestream.bootstrap import make_dateline_parser, make_enrichers, make_gazetteer
from wirestream.enrich.pipeline import Enrichers
from wirestream.faust_fixes import FIXES
from wirestream.faust_fixes.upstream import drift
from wirestream.faust_fixes.worker_output import Worker
from wirestream.kafka.admin import prepare_cluster
from wirestream.logs import configure_logging
from wirestream.settings import Settings
from wirestream.worker.app import build_app
from wirestream.worker.outbox import Outbox

log = logging.getLogger("wirestream.worker")


def run_worker(settings: Settings, enrichers: Enrichers | None = None, *, outbox: Outbox | None = None,
               fixes: frozenset[str] = FIXES) -> NoReturn:
    """Run the worker until it stops; Faust then exits the process with its status."""
    for difference in drift():
        log.warning("the Faust fixes may not hold: %s (see wirestream/faust_fixes/upstream.py)", difference)
    settings = asyncio.run(prepare_cluster(settings, wait=settings.startup_timeout))
    log.info("broker: %s; %s", settings.broker_kind, settings.tuning)
    stages = settings.stage_set
    dateline = None
    # Loaded before joining the group, not while holding partitions.
    started = time.monotonic()
    if "enrich" in stages and enrichers is None:
        enrichers = make_enrichers(settings)
        log.info("models loaded in %.1fs", time.monotonic() - started)
    elif "stories" in stages and enrichers is None:  # the stories stage reads datelines, nothing else
        dateline = make_dateline_parser(settings, make_gazetteer(settings))
        log.info("dateline parser loaded in %.1fs", time.monotonic() - started)
    if settings.stories and "enrich" in stages and "stories" not in stages:
        log.info("this worker enriches what the stories stage has passed on: run one worker with "
                 "--stages stories (or a combined worker) beside it")
    if enrichers is not None or dateline is not None:
        # The models are hundreds of thousands of long-lived objects: keep the cyclic GC from
        # walking them again on every full collection while articles are processed.
        gc.collect()
        gc.freeze()
    worker_app = build_app(settings, enrichers, dateline=dateline, outbox=outbox, fixes=fixes)
    asyncio.set_event_loop(asyncio.new_event_loop())  # asyncio.run() above closed its own
    worker = Worker(worker_app.app, loglevel=settings.log_level, quiet=True, redirect_stdouts=False,
                    setup_logging=lambda: configure_logging(settings))
    worker.execute_from_commandline()
