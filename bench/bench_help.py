"""Start-up benchmark: ``stateward --help`` and shell completion against ``python -c pass`` (a
bare interpreter).

The ratio is the figure that holds across machines; the absolute time is printed too, against
the target of 0.3 s. Median of 21 runs each, alternating, so load on a shared machine hits both.
Run: ``.venv/bin/python -m bench.bench_help``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.timing import timed

RUNS = 21
TARGET_S = 0.3
STATEWARD = str(Path(sys.executable).parent / "stateward")


def _completion(words: str) -> dict[str, str]:
    """The environment in which bash asks for the completions of ``words`` (click's protocol)."""
    cword = str(len(words.split()) - 1)
    return {**os.environ, "_STATEWARD_COMPLETE": "bash_complete", "COMP_WORDS": words,
            "COMP_CWORD": cword}  # fmt: skip


def _once(command: list[str], env: dict[str, str] | None = None) -> float:
    seconds, done = timed(
        lambda: subprocess.run(command, capture_output=True, check=False, env=env)
    )
    assert done.returncode == 0, done.stderr
    return seconds


def run() -> list[str]:
    """Measure and return human-readable result lines."""
    runs: dict[str, list[float]] = {name: [] for name in _COMMANDS}
    for _ in range(RUNS):
        for name, (command, words) in _COMMANDS.items():
            runs[name].append(_once(command, _completion(words) if words else None))
    median = {name: statistics.median(times) for name, times in runs.items()}
    base = median["python -c pass"]
    lines = [f"{'python -c pass':<30} {base * 1000:7.1f} ms (median of {RUNS})"]
    for name, seconds in list(median.items())[1:]:
        verdict = "within" if seconds <= TARGET_S else "OVER"
        lines.append(f"{name:<30} {seconds * 1000:7.1f} ms = {seconds / base:.1f}x python -c pass "
                     f"({verdict} the {TARGET_S} s target)")  # fmt: skip
    return lines


_COMMANDS: dict[str, tuple[list[str], str]] = {
    "python -c pass": ([sys.executable, "-c", "pass"], ""),
    "stateward --help": ([STATEWARD, "--help"], ""),
    "python -m stateward --help": ([sys.executable, "-m", "stateward", "--help"], ""),
    "complete `stateward s`": ([STATEWARD], "stateward s"),
    "complete `stateward scan --es`": ([STATEWARD], "stateward scan --es"),
    "stateward scan --help": ([STATEWARD, "scan", "--help"], ""),
    "complete `stateward audit --s`": ([STATEWARD], "stateward audit --s"),
    "complete `stateward drift --`": ([STATEWARD], "stateward drift --"),
}
"""Each measured command, and the words whose completion it is asked for (none: run as is)."""


if __name__ == "__main__":
    print("\n".join(run()))
