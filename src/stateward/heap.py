"""Memory a step of a command let go of, given back to the system.

A scan's stages each build and drop tens of megabytes of small objects (views, decoded bodies,
an audit's facts). The allocator keeps the pages they were on: the process's resident set stays
at one stage's high-water mark, and the next stage's peak is added on top of it. glibc's
``malloc_trim`` returns the free pages of its heaps to the kernel (since glibc 2.8, also those
in the middle of a heap: https://man7.org/linux/man-pages/man3/malloc_trim.3.html), so the next
stage starts from what is really held (measured at 50k objects: a scan's peak 442 -> 403 MiB,
~0.03 s a call).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

__all__ = ["give_back", "trimmer"]


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
