"""give_back returns the pages a step let go of to the kernel: the resident set shrinks;
keep_freed keeps them for the next step: it faults none in again."""

from __future__ import annotations

import subprocess
import sys
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


_SECOND_STEP = """
import resource, sys
from stateward import heap
if sys.argv[1] == "keep":
    heap.keep_freed(16)
def step():  # ~12 MiB of small objects (pymalloc's), made and then all freed
    made = [bytes(150) + bytes([i % 256]) for i in range(60_000)]
    assert len(made) == 60_000
step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults_of_a_second_step(how: str) -> int:
    """Page faults of the second of two equal steps, in a new interpreter: keep_freed changes
    the allocators of its process for good, and a forked one would start from this process's
    heap, with free pools that depend on every test run before."""
    done = subprocess.run(
        [sys.executable, "-c", _SECOND_STEP, how], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_memory_kept_is_not_faulted_in_again() -> None:
    given_back, kept = _faults_of_a_second_step("free"), _faults_of_a_second_step("keep")
    # ~12 MiB is ~3,000 pages of 4 KiB: faulted in again when the step's arenas were unmapped
    assert given_back > 1_500, f"the step faulted only {given_back} pages in without keep_freed"
    assert kept < given_back // 10, f"{kept} pages faulted in with keep_freed, {given_back} without"
