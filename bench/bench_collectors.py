"""Collectors at scale: 8 collector processes recording the same 5 declared estates (each with
its desired side) into one PostgreSQL store at once, against one process recording as many
observations alone in the same run. Checks what concurrency must not break: each estate's
observations numbered 1..n without gaps or duplicates, one ledger entry per observation, and
the whole ledger verifying.

Needs ``$STATEWARD_TEST_PG`` (a throwaway database is made and dropped).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from tests.store.conftest import fresh_database

from stateward import api

_database = contextmanager(fresh_database)  # a throwaway database, dropped after

COLLECTORS = 8
ESTATES = 5
ROUNDS = 2
ROOT = Path(__file__).resolve().parents[1]
SHOP = ROOT / "examples" / "shop"
_COLLECTOR = """
import sys
from pathlib import Path
from stateward import api
estates = api.declared_estates(Path(sys.argv[2]))
for _ in range(int(sys.argv[3])):
    for estate in estates:
        api.collect_once(sys.argv[1], estate)
"""


def run() -> list[str]:
    url = os.environ.get("STATEWARD_TEST_PG")
    if not url:
        return ["skipped: $STATEWARD_TEST_PG is not set (run make services)"]
    with tempfile.TemporaryDirectory(prefix="bench-collectors-") as scratch:
        os.environ["STATEWARD_KEY_FILE"] = str(Path(scratch, "pg.key"))
        config = _declare(Path(scratch))
        with _database(url) as alone:
            api.collect_once(alone, api.declared_estates(config)[0])  # keys, made once
            one = run_collectors(alone, config, 1, COLLECTORS * ROUNDS)
        with _database(url) as shared:
            api.collect_once(shared, api.declared_estates(config)[0])
            many = run_collectors(shared, config, COLLECTORS, ROUNDS)
            check_sequenced(shared, config)
    scans = COLLECTORS * ROUNDS * ESTATES * 2
    return [
        f"1 collector, {scans} observations of {ESTATES} estates: {scans / one:.1f} obs/s ({one:.1f} s)",
        f"{COLLECTORS} collectors at once, the same {scans}: {scans / many:.1f} obs/s "
        f"({many:.1f} s) = {one / many:.2f} x one collector",
        "each estate numbered 1..n without gaps or duplicates, one entry each; ledger verifies",
    ]


def _declare(folder: Path) -> Path:
    entries = "".join(
        f"  - name: estate{n}\n    sources: [{SHOP / 'live/production.yaml'}]\n"
        f"    desired: {SHOP / 'production'}\n"
        for n in range(ESTATES)
    )
    path = folder / "stateward.yaml"
    path.write_text("estates:\n" + entries)
    return path


def run_collectors(location: str, config: Path, processes: int, rounds: int) -> float:
    """Seconds ``processes`` collector processes take to record every estate of ``config``
    ``rounds`` times, all at once."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    running = [
        subprocess.Popen(
            [sys.executable, "-c", _COLLECTOR, location, str(config), str(rounds)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(processes)
    ]
    for process in running:
        _, err = process.communicate()
        if process.returncode:
            raise AssertionError(f"a collector failed: {err[-2000:]}")
    return time.perf_counter() - started


def check_sequenced(location: str, config: Path) -> int:
    """AssertionError unless every estate of ``config`` is numbered 1..n, each observation has
    an entry of its own, and the ledger verifies; the observations counted.

    Only the set of numbers is checked: a number is given when an observation is recorded,
    while history is ordered by when it was observed, and two collectors of one estate can
    record in the other order than they observed."""
    entries: list[int | None] = []
    for estate in api.declared_estates(config):
        for name in (estate.name, estate.desired_estate or ""):
            seqs = sorted(r.seq for r in api.history(location, name))
            if seqs != list(range(1, len(seqs) + 1)):
                raise AssertionError(f"bad sequencing of {name}: {seqs}")
            entries += [r.entry for r in api.history(location, name)]
    if len(set(entries)) != len(entries):
        raise AssertionError("two observations share a ledger entry")
    report = api.verify(location)
    if not report.ok:
        raise AssertionError(f"the ledger does not verify: {report.problems[:3]}")
    return len(entries)
