"""The state audit's cost as the estate grows: 1,000, 10,000 and 100,000 resources.

Estates are built from the shared corpus the way ``bench_scan`` builds its one (1,000 resources
per namespace). Figures per size: the audit's time per resource, as a ratio to parsing the same
files with PyYAML's C loader; then the growth of the per-resource cost from the smallest size to
each larger one (1.00 = linear). ``BENCH_AUDIT_SIZES`` (comma-separated) chooses other sizes, e.g.
``1000,10000,30000`` where 100,000 takes too long on a loaded machine.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.bench_scan import _corpus_objects, _parse_floor, _write_estate
from bench.settings import env_ints
from bench.timing import timed
from stateward.analysis.audit import audit
from stateward.api import observe
from stateward.model.secrets import SecretKeeper

REPEATS = 3
"""Each time is the least of this many runs: on a shared machine the least is the least noisy."""
SIZES = env_ints("BENCH_AUDIT_SIZES", [1000, 10000, 100000])


def _measure(templates: list[dict[str, object]], size: int) -> tuple[int, float, float]:
    """(resources, audit seconds, parse-floor seconds) for one estate size."""
    with tempfile.TemporaryDirectory(prefix="stateward-bench-audit-") as tmp:
        estate = Path(tmp)
        _write_estate(estate, templates, size, changed=set())
        floor = min(timed(lambda: _parse_floor(estate))[0] for _ in range(REPEATS))
        observation = observe([str(estate)], estate="bench", keeper=SecretKeeper(b"b" * 32))
        audited = min(timed(lambda: audit(observation))[0] for _ in range(REPEATS))
    return len(observation.resources), audited, floor


def run() -> list[str]:
    templates = _corpus_objects()
    return growth(SIZES, lambda size: _measure(templates, size), "resources")


def growth(
    sizes: list[int], measure: Callable[[int], tuple[int, float, float]], counted: str
) -> list[str]:
    """One line per size from ``measure(size) -> (count, audit seconds, parse-floor seconds)``:
    the audit's time per counted object, its ratio to the parse floor, and its growth from the
    first size (1.00 = linear)."""
    lines, base = [], 0.0
    for size in sizes:
        n, audited, floor = measure(size)
        per = audited / n
        base = base or per
        lines.append(
            f"{n:>7} {counted}: audit {per * 1e6:.1f} us each = {audited / floor:.2f}x the "
            f"parse floor; cost per object {per / base:.2f}x the {sizes[0]}-object estate's"
        )
    return lines
