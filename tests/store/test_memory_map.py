"""A SQLite connection that cannot write reads through a memory map; one that writes does not.

The map is for readers' speed (proofs, ``ledger verify``); a writer's process keeps what it
touches out of its resident set (``stateward.store.database._MMAP_BYTES``). Reads through the
map must be the reads without it, commits made after the reader opened included (in WAL mode
they are in the log, not yet in the mapped file).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.ledger import merkle
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.merkle import LeafIndex, TreeSize
from stateward.ledger.storage import sql
from stateward.store import Store, open_store
from stateward.store.database import SQLiteDatabase

T0 = datetime(2026, 12, 6, tzinfo=UTC)


def _mmap_size(db: SQLiteDatabase) -> int:
    return int(db.read_only(lambda c: c.execute("PRAGMA mmap_size"))[0][0])


def _append(store: Store, count: int) -> None:
    address = store.put_object(b"mapped policy")
    start = store.ledger.size()
    store.ledger.append(
        [
            Entry(EntryType.POLICY, "map", T0 + timedelta(seconds=i), {"policy": address})
            for i in range(start, start + count)
        ]
    )


def test_only_a_connection_that_cannot_write_is_memory_mapped(tmp_path: Path) -> None:
    writer = open_store(str(tmp_path / "store"))
    _append(writer, 3)
    reader = open_store(str(tmp_path / "store"), read_only=True)
    try:
        assert isinstance(writer.db, SQLiteDatabase) and isinstance(reader.db, SQLiteDatabase)
        assert _mmap_size(writer.db) == 0
        assert _mmap_size(reader.db) > 0
        assert _mmap_size(reader.db.open_reader()) > 0  # ledger verify's workers
    finally:
        reader.close()
        writer.close()


@settings(max_examples=8, deadline=None)
@given(batches=st.lists(st.integers(1, 700), min_size=1, max_size=4), seed=st.integers(0, 2**32))
def test_a_mapped_reader_proves_what_the_writer_proves(
    tmp_path_factory: pytest.TempPathFactory, batches: list[int], seed: int
) -> None:
    """Proofs read through the map equal the writer's, for entries appended before and after
    the reader opened; and they verify against the root the writer computes."""
    directory = tmp_path_factory.mktemp("mapped")
    writer = open_store(str(directory / "store"))
    _append(writer, batches[0])
    reader = open_store(str(directory / "store"), read_only=True)
    try:
        for count in batches[1:]:
            _append(writer, count)  # committed while the reader is open
        size = TreeSize(sum(batches))
        root = writer.db.read_only(lambda c: merkle.tree_hash(size, sql.CursorHashes(c)))
        rng = random.Random(seed)
        for index in [LeafIndex(rng.randrange(size)) for _ in range(20)]:
            mapped = reader.db.read_only(
                lambda c, i=index: reader.ledger.inclusion_proof(c, i, size)
            )
            read = writer.db.read_only(lambda c, i=index: writer.ledger.inclusion_proof(c, i, size))
            assert mapped == read
            leaf = reader.db.read_only(lambda c, i=index: sql.read_entries(c, i, i + 1)[0])
            merkle.verify_inclusion(merkle.leaf_hash(leaf), index, size, mapped, root)
    finally:
        reader.close()
        writer.close()
