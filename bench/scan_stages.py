"""Where a scan's memory goes: the peak resident set of each stage of ``stateward scan --json``.

``bench_process`` gives the whole process's peak; this says which stage reaches it. The scan
runs in this process on the synthetic estate ``bench_scan`` builds; each stage of
:func:`stateward.api.scan` (read and resolve, audit, record, the deltas) and of the JSON output
is timed, and its peak is read from ``VmHWM`` after the kernel's high-water mark was reset
when the stage began (``echo 5 > /proc/PID/clear_refs``, proc(5), Linux 4.0 and later), along
with the resident set the stage leaves; per object, above the resident set before the scan. File workers are processes of their own: the first
stage's figures are this process's alone.
Run: ``.venv/bin/python -m bench.scan_stages``; the size in ``BENCH_STAGES_OBJECTS``
(default 50000). Linux only.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import stateward.api._scan as scan_module
from bench.bench_scan import _corpus_objects, _write_estate
from stateward import api
from stateward.report.output import json_pieces
from stateward.report.scan import scan_document
from stateward.store.store import Store

SIZE = int(os.environ.get("BENCH_STAGES_OBJECTS", "50000"))
_STATUS = Path("/proc/self/status")


def run() -> list[str]:
    """Measure and return one line a stage."""
    with tempfile.TemporaryDirectory(prefix="stateward-bench-stages-") as tmp:
        estate = Path(tmp, "estate")
        _write_estate(estate, _corpus_objects(), SIZE, changed=set())
        stages: list[tuple[str, int, int, float]] = []
        base = _kib("VmRSS")  # imports and the estate's templates: there before any scan
        scanned = _staged(stages, lambda: api.scan(str(Path(tmp, "store")), [str(estate)],
                                                  estate="bench"))  # fmt: skip
        document = _measured(stages, "JSON document", lambda: scan_document(
            scanned.record, scanned.observation, scanned.deltas, scanned.audit))  # fmt: skip
        _measured(stages, "JSON written", lambda: sum(map(len, json_pieces(document))))
    load = os.getloadavg()[0]
    return [
        f"{SIZE:,} objects, load {load:.1f}: {name:<16} peak {peak / 1024:5.0f} MiB "
        f"({(peak - base) / SIZE:5.2f} KB per object above the {base / 1024:.0f} MiB before), leaves {held / 1024:5.0f} MiB, {spent:6.1f} s"
        for name, peak, held, spent in stages
    ]


def _staged(stages: list[tuple[str, int, int, float]], scan: Callable[[], Any]) -> Any:
    """Run ``scan`` with each of its stages measured as it is called."""
    stage_names = {"observe": "read + resolve", "audited_released": "audit",
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
    stages: list[tuple[str, int, int, float]], label: str, function: Callable[..., Any]
) -> Callable[..., Any]:
    return lambda *args, **kwargs: _measured(stages, label, lambda: function(*args, **kwargs))


def _measured(
    stages: list[tuple[str, int, int, float]], label: str, step: Callable[[], Any]
) -> Any:
    Path("/proc/self/clear_refs").write_text("5")  # the high-water mark restarts here
    started = time.perf_counter()
    result = step()
    spent = time.perf_counter() - started
    stages.append((label, _kib("VmHWM"), _kib("VmRSS"), spent))
    return result


def _kib(field: str) -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"bad math: no {field} in {_STATUS}")


if __name__ == "__main__":
    print("\n".join(run()))
