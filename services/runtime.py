"""Per-process state of a worker: the enrichers, built once and shared by every agent."""

from __future__ import annotations

import threading

from wirestream.models import make_enrichers
from wirestream.pipeline import Enrichers
from wirestream.settings import get_settings

_lock = threading.Lock()
_enrichers: Enrichers | None = None


def enrichers() -> Enrichers:
    """The process's enrichers; the first call loads the models (the worker does it before consuming)."""
    global _enrichers
    if _enrichers is None:
        with _lock:
            if _enrichers is None:
                _enrichers = make_enrichers(get_settings())
    return _enrichers


def built() -> Enrichers | None:
    """The enrichers if this process has built them, without building them."""
    return _enrichers


def install(prebuilt: Enrichers) -> None:
    """Use enrichers built elsewhere (tests inject failing ones this way)."""
    global _enrichers
    _enrichers = prebuilt
