"""Instructions a benchmark's work executes, counted by valgrind's callgrind: figures that do
not depend on the machine's load (https://valgrind.org/docs/manual/cl-manual.html).

``python -m bench callgrind diff [DIFFER ...] [--pairs N] [--baseline SRC] [--keep DIR]`` runs
each differ of ``bench_diff`` (default: stateward and dictdiffer) on the bench's first N pairs
(default 600) in its own ``valgrind --tool=callgrind`` process, two at a time, and prints the
instructions that work executed and each one's ratio to dictdiffer's. ``--baseline`` adds
stateward run from another commit's ``src`` folder (``git archive main src | tar -x -C DIR``),
``--keep`` keeps callgrind's output files there for ``callgrind_annotate``.

Only the work is counted, not the start-up, the imports or the building of the pairs: the
child calls the work through a ctypes callback, and callgrind collects only while libffi's
``ffi_call`` (which ctypes calls into) is on the stack (``--toggle-collect``). The child runs
with ``PYTHONHASHSEED=0``; two runs of one code on one machine counted within 0.3 % of each
other (dictdiffer 604.1M and 605.8M for 600 pairs): read smaller differences as noise.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_BENCHES = ("diff",)
_SUMMARY = re.compile(r"^summary: (\d+)$", re.MULTILINE)
_BASELINE = "stateward (baseline)"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench callgrind", description=__doc__)
    parser.add_argument("bench", choices=_BENCHES)
    parser.add_argument("differs", nargs="*", default=["stateward", "dictdiffer"])
    parser.add_argument("--pairs", type=int, default=600)
    parser.add_argument("--baseline", type=Path, help="another commit's src folder")
    parser.add_argument("--keep", type=Path, help="keep callgrind's output files here")
    args = parser.parse_args(argv)
    runs = [(name, None) for name in args.differs]
    if args.baseline:
        runs.append((_BASELINE, args.baseline.resolve()))
    with tempfile.TemporaryDirectory() as scratch:
        out = args.keep or Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(max_workers=2) as pool:
            counts = list(pool.map(lambda run: _count(*run, args.pairs, out), runs))
    print(f"== callgrind {args.bench}: {args.pairs} pairs (instructions in the work alone)")
    for (name, _), count in zip(runs, counts, strict=True):
        print(f"   {name}: {count:,} instructions ({count // args.pairs:,} per pair)")
    peer = dict(zip((name for name, _ in runs), counts, strict=True)).get("dictdiffer")
    for (name, _), count in zip(runs, counts, strict=True):
        if peer and name != "dictdiffer":
            print(f"   ratio: {name} executes {count / peer:.3f}x dictdiffer's instructions")
    return 0


def _count(name: str, src: Path | None, pairs: int, out: Path) -> int:
    differ = "stateward" if name == _BASELINE else name
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    target = out / f"callgrind.out.{slug}"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    child = f"from bench.callgrind import child; child({differ!r}, {pairs})"
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--toggle-collect=ffi_call", "--dump-instr=no",
         f"--callgrind-out-file={target}", sys.executable, "-c", child],
        env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    found = _SUMMARY.search(target.read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit(f"no summary line in {target}")
    return int(found.group(1))


def child(differ: str, pairs: int) -> None:
    """Build the pairs, then run ``differ`` on them inside the one counted ctypes call."""
    import ctypes

    from bench.bench_diff import counted

    work = counted(differ, pairs)
    region: Callable[[], None] = ctypes.CFUNCTYPE(None)(work)
    region()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
