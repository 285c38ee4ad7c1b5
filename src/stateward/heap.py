"""Memory a step of a command let go of: given back to the system, or kept for the next step.

A scan's stages each build and drop tens of megabytes of small objects (views, decoded bodies,
an audit's facts). The allocator keeps the pages they were on: the process's resident set stays
at one stage's high-water mark, and the next stage's peak is added on top of it. glibc's
``malloc_trim`` returns the free pages of its heaps to the kernel (since glibc 2.8, also those
in the middle of a heap: https://man7.org/linux/man-pages/man3/malloc_trim.3.html), so the next
stage starts from what is really held (measured at 50k objects: a scan's peak 442 -> 403 MiB,
~0.03 s a call).

A process that repeats one step of one size (a ``ledger verify`` worker, block after block)
wants the opposite: :func:`keep_freed` has what it lets go of kept, so each step reuses pages
already mapped instead of faulting in fresh ones that the kernel must zero first.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

__all__ = ["give_back", "keep_freed", "trimmer"]

_M_TRIM_THRESHOLD = -1  # <malloc.h>
_M_MMAP_THRESHOLD = -3
_MAPPED_FROM = 32 << 20
"""The largest mmap threshold glibc takes on 64-bit systems (mallopt(3))."""
_TRIMMED_FROM = 128 << 20
_SMALL = 400
"""Bytes of each object :func:`keep_freed` makes: 433 with the header of a ``bytes``, so 448
in pymalloc's size classes, near the largest it serves (512)."""
_PIN_EVERY = 512
"""One object kept in every 512 made, 224 KiB of them: four or more in each 1 MiB arena (they
are made one after another, into pools one after another)."""
_PINNED: list[bytes] = []


@functools.cache
def trimmer() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None (not Linux, or musl). Looked up on the first call, not at
    import: a command that never frees a stage's memory pays nothing for ctypes."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    trim: Callable[[int], int] | None = getattr(ctypes.CDLL(None), "malloc_trim", None)
    return trim


def give_back() -> None:
    """Return the allocator's free pages to the kernel (glibc); nothing elsewhere."""
    trim = trimmer()
    if trim is not None:
        trim(0)  # pad 0: keep no free space at the top of the heap either


def keep_freed(megabytes: int) -> None:
    """Have this process keep the memory it frees, ready for a step that needs about
    ``megabytes`` of small objects at its peak, step after step. Only for a process that lives
    for one task: its resident set stays at its high-water mark.

    Two allocators return freed memory to the kernel, and a step then faults it in again, a
    page at a time. glibc trims the top of its heap once 128 KiB there is free, and serves a
    block of 128 KiB or more from a mapping of its own, unmapped when freed: here it trims only
    past 128 MiB and maps only blocks over 32 MiB (``M_TRIM_THRESHOLD``, ``M_MMAP_THRESHOLD``,
    https://man7.org/linux/man-pages/man3/mallopt.3.html). CPython unmaps one of its 1 MiB
    arenas of small objects once none of its pools holds one (``insert_to_freepool`` in
    https://github.com/python/cpython/blob/v3.11.7/Objects/obmalloc.c): here ``megabytes`` of
    small objects are made and all but one in 512 dropped, which leaves each arena they filled
    a few objects, so it stays, with its other pools free for objects of any size. Without
    glibc, or with ``PYTHONMALLOC=malloc``, the part for the allocator not in use does nothing
    (the objects kept are then only memory held)."""
    if sys.platform.startswith("linux"):
        import ctypes

        mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
        if mallopt is not None:
            mallopt(_M_TRIM_THRESHOLD, _TRIMMED_FROM)
            mallopt(_M_MMAP_THRESHOLD, _MAPPED_FROM)
    made = [bytes(_SMALL) for _ in range((megabytes << 20) // 448)]  # 448 bytes in a pool
    _PINNED.extend(made[::_PIN_EVERY])
