"""A resource's stamp (what a source compares before reading the body again) is kept beside it
in the manifest, full or delta; a lazy load reads a body only when it is used, and recording
such a body again writes nothing for it."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

from stateward.api._observe import observation_of
from stateward.model.observation import Observation
from stateward.model.resource import Resource
from stateward.sources.manifests import parse_manifests
from stateward.store import Store, open_store
from stateward.store.bodies import StoredBody

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _resources(store: Store) -> list[Resource]:
    docs = [
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": f"cm-{i}", "namespace": "default"}, "data": {"n": str(i)}}
        for i in range(4)
    ]  # fmt: skip
    read = parse_manifests("c.yaml", "\n---\n".join(json.dumps(d) for d in docs), store.keeper)
    return [
        dataclasses.replace(r, stamp=f"stamp-{n}" if n % 2 else "")
        for n, r in enumerate(read.resources)
    ]


def _observed(resources: list[Resource], n: int) -> Observation:
    return observation_of("e", ["c.yaml"], resources, clock=lambda: T0 + timedelta(seconds=n))


def _objects(store: Store) -> int:
    return int(store.db.read_only(lambda c: c.execute("SELECT COUNT(*) FROM objects"))[0][0])


def test_stamps_are_kept_and_lazy_bodies_read_when_used(store_location: str) -> None:
    store = open_store(store_location)
    resources = _resources(store)
    first = store.record(_observed(resources, 0))
    stamps = {r.key: r.stamp for r in resources}
    eager, lazy = store.load(first), store.load(first, lazy=True)
    assert {r.key: r.stamp for r in eager.resources} == stamps
    assert {r.key: r.stamp for r in lazy.resources} == stamps
    bodies = [r.body for r in lazy.resources]
    assert all(isinstance(b, StoredBody) and not b.loaded for b in bodies)
    assert dict(bodies[0]) == eager.resources[0].body and bodies[0].loaded
    assert not any(b.loaded for b in bodies[1:])  # type: ignore[attr-defined]
    # one stamp changed, the bodies left unread: a delta naming the new stamp, no object rewritten
    before = _objects(store)
    again = [
        dataclasses.replace(r, stamp="new") if r.stamp == "stamp-1" else r for r in lazy.resources
    ]
    second = store.record(_observed(again, 1))
    assert not second.unchanged and second.depth == 1
    assert _objects(store) == before + 2  # its manifest and header: the bodies are stored
    reread = {r.key: r for r in store.load(second).resources}
    assert {k: r.stamp for k, r in reread.items()} == {**stamps, resources[1].key: "new"}
    assert {k: r.digest for k, r in reread.items()} == {r.key: r.digest for r in resources}
    store.close()
