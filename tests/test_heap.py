"""give_back returns the pages a step let go of to the kernel: the resident set shrinks."""

from __future__ import annotations

from pathlib import Path

import pytest

from stateward import heap

pytestmark = pytest.mark.skipif(heap.trimmer() is None, reason="no glibc malloc_trim here")


def _resident_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("bad math: no VmRSS in /proc/self/status")


def test_the_pages_let_go_of_are_given_back() -> None:
    # 1 KiB blocks are glibc's (over pymalloc's 512 bytes) and below its mmap threshold, so
    # they sit in its heap; one in 64 kept pins the heap's top, so free() alone trims nothing
    blocks = [bytes(1024) + bytes([i % 256]) for i in range(150_000)]
    kept = blocks[::64]
    del blocks
    before = _resident_kib()
    heap.give_back()
    freed = before - _resident_kib()
    assert freed > 150_000 * 1 // 2, f"only {freed} KiB of ~146 MiB let go of was given back"
    assert len(kept) == 2344
