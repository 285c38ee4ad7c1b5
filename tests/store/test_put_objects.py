"""Objects put in the store ahead of the observation that names them (a watch's first list,
stored page by page as it arrives): named, not written again, and checked to be there."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stateward.model.observation import Observation
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.store import Store
from stateward.store.integrity import verify_store
from stateward.store.staged import Staged


def _observations(store: Store) -> int:
    return int(store.db.read_only(lambda c: c.execute("SELECT COUNT(*) FROM observations"))[0][0])


def _observation(*bodies: dict[str, str]) -> Observation:
    resources = []
    for i, body in enumerate(bodies):
        key = ResourceKey("", "ConfigMap", "default", f"c{i}")
        resources.append(Resource.of(key, {"kind": "ConfigMap", "data": body}, Origin("f", "x")))
    return Observation("e", datetime.now(UTC), ("x",), resources)


def test_objects_put_before_their_observation_are_named_not_written_again(store: Store) -> None:
    observation = _observation({"a": "1"}, {"b": "2"})
    first = observation.resources[0]
    since = store.ledger.size()
    store.put_objects({first.digest: first.canonical})
    assert _observations(store) == 0 and store.get_object(first.digest) == first.canonical

    saved = store.record(observation, stored=Staged({first.digest}, since))
    assert store.resource_objects(saved) == {r.digest for r in observation.resources}
    loaded = store.load(saved)
    assert [r.body for r in loaded.resources] == [r.body for r in observation.resources]


def test_an_object_put_then_erased_before_its_observation_is_stored_again(store: Store) -> None:
    observation = _observation({"a": "1"}, {"b": "2"})
    first = observation.resources[0]
    since = store.ledger.size()
    store.put_objects({first.digest: first.canonical})
    store.erase_object(first.digest, "test")

    saved = store.record(observation, stored=Staged({first.digest}, since))
    assert store.get_object(first.digest) == first.canonical
    loaded = store.load(saved)
    assert [r.body for r in loaded.resources] == [r.body for r in observation.resources]


@pytest.mark.parametrize("erased", ["never", "before staging", "after staging", "another"])
def test_every_object_a_staged_observation_names_is_stored(store: Store, erased: str) -> None:
    """Whenever a tombstone erased an object put ahead (before its staging began, or after),
    or erased another, the observation naming it is recorded with every object it names
    stored, and the store verifies."""
    earlier = _observation({"a": "1"}, {"c": "3"})
    store.record(earlier)  # the estate's objects, a tombstone can erase them
    observation = _observation({"a": "1"}, {"b": "2"})
    first = observation.resources[0]
    if erased == "before staging":
        store.erase_object(first.digest, "test")
    since = store.ledger.size()
    store.put_objects({r.digest: r.canonical for r in observation.resources})
    if erased == "after staging":
        store.erase_object(first.digest, "test")
    elif erased == "another":
        store.erase_object(earlier.resources[1].digest, "test")

    saved = store.record(observation, stored=Staged({r.digest for r in observation.resources},
                                                    since))  # fmt: skip
    named = store.resource_objects(saved)
    assert named == {r.digest for r in observation.resources}
    assert store.get_objects(named) == {r.digest: r.canonical for r in observation.resources}
    assert [r.body for r in store.load(saved).resources] == [r.body for r in observation.resources]
    assert verify_store(store).ok
