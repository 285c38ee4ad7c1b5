"""The round trip's copy spells quantities as it walks (``Quantities.in_copy``): the same tree
as the copy followed by the quantities step, or, where the step would note a value it cannot
read, an ``Unspelled`` that sends the pipeline back to the two walks."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.model.resource import ResourceKey
from stateward.normalize.guard import round_trip
from stateward.normalize.interface import NormalizeContext
from stateward.normalize.types import Quantities, Unspelled

from .test_properties import strictly_equal

# Keys the step acts on (maps of quantities, single quantity fields, LimitRange's maps) and
# some it must leave alone; values that spell a quantity, that do not, and of every JSON type.
KEYS = st.sampled_from(["requests", "limits", "hard", "cpu", "memory", "storage", "size",
                        "default", "max", "name", "metadata", "creationTimestamp", "x"])  # fmt: skip
LEAVES = (
    st.sampled_from(["500m", "0.5", "1Gi", "1024Mi", "1e3", "2", "abc", "", "1.5.5"])
    | st.none() | st.booleans() | st.integers(-5, 5000)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
)  # fmt: skip
TREES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400)
@given(st.dictionaries(KEYS, TREES, max_size=5), st.sampled_from(["Deployment", "LimitRange"]))
def test_spelled_in_the_copy_as_the_step_spells_after_it(body: dict[str, Any], kind: str) -> None:
    step = Quantities()
    ctx = NormalizeContext(ResourceKey("apps", kind, "ns", "n"), "desired")
    two_walks = step.normalize(round_trip(body, "test"), None, ctx)
    try:
        one_walk = round_trip(body, "test", step.in_copy(kind))
    except Unspelled:
        assert ctx.incomplete, "the copy gave up where the step noted nothing"
        return
    assert ctx.incomplete == []  # the step would have noted a value the copy let through
    assert strictly_equal(one_walk, two_walks)
