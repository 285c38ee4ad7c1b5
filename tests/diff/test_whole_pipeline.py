"""The diff as it runs equals the whole pipeline run step by step, then the tree diff.

As it runs: each side's own steps once, kept with the resource, the pairwise steps per pair,
the built-in steps that apply decided once per kind, the cyclic collector paused. The
reference: :func:`~stateward.normalize.normalize` with every built-in step in pipeline order,
each step's ``applies_to`` asked of the body in hand, then :func:`diff_documents`. Both run on
the shared corpus's objects against their live objects mutated as servers, controllers and
people mutate them: defaults added, lists reordered, quantities respelled, fields removed,
on either side.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.diff import diff_bodies, diff_documents, diff_resources
from stateward.diff.result import DiffResult
from stateward.errors import InputError
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.normalize import BUILTIN_PIPELINE, kept, normalize, prepare
from stateward.normalize.interface import NormalizeContext

from .corpus import corpus_resources, live_of

OBJECTS = [(file, r) for file, resources in corpus_resources() for r in resources]

# Values a server or a person writes: defaults of the tables, empty values, a scalar's type.
_ADDED = [
    ("protocol", "TCP"), ("imagePullPolicy", "IfNotPresent"), ("defaultMode", 420),
    ("terminationMessagePolicy", "File"), ("sessionAffinity", "None"), ("type", ""),
    ("periodSeconds", 10), ("replicas", 1), ("name", "x"), ("extra", None), ("empty", {}),
    ("none", []), ("storage", "1Gi"), ("cpu", 0.5), ("requests", {"memory": "128Mi"}),
]  # fmt: skip
# One quantity in other spellings the API server accepts as the same amount.
_SPELLINGS = {
    "1Gi": "1024Mi", "1024Mi": "1Gi", "500m": 0.5, "0.5": "500m", "1": "1000m", "100m": "0.1",
    "128Mi": "131072Ki", "2": 2, "250m": "0.25", "64Mi": "67108864", "1G": "1000M",
}  # fmt: skip


def _paths(node: Any, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [trail]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*trail, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*trail, index))
    return found


def _mutate(body: dict[str, Any], kind: str, pick: int, extra: int) -> None:
    paths = _paths(body)
    trail = paths[pick % len(paths)]
    parent: Any = body
    for step in trail[:-1]:
        parent = parent[step]
    node = parent[trail[-1]] if trail else body
    if kind == "remove" and trail not in ((), ("kind",)):  # two kinds are not compared
        del parent[trail[-1]]
    elif kind == "reorder" and isinstance(node, list):
        node.reverse()
    elif kind == "add" and isinstance(node, dict):
        name, value = _ADDED[extra % len(_ADDED)]
        node.setdefault(name, copy.deepcopy(value))
    elif kind == "respell" and trail and str(node) in _SPELLINGS:
        parent[trail[-1]] = _SPELLINGS[str(node)]


MUTATION = st.tuples(
    st.sampled_from(["remove", "reorder", "add", "respell"]),
    st.sampled_from(["desired", "live"]),
    st.integers(0, 10_000),
    st.integers(0, 100),
)


def _reference(
    desired: Resource, live: Resource, mode: str, targets: frozenset[ResourceKey] = frozenset()
) -> DiffResult:
    """The whole pipeline on each raw body, every step asked whether it applies (a list of
    steps, not one of the pipelines decided per kind), then the tree diff."""
    result = DiffResult(mode=mode)  # type: ignore[arg-type]
    steps = list(BUILTIN_PIPELINE)
    ctx_d = NormalizeContext(desired.key, "desired", targets)
    want = normalize(desired.body, ctx_d, steps=steps)
    ctx_l = NormalizeContext(live.key, "live", targets, counterpart=want)
    have = normalize(live.body, ctx_l, desired=desired.body, steps=steps)
    result.changes, result.findings = diff_documents(want, have, key=desired.key, mode=mode)
    for ctx in (ctx_d, ctx_l):
        result.injected += ctx.injected
        result.explained += ctx.explained
        result.incomplete += ctx.incomplete
    return result


def _facts(result: DiffResult) -> dict[str, Any]:
    shown = result.as_dict()
    return {
        **shown,
        **{name: sorted(map(str, shown[name])) for name in ("injected", "explained", "incomplete")},
    }


def _fresh(resource: Resource, edit: Callable[[dict[str, Any]], None]) -> Resource:
    body = copy.deepcopy(dict(resource.body))
    edit(body)
    return Resource.of(resource.key, body, Origin("test", str(resource.key)))


@pytest.mark.skipif(not OBJECTS, reason="SHARED CORPUS MISSING")
@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, max(len(OBJECTS) - 1, 0)),
    st.lists(MUTATION, max_size=4),
    st.sampled_from(["strict", "argo"]),
)
def test_the_diff_as_it_runs_is_the_whole_pipeline_then_the_tree_diff(
    index: int, mutations: list[tuple[str, str, int, int]], mode: str
) -> None:
    file, resource = OBJECTS[index]
    live = live_of(file, resource, index)

    def edit(side: str) -> Callable[[dict[str, Any]], None]:
        def apply(body: dict[str, Any]) -> None:
            for kind, where, pick, extra in mutations:
                if where == side:
                    _mutate(body, kind, pick, extra)

        return apply

    desired, live = _fresh(resource, edit("desired")), _fresh(live, edit("live"))
    fast = diff_resources([desired], [live], mode=mode)
    assert _facts(fast) == _facts(_reference(desired, live, mode))
    # Resources that keep their normalization (a scan's) are completed from it instead of
    # normalized once for the pair: the same diff.
    for side in (desired, live):
        with contextlib.suppress(InputError):
            prepare(side)
    assert kept(desired) and kept(live)
    assert _facts(diff_resources([desired], [live], mode=mode)) == _facts(fast)


# One value written at one path of both sides (so a subtree both hold alike stays alike, or
# nearly): values Python calls equal and the diff does not, empty ones, ones the round trip
# respells, a list key held twice.
_TWINS = [
    ("same", "x", "x"), ("bool", True, 1), ("float", 1, 1.0), ("half", 0.5, 0.5),
    ("nan", float("nan"), float("nan")), ("null", None, None), ("empty", {}, {}),
    ("none", [], []), ("nulls", {"a": None}, {"a": None}), ("cpu", "1000m", "1"),
    ("memory", "1Gi", "1Gi"), ("twice", [{"name": "n"}, {"name": "n"}], [{"name": "n"}] * 2),
    ("env", [{"name": "A"}, {"name": "A"}], [{"name": "A"}, {"name": "A"}]),
    ("ports", [{"containerPort": 1}], [{"containerPort": 1}]), ("key", {"1": "a"}, {1: "a"}),
    ("deep", {"a": {"b": {"c": [[["x"]]]}}}, {"a": {"b": {"c": [[["x"]]]}}}),
    ("name", "y", "y"), ("replicas", 3, 3), ("sidecar.istio.io/status", "{}", "{}"),
]  # fmt: skip
_WRITTEN_AT = [
    ("metadata", "labels"),
    ("spec",),
    ("data",),
    ("spec", "selector"),
    ("spec", "selector", "matchLabels"),
]


def _twin(body: dict[str, Any], trail: tuple[Any, ...], name: str, value: Any) -> None:
    node: Any = body
    for step in trail:
        node = node.get(step) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node[name] = copy.deepcopy(value)
    elif isinstance(node, list):  # an env list: one more variable
        node.append(
            copy.deepcopy(value) if isinstance(value, dict) else {"name": name, "value": value}
        )


def _env_trails(body: dict[str, Any], kind: str) -> list[tuple[Any, ...]]:
    found = []
    for path in ((), ("spec",), ("spec", "template"), ("spec", "jobTemplate", "spec", "template")):
        for field in ("containers", "initContainers"):
            items = _dig(body, (*path, "spec", field)) if path else None
            for position, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, dict) and "env" in item:
                    found.append((*path, "spec", field, position, "env"))
    return found


def _dig(node: Any, trail: tuple[Any, ...]) -> Any:
    for step in trail:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return None
    return node


@pytest.mark.skipif(not OBJECTS, reason="SHARED CORPUS MISSING")
@settings(max_examples=400, deadline=None)
@given(
    st.integers(0, max(len(OBJECTS) - 1, 0)),
    st.lists(st.tuples(st.integers(0, 20), st.sampled_from(_TWINS), st.booleans()), max_size=3),
    st.lists(MUTATION, max_size=2),
    st.booleans(),
    st.sampled_from(["strict", "argo"]),
)
def test_values_both_sides_hold_alike_give_the_whole_pipeline_s_diff(
    index: int,
    twins: list[tuple[int, tuple[str, Any, Any], bool]],
    mutations: list[tuple[str, str, int, int]],
    scaled: bool,
    mode: str,
) -> None:
    # Labels, specs, selectors, data and container environments get one value on both sides
    # (or its twin of another type on live), then the usual mutations: the diff as it runs
    # (each side normalized once) is the whole pipeline's, with an autoscaler scaling the
    # object or not.
    file, resource = OBJECTS[index]
    live = live_of(file, resource, index)
    bodies = [copy.deepcopy(dict(r.body)) for r in (resource, live)]
    trails = [*_WRITTEN_AT, *_env_trails(bodies[0], resource.key.kind)]
    for pick, (name, mine, theirs), twisted in twins:
        trail = trails[pick % len(trails)]
        _twin(bodies[0], trail, name, mine)
        _twin(bodies[1], trail, name, theirs if twisted else mine)
    for kind, where, pick, extra in mutations:
        _mutate(bodies[where == "live"], kind, pick, extra)
    desired, live = (  # not Resource.of: a NaN has no canonical form, the diff still runs
        Resource(r.key, body, Origin("test", str(r.key)))
        for r, body in zip((resource, live), bodies, strict=True)
    )
    targets = frozenset({resource.key}) if scaled else frozenset()
    fast = diff_bodies(desired.body, live.body, key=resource.key, mode=mode, hpa_targets=targets)
    assert _facts(fast) == _facts(_reference(desired, live, mode, targets))
