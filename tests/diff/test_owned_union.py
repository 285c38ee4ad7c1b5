"""The unowned fields' union of the managers' ``fieldsV1``, shared rather than merged, reads
as :func:`~stateward.normalize.managed.owned_fields` merges them, and the step gives the result
of the merged union: checked on generated managed fields (several managers, overlapping or
equal sets, a status entry, nulls and values that are no map where a set holds a field) and
bodies with keyed lists."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.model.resource import ResourceKey
from stateward.normalize.guard import clone
from stateward.normalize.interface import NormalizeContext
from stateward.normalize.managed import UnownedFields, _prune, _shared_union, owned_fields

from .test_properties import strictly_equal

# A field a set owns whole: an empty map, or (in a malformed set) a null or no map at all.
OWNED_LEAF = st.just({}) | st.none() | st.sampled_from(["x", 0, 1, True, []])
FIELDS = st.recursive(
    OWNED_LEAF,
    lambda inner: st.dictionaries(
        st.sampled_from(
            [
                "f:spec",
                "f:x",
                "f:y",
                "f:containers",
                "f:name",
                ".",
                'k:{"name":"a"}',
                'k:{"name":"b"}',
            ]
        ),  # fmt: skip
        inner,
        max_size=4,
    ),
    max_leaves=12,
)
ENTRY = st.fixed_dictionaries(
    {"fieldsV1": FIELDS},
    optional={"manager": st.sampled_from(["kubectl", "edit"]), "subresource": st.just("status")},
)
LEAVES = st.none() | st.integers(0, 2) | st.sampled_from(["a", ""])
TREES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from(["x", "y"]), inner),
    max_leaves=6,
)
CONTAINERS = st.lists(
    st.fixed_dictionaries({"name": st.sampled_from(["a", "b"])}, optional={"x": TREES, "y": TREES})
    | LEAVES,
    max_size=3,
)
SPEC = st.fixed_dictionaries({}, optional={"x": TREES, "y": TREES, "containers": CONTAINERS})
BODIES = st.fixed_dictionaries({}, optional={"spec": SPEC, "x": TREES, "y": TREES})
KEY = ResourceKey("apps", "Deployment", "default", "d")


@st.composite
def owning(draw: st.DrawFn, tree: Any) -> Any:
    """A set owning some fields of ``tree`` (list items by name), a leaf where it stops."""
    if isinstance(tree, list):
        named = [i for i in tree if isinstance(i, dict) and "name" in i]
        return {
            f'k:{{"name":"{i["name"]}"}}': draw(owning(i)) for i in named if draw(st.booleans())
        }
    if not isinstance(tree, dict) or not tree or draw(st.integers(0, 4)) == 0:
        return draw(OWNED_LEAF)
    return {f"f:{k}": draw(owning(v)) for k, v in tree.items() if draw(st.integers(0, 3))}


@st.composite
def managed_fields(draw: st.DrawFn, *bodies: Any) -> list[Any]:
    """Entries (some owning fields of ``bodies``), and sometimes a copy of an earlier entry's
    set (a second manager owning what the first does) or an entry that is no map."""
    entries: list[Any] = draw(st.lists(ENTRY, max_size=2))
    entries += [{"fieldsV1": draw(owning(body))} for body in bodies if draw(st.booleans())]
    if entries and draw(st.booleans()):
        entries.append({"fieldsV1": copy.deepcopy(draw(st.sampled_from(entries))["fieldsV1"])})
    if draw(st.booleans()):
        entries.insert(draw(st.integers(0, len(entries))), draw(st.none() | st.just("entry")))
    return entries


def _as_merged(fields: Any) -> list[tuple[Any, Any]]:
    """A set as :func:`owned_fields` builds it, in order: every field a map (owned whole when
    it holds none)."""
    is_map = isinstance(fields, dict)
    return [(k, _as_merged(v)) for k, v in fields.items()] if is_map else []


@settings(max_examples=500)
@given(managed_fields())
def test_the_shared_union_reads_as_the_merged_one(entries: list[Any]) -> None:
    before = copy.deepcopy(entries)
    assert _as_merged(_shared_union(entries)) == _as_merged(owned_fields(entries))
    assert entries == before  # shared, never changed


@settings(max_examples=500)
@given(st.data(), BODIES, BODIES, BODIES)
def test_the_step_prunes_as_with_the_merged_union(
    data: st.DataObject, live: dict[str, Any], desired: dict[str, Any], counterpart: dict[str, Any]
) -> None:
    entries = data.draw(managed_fields(live, desired))
    _assert_pruned_as_merged(entries, live, desired, counterpart)


MALFORMED = [
    # An item's set that is no map: owned whole, nothing below it is read.
    {"f:spec": {"f:containers": {'k:{"name":"a"}': "x"}}},
    # A null where a set holds a field: owned (whole), not unowned.
    {"f:spec": {"f:x": None, "f:containers": {'k:{"name":"a"}': {"f:x": None}}}},
]


def test_malformed_sets_prune_as_with_the_merged_union() -> None:
    # Generated sets rarely reach a list item of a field desired sets too: these do.
    live = {"spec": {"x": {"y": 1}, "y": 2, "containers": [{"name": "a", "x": 1, "y": 2}]}}
    desired = {"spec": {"x": {}, "containers": [{"name": "a", "x": 0}]}}
    for fields in MALFORMED:
        _assert_pruned_as_merged([{"fieldsV1": fields}], live, desired, {})
        _assert_pruned_as_merged(
            [{"fieldsV1": {"f:spec": {}}}, {"fieldsV1": fields}], live, desired, {}
        )


def _assert_pruned_as_merged(
    entries: list[Any], live: dict[str, Any], desired: dict[str, Any], counterpart: dict[str, Any]
) -> None:
    ctx = NormalizeContext(KEY, "live", counterpart=counterpart)
    ctx.managed_fields = entries
    expected: Any = clone(live)
    owned = owned_fields(entries)
    outcome: Any = clone(live)
    try:
        if owned:
            _prune(expected, desired, counterpart, owned, KEY.kind)
    except Exception as exc:  # noqa: BLE001 -- the same failure is expected of the step
        expected = (type(exc), str(exc))
    try:
        outcome = UnownedFields().normalize(outcome, desired, ctx)
    except Exception as exc:  # noqa: BLE001
        outcome = (type(exc), str(exc))
    assert strictly_equal(outcome, expected) if isinstance(expected, dict) else outcome == expected
