"""The cyclic garbage collector, held off while a step builds many acyclic objects.

A command holds whole observations in memory: millions of dicts that live until it ends.
Each of the collector's full passes walks them all, so a step that allocates many small
objects beside them (a normalization's copies, an audit's findings) pays for passes that
find nothing to free: garbage without cycles is freed at once by reference counting.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the ``with`` block; cycles made meanwhile are collected
    afterwards. Nested blocks leave it off until the outermost ends."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
