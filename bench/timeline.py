"""When each process of a command is busy: a text timeline of its CPU use, one row a process.

``bench_process`` says how long a whole command takes; this says where the cores went, e.g. a
main process idle while its file readers run, then busy alone while a core idles. The command
and its descendants are sampled from /proc (proc(5): ``stat`` fields 14-15, utime and stime in
clock ticks; ``task/*/children``) every ``STEP`` seconds; each column is one step, drawn as the
share of a core the process used in it: `` `` under 2 %, ``.`` under 25 %, ``:`` under 50 %,
``+`` under 75 %, ``#`` above. Linux only.

Run: ``.venv/bin/python -m bench.timeline .venv/bin/stateward audit DIR --json`` (the command's
output is discarded); ``BENCH_TIMELINE_STEP`` sets the step (default 0.25 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

STEP = float(os.environ.get("BENCH_TIMELINE_STEP", "0.25"))
_TICKS = os.sysconf("SC_CLK_TCK")
_SHADES = ((0.02, " "), (0.25, "."), (0.5, ":"), (0.75, "+"))


def main(command: list[str]) -> list[str]:
    """Run ``command`` and return its timeline's lines."""
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    spent: dict[int, list[float]] = {}  # pid -> its CPU seconds at each step, from its first
    first: dict[int, int] = {}
    step = 0
    while child.poll() is None:
        for pid in _tree(child.pid):
            seconds = _cpu(pid)
            if seconds is not None:
                first.setdefault(pid, step)
                spent.setdefault(pid, []).append(seconds)
        step += 1
        time.sleep(STEP)
    wall = time.monotonic() - started
    lines = [f"wall {wall:.2f} s, load {os.getloadavg()[0]:.1f}, one column = {STEP} s"]
    for n, (pid, series) in enumerate(spent.items()):
        shares = (
            (later - earlier) / STEP for earlier, later in zip(series, series[1:], strict=False)
        )
        row = " " * first[pid] + "".join(map(_shade, shares))
        name = "main" if pid == child.pid else f"child {n}"
        lines.append(f"{name:>8} {series[-1]:5.2f} CPU s |{row.ljust(step)}|")
    return lines


def _tree(root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                continue  # the thread or the process ended meanwhile
    return found


def _cpu(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime: fields 14 and 15


def _shade(share: float) -> str:
    return next((mark for below, mark in _SHADES if share < below), "#")


if __name__ == "__main__":
    print("\n".join(main(sys.argv[1:])))
