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

    With ``kept``, for a block that builds what its caller holds on to (an observation and
    its audit): when the outermost block ends, every object is moved to the oldest
    generation. Left in the youngest, the first pass after the block walks all that it made
    (~0.1 s at 20k objects, to free nothing) and every later young pass walks the survivors
    again; cycles made meanwhile wait for a full pass instead. ``gc.freeze()`` then
    ``gc.unfreeze()`` move them, and each only splices lists (CPython's gcmodule.c,
    ``gc_freeze_impl`` merges every generation into the permanent one, ``gc_unfreeze_impl``
    that into the oldest): nothing stays frozen. Where the process has frozen objects already,
    they stay frozen and the block's objects stay young.

    A class rather than ``contextlib.contextmanager``: a diff of one pair enters it once,
    and the generator's frames cost more than the few calls it makes."""

    __slots__ = ("_collecting", "_kept")

    def __init__(self, *, kept: bool = False) -> None:
        self._kept = kept

    def __enter__(self) -> None:
        self._collecting = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if not self._collecting:
            return
        # Only where nothing is frozen: unfreeze() would also thaw what the process froze on
        # purpose (the server's start-up, a watch's listed state), which a scan in a server's
        # collector thread would otherwise undo.
        if self._kept and not gc.get_freeze_count():
            gc.freeze()
            # A full pass with every object frozen walks nothing; what it does besides is empty
            # the interpreter's free lists (gc_collect_main, "Clear free list only during the
            # collection of the highest generation": CPython's Modules/gcmodule.c at v3.11.7).
            # Their freed tuples, dicts and lists are scattered over the arenas the block grew,
            # and each kept a whole arena resident: 40 MiB after an audit at 50k objects.
            gc.collect()
            gc.unfreeze()
        gc.enable()
