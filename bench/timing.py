"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["latencies", "timed"]

T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[float, T]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def latencies(work: Callable[[T], object], inputs: list[T]) -> list[float]:
    """Seconds of ``work`` on each input, one call at a time."""
    times = []
    for value in inputs:
        start = time.perf_counter()
        work(value)
        times.append(time.perf_counter() - start)
    return times
