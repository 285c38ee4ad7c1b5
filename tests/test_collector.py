"""collector_paused: the cyclic collector off for a block; with ``kept``, what the block made
is moved to the oldest generation when it ends, nothing left frozen, cycles still collected."""

from __future__ import annotations

import gc
import re
import sys
import weakref
from pathlib import Path

import pytest

from stateward.collector import collector_paused

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _in_generation(objects: list[object], generation: int) -> int:
    held = {id(o) for o in gc.get_objects(generation=generation)}
    return sum(id(o) in held for o in objects)


def test_a_kept_block_leaves_what_it_made_in_the_oldest_generation() -> None:
    with collector_paused(kept=True):
        assert not gc.isenabled()
        made: list[object] = [[i] for i in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert _in_generation(made, 2) == len(made)
    assert _in_generation(made, 0) == 0


def test_a_plain_block_leaves_what_it_made_young() -> None:
    with collector_paused():
        made: list[object] = [[i] for i in range(1000)]
    young = _in_generation(made, 0) + _in_generation(made, 1)
    assert young == len(made)  # gen 0, or gen 1 if a young pass ran since


def test_a_nested_kept_block_waits_for_the_outermost() -> None:
    with collector_paused():
        with collector_paused(kept=True):
            made: list[object] = [[i] for i in range(10)]
        assert not gc.isenabled()  # still inside the outer block
        assert _in_generation(made, 2) == 0
    assert gc.isenabled()


def test_a_cycle_made_in_a_kept_block_is_still_collected() -> None:
    with collector_paused(kept=True):
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
    assert gone() is not None  # a cycle: reference counting alone frees nothing
    gc.collect()
    assert gone() is None


def test_a_kept_block_empties_the_free_lists(capfd: pytest.CaptureFixture[str]) -> None:
    # Freed tuples wait in the interpreter's free lists (up to 2,000 a size) where they were
    # allocated, each keeping its pymalloc arena: the block's own are let go when it ends.
    with collector_paused(kept=True):
        made = [(i, str(i)) for i in range(5000)]
        del made
    sys._debugmallocstats()  # written by the C library to the process's stderr
    waiting = re.search(r"(\d+) free 2-sized PyTupleObjects", capfd.readouterr().err)
    assert waiting is not None
    assert int(waiting.group(1)) < 100  # of the 2,000 the block's 5,000 pairs left waiting


def test_a_kept_block_leaves_what_the_process_froze_frozen() -> None:
    # The server freezes what start-up made; a scan in one of its threads must not thaw it.
    start_up: list[object] = [[i] for i in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused(kept=True):
            made: list[object] = [[i] for i in range(100)]
        # A frozen object may die meanwhile (another test's thread lets one go), so the count
        # may fall; it must not grow (the block froze its own) nor may start-up's thaw.
        assert gc.isenabled() and gc.get_freeze_count() <= frozen
        assert all(_in_generation(start_up, g) == 0 for g in range(3))
        assert _in_generation(made, 2) == 0
    finally:
        gc.unfreeze()


def test_observe_and_audit_run_no_pass_and_leave_what_they_hold_old() -> None:
    """A library caller's observe and audit (at the interpreter's thresholds, not the command
    line's): no pass of the collector walks the objects they hold while they run, and none
    is left young for the first pass after them."""
    from stateward.analysis.audit import audit
    from stateward.api import observe
    from stateward.model.secrets import SecretKeeper

    passes: list[str] = []  # the calls of ours a pass ran in

    def counted(phase: str, info: dict[str, int]) -> None:
        # the pass a kept block ends with walks nothing of theirs (every object frozen; the
        # callback's own few are young): not counted
        young = sum(len(gc.get_objects(generation=g)) for g in range(3))
        walked = phase == "start" and young > 100
        frame = sys._getframe(1)
        while walked and frame is not None:
            if frame.f_code in (observe.__code__, audit.__code__):
                passes.append(frame.f_code.co_name)
            frame = frame.f_back

    thresholds = gc.get_threshold()
    gc.set_threshold(100)  # a pass every 100 allocations, were the collector on
    gc.callbacks.append(counted)
    try:
        observation = observe([str(EXAMPLES)], estate="e", keeper=SecretKeeper(b"k" * 32))
        held = [r.body for r in observation.resources] + list(observation.components)
        assert passes == [] and _in_generation(held, 0) == 0
        report = audit(observation)
        assert passes == [] and _in_generation([*report.findings, *report.components], 0) == 0
    finally:
        gc.callbacks.remove(counted)
        gc.set_threshold(*thresholds)
    assert observation.components and report.findings
