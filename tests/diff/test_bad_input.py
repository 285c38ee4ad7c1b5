"""Bad input: clear errors or findings, never a traceback."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.diff import MAX_OBJECT_BYTES, diff_bodies, diff_resources
from stateward.diff.engine import check_mode
from stateward.diff.patch import apply_changes
from stateward.errors import InputError, UsageError
from stateward.model.change import Change, Facet, Op
from stateward.model.resource import Origin, Resource, ResourceKey

CM = ResourceKey("", "ConfigMap", "default", "c")
HERE = Origin("manifests", "test:1")


def config_map(data: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": data}


def test_different_kinds_are_a_finding() -> None:
    result = diff_bodies(config_map({}), {"kind": "Secret"}, key=CM)
    assert [(f.rule, f.message) for f in result.findings] == [
        ("KIND_MISMATCH", "cannot compare a 'ConfigMap' with a 'Secret'")
    ]
    assert result.changes == []


def test_unknown_mode_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown diff mode 'lenient'") as raised:
        check_mode("lenient")
    assert "--mode strict" in raised.value.diagnostics()


def test_cyclic_document_is_a_finding() -> None:
    cyclic: dict[str, Any] = config_map({})
    cyclic["data"]["self"] = cyclic
    result = diff_bodies(config_map({}), cyclic, key=CM)
    assert [(f.rule, f.message) for f in result.findings] == [
        ("UNREADABLE_OBJECT", "the document refers to itself (a cycle)")
    ]


def test_deeply_nested_document_is_a_finding() -> None:
    deep: Any = "bottom"
    for _ in range(5000):
        deep = {"d": deep}
    result = diff_bodies(config_map({}), config_map(deep), key=CM)
    assert [(f.rule, f.message) for f in result.findings] == [
        ("UNREADABLE_OBJECT", "nested deeper than 100 levels")
    ]


def test_non_json_values_are_a_finding() -> None:
    result = diff_bodies(config_map({}), config_map({"k": object()}), key=CM)
    assert [f.message for f in result.findings] == ["a object is not a JSON value"]


def test_yaml_shared_anchors_are_not_cycles() -> None:
    shared = {"k": "v"}
    result = diff_bodies(
        config_map({"a": shared, "b": shared}),
        config_map({"a": {"k": "v"}, "b": {"k": "v"}}),
        key=CM,
    )
    assert result.findings == [] and result.changes == []


def test_a_50_mb_object_is_compared_by_digest_with_a_finding() -> None:
    big = "x" * (50 * 1024 * 1024)
    desired = Resource.of(CM, config_map({"blob": big}), HERE)
    live = Resource.of(CM, config_map({"blob": big[:-1] + "y"}), HERE)
    start = time.perf_counter()
    result = diff_resources([desired], [live])
    assert time.perf_counter() - start < 10
    assert [f.rule for f in result.findings] == ["OBJECT_TOO_LARGE"]
    assert str(MAX_OBJECT_BYTES) in result.findings[0].message
    assert [(c.path, c.op, c.facet) for c in result.changes] == [("", Op.CHANGED, Facet.CONFIG)]
    assert result.changes[0].before == desired.digest and result.changes[0].after == live.digest


def test_a_large_object_under_the_limit_is_diffed_in_full() -> None:
    data = {f"key-{i}": f"value-{i}" for i in range(60_000)}  # ~1.6 MB, a real-world maximum
    changed = dict(data, **{"key-7": "other"})
    start = time.perf_counter()
    result = diff_bodies(config_map(data), config_map(changed), key=CM)
    assert time.perf_counter() - start < 10
    assert [c.path for c in result.changes] == ["/data/key-7"]


def test_objects_listed_twice_are_a_finding_and_missing_or_extra_are_listed() -> None:
    one = Resource.of(CM, config_map({"a": "1"}), HERE)
    again = Resource.of(CM, config_map({"a": "2"}), Origin("manifests", "test:9"))
    extra = Resource.of(ResourceKey("", "ConfigMap", "default", "d"), config_map({}), HERE)
    gone = Resource.of(ResourceKey("", "ConfigMap", "default", "e"), config_map({}), HERE)
    result = diff_resources([one, again, gone], [one, extra])
    assert [f.rule for f in result.findings] == ["DUPLICATE_OBJECT"]
    assert "test:1 and test:9" in result.findings[0].message
    assert result.missing == [gone.key] and result.extra == [extra.key]
    assert [c.path for c in result.changes] == ["/data/a"]  # the later definition is compared


def test_an_object_listed_three_times_names_each_definition_and_the_one_before() -> None:
    first, second, third = (
        Resource.of(CM, config_map({"a": str(n)}), Origin("manifests", f"test:{n}"))
        for n in (1, 5, 9)
    )
    result = diff_resources([first, second, third], [first])
    assert [f.message for f in result.findings] == [
        f"desired holds {CM} twice (test:1 and test:5); the later one is compared",
        f"desired holds {CM} twice (test:5 and test:9); the later one is compared",
    ]
    assert [c.after for c in result.changes] == ["1"]  # the last definition (9) against live


@given(st.lists(st.tuples(*[st.sampled_from(["", "a", "b", "B"])] * 4), max_size=8))
def test_a_drift_lists_objects_in_the_keys_own_order(
    parts: list[tuple[str, str, str, str]],
) -> None:
    keys = [ResourceKey(*p) for p in parts]
    resources = [Resource.of(k, config_map({}), HERE) for k in dict.fromkeys(keys)]
    assert diff_resources(resources, []).missing == sorted(dict.fromkeys(keys))
    assert diff_resources([], resources).extra == sorted(dict.fromkeys(keys))
    mixed = diff_resources(resources[::2], resources[1::2])  # no key on both sides
    assert mixed.missing == sorted(r.key for r in resources[::2])
    assert mixed.extra == sorted(r.key for r in resources[1::2])


@pytest.mark.parametrize(
    ("path", "message"),
    [("/data/nothing", "nothing to remove there"), ("/nope/x", "no 'nope' on the way"),
     ("/list/01", "not a list position"), ("/list/5", "past the end"), ("data", "must start with '/'")],
)  # fmt: skip
def test_patches_that_do_not_fit_are_refused(path: str, message: str) -> None:
    change = Change("s", path, Facet.CONFIG, Op.REMOVED)
    with pytest.raises(InputError, match=message):
        apply_changes({"data": {}, "list": [1, 2]}, [change])


def test_an_undigested_secret_value_never_reaches_a_change() -> None:
    secret = ResourceKey("", "Secret", "default", "db")
    desired = {"kind": "Secret", "data": {"password": "hunter2-canary"}}
    live = {
        "kind": "Secret",
        "data": {"password": "hmac-sha256:" + "a" * 64, "extra": "plain-canary"},
    }
    changes = diff_bodies(desired, live, key=secret).changes
    assert [(c.path, c.before, c.after) for c in changes] == [
        ("/data/password", "<undigested secret value>", "hmac-sha256:" + "a" * 64),
        ("/data/extra", None, "<undigested secret value>"),
    ]
    assert "canary" not in repr(changes)
