"""Hypothesis properties: diff(a, a) is empty, normalization is idempotent,
and replaying the reported changes on a gives b."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from stateward.diff import NormalizeContext, apply_changes, diff_bodies, diff_documents, normalize
from stateward.diff.engine import _Walker
from stateward.model.change import Op
from stateward.model.pointer import escape
from stateward.model.resource import ResourceKey
from stateward.normalize.empties import drop_empties
from stateward.normalize.guard import round_trip

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False, allow_infinity=False, width=16)
    | st.sampled_from(["", "1", "a", "a/b", "~0", "500m", "1Gi"])
)
PLAIN_KEYS = st.sampled_from(["a", "b", "c/d", "~e", "", "spec", "value", "image"])
IDENTITY_KEYS = st.sampled_from(["env", "containers", "volumes", "ports", "tolerations"])
NAMED = st.fixed_dictionaries(
    {"name": st.sampled_from(["x", "y", "z"])},
    optional={
        "value": SCALARS,
        "containerPort": st.integers(1, 3),
        "key": st.sampled_from(["k", "j"]),
    },
)


def documents(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        SCALARS,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.lists(NAMED, max_size=4)
            | st.dictionaries(keys, inner, max_size=4)
        ),
        max_leaves=30,
    )


ANY_DOC = documents(PLAIN_KEYS | IDENTITY_KEYS)
PLAIN_DOC = documents(PLAIN_KEYS)


def strictly_equal(x: Any, y: Any) -> bool:
    """== that tells 1 from 1.0 and from True (0.0 and -0.0 are one number, as in the diff)."""
    if type(x) is not type(y):
        return False
    if isinstance(x, dict):
        return x.keys() == y.keys() and all(strictly_equal(x[k], y[k]) for k in x)
    if isinstance(x, list):
        return len(x) == len(y) and all(map(strictly_equal, x, y))
    return bool(x == y)


@given(ANY_DOC, st.sampled_from(["strict", "argo"]))
def test_a_document_never_differs_from_itself(doc: Any, mode: str) -> None:
    changes, findings = diff_documents(doc, copy.deepcopy(doc), mode=mode)
    assert changes == []
    assert all(f.rule == "DUPLICATE_LIST_KEY" for f in findings)


@given(ANY_DOC, ANY_DOC)
def test_replaying_the_changes_gives_the_other_document(a: Any, b: Any) -> None:
    changes, _ = diff_documents(a, b)
    before = copy.deepcopy(a)
    result = apply_changes(a, changes)
    assert strictly_equal(a, before)  # the input is never changed
    assert diff_documents(result, b)[0] == []


@given(PLAIN_DOC, PLAIN_DOC)
def test_replay_is_exact_when_no_list_is_matched_by_identity(a: Any, b: Any) -> None:
    changes, _ = diff_documents(a, b)
    assert strictly_equal(apply_changes(a, changes), b)


@given(ANY_DOC, ANY_DOC)
def test_argo_mode_reports_a_subset_of_strict(a: Any, b: Any) -> None:
    strict = {(c.op, c.path) for c in diff_documents(a, b)[0]}
    argo = {(c.op, c.path) for c in diff_documents(a, b, mode="argo")[0]}
    assert argo <= strict


# Few key names: maps of one size holding different keys, and keyed lists whose items
# differ by name, come often (the walker skips its second pass when the sizes say it can).
FEW_KEYS = st.sampled_from(["a", "b", "c"])
ENV = st.fixed_dictionaries(
    {"env": st.lists(NAMED, max_size=3, unique_by=lambda item: item["name"])}
)
SAME_SIZED = ENV | st.recursive(
    SCALARS, lambda inner: ENV | st.dictionaries(FEW_KEYS, inner, max_size=3), max_leaves=20
)


def one_sided(a: Any, b: Any, path: str = "") -> set[tuple[Op, str]]:
    """The reference: keys, and keyed list items, only one side holds, at every depth both
    sides hold a map or a keyed list, as ``(op, pointer)``."""
    found: set[tuple[Op, str]] = set()
    if type(a) is dict and type(b) is dict:
        found |= {(Op.REMOVED, f"{path}/{escape(k)}") for k in a.keys() - b.keys()}
        found |= {(Op.ADDED, f"{path}/{escape(k)}") for k in b.keys() - a.keys()}
        for k in a.keys() & b.keys():
            found |= one_sided(a[k], b[k], f"{path}/{escape(k)}")
    elif type(a) is list and type(b) is list and path.endswith("/env"):
        names_a, names_b = [i["name"] for i in a], [i["name"] for i in b]
        found |= {(Op.REMOVED, f"{path}/{i}") for i, n in enumerate(names_a) if n not in names_b}
        found |= {(Op.ADDED, f"{path}/{j}") for j, n in enumerate(names_b) if n not in names_a}
        for i, n in enumerate(names_a):
            if n in names_b:
                found |= one_sided(a[i], b[names_b.index(n)], f"{path}/{i}")
    return found


@given(SAME_SIZED, SAME_SIZED)
def test_every_key_and_item_only_one_side_holds_is_reported(a: Any, b: Any) -> None:
    changes, _ = diff_documents(a, b)
    reported = {(c.op, c.path) for c in changes if c.op in (Op.ADDED, Op.REMOVED)}
    assert reported == one_sided(a, b)


# --- normalization ------------------------------------------------------------------------


def without_empties(node: Any) -> Any:
    """The reference for drop_empties: a new tree, each map's nulls left out, and its {} and []
    once its values lost theirs (but an empty emptyDir or selector), list items kept."""
    if type(node) is list:
        return [without_empties(item) for item in node]
    if type(node) is not dict:
        return node
    kept = {k: without_empties(v) for k, v in node.items() if v is not None}
    meaningful = ("emptyDir", "podSelector", "namespaceSelector")
    return {k: v for k, v in kept.items() if k in meaningful or v or type(v) not in (dict, list)}


@given(
    documents(PLAIN_KEYS | IDENTITY_KEYS | st.just("emptyDir")).filter(
        lambda d: type(d) in (dict, list)
    )
)
@example({"a": [[{"b": None, "c": {}}]], "emptyDir": {}})  # a list in a list
def test_empty_values_are_dropped_as_the_reference_drops_them(doc: Any) -> None:
    expected, walked = without_empties(doc), copy.deepcopy(doc)
    drop_empties(walked)
    assert strictly_equal(walked, expected)


KINDS = [
    ResourceKey("apps", "Deployment", "default", "d"),
    ResourceKey("", "Pod", "default", "p"),
    ResourceKey("", "Service", "default", "s"),
    ResourceKey("", "Secret", "default", "s"),
    ResourceKey("batch", "CronJob", "default", "c"),
    ResourceKey("autoscaling", "HorizontalPodAutoscaler", "default", "h"),
    ResourceKey("example.com", "Widget", "default", "w"),
]
QUANTITY = st.sampled_from(["1", "1000m", "0.5", "1Gi", "1024Mi", 2, 0.25, "100G"])
CONTAINER = st.fixed_dictionaries(
    {"name": st.sampled_from(["app", "side", "istio-proxy"]), "image": st.sampled_from(["a", "a:1", "a:latest"])},
    optional={
        "ports": st.lists(st.fixed_dictionaries({"containerPort": st.integers(1, 3)},
                          optional={"protocol": st.sampled_from(["TCP", "UDP"])}), max_size=2),
        "env": st.lists(st.fixed_dictionaries({"name": st.sampled_from(["A", "B"])}, optional={"value": SCALARS}), max_size=2),
        "resources": st.fixed_dictionaries({}, optional={"limits": st.dictionaries(st.sampled_from(["cpu", "memory"]), QUANTITY)}),
        "readinessProbe": st.fixed_dictionaries({"httpGet": st.fixed_dictionaries({"port": st.integers(1, 9)})},
                                                optional={"periodSeconds": st.sampled_from([10, 10.0, 3])}),
    },
)  # fmt: skip
POD_SPEC = st.fixed_dictionaries(
    {"containers": st.lists(CONTAINER, max_size=3)},
    optional={"volumes": st.lists(st.fixed_dictionaries({"name": st.sampled_from(["v", "istio-envoy"])}), max_size=2),
              "securityContext": st.just({}), "tolerations": st.just([])},
)  # fmt: skip
BODIES = st.fixed_dictionaries(
    {"spec": st.fixed_dictionaries({}, optional={
        "replicas": st.sampled_from([1, 2.0, None]),
        "template": st.fixed_dictionaries({"spec": POD_SPEC}),
        "jobTemplate": st.fixed_dictionaries({"spec": st.fixed_dictionaries({"template": st.fixed_dictionaries({"spec": POD_SPEC})})}),
        "containers": st.lists(CONTAINER, max_size=2),
        "ports": st.lists(st.fixed_dictionaries({"port": st.integers(1, 3)}), max_size=2),
        "metrics": st.lists(st.fixed_dictionaries({"type": st.sampled_from(["Resource", "Pods"])}), max_size=2),
        "resources": st.fixed_dictionaries({"requests": st.dictionaries(st.sampled_from(["cpu", "storage"]), QUANTITY)}),
    })},
    optional={"status": st.just({"x": 1}), "metadata": st.fixed_dictionaries({"name": st.just("n")},
              optional={"annotations": st.sampled_from([None, {}, {"a": "b"}])}),
              "stringData": st.dictionaries(st.sampled_from(["k", "l"]), st.just("hmac-sha256:00"))},
)  # fmt: skip


@settings(max_examples=150)
@given(st.sampled_from(KINDS), BODIES, st.sampled_from(["desired", "live"]))
def test_normalization_is_idempotent(key: ResourceKey, body: dict[str, Any], side: str) -> None:
    once = normalize(body, NormalizeContext(key, side))  # type: ignore[arg-type]
    twice = normalize(once, NormalizeContext(key, side))  # type: ignore[arg-type]
    assert strictly_equal(once, twice)


@settings(max_examples=150)
@given(st.sampled_from(KINDS), BODIES, st.sampled_from(["strict", "argo"]))
def test_an_object_never_drifts_from_itself(
    key: ResourceKey, body: dict[str, Any], mode: str
) -> None:
    result = diff_bodies(body, copy.deepcopy(body), key=key, mode=mode)
    assert result.changes == [] and result.incomplete == []


@given(
    st.sampled_from(KINDS),
    st.dictionaries(PLAIN_KEYS | IDENTITY_KEYS | st.just("spec"), ANY_DOC, max_size=5),
)
def test_arbitrary_documents_never_raise(key: ResourceKey, body: dict[str, Any]) -> None:
    # Garbage in a known kind's shape: normalizers may give up (recorded), never raise.
    result = diff_bodies(body, body, key=key)
    assert result.changes == []


# --- fast paths against the plain recursion -----------------------------------------------

MIXED = documents(PLAIN_KEYS | IDENTITY_KEYS) | st.floats(allow_nan=True, width=16)
NAN = float("nan")


class _PerLeafWalker(_Walker):
    """The walk as it was before mappings decided their scalar fields inline: every value,
    leaves included, through ``value()``."""

    def mapping(self, a: dict[str, Any], b: dict[str, Any], path: Any) -> None:
        for name, value in a.items():
            if name in b:
                self.value(value, b[name], (path, name), name)
            else:
                self.emit(Op.REMOVED, (path, name), value, None)
        if not self.argo:
            for name, value in b.items():
                if name not in a:
                    self.emit(Op.ADDED, (path, name), None, value)


def _walked(walker: type[_Walker], a: Any, b: Any, mode: str) -> tuple[list[Any], list[Any]]:
    walk = walker(ResourceKey("", "", "", ""), mode == "argo", ("desired", "live"))
    walk.value(a, b, None, "")
    return walk.changes, walk.findings


@given(
    st.dictionaries(PLAIN_KEYS | IDENTITY_KEYS, MIXED, max_size=5),
    st.dictionaries(PLAIN_KEYS | IDENTITY_KEYS, MIXED, max_size=5),
    st.sampled_from(["strict", "argo"]),
    st.booleans(),
)
def test_the_inline_scalar_path_agrees_with_the_per_leaf_walk(
    a: dict[str, Any], b: dict[str, Any], mode: str, share: bool
) -> None:
    # Sharing some of a's values (one NaN object included) with b covers the identity checks:
    # one NaN object equals itself, two NaN objects differ, in both walks.
    if share:
        b = {**b, **dict(list(a.items())[: len(a) // 2]), "n": NAN}
        a = {**a, "n": NAN}
    changes, findings = diff_documents(a, b, mode=mode)
    assert (changes, findings) == _walked(_PerLeafWalker, a, b, mode)
    assert (changes, findings) == _walked(_Walker, a, b, mode)


JSON_LEAVES = (
    st.none() | st.booleans() | st.integers() | st.text(max_size=3)
    | st.floats(allow_nan=False, allow_infinity=False)
)  # fmt: skip
JSON_TREES = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
    ),
    max_leaves=40,
)


def _through_json(value: Any) -> Any:
    """What a JSON encode/decode gives, integral floats as ints (Go's re-marshal)."""
    return json.loads(
        json.dumps(value), parse_float=lambda t: int(f) if (f := float(t)).is_integer() else f
    )


@given(JSON_TREES)
def test_the_round_trip_copy_is_a_json_encode_and_decode(value: Any) -> None:
    copied = round_trip(value, "test")
    assert strictly_equal(copied, _through_json(value))
    if isinstance(value, dict | list) and value:
        assert copied is not value
