"""File integrity on a 50,000-file, ~800 MiB machine root (``bench/host_tree.py``), every figure a
ratio to a baseline measured in this run, on a warm page cache (both sides read the same cached
bytes; the first, cold read is not timed):

- full baseline (every file hashed) vs a plain Python read-and-SHA-256 loop (target <= 1.2x);
- check of the unchanged tree (fast path) vs a bare ``lstat`` walk (target <= 1.5x), the
  walk alone, the whole ``observe`` (resources, components) and the whole ``scan`` a user runs
  (the baseline's stamps loaded from a store, observe, audit, record) shown: in this process,
  and as the ``stateward scan`` command beside the same walk run as a process
  (``bench/lstat_walk.py``);
- the same check vs AIDE 0.18's ``--check`` with the same rules (target >= 25x faster);
- the planted-change report vs AIDE's for the same rules: no miss, no extra.

``BENCH_HOST_FILES`` sets the tree size (default 50000, 16 KiB a file).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bench.host_tree import ATTRIBUTES, PATHS, aide, aide_config, build_tree, planted_check
from bench.lstat_walk import lstat_walk
from bench.settings import env_int
from stateward.api import observe, scan
from stateward.model.resource import Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.host import HostOptions, known_directories
from stateward.sources.host.options import FileRule
from stateward.sources.host.walk import walk

FILES = env_int("BENCH_HOST_FILES", 50000)
_BIN = Path(sys.executable).parent
FILE_BYTES = 16 * 1024
KEEPER = SecretKeeper(b"b" * 32)
RULES = tuple(FileRule(p, tuple(ATTRIBUTES)) for p in PATHS)


def run() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="stateward-bench-host-") as tmp:
        root, work = Path(tmp) / "root", Path(tmp) / "aide"
        build_tree(root, files=FILES, file_bytes=FILE_BYTES)
        work.mkdir()
        lines = _measure(root, work)
        (Path(tmp) / "scan").mkdir()
        return [*lines, *_whole_scan(root, Path(tmp) / "scan")]


def _best(*works: Callable[[], object], times: int = 3) -> list[float]:
    """The fastest of ``times`` runs of each, taken in turn (a, b, a, b, …), so a burst of load
    on a shared machine falls on both sides of a ratio, not on one."""
    best = [float("inf")] * len(works)
    for _ in range(times):
        for n, work in enumerate(works):
            start = time.perf_counter()
            work()
            best[n] = min(best[n], time.perf_counter() - start)
    return best


def _request(**extra: object) -> dict[str, object]:
    rules = [{"path": r.path, "attributes": list(r.attributes)} for r in RULES]
    return {"paths": list(PATHS), "rules": rules, **extra}


def _measure(root: Path, work: Path) -> list[str]:
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    _plain_sha256(root)  # warm the page cache: neither side below pays the disk
    plain, full = _best(
        lambda: _plain_sha256(root), lambda: walk(_request(rehash=True), str(root)), times=2
    )
    options = HostOptions(paths=PATHS, rules=RULES)
    baseline = observe([f"host://{root}"], estate="b", keeper=KEEPER, host=options)
    known = known_directories(baseline.resources)
    check_options = HostOptions(paths=PATHS, rules=RULES, known=known)
    bare, fast, whole = _best(
        lambda: _lstat_walk(root),
        lambda: walk(check_options.request(), str(root)),
        lambda: observe([f"host://{root}"], estate="b", keeper=KEEPER, host=check_options),
        times=5,
    )
    config = aide_config(root, work)
    lines = [
        f"tree: {FILES} files, {size / 2**20:.0f} MiB, {len(baseline.resources)} resources",
        f"full baseline / plain read+SHA-256 loop: {full / plain:.2f}x "
        f"({full:.2f} s vs {plain:.2f} s; target <= 1.2x)",
        f"unchanged check (walk) / bare lstat walk: {fast / bare:.2f}x "
        f"({fast:.3f} s vs {bare:.3f} s; target <= 1.5x)",
        f"unchanged check (whole observe) / bare lstat walk: {whole / bare:.2f}x ({whole:.3f} s)",
    ]
    if shutil.which("aide") is None:
        return [*lines, "aide: not installed (make services installs it); AIDE figures skipped"]
    aide(config, "init")
    (aide_check,) = _best(lambda: aide(config, "check"), times=1)
    lines.append(
        f"AIDE --check / unchanged check (walk): {aide_check / fast:.0f}x faster "
        f"({aide_check:.2f} s; target >= 25x); whole observe: {aide_check / whole:.0f}x"
    )
    return [*lines, _planted_vs_aide(root, config, baseline.resources)]


def _whole_scan(root: Path, work: Path) -> list[str]:
    """``stateward scan host://ROOT`` of the unchanged tree after a baseline scan, with the same
    rules in ``stateward.yaml`` as a user gives them: the check a user runs, store included.
    Once as the library call, beside the walk in this process; once as the command a user
    types, a child process, beside the walk as a child process too."""
    rules = [{"path": r.path, "attributes": list(r.attributes)} for r in RULES]
    config = {"host": {"paths": list(PATHS), "rules": rules}}
    (work / "stateward.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    store, source = str(work / "store"), [f"host://{root}"]
    with contextlib.chdir(work):  # the config file is read from the working directory
        scan(store, source, estate="h")
        bare, whole = _best(
            lambda: _lstat_walk(root), lambda: scan(store, source, estate="h"), times=7
        )
    command = [str(_BIN / "stateward"), "scan", *source, "--estate", "h", "--store", store]
    floor = [sys.executable, str(Path(__file__).with_name("lstat_walk.py")), str(root), *PATHS]
    # as installed: pip compiles the bytecode, which PYTHONDONTWRITEBYTECODE (set in some
    # shells) would otherwise have each run compile again (about 0.3 s of stateward's modules)
    _child(command, work, {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    walked, process = _best(lambda: _child(floor, work), lambda: _child(command, work), times=5)
    return [
        f"unchanged check (whole scan command, in process) / bare lstat walk: {whole / bare:.2f}x "
        f"({whole:.3f} s vs {bare:.3f} s; target <= 1.5x)",
        f"unchanged check (stateward scan as a process) / bare lstat walk as a process: "
        f"{process / walked:.2f}x ({process:.3f} s vs {walked:.3f} s; both with interpreter "
        "start, the scan with its imports)",
    ]


def _child(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


def _planted_vs_aide(root: Path, config: Path, before: list[Resource]) -> str:
    planted, ours, theirs = planted_check(root, config, before)
    same = (
        set(ours.added) == theirs.added == planted.added
        and set(ours.removed) == theirs.removed == planted.removed
        and set(ours.changed) == theirs.changed == planted.changed
    )
    verdict = (
        "equal (no miss, no extra)" if same else f"DIFFERENT: ours {ours.lines()}, AIDE {theirs}"
    )
    return f"planted-change report vs AIDE --check: {verdict}"


def _plain_sha256(root: Path) -> int:
    """The baseline: walk, read every regular file in 1 MiB chunks, SHA-256 it."""
    count = 0
    for top in PATHS:
        for folder, _, names in os.walk(f"{root}{top}"):
            for name in names:
                path = os.path.join(folder, name)
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
                sha = hashlib.sha256()
                with open(path, "rb") as fh:
                    while chunk := fh.read(1 << 20):
                        sha.update(chunk)
                count += 1
    return count


def _lstat_walk(root: Path) -> int:
    return lstat_walk(str(root), PATHS)
