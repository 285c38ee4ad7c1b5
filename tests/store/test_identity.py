"""Names cannot collide: every identity (resource names in manifests, component ids) is encoded
unambiguously, and history stored with the old encoding still reads, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from stateward.api import observe
from stateward.model.canonical import canonical_json, digest_bytes
from stateward.model.resource import (
    Origin,
    Resource,
    ResourceKey,
    identity,
    quote_part,
    stored_names,
)
from stateward.store import open_database, open_store
from stateward.store.schema import MIGRATIONS, migrate

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
COLLIDING = """\
apiVersion: v1
kind: ConfigMap
metadata: {namespace: "a|b", name: c}
data: {which: first}
---
apiVersion: v1
kind: ConfigMap
metadata: {namespace: a, name: "b|c"}
data: {which: second}
---
apiVersion: apps/v1
kind: Deployment
metadata: {namespace: "a/b", name: c}
spec: {template: {spec: {containers: [{name: app, image: "one:1"}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {namespace: a, name: "b/c"}
spec: {template: {spec: {containers: [{name: app, image: "two:2"}]}}}
"""

_part = st.text(st.sampled_from("ab|/%2F7C"), max_size=6)


@given(st.tuples(_part, _part, _part, _part), st.tuples(_part, _part, _part, _part))
def test_stored_names_round_trip_and_never_collide(
    one: tuple[str, str, str, str], two: tuple[str, str, str, str]
) -> None:
    a, b = ResourceKey(*one), ResourceKey(*two)
    assert ResourceKey.from_stored_name(a.stored_name()) == a
    assert (a.stored_name() == b.stored_name()) == (a == b)
    assert (identity(*one) == identity(*two)) == (one == two)


@given(st.lists(_part | st.text(max_size=8), min_size=1, max_size=5), st.sampled_from("/|"))
def test_an_identity_is_its_parts_each_quoted_then_joined(parts: list[str], sep: str) -> None:
    # the shortcut for parts with nothing to quote gives what quoting each part gives
    assert identity(*parts, separator=sep) == sep.join(quote_part(p) for p in parts)


_plain = st.text(st.sampled_from("ab-.7"), max_size=6)
_plain_key = st.tuples(_plain, _plain, _plain, _plain)
_quoted = st.builds(lambda a, c, b: a + c + b, _plain, st.sampled_from("|/%"), _plain)
_odd_key = st.builds(
    lambda parts, at, odd: (*parts[:at], odd, *parts[at + 1 :]),
    _plain_key,
    st.integers(0, 3),
    _quoted,
) | st.tuples(_part, _part, _part, _part)


@given(st.lists(_plain_key, max_size=6), st.none() | _odd_key)
def test_a_record_names_its_keys_at_once_as_each_names_itself(
    plain: list[tuple[str, str, str, str]], odd: tuple[str, str, str, str] | None
) -> None:
    # keys with nothing to quote take the shortcut all at once; one with a part to quote (a
    # "|", "/" or "%" in it) sends every key to its own stored_name
    keys = [ResourceKey(*p) for p in plain]
    if odd is not None:
        keys.insert(len(keys) // 2, ResourceKey(*odd))
    assert stored_names(keys) == [key.stored_name() for key in keys]


def test_names_with_separators_stay_two_objects_and_two_components(
    store_location: str, tmp_path: Path
) -> None:
    path = tmp_path / "colliding.yaml"
    path.write_text(COLLIDING)
    store = open_store(store_location)
    seen = observe([str(path)], estate="e", keeper=store.keeper, clock=lambda: T0)
    assert not seen.errors
    loaded = store.load(store.record(seen))
    maps = {(r.key.namespace, r.key.name): r.body["data"]["which"] for r in loaded.resources
            if r.key.kind == "ConfigMap"}  # fmt: skip
    assert maps == {("a|b", "c"): "first", ("a", "b|c"): "second"}
    images = {c.id: c.images[0].ref for c in loaded.components}
    assert images == {
        "k8s:Deployment/a%2Fb/c": "one:1",
        "k8s:Deployment/a/b%2Fc": "two:2",
    }
    store.close()


def test_history_stored_with_the_old_encoding_still_reads(store_location: str) -> None:
    """A store made before headers and quoted names: its manifest (version 1) names resources
    ``group|kind|namespace|name`` unquoted. It migrates, reads, and takes a delta on top."""
    db = open_database(store_location)
    migrate(db, MIGRATIONS[:2])
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x|y"}}
    data = canonical_json(body)
    manifest = canonical_json(
        {
            "v": 1,
            "full": {
                "resources": {"|ConfigMap|shop|x|y": [digest_bytes(data), "manifests", "f:1"]},
                "components": {},
                "findings": {},
            },
            "errors": [],
        }
    )
    summary = {"sources": ["f"], "resources": 1, "components": 0, "findings": 0, "errors": 0}

    def legacy(cursor):  # type: ignore[no-untyped-def]
        for blob in (data, manifest):
            cursor.execute(
                "INSERT INTO objects (digest, data) VALUES (?, ?)",
                (digest_bytes(blob), zlib.compress(blob)),
            )
        cursor.execute(
            "INSERT INTO observations (estate, time, manifest, depth, complete, summary) "
            "VALUES (?, ?, ?, 0, 1, ?)",
            ("shop", T0.isoformat(), digest_bytes(manifest), json.dumps(summary)),
        )

    db.read_write(legacy)
    db.close()
    store = open_store(store_location)
    (old,) = store.history("shop")
    assert (old.seq, old.header, old.summary["resources"]) == (1, None, 1)
    (resource,) = store.load(old).resources
    assert resource.key == ResourceKey("", "ConfigMap", "shop", "x|y")
    again = store.load(old)
    extra = ResourceKey("", "ConfigMap", "shop", "z")
    again.resources.append(Resource.of(extra, {"kind": "ConfigMap"}, Origin("manifests", "f:9")))
    later = store.load(store.record(again))  # a version 2 delta on a version 1 parent
    assert sorted(r.key for r in later.resources) == [resource.key, extra]
    assert [r.seq for r in store.history("shop")] == [1, 2]
    store.close()
