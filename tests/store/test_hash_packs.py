"""Migration ``0006_ledger_hash_packs``: a store whose stored hashes are one row each, as the
code before it wrote them, opened by this code.

The old store is made by this code with the migrations before 0006 (its ledger tables as
they were) and filled as the old append did: entry rows, and one ``ledger_hashes`` row per
stored hash, equal to an in-memory tree of the same leaves (which the old store was tested
against). After the migration every pack must hold the old rows' hashes in order, the root
and every inclusion and consistency proof must be those of the in-memory tree, the store must
verify, and appends must go on from there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.ledger.packs import assert_packed_as, open_before

from stateward.ledger import merkle
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.merkle import stored_hash_index
from stateward.ledger.storage.interface import Cursor
from stateward.store import Store, open_store
from stateward.store.integrity import verify_store

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SIZE = 700  # stored hashes span six packs, the last one partly filled


def _old_store(
    location: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[Store, merkle.MemoryHashStore]:
    """A store with the schema before 0006 and a log of SIZE entries written as it held them."""
    store = open_before(location, monkeypatch, "0006_ledger_hash_packs")
    address = store.put_object(b"policy")
    leaves = [
        Entry(EntryType.POLICY, None, T0 + timedelta(seconds=i), {"p": address}).encode()
        for i in range(SIZE)
    ]
    reference = merkle.MemoryHashStore()
    reference.extend([merkle.leaf_hash(leaf) for leaf in leaves])

    def write(cursor: Cursor) -> None:
        cursor.insert_rows("ledger_entries", ("idx", "entry"), list(enumerate(leaves)))
        cursor.insert_rows("ledger_hashes", ("idx", "hash"), list(enumerate(reference.hashes)))
        cursor.execute("UPDATE ledger_log SET size = ? WHERE id = 0", (SIZE,))

    store.db.read_write(write)
    store.close()
    return store, reference


def test_an_old_store_is_packed_with_the_same_hashes_and_proofs(
    store_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, reference = _old_store(store_location, monkeypatch)
    store = open_store(store_location)
    assert_packed_as(store, reference, (0, 1, 255, 256, 511, 699), (1, 128, 300, 699))
    assert verify_store(store).ok
    address = store.put_object(b"later")
    store.ledger.append([Entry(EntryType.POLICY, None, T0, {"p": address})] * 300)
    report = verify_store(store)
    assert report.ok and report.log.size == SIZE + 300
    store.close()


def test_a_missing_old_row_is_named_by_verify_after_the_migration(
    store_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage the old layout could hold (a hash row deleted, one cut short) is kept as damage
    at the same place, not refused: the store still opens, and verify names the entries."""
    _old_store(store_location, monkeypatch)
    old = open_before(store_location, monkeypatch, "0006_ledger_hash_packs")
    leaf, node = stored_hash_index(0, 300), stored_hash_index(2, 40)  # entries 160..163
    old.db.read_write(lambda c: c.execute("DELETE FROM ledger_hashes WHERE idx = ?", (leaf,)))
    old.db.read_write(
        lambda c: c.execute("UPDATE ledger_hashes SET hash = ? WHERE idx = ?", (b"short", node))
    )
    old.close()
    store = open_store(store_location)
    assert [p.text() for p in verify_store(store).problems] == [
        "entry 160: the stored tree hash over entries 160..163 does not match them "
        "(the hash row was altered)",
        "entry 300: its stored leaf hash was altered (the entry matches the tree above it)",
    ]
    store.close()
