"""A Faust table reads its partition (and stream time) from the current event, which Faust 0.15.3
sets while iterating a stream one event at a time but not for the events of a batch.
Upstream: faust-streaming #497 and #300 ("Cannot modify table key from outside of stream
iteration" with `take`); open as of 0.15.3."""

from __future__ import annotations

import weakref
from contextlib import contextmanager
from typing import Any, Iterator

from faust.streams import _current_event
from faust.types import EventT


@contextmanager
def acting_for(event: EventT[Any]) -> Iterator[None]:
    """Make `event` Faust's current event while a table is read or written on its behalf."""
    token = _current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        _current_event.reset(token)
