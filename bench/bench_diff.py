"""Diff 10,000 desired/live resource pairs, as a ratio to DeepDiff on the same pairs.

Pairs come from ../shared/corpus: every Kubernetes object against the live object the stand-in
API server of the tests makes of it (defaults, server fields, Istio injection), one pair in nine
left clean and the others carrying one of the eight seeded drifts of tests/diff/seeds.py
(objects no seed fits, a ConfigMap or a ServiceAccount, stay clean too). Stateward runs
its whole pipeline (normalization, identity matching, facets) in strict mode; the baseline is
``DeepDiff(desired, live, ignore_order=True)`` on the same raw bodies, the order-ignoring mode
that comes closest to list matching by identity. Both are timed in this run, interleaved in
chunks of 500 pairs, best of two per chunk.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from deepdiff import DeepDiff
from tests.diff.corpus import corpus_resources, live_of, seeded_live_of
from tests.diff.seeds import SEEDS

from stateward.diff import diff_resources
from stateward.model.resource import Resource

PAIRS = int(os.environ.get("BENCH_DIFF_PAIRS", "10000"))
CHUNK = 500


def run() -> list[str]:
    pairs, seeded = _pairs(PAIRS)
    drifted = sum(diff_resources([want], [have]).drifted for want, have in pairs)
    mine = theirs = 0.0
    # Interleaved in chunks, best of two per chunk, so both sides meet the same machine load.
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        mine += _best(_ours, chunk)
        theirs += _best(_deepdiff, chunk)
    per_pair = 1e3 / len(pairs)
    return [
        f"{len(pairs)} pairs, {seeded} with a seeded drift; {drifted} reported as drifted (strict)",
        f"stateward diff_resources: {mine * per_pair:.3f} ms/pair ({len(pairs) / mine:,.0f} pairs/s)",
        f"deepdiff DeepDiff(ignore_order=True): {theirs * per_pair:.3f} ms/pair",
        f"ratio: stateward is {theirs / mine:.1f}x faster than deepdiff",
    ]


def _ours(pairs: list[tuple[Resource, Resource]]) -> None:
    for desired, live in pairs:
        diff_resources([desired], [live])


def _deepdiff(pairs: list[tuple[Resource, Resource]]) -> None:
    for desired, live in pairs:
        DeepDiff(dict(desired.body), dict(live.body), ignore_order=True)


def _pairs(count: int) -> tuple[list[tuple[Resource, Resource]], int]:
    objects = [(file, r) for file, resources in corpus_resources() for r in resources]
    names = list(SEEDS)
    pairs: list[tuple[Resource, Resource]] = []
    seeded_count = 0
    for n in range(count):
        file, resource = objects[n % len(objects)]
        # One pair in nine stays clean; the others get the first seed, in rotation, that fits.
        tries = [] if n % 9 == 0 else [names[(n + i) % len(names)] for i in range(len(names))]
        seeded = next(filter(None, (seeded_live_of(file, resource, n, s) for s in tries)), None)
        pairs.append((resource, seeded[0] if seeded else live_of(file, resource, n)))
        seeded_count += seeded is not None
    return pairs, seeded_count


def _best(
    work: Callable[[list[tuple[Resource, Resource]]], None],
    pairs: list[tuple[Resource, Resource]],
    rounds: int = 2,
) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work(pairs)
        times.append(time.perf_counter() - started)
    return min(times)
