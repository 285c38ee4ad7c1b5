"""Reading one component says exactly what reading them all and choosing it does: ``show`` and
``timeline`` given a component id read only its objects, given a name they read all, and both
agree with the whole observation filtered, through any history of complete and partial
observations (a real SQLite store, every example)."""

from __future__ import annotations

import tempfile

import pytest
from hypothesis import given, settings
from tests.store.test_not_observed import IDS, Step, _observation, steps

from stateward import api
from stateward.errors import UsageError
from stateward.store import Store, open_store


@settings(max_examples=30, deadline=None)
@given(steps)
def test_one_component_reads_as_all_of_them_chosen(sequence: list[Step]) -> None:
    with tempfile.TemporaryDirectory() as where:
        store = open_store(where)
        for n, (seen, complete) in enumerate(sequence):
            store.record(_observation(n, seen, complete))
        met = {i for seen, _ in sequence for i in seen}
        for ident in IDS:
            for key in (ident, ident.rsplit("/", 1)[1]):  # by id, and by name
                if ident in met:
                    _same_timeline(store, ident, key)
                    _same_show(store, ident, key)
                else:
                    with pytest.raises(UsageError, match="no component"):
                        api.timeline(store, "s", None, key)
        store.close()


def _same_timeline(store: Store, ident: str, key: str) -> None:
    for since in (None, 1):  # from the first observation, and with it as the baseline
        everything = api.timeline(store, "s", since)
        one = api.timeline(store, "s", since, key)
        assert [s.record.seq for s in one] == [s.record.seq for s in everything]
        assert [s.deltas for s in one] == [
            [d for d in s.deltas if d.component == ident] for s in everything
        ]
        assert [s.first for s in one] == [s.first for s in everything]


def _same_show(store: Store, ident: str, key: str) -> None:
    everything = api.show(store, "s")
    if not any(c.id == ident for c in [*everything.components, *everything.unseen]):
        with pytest.raises(UsageError, match="no component"):
            api.show(store, "s", key)
        return
    one = api.show(store, "s", key)
    assert one.components == [c for c in everything.components if c.id == ident]
    assert one.unseen == [c for c in everything.unseen if c.id == ident]
