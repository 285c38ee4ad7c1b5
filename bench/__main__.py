"""``make bench``: run every ``bench/bench_*.py`` (or those named) and print their figures.

Each module exposes ``run() -> list[str]``; figures are ratios against a baseline measured in the
same run, because absolute times on shared machines mean little. ``python -m bench callgrind
...`` counts instructions instead, under valgrind (see :mod:`bench.callgrind`).
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from pathlib import Path


def main(names: list[str]) -> int:
    here = Path(__file__).resolve().parent
    modules = sorted(p.stem for p in here.glob("bench_*.py"))
    chosen = [m for m in modules if not names or m.removeprefix("bench_") in names or m in names]
    if not chosen:
        print(f"no benchmark named {' '.join(names)}; have: {', '.join(modules)}", file=sys.stderr)
        return 2
    for name in chosen:
        started, load = time.perf_counter(), os.getloadavg()[0]
        print(f"== {name}", flush=True)
        for line in importlib.import_module(f"bench.{name}").run():
            print(f"   {line}", flush=True)
        # the 1-minute load average before and after: how shared the machine was meanwhile
        spent = time.perf_counter() - started
        print(f"   ({spent:.1f} s, load {load:.1f} -> {os.getloadavg()[0]:.1f})", flush=True)
        _left_running(name)
    return 0


def _left_running(name: str) -> None:
    """Say so when a module leaves a thread running: every later module then runs in a process
    of several threads, where Stateward forks no workers (``stateward.workers.can_spread``) and
    its parallel measures (``ledger verify``, the watch's page worker) fall back to one core."""
    others = [t.name for t in threading.enumerate() if t is not threading.current_thread()]
    if others:
        print(
            f"   WARNING: {name} left {len(others)} thread(s) running: {', '.join(others)}; "
            "the modules after it cannot fork workers",
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["callgrind"]:
        from bench import callgrind

        sys.exit(callgrind.main(sys.argv[2:]))
    sys.exit(main(sys.argv[1:]))
