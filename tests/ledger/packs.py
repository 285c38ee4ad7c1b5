"""Stored tree hashes edited under the ledger's feet, for tests: ``ledger_hash_packs`` holds
them :data:`PACK` to a row, so one hash is changed by rewriting its row."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from stateward.ledger import merkle
from stateward.ledger.merkle import HASH_SIZE, LeafIndex, MemoryHashStore, TreeSize
from stateward.ledger.storage import sql
from stateward.ledger.storage.interface import Cursor, Database
from stateward.ledger.storage.schema import PACK
from stateward.store import Store, open_store, schema


def stored_hashes(db: Database) -> list[bytes]:
    """Every stored hash, in stored order."""
    rows = db.read_only(lambda c: c.execute("SELECT hashes FROM ledger_hash_packs ORDER BY pack"))
    data = b"".join(bytes(h) for (h,) in rows)
    return [data[at : at + HASH_SIZE] for at in range(0, len(data), HASH_SIZE)]


def write_stored_hash(db: Database, index: int, value: bytes) -> None:
    """Replace the hash stored at ``index``."""

    def write(cursor: Cursor) -> None:
        pack, at = divmod(index, PACK)
        rows = cursor.execute("SELECT hashes FROM ledger_hash_packs WHERE pack = ?", (pack,))
        data = bytearray(rows[0][0])
        data[at * HASH_SIZE : (at + 1) * HASH_SIZE] = value
        cursor.execute(
            "UPDATE ledger_hash_packs SET hashes = ? WHERE pack = ?", (bytes(data), pack)
        )

    db.read_write(write)


def keep_stored_hashes(db: Database, count: int) -> None:
    """Delete the stored hashes from ``count`` on."""

    def cut(cursor: Cursor) -> None:
        pack, at = divmod(count, PACK)
        cursor.execute("DELETE FROM ledger_hash_packs WHERE pack > ?", (pack,))
        rows = cursor.execute("SELECT hashes FROM ledger_hash_packs WHERE pack = ?", (pack,))
        if rows and at:
            kept = bytes(rows[0][0])[: at * HASH_SIZE]
            cursor.execute("UPDATE ledger_hash_packs SET hashes = ? WHERE pack = ?", (kept, pack))
        elif rows:
            cursor.execute("DELETE FROM ledger_hash_packs WHERE pack = ?", (pack,))

    db.read_write(cut)


def assert_packed_as(
    store: Store, reference: MemoryHashStore, indexes: Iterable[int], olds: Iterable[int]
) -> None:
    """The store's rows hold ``reference``'s stored hashes in order, :data:`PACK` to a row
    (the last may hold fewer), and give its root, and its inclusion proofs of ``indexes`` and
    consistency proofs from ``olds``, byte for byte."""
    assert stored_hashes(store.db) == reference.hashes
    rows = store.db.read_only(
        lambda c: c.execute("SELECT pack, LENGTH(hashes) FROM ledger_hash_packs ORDER BY pack")
    )
    whole, rest = divmod(len(reference.hashes), PACK)
    assert [(int(p), int(n)) for p, n in rows] == [
        *((p, PACK * HASH_SIZE) for p in range(whole)),
        *([(whole, rest * HASH_SIZE)] if rest else []),
    ]
    size = reference.size
    checkpoint, _ = store.ledger.checkpoint()
    assert checkpoint.root_hash == merkle.tree_hash(size, reference)
    reader = sql.DatabaseHashes(store.db)
    for index in map(LeafIndex, indexes):
        assert merkle.inclusion_proof(index, size, reader) == merkle.inclusion_proof(
            index, size, reference
        )
    for old in map(TreeSize, olds):
        assert merkle.consistency_proof(old, size, reader) == merkle.consistency_proof(
            old, size, reference
        )


def open_before(location: str, monkeypatch: pytest.MonkeyPatch, migration: str) -> Store:
    """The store at ``location`` as the code before ``migration`` opened it: the migrations
    before it applied, not it or any after."""
    before = [m for m in schema.MIGRATIONS if m[0] < migration]
    assert schema.MIGRATIONS[len(before)][0] == migration
    with monkeypatch.context() as patched:
        patched.setattr(schema, "MIGRATIONS", before)
        return open_store(location)
