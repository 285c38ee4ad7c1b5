"""Migration ``0007_ledger_hash_packs_of_63``: a store whose stored hashes are in rows of 64, as
the code before it wrote them (migration 0006, and every append since: ``_store_hashes`` cut
the joined hashes in rows of 64 and rewrote the last, partly filled one), opened by this code.

The old store is made by this code with the migrations before 0007 and filled as the old code
held it: entry rows, and the stored hashes of an in-memory tree of the same leaves in rows of
64. After the migration every row but the last must hold 63 hashes, every hash its stored
index, the root and the inclusion and consistency proofs must be those of the in-memory tree,
the store must verify, and appends must go on from there. The rows are rewritten a run at a
time, last run first; the runs are cut small here too, so that more than one is rewritten.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.ledger.packs import assert_packed_as, open_before, stored_hashes

from stateward.errors import StorageError
from stateward.ledger import merkle
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.merkle import (
    StoredIndex,
    split_stored_hash_index,
    stored_hash_index,
)
from stateward.ledger.storage import schema as ledger_schema
from stateward.ledger.storage.interface import Cursor
from stateward.ledger.storage.schema import PACK, pack_rows
from stateward.store import Store, open_store
from stateward.store.integrity import verify_store

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SIZE = 4_500  # 8,995 stored hashes: 141 rows of 64, the last partly filled
OLD = 64


def _old_store(location: str, monkeypatch: pytest.MonkeyPatch) -> merkle.MemoryHashStore:
    """A store with the schema before 0007 and a log of SIZE entries, its hashes 64 a row."""
    store = open_before(location, monkeypatch, "0007_ledger_hash_packs_of_63")
    address = store.put_object(b"policy")
    leaves = [
        Entry(EntryType.POLICY, "shop", T0 + timedelta(seconds=i), {"p": address}).encode()
        for i in range(SIZE)
    ]
    reference = merkle.MemoryHashStore()
    reference.extend([merkle.leaf_hash(leaf) for leaf in leaves])
    rows = pack_rows(0, b"".join(reference.hashes), OLD)
    assert len(rows[-1][1]) < OLD * 32  # the last row is partly filled, as appends leave it

    def write(cursor: Cursor) -> None:
        cursor.insert_rows("ledger_entries", ("idx", "entry"), list(enumerate(leaves)))
        cursor.insert_rows("ledger_hash_packs", ("pack", "hashes"), rows)
        cursor.execute("UPDATE ledger_log SET size = ? WHERE id = 0", (SIZE,))

    store.db.read_write(write)
    store.close()
    return reference


@pytest.mark.parametrize("run", [PACK, 16 * PACK], ids=["runs-of-63-rows", "one-run"])
def test_an_old_store_is_repacked_with_the_same_hashes_and_proofs(
    store_location: str, monkeypatch: pytest.MonkeyPatch, run: int
) -> None:
    reference = _old_store(store_location, monkeypatch)
    monkeypatch.setattr(ledger_schema, "_REPACKED", run)  # 141 rows: three runs, or one
    store = open_store(store_location)
    leaves = (0, 1, 2015, 2016, 2047, 4031, 4032, 4499)  # where rows of 63 and 64 meet, or not
    assert_packed_as(store, reference, leaves, (1, 63, 64, 2016, 4096, 4499))
    assert verify_store(store).ok
    _appends_go_on(store, reference)
    store.close()


def _appends_go_on(store: Store, reference: merkle.MemoryHashStore) -> None:
    """Appends after the migration fill the last row of 63 and go on: the same stored hashes
    as the in-memory tree given the same leaves."""
    address = store.put_object(b"later")
    later = [Entry(EntryType.POLICY, None, T0, {"p": address})] * 300
    store.ledger.append(later)
    reference.extend([merkle.leaf_hash(entry.encode()) for entry in later])
    assert stored_hashes(store.db) == reference.hashes
    report = verify_store(store)
    assert report.ok and report.log.size == SIZE + 300


def test_an_old_store_is_refused_read_only_until_opened_for_writing(
    store_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store opened read-only is not migrated: its rows of 64, read as rows of 63, would give
    wrong hashes and proofs, so it is refused with the way out, which then works."""
    reference = _old_store(store_location, monkeypatch)
    with pytest.raises(StorageError, match="as an older version wrote them") as refused:
        open_store(store_location, read_only=True)
    assert "stateward ledger checkpoint" in (refused.value.remedy or "")
    open_store(store_location, create=False).close()
    store = open_store(store_location, read_only=True)
    assert stored_hashes(store.db) == reference.hashes
    assert verify_store(store).ok
    store.close()


def test_a_damaged_old_row_is_named_by_verify_after_the_migration(
    store_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage the rows of 64 could hold (a row deleted, one cut short) is kept as damage at the
    same place, not refused: the store still opens, and verify names the entries."""
    _old_store(store_location, monkeypatch)
    old = open_before(store_location, monkeypatch, "0007_ledger_hash_packs_of_63")
    gone, short = stored_hash_index(0, 1000) // OLD, stored_hash_index(0, 3000) // OLD
    old.db.read_write(lambda c: c.execute("DELETE FROM ledger_hash_packs WHERE pack = ?", (gone,)))
    old.db.read_write(
        lambda c: c.execute(
            "UPDATE ledger_hash_packs SET hashes = ? WHERE pack = ?", (b"short", short)
        )
    )
    old.close()
    store = open_store(store_location)
    problems = [p.text() for p in verify_store(store).problems]
    assert all("altered" in text for text in problems)
    named = {int(text.split(":")[0].removeprefix("entry ")) for text in problems}
    for row in (gone, short):  # each damaged row is named, and only the entries under it
        under = _entries_under(row)
        assert named & under
        named -= under
    assert not named
    store.close()


def _entries_under(row: int) -> set[int]:
    """The entries whose hashes (theirs, or their subtrees') a row of 64 held."""
    levels = [split_stored_hash_index(StoredIndex(i)) for i in range(row * OLD, (row + 1) * OLD)]
    return {leaf for level, n in levels for leaf in range(n << level, (n + 1) << level)}
