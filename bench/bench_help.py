"""Start-up benchmark: ``stateward --help`` against ``python -c pass`` (a bare interpreter).

The ratio is the figure that holds across machines; the absolute time is printed too, against
the target of 0.3 s. Median of 21 runs each, alternating, so load on a shared machine hits both.
Run: ``.venv/bin/python -m bench.bench_help``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

from bench.timing import timed

RUNS = 21
TARGET_S = 0.3
STATEWARD = str(Path(sys.executable).parent / "stateward")


def _once(command: list[str]) -> float:
    seconds, done = timed(lambda: subprocess.run(command, capture_output=True, check=False))
    assert done.returncode == 0, done.stderr
    return seconds


def run() -> list[str]:
    """Measure and return human-readable result lines."""
    bare, helped, module = [], [], []
    for _ in range(RUNS):
        bare.append(_once([sys.executable, "-c", "pass"]))
        helped.append(_once([STATEWARD, "--help"]))
        module.append(_once([sys.executable, "-m", "stateward", "--help"]))
    base, cli, as_module = (statistics.median(x) for x in (bare, helped, module))
    verdict = "within" if cli <= TARGET_S else "OVER"
    return [
        f"python -c pass         {base * 1000:7.1f} ms (median of {RUNS})",
        f"stateward --help       {cli * 1000:7.1f} ms = {cli / base:.1f}x python -c pass "
        f"({verdict} the {TARGET_S} s target)",
        f"python -m stateward -h {as_module * 1000:7.1f} ms = {as_module / base:.1f}x",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
