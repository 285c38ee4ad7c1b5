"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["Spent", "latencies", "spent", "timed"]

T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[float, T]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


@dataclass(frozen=True)
class Spent:
    """What one call took: wall seconds, and CPU seconds (user + system) of this process and
    of the child processes it waited for meanwhile (a pool's workers). On a shared machine the
    wall time swings with the load; the CPU time much less."""

    wall: float
    cpu: float
    children: float

    def per(self, count: int) -> str:
        """Microseconds each of ``count`` objects: wall, then CPU here and in the workers."""
        each = 1e6 / count
        return (
            f"{self.wall * each:.1f} us/resource (CPU {self.cpu * each:.1f} us here, "
            f"{self.children * each:.1f} in workers)"
        )


def spent(work: Callable[[], T]) -> tuple[Spent, T]:
    """(what it took, result) of one call."""
    before = _cpu()
    start = time.perf_counter()
    result = work()
    wall = time.perf_counter() - start
    after = _cpu()
    return Spent(wall, after[0] - before[0], after[1] - before[1]), result


def _cpu() -> tuple[float, float]:
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def latencies(work: Callable[[T], object], inputs: list[T]) -> list[float]:
    """Seconds of ``work`` on each input, one call at a time."""
    times = []
    for value in inputs:
        start = time.perf_counter()
        work(value)
        times.append(time.perf_counter() - start)
    return times
