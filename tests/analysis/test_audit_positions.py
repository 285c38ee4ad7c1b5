"""The estate's position indexes: what a list per key would give, in the order added."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stateward.analysis.audit.positions import Positions


@given(st.lists(st.sampled_from(["db", "web", "cache", "queue"]), max_size=40))
def test_positions_are_those_added_under_each_key_in_order(keys: list[str]) -> None:
    index: Positions[str] = Positions()
    listed: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        index.add(key, position)
        listed.setdefault(key, []).append(position)
    for key in ["db", "web", "cache", "queue", "absent"]:
        assert list(index.get(key)) == listed.get(key, [])


def test_position_zero_is_kept_as_a_position() -> None:
    index: Positions[tuple[str, str]] = Positions()
    index.add(("default", "db"), 0)
    assert list(index.get(("default", "db"))) == [0]
    index.add(("default", "db"), 7)
    assert list(index.get(("default", "db"))) == [0, 7]
