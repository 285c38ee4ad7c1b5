"""The pairwise steps that say they are tidy leave no empty value in a body that held none, so
:func:`stateward.normalize.complete` runs no pass of the empty values after them: checked on
generated bodies, desired objects, managed fields and HPA targets."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.model.resource import ResourceKey
from stateward.normalize import PAIRWISE_STEPS
from stateward.normalize.empties import drop_empties
from stateward.normalize.interface import NormalizeContext

from .test_properties import strictly_equal

TIDY = sorted(
    {step for steps in PAIRWISE_STEPS.values() for step in steps if getattr(step, "tidy", False)},
    key=lambda step: type(step).__name__,
)
# Fields the tidy steps act on (populated metadata, annotations and labels, Service and Pod
# fields, node ports, replicas, an aggregated role's rules, a ServiceAccount's secrets) and
# plain ones around them.
LEAVES = st.none() | st.integers(0, 3) | st.sampled_from(["a", ""])
TREES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(st.sampled_from(["x", "y", "emptyDir"]), inner, max_size=3)
    ),
    max_leaves=8,
)
NAMED = st.dictionaries(
    st.sampled_from(["a", "pod-template-hash", "pv.kubernetes.io/bind-completed"]),
    LEAVES,
    max_size=2,
)
METADATA = st.fixed_dictionaries({}, optional={
    "annotations": NAMED, "labels": NAMED, "finalizers": TREES, "ownerReferences": TREES,
    "generateName": LEAVES, "x": TREES,
})  # fmt: skip
PORTS = st.lists(
    st.fixed_dictionaries({}, optional={"port": st.integers(1, 2), "nodePort": LEAVES}),
    max_size=2,
)
SPEC = st.fixed_dictionaries({}, optional={
    "clusterIP": LEAVES, "nodeName": LEAVES, "replicas": LEAVES, "ports": PORTS, "x": TREES,
    "y": TREES,
})  # fmt: skip
OBJECTS = st.fixed_dictionaries({}, optional={
    "metadata": METADATA, "spec": SPEC, "secrets": TREES, "rules": TREES,
    "aggregationRule": TREES, "x": TREES,
})  # fmt: skip


def _owning(tree: Any, keep: int) -> Any:
    """fieldsV1 owning the fields of ``tree`` but every ``keep``-th of each map."""
    if type(tree) is not dict:
        return {}
    return {f"f:{k}": _owning(v, keep) for i, (k, v) in enumerate(tree.items()) if i % keep}


def _fewer(tree: Any, keep: int) -> Any:
    """``tree`` less every ``keep``-th field of each map: desired, live holding more."""
    if type(tree) is not dict:
        return tree
    return {k: _fewer(v, keep) for i, (k, v) in enumerate(tree.items()) if (i + 1) % keep}


KINDS = {
    "PopulatedFields": [ResourceKey("", "Service", "default", "s"), ResourceKey("", "Pod", "d", "p"),
                        ResourceKey("", "ServiceAccount", "default", "a")],
    "UnownedFields": [ResourceKey("apps", "Deployment", "default", "d"),
                      ResourceKey("example.com", "Widget", "default", "w")],
    "HpaReplicas": [ResourceKey("apps", "Deployment", "default", "d")],
    "AggregatedRules": [ResourceKey("rbac.authorization.k8s.io", "ClusterRole", "", "r")],
}  # fmt: skip


def test_the_tidy_steps_are_those_that_run_on_most_live_objects() -> None:
    # Not vacuous: the steps below are the ones that apply to most pairs of a drift.
    assert {type(step).__name__ for step in TIDY} == set(KINDS)


@settings(max_examples=300)
@given(st.data(), OBJECTS, OBJECTS, OBJECTS, st.integers(2, 4), st.booleans())
@pytest.mark.parametrize("step", TIDY, ids=lambda step: type(step).__name__)
def test_a_tidy_step_leaves_no_empty_value_in_a_body_that_held_none(
    step: Any,
    data: st.DataObject,
    body: dict[str, Any],
    desired: dict[str, Any],
    counterpart: dict[str, Any],
    keep: int,
    nested: bool,
) -> None:
    key = data.draw(st.sampled_from(KINDS[type(step).__name__]))
    drop_empties(body)
    if nested:  # desired set most of what live holds: the live-only fields are deep
        desired = _fewer(body, keep)
    drop_empties(counterpart)  # desired as normalized: no empty values either
    ctx = NormalizeContext(key, "live", frozenset({key}), counterpart=counterpart)
    ctx.managed_fields = [{"manager": "kubectl", "fieldsV1": _owning(desired, keep)}]
    if step.applies_to(ctx, body):
        result = step.normalize(body, desired, ctx)
        tidied = copy.deepcopy(result)
        drop_empties(tidied)
        assert strictly_equal(result, tidied)


def test_a_map_emptied_by_the_unowned_fields_goes_with_its_last_field() -> None:
    # Generated pairs rarely own a map whose every live field is unowned: here spec and its
    # ``strategy`` lose all they hold, as the pass of empty values would drop them.
    (step,) = (step for step in TIDY if type(step).__name__ == "UnownedFields")
    key = ResourceKey("apps", "Deployment", "default", "d")
    desired = {"spec": {"strategy": {"type": "Recreate"}, "paused": True}, "x": 1}
    live = {"spec": {"strategy": {"rollingUpdate": {"maxSurge": 1}}}, "x": 1}
    ctx = NormalizeContext(key, "live", counterpart={"x": 1})
    ctx.managed_fields = [{"fieldsV1": {"f:spec": {"f:strategy": {"f:type": {}}}}}]
    assert step.normalize(live, desired, ctx) == {"x": 1}
