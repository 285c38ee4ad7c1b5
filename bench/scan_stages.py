"""Where a scan's memory goes: the peak resident set of each stage of ``stateward scan --json``.

``bench_process`` gives the whole process's peak; this says which stage reaches it. The scan
runs in this process on the synthetic estate ``bench_scan`` builds; each stage of
:func:`stateward.api.scan` (read, resolve and audit, record, the deltas) and of its output as
``--json`` and as ``-o yaml`` is timed, and its peak is read from ``VmHWM`` after the kernel's high-water mark was reset
when the stage began (``echo 5 > /proc/PID/clear_refs``, proc(5), Linux 4.0 and later), along
with the resident set the stage leaves; per object, above the resident set before the scan. File workers are processes of their own: the first
stage's figures are this process's alone; so are the second's, whose audit runs in a child forked
at this size while this process resolves the components
(:func:`stateward.api._observe.resolved_audited`), its peak under the record step's.
Run: ``.venv/bin/python -m bench.scan_stages``; the size in ``BENCH_STAGES_OBJECTS``
(default 50000). With ``BENCH_STAGES_TRACE=N``, tracemalloc traces the scan too (about three
times slower, and the resident figures then include its traces): each stage's line is followed by
the N allocation sites holding the most when the stage ends, and the most Python held during
the stage (what the resident set is made of, without the allocator's free pages). Each line
also says what the allocators hold when the stage ends: pymalloc's arenas (1 MiB each) and the
bytes in use in them, the rest being free blocks in arenas that some live object keeps
(``sys._debugmallocstats``), and glibc's bytes in use and free (``mallinfo2``, glibc 2.33; the
objects over 512 bytes, the C libraries' buffers). Linux only.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import stateward.api._scan as scan_module
from bench.bench_scan import _corpus_objects, _write_estate
from bench.settings import env_int
from stateward import api
from stateward.report.scan import scan_document
from stateward.report.terminal import json_pieces
from stateward.report.yamled import yaml_pieces
from stateward.store.store import Store

SIZE = env_int("BENCH_STAGES_OBJECTS", 50000)
TRACE = env_int("BENCH_STAGES_TRACE", 0)
_STATUS = Path("/proc/self/status")


def run() -> list[str]:
    """Measure and return one line a stage."""
    with tempfile.TemporaryDirectory(prefix="stateward-bench-stages-") as tmp:
        estate = Path(tmp, "estate")
        _write_estate(estate, _corpus_objects(), SIZE, changed=set())
        stages: list[tuple[str, int, int, float, str]] = []
        traced: list[str] = []
        base = _kib("VmRSS")  # imports and the estate's templates: there before any scan
        if TRACE:
            tracemalloc.start()
            before = tracemalloc.take_snapshot()
            stages = _Traced(before, traced)
        scanned = _staged(stages, lambda: api.scan(str(Path(tmp, "store")), [str(estate)],
                                                  estate="bench"))  # fmt: skip
        parts = (scanned.record, scanned.observation, scanned.deltas, scanned.audit)
        # the document's long lists are made as they are written: one stage makes and writes
        _measured(stages, "JSON written", lambda: sum(map(len, json_pieces(scan_document(*parts)))))
        _measured(stages, "YAML written", lambda: sum(map(len, yaml_pieces(scan_document(*parts)))))
    load = os.getloadavg()[0]
    lines = [
        f"{SIZE:,} objects, load {load:.1f}: {name:<16} peak {peak / 1024:5.0f} MiB "
        f"({(peak - base) / SIZE:5.2f} KB per object above the {base / 1024:.0f} MiB before), leaves {held / 1024:5.0f} MiB, {spent:6.1f} s; {allocators}"
        for name, peak, held, spent, allocators in stages
    ]
    if TRACE:  # each stage's line, then its sites
        sites = len(traced) // len(lines)
        lines = [line for i, head in enumerate(lines)
                 for line in (head, *traced[i * sites : (i + 1) * sites])]  # fmt: skip
    return lines


class _Traced(list[tuple[str, int, int, float, str]]):
    """The stages' figures, each appended with what tracemalloc saw (to ``sites``): the most
    Python held during the stage, and the :data:`TRACE` sites holding the most at its end."""

    def __init__(self, before: tracemalloc.Snapshot, sites: list[str]) -> None:
        super().__init__()
        self.before, self.sites = before, sites

    def append(self, stage: tuple[str, int, int, float, str]) -> None:
        super().append(stage)
        now, peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        self.sites.append(
            f"    traced: {now / 2**20:.0f} MiB at the end, {peak / 2**20:.0f} MiB at most "
            f"({peak / SIZE / 1024:.2f} KB per object)"
        )
        found = tracemalloc.take_snapshot().compare_to(self.before, "lineno")[: TRACE - 1]
        self.sites += [
            f"    {s.size_diff / SIZE / 1024:6.3f} KB per object {s.size_diff / 2**20:6.1f} MiB "
            f"{s.count_diff:9,} blocks  {s.traceback[0].filename.rsplit('/', 2)[-1]}:"
            f"{s.traceback[0].lineno}"
            for s in found
        ] + [""] * (TRACE - 1 - len(found))


def _staged(stages: list[tuple[str, int, int, float, str]], scan: Callable[[], Any]) -> Any:
    """Run ``scan`` with each of its stages measured as it is called."""
    stage_names = {"read": "read", "resolved_audited": "resolve + audit",
                   "component_deltas": "deltas"}  # fmt: skip
    saved = {name: getattr(scan_module, name) for name in stage_names}
    record = Store.record
    for name, label in stage_names.items():
        setattr(scan_module, name, _wrapped(stages, label, saved[name]))
    Store.record = _wrapped(stages, "record", record)  # type: ignore[method-assign]
    try:
        return scan()
    finally:
        for name, function in saved.items():
            setattr(scan_module, name, function)
        Store.record = record  # type: ignore[method-assign]


def _wrapped(
    stages: list[tuple[str, int, int, float, str]], label: str, function: Callable[..., Any]
) -> Callable[..., Any]:
    return lambda *args, **kwargs: _measured(stages, label, lambda: function(*args, **kwargs))


def _measured(
    stages: list[tuple[str, int, int, float, str]], label: str, step: Callable[[], Any]
) -> Any:
    Path("/proc/self/clear_refs").write_text("5")  # the high-water mark restarts here
    started = time.perf_counter()
    result = step()
    spent = time.perf_counter() - started
    stages.append((label, _kib("VmHWM"), _kib("VmRSS"), spent, _allocators()))
    return result


class _Mallinfo2(ctypes.Structure):
    """glibc's ``struct mallinfo2`` (https://man7.org/linux/man-pages/man3/mallinfo.3.html)."""

    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost",
    )]  # fmt: skip


def _allocators() -> str:
    """What pymalloc and glibc hold (MiB): arenas, in use in them, glibc in use and free.
    Not while tracemalloc traces: its hooks stand in front of pymalloc, whose statistics
    ``sys._debugmallocstats`` then leaves out (``_PyObject_DebugMallocStats`` writes them only
    while pymalloc is the allocator, CPython's Objects/obmalloc.c at v3.11.7)."""
    if tracemalloc.is_tracing():
        return "allocators not read while tracemalloc traces"
    arenas, used = _pymalloc()
    mallinfo2 = ctypes.CDLL(None).mallinfo2
    mallinfo2.restype = _Mallinfo2
    glibc = mallinfo2()
    return (
        f"pymalloc {arenas:4} arenas, {used / 2**20:4.0f} in use; "
        f"glibc {(glibc.uordblks + glibc.hblkhd) / 2**20:4.0f} in use, "
        f"{glibc.fordblks / 2**20:4.0f} free"
    )


def _pymalloc() -> tuple[int, int]:
    """pymalloc's arenas and bytes in use, from what ``sys._debugmallocstats`` writes to the
    C library's stderr (read through a file, as it can be longer than a pipe holds)."""
    saved = os.dup(2)
    with tempfile.TemporaryFile() as out:
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode()
    found = {k: int(v.replace(",", "")) for k, v in re.findall(r"# (.+?) += +([\d,]+)", text)}
    return found["arenas allocated current"], found["bytes in allocated blocks"]


def _kib(field: str) -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"bad math: no {field} in {_STATUS}")


if __name__ == "__main__":
    print("\n".join(run()))
