"""On ../shared/corpus: no false drift after API defaults, every seeded drift found.

Each corpus object is compared with the live object the stand-in API server makes of it
(tests/diff/apiserver.py): zero changes in both modes. Then each seed of tests/diff/seeds.py is
applied to every object it fits; strict mode must report it, under the seed's facet only.
The counts are printed (``pytest -s``) for the issue's closing note.
"""

from __future__ import annotations

from collections import Counter

import pytest

from stateward.diff import diff_resources

from .corpus import corpus_resources, live_of, seeded_live_of
from .seeds import LIVE_ONLY_SEEDS, SEEDS

FILES = list(corpus_resources())


def test_the_corpus_is_there() -> None:
    objects = sum(len(resources) for _, resources in FILES)
    assert len(FILES) >= 20 and objects >= 150, (len(FILES), objects)


@pytest.mark.parametrize("mode", ["strict", "argo"])
def test_no_false_drift_on_the_corpus(mode: str) -> None:
    false_drift: list[str] = []
    injected = objects = 0
    for file, resources in FILES:
        live = [live_of(file, r, n) for n, r in enumerate(resources)]
        result = diff_resources(resources, live, mode=mode)
        objects += len(resources)
        injected += len(result.injected)
        false_drift += [f"{file}: {c.subject} {c.op} {c.path}" for c in result.changes]
        false_drift += [f"{file}: {n.text}" for n in result.incomplete]
    print(
        f"\n{mode}: {objects} objects, {len(false_drift)} false drifts, {injected} injections recognised"
    )
    assert false_drift == []
    assert injected > 0  # the bookinfo workloads were injected and recognised


def test_every_seeded_drift_is_found_with_its_facet() -> None:
    found: Counter[str] = Counter()
    missed: list[str] = []
    argo_saw_live_only: list[str] = []
    for file, resources in FILES:
        for n, resource in enumerate(resources):
            for seed in SEEDS:
                seeded = seeded_live_of(file, resource, n, seed)
                if seeded is None:
                    continue  # the seed does not fit this kind of object
                live, expected = seeded
                strict = diff_resources([resource], [live]).changes
                facets = {c.facet for c in strict}
                if facets != {expected}:
                    missed.append(f"{seed}: {file} {resource.key} -> {sorted(map(str, facets))}")
                    continue
                found[seed] += 1
                argo = diff_resources([resource], [live], mode="argo").changes
                if seed in LIVE_ONLY_SEEDS and argo:
                    argo_saw_live_only.append(f"{seed}: {resource.key}")
    print(f"\nseeded drifts found in strict mode: {dict(found)}; missed: {len(missed)}")
    assert missed == []
    assert set(found) == set(SEEDS)  # every kind of seed met at least one object
    assert argo_saw_live_only == []  # Argo CD's blind spot, reproduced in argo mode
