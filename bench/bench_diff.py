"""Diff 10,000 desired/live Kubernetes object pairs, side by side with the generic differs.

Pairs come from ../shared/corpus: every Kubernetes object against the live object the stand-in
API server of the tests makes of it (defaults, server fields, Istio injection), one pair in nine
left clean and the others carrying one of the eight seeded drifts of tests/diff/seeds.py
(objects no seed fits, a ConfigMap or a ServiceAccount, stay clean too). Stateward runs its
whole pipeline (normalization of both sides, identity matching, facets) in strict mode on
resources that have not been normalized before. The peers, on the same raw bodies, know no
Kubernetes semantics: ``dictdiffer.diff`` (https://github.com/inveniosoftware/dictdiffer, the
fastest generic differ; its changes are drained from the generator) and
``DeepDiff(ignore_order=True)`` (https://github.com/seperman/deepdiff, the order-ignoring mode
closest to matching list items by identity) and jycm's ``YouchamaJsonDiffer``
(https://github.com/eggachecat/jycm, in its default mode: lists compared in order, which is
its fastest). All four are timed in this run, interleaved in chunks of 500 pairs, best of two
per chunk, so they meet the same machine load.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import dictdiffer  # type: ignore[import-untyped]
from deepdiff import DeepDiff
from jycm.jycm import YouchamaJsonDiffer  # type: ignore[import-untyped]
from tests.diff.corpus import corpus_resources, live_of, seeded_live_of
from tests.diff.seeds import SEEDS

from stateward.diff import diff_resources
from stateward.model.resource import Resource

PAIRS = int(os.environ.get("BENCH_DIFF_PAIRS", "10000"))
CHUNK = 500
Pairs = list[tuple[Resource, Resource]]


def run() -> list[str]:
    pairs, seeded = _pairs(PAIRS)
    drifted = sum(diff_resources([want], [have]).drifted for want, have in _fresh(pairs))
    times = dict.fromkeys(_DIFFERS, 0.0)
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        for name, work in _DIFFERS.items():
            times[name] += _best(work, chunk)
    per_pair = 1e3 / len(pairs)
    ours = times["stateward"]
    return [
        f"{len(pairs)} pairs, {seeded} with a seeded drift; {drifted} reported as drifted (strict)",
        *(f"{name}: {spent * per_pair:.3f} ms/pair" for name, spent in times.items()),
        f"ratio: stateward takes {ours / times['dictdiffer']:.2f}x dictdiffer's time "
        "(target: at most 1x)",
        f"ratio: stateward is {times['deepdiff'] / ours:.1f}x faster than deepdiff",
        f"ratio: stateward is {times['jycm'] / ours:.1f}x faster than jycm",
    ]


def _ours(pairs: Pairs) -> None:
    for desired, live in pairs:
        diff_resources([desired], [live])


def _dictdiffer(pairs: Pairs) -> None:
    for desired, live in pairs:
        for _ in dictdiffer.diff(desired.body, live.body):
            pass


def _deepdiff(pairs: Pairs) -> None:
    for desired, live in pairs:
        DeepDiff(dict(desired.body), dict(live.body), ignore_order=True)


def _jycm(pairs: Pairs) -> None:
    for desired, live in pairs:
        YouchamaJsonDiffer(dict(desired.body), dict(live.body)).diff()


_DIFFERS: dict[str, Callable[[Pairs], None]] = {
    "stateward": _ours,
    "dictdiffer": _dictdiffer,
    "deepdiff": _deepdiff,
    "jycm": _jycm,
}


def _pairs(count: int) -> tuple[Pairs, int]:
    objects = [(file, r) for file, resources in corpus_resources() for r in resources]
    names = list(SEEDS)
    pairs: Pairs = []
    seeded_count = 0
    for n in range(count):
        file, resource = objects[n % len(objects)]
        # One pair in nine stays clean; the others get the first seed, in rotation, that fits.
        tries = [] if n % 9 == 0 else [names[(n + i) % len(names)] for i in range(len(names))]
        seeded = next(filter(None, (seeded_live_of(file, resource, n, s) for s in tries)), None)
        pairs.append((resource, seeded[0] if seeded else live_of(file, resource, n)))
        seeded_count += seeded is not None
    return pairs, seeded_count


def _fresh(pairs: Pairs) -> Pairs:
    """The same objects as new resources: nothing normalized yet (a resource keeps its
    normalization once computed, which would leave it out of the second round)."""
    return [(_renewed(desired), _renewed(live)) for desired, live in pairs]


def _renewed(resource: Resource) -> Resource:
    return Resource(
        resource.key, resource.body, resource.origin, resource.canonical, resource.digest
    )


def _best(work: Callable[[Pairs], None], pairs: Pairs, rounds: int = 2) -> float:
    times = []
    for _ in range(rounds):
        fresh = _fresh(pairs)
        started = time.perf_counter()
        work(fresh)
        times.append(time.perf_counter() - started)
    return min(times)
