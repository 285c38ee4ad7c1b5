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

``python -m bench callgrind watch [--warm N] [--baseline SRC] [--keep DIR]`` counts
``bench_watch``'s initial list (``BENCH_WATCH_LIST`` objects, default 10,000, from a test API
server in a process of its own, not counted) to its recorded observation in a new store, its
pages digested in the watch's own process, and the floor it is held to (``json.loads`` of the
same objects' JSON, their redaction, then ``observation_of``), each in its own valgrind
process, and prints their ratio. The watch runs in threads, which a ``--toggle-collect``
function on one thread's stack would not see: the child runs with instrumentation off, does
the work ``N`` times untimed (default 1: warm, as a watch's later lists are), then switches
instrumentation on (``callgrind_control -i on``) for one more run and off after it.
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
from functools import partial
from pathlib import Path

_BENCHES = ("diff", "watch")
_TOTALS = re.compile(r"^totals: (\d+)$", re.MULTILINE)
_BASELINE = "stateward (baseline)"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench callgrind", description=__doc__)
    parser.add_argument("bench", choices=_BENCHES)
    parser.add_argument("differs", nargs="*", default=["stateward", "dictdiffer"])
    parser.add_argument("--pairs", type=int, default=600)
    parser.add_argument("--baseline", type=Path, help="another commit's src folder")
    parser.add_argument("--keep", type=Path, help="keep callgrind's output files here")
    parser.add_argument("--warm", type=int, default=1, help="watch: untimed runs first")
    args = parser.parse_args(argv)
    if args.bench == "watch":
        return _watch(args.warm, args.baseline, args.keep)
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
    child = f"from bench.callgrind import child; child({differ!r}, {pairs})"
    return _counted("--toggle-collect=ffi_call", child, out / f"callgrind.out.{slug}", src)


def _counted(option: str, child: str, target: Path, src: Path | None) -> int:
    """Instructions ``valgrind --tool=callgrind option`` counted in ``python -c child`` (with
    ``src`` first on its path), as its output file ``target`` sums them."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    subprocess.run(
        ["valgrind", "--tool=callgrind", option, "--dump-instr=no",
         f"--callgrind-out-file={target}", sys.executable, "-c", child],
        env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # the totals line: the summary line says 0 where instrumentation started off
    found = _TOTALS.search(target.read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit(f"no totals line in {target}")
    return int(found.group(1))


def child(differ: str, pairs: int) -> None:
    """Build the pairs, then run ``differ`` on them inside the one counted ctypes call."""
    import ctypes

    from bench.bench_diff import counted

    work = counted(differ, pairs)
    region: Callable[[], None] = ctypes.CFUNCTYPE(None)(work)
    region()


def _watch(warm: int, baseline: Path | None, keep: Path | None) -> int:
    from bench.bench_watch import LISTED, serving

    sources = [("stateward", None)] + ([(_BASELINE, baseline.resolve())] if baseline else [])
    jobs = [(name, src, job) for name, src in sources for job in ("list", "floor")]
    with tempfile.TemporaryDirectory() as scratch:
        out = keep or Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        with serving(LISTED, LISTED // 10, Path(scratch)) as (_, dump, _pid):
            with ThreadPoolExecutor(max_workers=2) as pool:
                runs = [pool.submit(_count_watch, *job, warm, dump, out) for job in jobs]
                counts = [run.result() for run in runs]
    print(f"== callgrind watch: the initial list of {LISTED} objects and its floor, "
          f"after {warm} untimed run(s) (instructions in the work alone)")  # fmt: skip
    for i, (name, _) in enumerate(sources):
        job, floor = counts[2 * i : 2 * i + 2]
        print(f"   {name}: list {job:,}, floor {floor:,} instructions: {job / floor:.3f}x")
    return 0


def _count_watch(name: str, src: Path | None, job: str, warm: int, dump: Path, out: Path) -> int:
    slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {job}".lower()).strip("-")
    child = f"from bench.callgrind import watch_child; watch_child({job!r}, {warm}, {str(dump)!r})"
    return _counted("--instr-atstart=no", child, out / f"callgrind.out.watch-{slug}", src)


def watch_child(job: str, warm: int, dump: str) -> None:
    """``warm`` untimed runs of ``job`` (the watch's initial list, or its floor), then one with
    callgrind's instrumentation on."""
    import gc

    from bench.bench_watch import floor_work, timed_list

    text = Path(dump).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(warm + 1):
            store = Path(tmp) / f"store-{run}"
            work = floor_work(text) if job == "floor" else partial(timed_list, store)
            gc.collect()
            if job == "floor":
                gc.disable()  # as the watch pauses the collector until its first list is recorded
            if run == warm:
                _instrument("on")
            work()
            if run == warm:
                _instrument("off")
            gc.enable()


def _instrument(state: str) -> None:
    """Callgrind's instrumentation of this process on or off (callgrind_control, the process
    waiting for it: its wait is counted, a few thousand instructions)."""
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
