"""Each resource of an observation is normalized once: scanning an estate builds its components
from the normalized bodies, and a drift of that scan against live completes the same
normalization for each pair instead of starting over."""

from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import stateward.normalize as normalize_package
from stateward.analysis.drift import drift
from stateward.api import observe
from stateward.contexts import resolve_components
from stateward.diff import diff_resources, load_rules
from stateward.model.kubernetes import dig
from stateward.model.observation import Observation
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.model.secrets import SecretKeeper
from stateward.normalize import complete, normalize, prepare
from stateward.normalize.interface import NormalizeContext
from stateward.normalize.managed import owned_fields

from .apiserver import admit, inject_istio
from .conftest import FIXTURES, read_resources
from .corpus import CORPUS
from .test_properties import BODIES, KINDS, strictly_equal

ESTATE = CORPUS / "istio-bookinfo"


def _live_of(scan: Observation) -> Observation:
    """The scanned objects as the stand-in API server returns them, the Deployments with an
    Istio sidecar injected and one of them scaled by hand: live drifts from the scan."""
    live = []
    for serial, resource in enumerate(scan.resources):
        body = copy.deepcopy(dict(admit(resource, serial).body))
        if resource.key.kind == "Deployment":
            inject_istio(body)
            if resource.key.name == "reviews-v1":
                body["spec"]["replicas"] = 5
        live.append(Resource.of(resource.key, body, Origin("apiserver", str(resource.key))))
    components, findings = resolve_components(live)
    return Observation("live", datetime.now(UTC), ("apiserver",), live, components, findings)


def _count_runs(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Runs of the pipeline by resource key, from now on: every run starts with the JSON round
    trip, which names the object."""
    runs: Counter[str] = Counter()
    round_trip = normalize_package.round_trip

    def counted(value: Any, location: object, *rewrite: Any) -> Any:
        runs[str(location)] += 1
        return round_trip(value, location, *rewrite)

    monkeypatch.setattr(normalize_package, "round_trip", counted)
    return runs


@pytest.mark.skipif(not ESTATE.is_dir(), reason=f"SHARED CORPUS MISSING at {ESTATE}")
def test_scan_and_drift_normalize_each_resource_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = _count_runs(monkeypatch)
    scan = observe([str(ESTATE)], estate="bookinfo", keeper=SecretKeeper.at(tmp_path / "k"))
    live = _live_of(scan)
    report = drift(scan, live)

    resources = [*scan.resources, *live.resources]
    assert report.drifted and report.result.injected, "a drift with injections was compared"
    assert {c.subject for c in report.result.changes} == {"Deployment.apps/default/reviews-v1"}
    # Once per resource of each observation: the same key on both sides is two resources.
    assert runs == Counter(str(r.key) for r in resources)


@settings(max_examples=200)
@given(st.sampled_from(KINDS), BODIES, BODIES, st.booleans())
def test_prepared_then_completed_is_the_whole_pipeline(
    key: ResourceKey, desired: dict[str, Any], live: dict[str, Any], scaled: bool
) -> None:
    # The own steps once, the pairwise ones per use, give what the pipeline in its order gives.
    # One known difference: a null replica count is dropped as empty before the HPA step, so
    # no note says the HPA owns it (the API server never returns one).
    assume(live["spec"].get("replicas", 0) is not None)
    targets = frozenset({key}) if scaled else frozenset()
    want_ctx, whole_d = (NormalizeContext(key, "desired", targets) for _ in range(2))
    want = complete(prepare(Resource(key, desired, Origin("test", ""))), want_ctx)
    assert strictly_equal(want, normalize(desired, whole_d))
    have_ctx = NormalizeContext(key, "live", targets, counterpart=want)
    whole_l = NormalizeContext(key, "live", targets)
    have = complete(prepare(Resource(key, live, Origin("test", ""))), have_ctx, desired=desired)
    assert strictly_equal(have, normalize(live, whole_l, desired=desired))
    for split, whole in ((want_ctx, whole_d), (have_ctx, whole_l)):
        assert (split.injected, split.explained) == (whole.injected, whole.explained)
        assert sorted(map(str, split.incomplete)) == sorted(map(str, whole.incomplete))


OWNED = sorted(
    case.name
    for case in FIXTURES.iterdir()
    if (case / "expected.json").exists()
    and any(
        owned_fields(dig(r.body, "metadata", "managedFields"))
        for r in read_resources(case / "live.yaml")
    )
)


@pytest.mark.parametrize("name", OWNED)
def test_a_live_object_whose_managed_fields_own_fields_is_normalized_once(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real live objects (kubectl dumps with their managedFields): ownership pruning applies to
    # them, and still each side is normalized once, with the golden fixture's result.
    case = FIXTURES / name
    desired, live = (read_resources(case / f"{side}.yaml") for side in ("desired", "live"))
    rules = load_rules(case / "stateward.yaml") if (case / "stateward.yaml").exists() else ()
    runs = _count_runs(monkeypatch)
    result = diff_resources(desired, live, mode="strict", rules=rules)
    expected = json.loads((case / "expected.json").read_text())["strict"]
    assert sorted((c.op, c.path) for c in result.changes) == sorted(
        (c["op"], c["path"]) for c in expected
    )
    assert runs == Counter(str(r.key) for r in [*desired, *live])


def test_the_fixtures_with_owned_live_fields_are_many() -> None:
    # The case above is not vacuous: most golden fixtures are live objects with owned fields.
    assert {"server-fields", "unowned-fields", "defaults-service"} <= set(OWNED)


@pytest.mark.parametrize("name", OWNED)
def test_with_owned_live_fields_prepared_then_completed_is_the_whole_pipeline(name: str) -> None:
    # Ownership pruning runs per use, after the defaults the resource was prepared with: the
    # result is what the whole pipeline gives the raw live body in its order.
    case = FIXTURES / name
    desired, live = (read_resources(case / f"{side}.yaml") for side in ("desired", "live"))
    targets = normalize_package.hpa_targets([*desired, *live])
    wanted = {r.key: r for r in desired}
    for have in live:
        want = wanted[have.key]
        counterpart = complete(prepare(want), NormalizeContext(have.key, "desired", targets))
        split = NormalizeContext(have.key, "live", targets, counterpart=counterpart)
        whole = NormalizeContext(have.key, "live", targets, counterpart=counterpart)
        once = complete(prepare(have), split, desired=want.body)
        assert strictly_equal(once, normalize(have.body, whole, desired=want.body)), have.key
        assert (split.injected, split.explained) == (whole.injected, whole.explained)
