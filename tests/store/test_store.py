"""Store conformance: the same assertions on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stateward.api import observe
from stateward.errors import LedgerIntegrityError, StorageError
from stateward.store import open_store
from stateward.store.manifest import MAX_DEPTH

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_observation_round_trip(store_location: str) -> None:
    store = open_store(store_location)
    seen = observe([str(SHOP / "production")], estate="shop", keeper=store.keeper, clock=lambda: T0)
    record = store.record(seen)
    loaded = store.load(record)
    assert {r.key: r.digest for r in loaded.resources} == {r.key: r.digest for r in seen.resources}
    assert {c.id: c.context_fingerprint for c in loaded.components} == {
        c.id: c.context_fingerprint for c in seen.components
    }
    assert sorted(f.as_dict()["message"] for f in loaded.findings) == sorted(
        f.message for f in seen.findings
    )
    assert record.summary["components"] == 7
    store.close()


def test_history_point_in_time_and_estates(store_location: str) -> None:
    store = open_store(store_location)
    for minute, where in ((0, "production"), (10, "live/production.yaml")):
        store.record(
            observe(
                [str(SHOP / where)],
                estate="shop",
                keeper=store.keeper,
                clock=lambda m=minute: at(m),
            )
        )
    store.record(
        observe([str(SHOP / "staging")], estate="staging", keeper=store.keeper, clock=lambda: at(5))
    )
    assert [(e, n) for e, n, _ in store.estates()] == [("shop", 2), ("staging", 1)]
    assert [r.time for r in store.history("shop")] == [at(0), at(10)]
    assert store.latest("shop", at(9)).time == at(0)  # type: ignore[union-attr]
    assert store.latest("shop", at(10)).time == at(10)  # type: ignore[union-attr]
    assert store.latest("shop", at(-1)) is None
    store.close()


def test_unchanged_rescans_reuse_objects_and_deltas_stay_readable(store_location: str) -> None:
    store = open_store(store_location)
    first = observe([str(SHOP / "production")], estate="shop", keeper=store.keeper)
    records = [store.record(first) for _ in range(MAX_DEPTH + 3)]
    count = store.db.read_only(lambda c: c.execute("SELECT COUNT(*) FROM objects"))[0][0]
    # One manifest object per recording at most: resources and components are stored once.
    assert (
        count
        <= len(first.resources) + len(first.components) + len(first.findings) + len(records) + 5
    )
    for record in records:
        assert {c.id for c in store.load(record).components} == {c.id for c in first.components}
    store.close()


def test_a_stored_object_that_was_altered_is_detected(store_location: str) -> None:
    store = open_store(store_location)
    address = store.put_object(b"evidence")
    assert store.get_object(address) == b"evidence"
    import zlib

    store.db.read_write(
        lambda c: c.execute(
            "UPDATE objects SET data = ? WHERE digest = ?", (zlib.compress(b"forged"), address)
        )
    )
    with pytest.raises(LedgerIntegrityError, match="does not match its digest"):
        store.get_object(address)
    with pytest.raises(LedgerIntegrityError, match="missing from the store"):
        store.get_object("sha256:" + "0" * 64)
    store.close()


def test_a_failed_write_leaves_nothing_behind(store_location: str) -> None:
    store = open_store(store_location)
    before = store.db.read_only(lambda c: c.execute("SELECT COUNT(*) FROM objects"))[0][0]

    def half_then_fail(cursor: object) -> None:
        cursor.execute("INSERT INTO objects (digest, data) VALUES (?, ?)", ("sha256:x", b"y"))  # type: ignore[attr-defined]
        raise RuntimeError("crash in the middle")

    with pytest.raises(RuntimeError):
        store.db.read_write(half_then_fail)
    after = store.db.read_only(lambda c: c.execute("SELECT COUNT(*) FROM objects"))[0][0]
    assert after == before
    store.close()


def test_unknown_store_url_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match="unknown store URL 'mysql://x'"):
        open_store("mysql://x")


def test_unreachable_postgresql_is_a_storage_error_without_password() -> None:
    with pytest.raises(
        StorageError, match=r"cannot connect to postgresql://u:\*\*\*@127.0.0.1:1/db"
    ) as info:
        open_store("postgresql://u:topsecret@127.0.0.1:1/db")
    assert "topsecret" not in info.value.diagnostics()
    # what to check is the server and the URL, not the store's file permissions
    assert info.value.remedy.startswith("Check that the PostgreSQL server is running")


def test_batched_reads_and_loading_without_resources(store_location: str) -> None:
    store = open_store(store_location)
    blobs = [f"blob {i}".encode() for i in range(1_234)]  # more than one read batch
    addresses = [store.put_object(b) for b in blobs]
    read = store.get_objects(addresses)  # one call: a call per address read them all 1,234 times
    assert [read[a] for a in addresses] == blobs
    record = store.record(observe([str(SHOP / "production")], estate="shop", keeper=store.keeper))
    full, light = store.load(record), store.load(record, resources=False)
    assert light.resources == [] and len(full.resources) == record.summary["resources"]
    assert [c.context_fingerprint for c in light.components] == [
        c.context_fingerprint for c in full.components
    ]
    assert len(light.findings) == len(full.findings) == record.summary["findings"]
    store.close()


def test_binary_queries_read_what_text_queries_read(store_location: str) -> None:
    """``query_binary`` (the ledger's bulk reads) gives the rows and types ``execute`` gives."""
    store = open_store(store_location)
    address = store.put_object(b"a policy")
    for at_ in range(3):
        store.append_entry("policy", "shop", {"policy": address}, time=at(at_))
    queries = [
        "SELECT idx, entry FROM ledger_entries ORDER BY idx",
        "SELECT pack, hashes, LENGTH(hashes) FROM ledger_hash_packs ORDER BY pack",
        "SELECT origin, vkey, size FROM ledger_log",
        "SELECT substr(hashes, 33, 32), substr(hashes, 1, 0) FROM ledger_hash_packs",
    ]
    for query in queries:
        text, binary = store.db.read_only(lambda c, q=query: (c.execute(q), c.query_binary(q)))
        assert binary == text and binary
        assert [list(map(type, row)) for row in binary] == [list(map(type, r)) for r in text]
    entries = store.db.read_only(lambda c: c.query_binary(queries[0]))
    assert all(isinstance(entry, bytes) and entry.startswith(b"{") for _, entry in entries)
    store.close()
