"""What a user waits for: ``stateward scan`` and ``stateward audit`` as whole processes.

The in-process benchmark (``bench_scan``) leaves out interpreter start, imports, the CLI and the
output. Here each command runs as a child process on a synthetic estate built from the shared
corpus (as ``bench_scan`` builds it), next to the floor a user could not beat with Python: a
child process that only loads the same files with PyYAML's C loader. Floor and commands are
interleaved for ``ROUNDS`` rounds and the medians compared, each line with the machine's load
(the machine may be shared: read the ratios). Each line also gives the CPU seconds the
command spent (user + system, its worker processes included) against the floor's: on a loaded
machine wall times swing by 2x between rounds, CPU time much less. Memory is the child's peak resident set
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``, the largest child so far: measured in a fresh
process per size, largest command last) per object, above the floor's own peak, for ``scan``
with each output (``--json``, the table, ``-o yaml``).
Run: ``.venv/bin/python -m bench process``; sizes in ``BENCH_PROCESS_SIZES`` (default 20000; empty:
memory only), the memory's in ``BENCH_PROCESS_MEMORY`` (default 50000; 0: times only). With
``BENCH_PROCESS_BASELINE`` (the ``src`` folder of another commit, ``git archive main src | tar -x
-C DIR``), each command also runs from that code, interleaved with this one's, in lines marked
``(baseline)``: old and new measured in one run, under the same load (the memory too, each
command's peak beside its baseline's). Both codes run as pip installs them, their bytecode
compiled first: with ``PYTHONDONTWRITEBYTECODE`` set (as in some shells), each command would
otherwise compile every module it imports, on every run (~0.2 CPU s), which no install does.
"""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import stateward
from bench.bench_scan import _corpus_objects, _write_estate
from bench.settings import env_int, env_ints

SIZES = env_ints("BENCH_PROCESS_SIZES", [20000])
MEMORY_SIZE = env_int("BENCH_PROCESS_MEMORY", 50000)
ROUNDS = env_int("BENCH_PROCESS_ROUNDS", 3)
BASELINE = os.environ.get("BENCH_PROCESS_BASELINE", "")
_BIN = Path(sys.executable).parent
_FLOOR = (
    "import sys, pathlib, yaml\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
    "    for _ in yaml.load_all(p.read_text(), Loader=yaml.CSafeLoader): pass\n"
)


def run() -> list[str]:
    """Measure and return human-readable result lines."""
    templates = _corpus_objects()
    for code in (Path(stateward.__file__).parent, *([Path(BASELINE)] if BASELINE else [])):
        compileall.compile_dir(code, quiet=1)  # as pip does on install
    lines = []
    with tempfile.TemporaryDirectory(prefix="stateward-bench-process-") as tmp:
        for size in SIZES:
            estate = Path(tmp, f"estate-{size}")
            _write_estate(estate, templates, size, changed=set())
            lines += _times(estate, Path(tmp, f"store-{size}"), size)
        if MEMORY_SIZE > 0:  # 0: times only (a per-object figure of no objects means nothing)
            estate = Path(tmp, f"estate-{MEMORY_SIZE}")
            if not estate.exists():
                _write_estate(estate, templates, MEMORY_SIZE, changed=set())
            lines += _memory(estate, Path(tmp, "store-memory"), MEMORY_SIZE)
    return lines


def _commands(estate: Path, store: Path) -> dict[str, list[str]]:
    commands = _ours(estate, store)
    if not BASELINE:
        return commands
    baseline = ["env", f"PYTHONPATH={BASELINE}", sys.executable, "-m", "stateward"]
    return commands | {
        f"{name} (baseline)": baseline + argv[1:]
        for name, argv in commands.items()
        if name != "floor"
    }


def _ours(estate: Path, store: Path) -> dict[str, list[str]]:
    stateward = str(_BIN / "stateward")
    return {
        "floor": [sys.executable, "-c", _FLOOR, str(estate)],
        "scan --json": [stateward, "scan", str(estate), "--estate", "bench", "--store",
                        str(store), "--json"],
        "scan": [stateward, "scan", str(estate), "--estate", "bench", "--store", str(store)],
        "scan -o yaml": [stateward, "scan", str(estate), "--estate", "bench", "--store",
                         str(store), "-o", "yaml"],
        "audit --json": [stateward, "audit", str(estate), "--json"],
        "audit": [stateward, "audit", str(estate)],
    }  # fmt: skip


def _times(estate: Path, store: Path, size: int) -> list[str]:
    commands = _commands(estate, store)
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    loads = []
    for round_ in range(ROUNDS):
        order = list(commands) if round_ % 2 == 0 else list(reversed(commands))
        for name in order:  # every scan records into a store of its own, as a first scan
            fresh = [str(store / f"{round_}-{len(times[name])}") if a == str(store) else a
                     for a in commands[name]]  # fmt: skip
            wall, spent = _run(fresh)
            times[name].append(wall)
            cpu[name].append(spent)
        loads.append(os.getloadavg()[0])
    floor, floor_cpu = statistics.median(times["floor"]), statistics.median(cpu["floor"])
    head = f"{size:,} objects, median of {ROUNDS}, load {statistics.median(loads):.1f}:"
    return [
        f"{head} floor (PyYAML CSafeLoader in its own process) {floor:.2f} s, {floor_cpu:.2f} CPU s",
        *(
            f"{head} stateward {name}: {statistics.median(spent):.2f} s = "
            f"{statistics.median(spent) / floor:.2f} x the floor; "
            f"{statistics.median(cpu[name]):.2f} CPU s = "
            f"{statistics.median(cpu[name]) / floor_cpu:.2f} x the floor's"
            for name, spent in times.items()
            if name != "floor"
        ),
    ]


def _memory(estate: Path, store: Path, size: int) -> list[str]:
    """Peak RSS of each command in a process of its own (ru_maxrss is a maximum over children)."""
    lines = []
    commands = _commands(estate, store)
    floor = _peak(commands["floor"])
    names = [n for n in commands if n.startswith("scan")]  # with BASELINE, each then its own
    for name in sorted(names, key=lambda n: (n.removesuffix(" (baseline)"), n)):
        peak = _peak([str(store / name) if a == str(store) else a for a in commands[name]])
        lines.append(
            f"{size:,} objects, load {os.getloadavg()[0]:.1f}: peak RSS of stateward {name} "
            f"{peak / 2**20:,.0f} MiB = {(peak - floor) / size / 1024:.1f} KB per object "
            f"above the floor's {floor / 2**20:,.0f} MiB"
        )
    return lines


def _peak(command: list[str], check: bool = True) -> int:
    """Peak resident bytes of ``command`` alone, measured from a fresh parent process; with
    ``check``, a command failing is an error (a peer exiting 1 on findings is not)."""
    probe = (
        "import resource, subprocess, sys\n"
        f"subprocess.run(sys.argv[1:], check={check}, stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    )
    return int(out.stdout) * 1024  # Linux reports KiB


def _run(command: list[str], check: bool = True) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the child and of the workers it waited
    for) of one run of ``command``; with ``check``, its failing is an error."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, spent


if __name__ == "__main__":
    print("\n".join(run()))
