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

import ctypes
import sys
from collections.abc import Callable

__all__ = ["give_back"]


def _trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    trim: Callable[[int], int] | None = getattr(ctypes.CDLL(None), "malloc_trim", None)
    return trim  # none in musl: nothing to do


_MALLOC_TRIM = _trim()


def give_back() -> None:
    """Return the allocator's free pages to the kernel (glibc); nothing elsewhere."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)  # pad 0: keep no free space at the top of the heap either
