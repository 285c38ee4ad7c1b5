"""Diff 10,000 desired/live Kubernetes object pairs, side by side with the generic differs.

Pairs come from ../shared/corpus: every Kubernetes object against the live object the stand-in
API server of the tests makes of it (defaults, server fields, Istio injection), one pair in nine
left clean and the others carrying one of the eight seeded drifts of tests/diff/seeds.py
(objects no seed fits, a ConfigMap or a ServiceAccount, stay clean too). One live object in
three was server-side applied instead (``server_side_applied`` of the stand-in): its
``managedFields`` hold the applier's ``fieldsV1`` (and a hand edit's, for a seeded drift), so
the defaults the server filled in belong to no manager and the normalization of unowned fields
runs, as on clusters applied that way (Flux, ``kubectl apply --server-side``); the stand-in's
own client-side apply writes ``managedFields`` without ``fieldsV1``. Stateward runs its
whole pipeline (normalization of both sides, identity matching, facets) in strict mode on
resources that have not been normalized before. The peers, on the same raw bodies, know no
Kubernetes semantics: ``dictdiffer.diff`` (https://github.com/inveniosoftware/dictdiffer, the
fastest generic differ; its changes are drained from the generator) and
``DeepDiff(ignore_order=True)`` (https://github.com/seperman/deepdiff, the order-ignoring mode
closest to matching list items by identity) and jycm's ``YouchamaJsonDiffer``
(https://github.com/eggachecat/jycm, in its default mode: lists compared in order, which is
its fastest). All four are timed in this run, interleaved in chunks of 500 pairs, best of two
per chunk, so they meet the same machine load. Stateward is timed twice: one call per pair (the
target's line), and one call per chunk, as ``stateward drift`` compares whole observations
(each pair's objects named apart, so that they pair up). ``python -m bench callgrind diff``
counts the instructions of the same work instead (:mod:`bench.callgrind`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import dictdiffer  # type: ignore[import-untyped]
from deepdiff import DeepDiff
from jycm.jycm import YouchamaJsonDiffer  # type: ignore[import-untyped]
from tests.diff.apiserver import server_side_applied
from tests.diff.corpus import corpus_resources, live_of, seeded_live_of
from tests.diff.seeds import SEEDS

from bench.settings import env_int
from stateward.diff import diff_resources
from stateward.model.resource import Resource

PAIRS = env_int("BENCH_DIFF_PAIRS", 10000)
SERVER_SIDE = 3
"""One live object in this many was server-side applied (its managed fields hold fieldsV1)."""
CHUNK = 500
Pairs = list[tuple[Resource, Resource]]


def run() -> list[str]:
    pairs, seeded = _pairs(PAIRS)
    drifted = sum(diff_resources([want], [have]).drifted for want, have in _fresh(pairs))
    wall, cpu = dict.fromkeys(_DIFFERS, 0.0), dict.fromkeys(_DIFFERS, 0.0)
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        for name, work in _DIFFERS.items():
            spent = _best(work, chunk)
            wall[name] += spent[0]
            cpu[name] += spent[1]
    per_pair = 1e3 / len(pairs)
    return [
        f"{len(pairs)} pairs, {seeded} with a seeded drift, {len(range(1, len(pairs), SERVER_SIDE))}"
        f" server-side applied; {drifted} reported as drifted (strict)",
        *(
            f"{name}: {wall[name] * per_pair:.3f} ms/pair wall, {cpu[name] * per_pair:.3f} CPU"
            for name in _DIFFERS
        ),
        *_ratios("wall", wall),
        *_ratios("CPU", cpu),
    ]


def _ratios(what: str, times: dict[str, float]) -> list[str]:
    ours, peer = times["stateward"], times["dictdiffer"]
    return [
        f"ratio ({what}): stateward takes {ours / peer:.2f}x dictdiffer's time (target: at most "
        f"1x); as one drift per chunk {times['stateward, one drift per chunk'] / peer:.2f}x",
        f"ratio ({what}): stateward is {times['deepdiff'] / ours:.1f}x faster than deepdiff, "
        f"{times['jycm'] / ours:.1f}x faster than jycm",
    ]


def _ours(pairs: Pairs) -> None:
    for desired, live in pairs:
        diff_resources([desired], [live])


def _ours_drift(pairs: Pairs) -> None:
    diff_resources([desired for desired, _ in pairs], [live for _, live in pairs])


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
    "stateward, one drift per chunk": _ours_drift,
    "dictdiffer": _dictdiffer,
    "deepdiff": _deepdiff,
    "jycm": _jycm,
}


def counted(differ: str, count: int) -> Callable[[], None]:
    """``differ``'s work on the first ``count`` pairs, built beforehand (``bench.callgrind``
    counts the instructions of this call alone)."""
    work, fresh = _DIFFERS[differ], _fresh(_pairs(count)[0])
    return lambda: work(fresh)


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
        live = seeded[0] if seeded else live_of(file, resource, n)
        if n % SERVER_SIDE == 1:
            unedited = live_of(file, resource, n).body if seeded else None
            live = server_side_applied(live, dict(resource.body), unedited)
        pairs.append((resource, live))
        seeded_count += seeded is not None
    return pairs, seeded_count


def _fresh(pairs: Pairs) -> Pairs:
    """The same objects as new resources: nothing normalized yet (a resource keeps its
    normalization once computed, which would leave it out of the second round). Each pair's
    two are named apart from the others', so that a chunk pairs up in one drift."""
    return [(_renewed(n, desired), _renewed(n, live)) for n, (desired, live) in enumerate(pairs)]


def _renewed(serial: int, resource: Resource) -> Resource:
    key = dataclasses.replace(resource.key, name=f"{resource.key.name}-{serial}")
    return Resource(key, resource.body, resource.origin, resource.canonical, resource.digest)


def _best(work: Callable[[Pairs], None], pairs: Pairs, rounds: int = 2) -> tuple[float, float]:
    """The least wall and the least CPU time of ``rounds`` runs (CPU time: on a loaded
    machine, wall time also counts the time other processes held the cores)."""
    wall, cpu = [], []
    for _ in range(rounds):
        fresh = _fresh(pairs)
        started, used = time.perf_counter(), time.process_time()
        work(fresh)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return min(wall), min(cpu)
