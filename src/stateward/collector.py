"""The cyclic garbage collector, held off while a step builds many acyclic objects.

A command holds whole observations in memory: millions of dicts that live until it ends.
Each of the collector's full passes walks them all, so a step that allocates many small
objects beside them (a normalization's copies, an audit's findings) pays for passes that
find nothing to free: garbage without cycles is freed at once by reference counting.
"""

from __future__ import annotations

import gc

__all__ = ["collector_paused"]


class collector_paused:  # noqa: N801 -- used as ``with collector_paused():``, like a function
    """The cyclic collector off for the ``with`` block; cycles made meanwhile are collected
    afterwards. Nested blocks leave it off until the outermost ends.

    A class rather than ``contextlib.contextmanager``: a diff of one pair enters it once,
    and the generator's frames cost more than the few calls it makes."""

    __slots__ = ("_collecting",)

    def __enter__(self) -> None:
        self._collecting = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._collecting:
            gc.enable()
