"""A property of recorded history: through any sequence of complete and partial observations,
what the store says each component was, and what changed, follows from what was seen: a
partial observation never removes, and the next complete one compares with the last known
state (a real SQLite store, every example)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.analysis.changes import component_deltas
from stateward.model.component import Component
from stateward.model.observation import Observation
from stateward.store import open_store

T0 = datetime(2026, 11, 1, tzinfo=UTC)
IDS = ("k8s:Deployment/s/a", "k8s:Deployment/s/b", "k8s:Deployment/s/c", "k8s:Deployment/s/d")
Step = tuple[dict[str, int], bool]
steps = st.lists(
    st.tuples(st.dictionaries(st.sampled_from(IDS), st.integers(0, 2)), st.booleans()),
    min_size=1,
    max_size=6,
)


def _component(ident: str, version: int) -> Component:
    return Component.of(
        id=ident, kind="Deployment", name=ident.rsplit("/", 1)[1], namespace="s",
        source="manifests", images=(), context={"env": {"V": str(version)}},
    )  # fmt: skip


def _observation(n: int, seen: dict[str, int], complete: bool) -> Observation:
    observation = Observation("s", T0 + timedelta(minutes=n), ("x",))
    observation.components = [_component(i, v) for i, v in sorted(seen.items())]
    observation.complete = complete
    return observation


def _expected(known: dict[str, int], seen: dict[str, int], complete: bool) -> dict[str, str]:
    out = dict.fromkeys(seen.keys() - known.keys(), "added")
    out |= {i: "same binary, context changed" for i in seen.keys() & known.keys()
            if seen[i] != known[i]}  # fmt: skip
    out |= dict.fromkeys(known.keys() - seen.keys(), "removed" if complete else "not observed")
    return out


@settings(max_examples=40, deadline=None)
@given(steps)
def test_partial_observations_never_remove_and_history_follows_what_was_seen(
    sequence: list[Step],
) -> None:
    with tempfile.TemporaryDirectory() as where:
        store = open_store(where)
        known: dict[str, int] = {}
        previous: Observation | None = None
        for n, (seen, complete) in enumerate(sequence):
            record = store.record(_observation(n, seen, complete))
            loaded = store.load(record, resources=False)
            if previous is not None:
                found = {d.component: d.status for d in component_deltas(previous, loaded)}
                assert found == _expected(known, seen, complete)
            known = dict(seen) if complete else {**known, **seen}
            versions = {c.id: int(c.context["env"]["V"]) for c in loaded.known()}
            assert versions == known
            previous = loaded
        store.close()


def test_a_partial_observation_is_never_unchanged_from_a_complete_one() -> None:
    with tempfile.TemporaryDirectory() as where:
        store = open_store(where)
        seen = {IDS[0]: 1}
        first = store.record(_observation(0, seen, True))
        partial = store.record(_observation(1, seen, False))
        again = store.record(_observation(2, seen, False))
        assert (first.unchanged, partial.unchanged, again.unchanged) == (False, False, True)
        assert [r.complete for r in store.history("s")] == [True, False, False]
        store.close()
