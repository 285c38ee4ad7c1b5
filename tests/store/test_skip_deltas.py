"""An estate recorded again and again with one change each time (what ``watch`` does) stores
what changed, not a full snapshot every few recordings, and every observation still reads back
whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from stateward.api._observe import observation_of
from stateward.model.observation import Observation
from stateward.sources.manifests import parse_manifests
from stateward.store import Store, open_store
from stateward.store.manifest import MAX_DEPTH

OBJECTS = 300
CHANGES = 70
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _observation(store: Store, levels: dict[int, str], n: int) -> Observation:
    docs = [
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": f"cm-{i:04}", "namespace": "default"},
         "data": {"LOG_LEVEL": levels.get(i, "info")}}
        for i in range(OBJECTS)
    ]  # fmt: skip
    read = parse_manifests(
        "cluster.yaml", "\n---\n".join(json.dumps(d) for d in docs), store.keeper
    )
    clock = lambda: T0 + timedelta(seconds=n)  # noqa: E731
    return observation_of("live", ["kube://"], read.resources, clock=clock)


def _manifest_bytes(store: Store) -> int:
    sql = (
        "SELECT COALESCE(SUM(LENGTH(o.data)), 0) FROM objects o"
        " WHERE o.digest IN (SELECT manifest FROM observations)"
    )
    return int(store.db.read_only(lambda c: c.execute(sql))[0][0])


def test_one_change_at_a_time_stores_no_full_snapshot_and_reads_back(store_location: str) -> None:
    store = open_store(store_location)
    levels: dict[int, str] = {}
    first = store.record(_observation(store, levels, 0))
    full = _manifest_bytes(store)
    records = [first]
    for n in range(1, CHANGES + 1):
        levels[n % OBJECTS] = f"debug-{n}"
        records.append(store.record(_observation(store, levels, n)))
    depths = [r.depth for r in records]
    # A delta each time, never a chain longer than the bound; before, every 17th was full.
    assert depths[0] == 0 and 0 not in depths[1:] and max(depths) <= MAX_DEPTH
    # A change costs a small, near-constant delta (a few digests): under 1/20 of a snapshot.
    assert (_manifest_bytes(store) - full) / CHANGES < full / 20
    for n in (1, 17, 34, 64, CHANGES):  # any time reads back whole: `at`, `show`
        seen = store.load(store.latest("live", T0 + timedelta(seconds=n)))  # type: ignore[arg-type]
        data = {str(r.key): r.body["data"]["LOG_LEVEL"] for r in seen.resources}
        assert len(data) == OBJECTS
        assert data["ConfigMap/default/cm-0001"] == "debug-1"
        assert data[f"ConfigMap/default/cm-{n:04}"] == f"debug-{n}"
        assert data[f"ConfigMap/default/cm-{n + 1:04}"] == "info"
    store.close()


def test_an_object_the_previous_observation_named_is_stored_again_once_erased(
    store_location: str,
) -> None:
    store = open_store(store_location)
    first = store.record(_observation(store, {}, 0))
    body = next(r for r in store.load(first).resources if r.key.name == "cm-0002")
    store.erase_object(body.digest, "test: a resource erased from an old observation")
    second = store.record(_observation(store, {1: "debug"}, 1))  # cm-0002 as it was
    # Not written again because the previous manifest names it? It was erased: written again.
    again = next(r for r in store.load(second).resources if r.key.name == "cm-0002")
    assert again.digest == body.digest and again.body == body.body
    store.close()
