"""Objects put in the store ahead of the observation that names them (a watch's first list,
stored page by page as it arrives): named, not written again, and checked to be there."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from stateward.model.component import Component
from stateward.model.finding import Finding, Severity
from stateward.model.observation import Observation
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.store import Store
from stateward.store import store as store_module
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


def _first_observation() -> Observation:
    observation = _observation({"a": "1"}, {"b": "2"})
    observation.components.append(
        Component.of(id="k8s:Deployment/default/w", kind="Deployment", name="w",
                     namespace="default", source="manifests", images=(),
                     context={"env": {"w": {"A": "1"}}})
    )  # fmt: skip
    observation.findings.append(
        Finding("UNPINNED_IMAGE", Severity.MEDIUM, "m", component="k8s:Deployment/default/w")
    )
    return observation


def test_an_estates_first_observation_is_put_ahead_in_batches_and_named(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its objects are stored before the write that names them, a batch at a time, and the
    observation records them as one written whole would."""
    monkeypatch.setattr(store_module, "_AHEAD_BYTES", 1)  # each object a batch of its own
    batches: list[list[str]] = []
    put = Store.put_objects
    monkeypatch.setattr(Store, "put_objects", lambda s, o: (batches.append(list(o)), put(s, o)))
    observation = _first_observation()
    saved = store.record(observation)
    named = store.resource_objects(saved) | set(
        store._manifest(saved.manifest).maps["components"].values()
    )
    assert len(batches) >= 4 and max(map(len, batches)) == 1  # two bodies, a component, findings
    assert named <= {d for batch in batches for d in batch}
    loaded = store.load(saved)
    assert [r.body for r in loaded.resources] == [r.body for r in observation.resources]
    assert loaded.components == observation.components
    assert loaded.findings == observation.findings
    assert verify_store(store).ok


@pytest.mark.parametrize("erased", ["body", "component", "findings"])
def test_an_object_a_first_observation_put_ahead_then_erased_is_stored_again(
    store: Store, monkeypatch: pytest.MonkeyPatch, erased: str
) -> None:
    """A tombstone may erase an object equal to one put ahead (another observation's) before
    the write that names it: the write stores it again."""
    observation = _first_observation()
    staged = store_module._Ahead.staged

    def erasing(ahead: store_module._Ahead) -> Staged:
        done = staged(ahead)
        (target,) = [d for d in ahead.digests if _is(store.get_json(d), erased)]
        store.erase_object(target, "test")
        return done

    monkeypatch.setattr(store_module._Ahead, "staged", erasing)
    saved = store.record(observation)
    loaded = store.load(saved)
    assert [r.body for r in loaded.resources] == [r.body for r in observation.resources]
    assert loaded.components == observation.components
    assert loaded.findings == observation.findings
    assert verify_store(store).ok


def _is(stored: Any, what: str) -> bool:
    """Whether a stored object is the first observation's first body, its component or its
    findings."""
    if what == "body":
        return stored == {"kind": "ConfigMap", "data": {"a": "1"}}
    if what == "component":
        return isinstance(stored, dict) and stored.get("id") == "k8s:Deployment/default/w"
    return isinstance(stored, list)


def test_objects_put_ahead_are_written_through_a_small_page_cache(store: Store) -> None:
    """SQLite writes them keeping few of their pages (a scan's first record filled the whole
    page cache with them), and the store's cache is back after, a failed write's too."""
    if store.db.dialect != "sqlite":
        pytest.skip("PostgreSQL caches pages in the server")
    size = "PRAGMA cache_size"
    before = store.db.read_only(lambda c: c.execute(size))
    during = store.db.write_new(lambda c: c.execute(size))
    assert (before, during) == ([(-16384,)], [(-2048,)])
    with pytest.raises(ZeroDivisionError):
        store.db.write_new(lambda c: 1 // 0)
    assert store.db.read_only(lambda c: c.execute(size)) == before
