"""give_back returns the pages a step let go of to the kernel: the resident set shrinks;
keep_freed keeps them for the next step: it faults none in again."""

from __future__ import annotations

import multiprocessing as mp
import resource
from multiprocessing.connection import Connection
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


def _step() -> None:
    """A step of ~12 MiB of small objects (pymalloc's), made and then all freed."""
    made = [bytes(150) + bytes([i % 256]) for i in range(60_000)]
    assert len(made) == 60_000


def _faults_of_a_second_step(keep: bool, sending: Connection) -> None:
    if keep:
        heap.keep_freed(16)
    _step()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    _step()
    sending.send(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)


def _in_a_child(keep: bool) -> int:
    """Page faults of the second of two equal steps, in a forked child (keep_freed changes the
    allocators of the process it runs in for good)."""
    context = mp.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_faults_of_a_second_step, args=(keep, sending))
    child.start()
    faults = int(receiving.recv())
    child.join()
    return faults


def test_memory_kept_is_not_faulted_in_again() -> None:
    given_back, kept = _in_a_child(keep=False), _in_a_child(keep=True)
    # ~12 MiB is ~3,000 pages of 4 KiB: faulted in again when the step's arenas were unmapped
    assert given_back > 1_500, f"the step faulted only {given_back} pages in without keep_freed"
    assert kept < given_back // 10, f"{kept} pages faulted in with keep_freed, {given_back} without"
