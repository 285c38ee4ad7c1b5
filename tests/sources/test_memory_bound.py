"""Peak memory of ``stateward scan`` on hostile input stays under a bound of the input's size.

Each case runs in its own process (so its peak is its own), under an address-space limit that
keeps a regression from taking the machine down, and its peak resident size must stay under
``4 × input + 256 MiB``, the bound the README documents.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

MIB = 1 << 20
SERVICE = "services:\n  web:\n    image: nginx\n"
GUARD = 3 << 30  # address space: a 3 GB blow-up (the old alias bomb) dies instead of swapping


def _alias_bomb(root: Path) -> None:
    (root / "bomb.yaml").write_text(f"a: &a {'x' * MIB}\nb: [{', '.join(['*a'] * 3000)}]\n")


def _interpolation(root: Path) -> None:
    (root / ".env").write_text("BIG=" + "x" * MIB + "\n")
    refs = ", ".join(["*a"] * 3000)
    (root / "compose.yaml").write_text(
        SERVICE + f'    labels: {{l: &a "${{BIG}}"}}\n    command: [{refs}]\n'
    )


def _dev_zero(root: Path) -> None:
    (root / "zero.yaml").symlink_to("/dev/zero")


def _env_file_zero(root: Path) -> None:
    (root / "compose.yaml").write_text(
        SERVICE + "    env_file: /dev/zero\nsecrets:\n  s: {file: /dev/zero}\n"
    )


def _fifo(root: Path) -> None:
    os.mkfifo(root / "pipe.yaml")


def _big_integer(root: Path) -> None:
    (root / "i.yaml").write_text("apiVersion: v1\nkind: List\nitems: " + "9" * 4301 + "\n")


CASES: dict[str, Callable[[Path], None]] = {
    "alias bomb of 1 MiB strings": _alias_bomb,
    "1 MiB .env value interpolated 3000 times": _interpolation,
    "symlink to /dev/zero": _dev_zero,
    "env_file and secrets.file at /dev/zero": _env_file_zero,
    "FIFO in the folder": _fifo,
    "integer of 4,301 digits": _big_integer,
}


# The child reports its own peak as it exits, whatever way it exits. The high-water mark of its
# own address space (``VmHWM``), not ``ru_maxrss``: Linux carries the maximum of the address
# space an ``exec`` replaces into ``ru_maxrss``, so a child forked from a pytest process that has
# grown to 250 MiB over the suite would report the parent's size, not its own.
_RUN = """
import re, sys
from pathlib import Path
from stateward.cli import main
try:
    main()
finally:
    status = Path("/proc/self/status").read_text()
    print("PEAK", re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1), file=sys.stderr)
"""


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GUARD, GUARD))


def _input_size(root: Path) -> int:
    return sum(p.lstat().st_size for p in root.iterdir() if p.is_file() and not p.is_symlink())


@pytest.mark.parametrize("case", CASES)
def test_peak_memory_of_a_scan_is_bounded(tmp_path: Path, case: str) -> None:
    root = tmp_path / "estate"
    root.mkdir()
    CASES[case](root)
    args = [sys.executable, "-c", _RUN, "scan", str(root),
            "--estate", "m", "--store", str(tmp_path / "s.db"), "--allow-outside", "/dev"]  # fmt: skip
    done = subprocess.run(args, capture_output=True, timeout=120, preexec_fn=_limit, check=False)
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr[-2000:]  # one input error per case, no traceback
    assert "Traceback" not in stderr
    peak = int(stderr.rsplit("PEAK ", 1)[1]) * 1024
    bound = 4 * _input_size(root) + 256 * MIB
    print(f"{case}: peak {peak / MIB:.0f} MiB (bound {bound / MIB:.0f} MiB)")
    assert peak < bound
