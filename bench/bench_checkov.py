"""``stateward audit`` beside checkov's Kubernetes framework, as whole processes on the same files.

checkov is the peer a user would run over manifests instead of the audit (a different question —
misconfiguration policies, not state — over the same input, so the comparison is of cost, not of
findings). It runs from a virtualenv of its own, made here on first use with pip (its pins clash
with ours): ``.bench-peers/checkov-<CHECKOV>``. Each estate is given to both as a folder,
``checkov -d DIR --framework kubernetes -o json --quiet`` and ``stateward audit DIR --json``,
interleaved for ``ROUNDS`` rounds; the lines give the medians of wall and CPU seconds (workers
included) and each one's peak resident set, with checkov's cost as a multiple of ours. Estates:
the shared corpora that hold Kubernetes manifests, then estates of ``BENCH_CHECKOV_SIZES``
objects (default 1000,5000) built from them as ``bench_scan`` builds its tree, to show how each
grows. Run: ``.venv/bin/python -m bench checkov``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bench_process import _peak, _run
from bench.bench_scan import _corpus_objects, _write_estate
from bench.settings import env_int, env_ints

CHECKOV = "3.3.30"
ROUNDS = env_int("BENCH_CHECKOV_ROUNDS", 3)
SIZES = env_ints("BENCH_CHECKOV_SIZES", [1000, 5000])
CORPORA = ("kubernetes-examples", "gcp-online-boutique", "istio-bookinfo", "otel-demo")
_ROOT = Path(__file__).resolve().parents[1]
_SHARED = _ROOT.parent / "shared" / "corpus"
_BIN = Path(sys.executable).parent


def run() -> list[str]:
    """Measure and return human-readable result lines."""
    checkov = _installed()
    lines = [f"checkov {CHECKOV} in {checkov.parents[1]}"]
    corpora = [name for name in CORPORA if (_SHARED / name).is_dir()]
    lines += [_line(name, _SHARED / name, checkov) for name in corpora]
    templates = _corpus_objects()
    with tempfile.TemporaryDirectory(prefix="stateward-bench-checkov-") as tmp:
        for size in SIZES:
            estate = Path(tmp, f"estate-{size}")
            _write_estate(estate, templates, size, changed=set())
            lines.append(_line(f"{size:,} objects", estate, checkov))
    return lines


def _installed() -> Path:
    """checkov's command, from its own virtualenv (made now if missing)."""
    venv = _ROOT / ".bench-peers" / f"checkov-{CHECKOV}"
    command = venv / "bin" / "checkov"
    if not command.exists():
        print(f"   (installing checkov {CHECKOV} into {venv})", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "pip"), "install", "-q", f"checkov=={CHECKOV}"]
        subprocess.run(pip, check=True)
    return command


def _line(name: str, estate: Path, checkov: Path) -> str:
    ours = [str(_BIN / "stateward"), "audit", str(estate), "--json"]
    theirs = [str(checkov), "-d", str(estate), "--framework", "kubernetes", "-o", "json", "--quiet"]
    runs: dict[str, list[tuple[float, float]]] = {"ours": [], "theirs": []}
    for _ in range(ROUNDS):  # interleaved: both see the same load
        runs["ours"].append(_run(ours, check=False))
        runs["theirs"].append(_run(theirs, check=False))
    wall = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
    peak = {"ours": _peak(ours, check=False), "theirs": _peak(theirs, check=False)}
    return (
        f"{name}, median of {ROUNDS}, load {os.getloadavg()[0]:.1f}: stateward audit "
        f"{wall['ours']:.2f} s, {cpu['ours']:.2f} CPU s, {peak['ours'] >> 20} MiB; checkov "
        f"{wall['theirs']:.2f} s, {cpu['theirs']:.2f} CPU s, {peak['theirs'] >> 20} MiB: checkov "
        f"takes {wall['theirs'] / wall['ours']:.1f}x our time ({cpu['theirs'] / cpu['ours']:.1f}x "
        f"our CPU) and {peak['theirs'] / peak['ours']:.1f}x our memory"
    )


if __name__ == "__main__":
    print("\n".join(run()))
