"""A full disk under an SQLite store: one clear line and exit 3, nothing half-written.

The store lives on a small tmpfs of its own (``mount -t tmpfs -o size=…``, which needs root or
CAP_SYS_ADMIN; the test is skipped loudly where mounting is not permitted). A first scan is
recorded, the disk is filled to a few pages, a scan of a large source must fail cleanly; once
space is freed the store verifies and holds exactly the first observation.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
STATEWARD = str(Path(sys.executable).with_name("stateward"))
DISK = "2m"
LEFT = 64 * 1024
"""Bytes left free: room for SQLite's 32 KiB shared-memory index, not for the large scan."""


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        pytest.skip(f"MOUNT NOT PERMITTED: cannot mount a {DISK} tmpfs: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _stateward(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [STATEWARD, *args], capture_output=True, text=True, check=False, timeout=120
    )


def large_source(directory: Path) -> Path:
    """ConfigMaps of a few MB of plain words: more than is left on a full disk once zlib has
    had its go, and nothing a secret detector would digest to a few bytes (random hex would)."""
    words = [f"w{n:03d}x" for n in range(1000)]
    path = directory / "large.yaml"
    documents = [
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: text-{i}\n  namespace: shop\n"
        f"data:\n  text: {' '.join(random.choice(words) for _ in range(3000))}\n"
        for i in range(100)
    ]
    path.write_text("---\n".join(documents))
    return path


def _fill(mount: Path, leave: int) -> Path:
    filler = mount / "filler"
    stat = os.statvfs(mount)
    free = stat.f_bavail * stat.f_frsize
    filler.write_bytes(b"\0" * max(0, free - leave))
    return filler


def test_a_full_disk_fails_with_one_line_and_leaves_the_store_whole(
    small_disk: Path, tmp_path: Path
) -> None:
    store = str(small_disk / "store")
    first = _stateward("scan", str(SHOP / "production"), "--estate", "shop", "--store", store)
    assert first.returncode == 0, first.stderr
    filler = _fill(small_disk, LEFT)
    failed = _stateward(
        "scan", str(large_source(tmp_path)), "--estate", "shop", "--store", store, "--json"
    )
    assert failed.returncode == 3, failed.stderr
    assert failed.stdout == ""
    assert "Traceback" not in failed.stderr
    errors = failed.stderr.splitlines()  # nothing but the one line
    assert errors == [
        f"Error: {store}/store.db: the disk is full (database or disk is full). Free space "
        "there and run the command again; nothing of this command was recorded."
    ] or errors == [
        f"Error: {store}/store.db: the disk is full (commit failed: database or disk is full). "
        "Free space there and run the command again; nothing of this command was recorded."
    ], failed.stderr
    filler.unlink()
    verified = _stateward("ledger", "verify", "--store", store, "--json")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["entries_by_type"] == {"observation": 1}
    history = _stateward("history", "shop", "--store", store, "--json")
    assert history.returncode == 0, history.stderr
    assert len(json.loads(history.stdout)) == 1
