"""Leaves written by an earlier Entry.encode (stateward 1989edc, before the ledger8 change made
encoding cheaper) are the ledger's format: the same fields must give the same bytes, the same
leaf hashes, and in a store the same root and byte-identical inclusion proofs.

``tests/data/ledger/entries-1989edc.json`` was written by that code: every entry type, times
in four zones with and without microseconds, the first and last representable seconds, one
before the epoch, several objects, a tombstone's reason and estates needing JSON escapes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from stateward.ledger import merkle
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.merkle import LeafIndex, TreeSize
from stateward.ledger.storage import sql
from stateward.store import open_store

_WRITTEN = json.loads(
    (Path(__file__).parents[1] / "data" / "ledger" / "entries-1989edc.json").read_text("utf-8")
)


def _entry(row: dict[str, Any]) -> Entry:
    time = datetime.fromisoformat(row["time"])
    return Entry(EntryType(row["type"]), row["estate"], time, row["objects"], row["reason"])


@pytest.mark.parametrize("row", _WRITTEN["entries"], ids=lambda row: row["time"])
def test_the_same_fields_encode_to_the_leaf_written_before(row: dict[str, Any]) -> None:
    leaf = row["leaf"].encode("utf-8")
    assert _entry(row).encode() == leaf
    assert merkle.leaf_hash(leaf).hex() == row["leaf_hash"]
    assert Entry.decode(leaf).encode() == leaf


def test_a_store_of_them_has_the_root_and_proofs_written_before(location: str) -> None:
    store = open_store(location)
    try:
        store.ledger.append([_entry(row) for row in _WRITTEN["entries"]])
        size = TreeSize(_WRITTEN["tree_size"])
        assert store.ledger.size() == size
        root = merkle.tree_hash(size, sql.DatabaseHashes(store.db))
        assert root.hex() == _WRITTEN["root_hash"]
        for index, row in enumerate(_WRITTEN["entries"]):
            at = LeafIndex(index)
            proof = store.db.read_only(lambda c, at=at: store.ledger.inclusion_proof(c, at, size))
            assert [h.hex() for h in proof] == row["inclusion_proof"]
            stored = store.db.read_only(lambda c, at=at: sql.read_entries(c, at, at + 1))[0]
            assert stored == row["leaf"].encode("utf-8")
    finally:
        store.close()
