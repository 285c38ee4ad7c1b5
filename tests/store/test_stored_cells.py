"""Objects under :data:`~stateward.model.encoded.STORED_BELOW` bytes written in bulk (a watch's
first list, an estate's first observation) are kept in a zlib stream of one stored block, the
others compressed: both read back byte for byte, a store whose every cell was compressed (as
every store was written before) reads and verifies as it did, and what an observation records
(its objects, its row, its ledger entry) is what it was when every object was compressed."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import Any

import pytest
from isal import isal_zlib

import stateward.model.encoded as encoded
import stateward.store.store as store_module
from stateward.api import observe
from stateward.ledger.entry import Entry
from stateward.model.canonical import canonical_json, digest_bytes
from stateward.model.encoded import STORED_BELOW
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper
from stateward.store import Store, open_store
from stateward.store.integrity import verify_store
from stateward.store.keydoc import FIRST_KEY
from stateward.store.staged import Staged

from .sample import SHOP

T0 = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _compressed(data: bytes, *, bulk: bool = False) -> bytes:
    """What every cell held before small objects were stored: ISA-L's level 1 stream."""
    return isal_zlib.compress(data, 1)


KEEPER = SecretKeeper(b"k" * 32)
"""One keeper for every store: a secret's keyed digest is then the same in each."""


def _shop(path: str = "production", hour: int = 12) -> Observation:
    observation = observe([str(SHOP / path)], estate="shop", keeper=KEEPER)
    observation.time = T0.replace(hour=hour)
    return observation


def _cells(store: Store) -> dict[str, bytes]:
    rows = store.db.read_only(lambda c: c.execute("SELECT digest, data FROM objects"))
    return {str(digest): bytes(data) for digest, data in rows}


def _entries(store: Store) -> list[dict[str, Any]]:
    """Every ledger entry's document, the store's own first-key document left out (its key
    is the store's: it differs between any two stores)."""
    rows = store.db.read_only(lambda c: c.execute("SELECT entry FROM ledger_entries ORDER BY idx"))
    documents = [Entry.decode(bytes(row[0])).document() for row in rows]
    for document in documents:
        document["objects"] = {k: v for k, v in document["objects"].items() if k != FIRST_KEY}
    return documents


def _state(store: Store) -> dict[str, Any]:
    """What the store holds, read back: every object's bytes, each observation's record and
    the observation it loads to, every ledger entry."""
    contents = store.get_objects(_cells(store))  # each checked against its digest
    records = store.history("shop")
    loaded = [store.load(r) for r in records]
    return {
        "objects": contents,
        "records": [r.as_dict() for r in records],
        "resources": [[(str(r.key), r.canonical, r.digest) for r in o.resources] for o in loaded],
        "components": [[c.as_dict() for c in o.components] for o in loaded],
        "findings": [[f.as_dict() for f in o.findings] for o in loaded],
        "entries": _entries(store),
    }


def test_small_objects_written_in_bulk_are_stored_blocks(store: Store) -> None:
    small, large = canonical_json({"data": "x"}), canonical_json({"data": "x" * STORED_BELOW})
    store.put_objects({digest_bytes(small): small, digest_bytes(large): large})
    store.record(_shop())  # the estate's first observation: its objects written in bulk
    cells = _cells(store)
    contents = store.get_objects(cells)
    # zlib's own level 0 writes the same stored stream
    stored = {a for a, cell in cells.items() if cell == zlib.compress(contents[a], 0)}
    assert digest_bytes(small) in stored and digest_bytes(large) not in stored
    assert len(stored) > 1 and all(len(contents[a]) < STORED_BELOW for a in stored)
    assert len(cells[digest_bytes(large)]) < len(large)
    store.record(_shop("live/production.yaml", hour=13))  # a later one writes a few: compressed
    added = {a: cell for a, cell in _cells(store).items() if a not in cells}
    assert added and all(cell[2] & 0b110 for cell in added.values())  # BTYPE 01 or 10
    assert verify_store(store).ok


def test_a_store_whose_every_cell_is_compressed_reads_and_verifies_as_before(
    store: Store, store_location: str
) -> None:
    store.record(_shop())
    before = _state(store)
    rewritten = [(_compressed(c), a) for a, c in store.get_objects(_cells(store)).items()]
    store.db.read_write(
        lambda c: c.executemany("UPDATE objects SET data = ? WHERE digest = ?", rewritten)
    )
    store.close()
    reopened = open_store(store_location)  # no manifest decoded before the rewrite is kept
    try:
        assert all(cell[2] & 0b110 for cell in _cells(reopened).values())
        assert _state(reopened) == before
        assert verify_store(reopened).ok
        again = reopened.record(_shop())  # diffed against the compressed cells
        assert again.unchanged and again.manifest == before["records"][0]["manifest"]
        assert verify_store(reopened).ok
    finally:
        reopened.close()


def test_what_is_recorded_is_what_it_was_with_every_object_compressed(
    store_location: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same two observations recorded into two stores (the first one's resources put
    ahead, as a watch's first list), the second store with every object compressed as before:
    the same objects, rows and ledger entries; only small cells differ."""
    states, cells = [], []
    for location in (store_location, str(tmp_path_factory.mktemp("compressed") / "store")):
        if cells:  # the second store: the deflate every object went through before
            monkeypatch.setattr(encoded, "deflate", _compressed)
            monkeypatch.setattr(store_module, "deflate", _compressed)
        store = open_store(location)
        try:
            first, since = _shop(), store.ledger.size()
            # its objects put first, page by page, as a watch's first list is
            for page in (first.resources[:5], first.resources[5:]):
                store.put_objects({r.digest: r.canonical for r in page})
            store.record(first, stored=Staged({r.digest for r in first.resources}, since))
            store.record(_shop("live/production.yaml", hour=13))
            states.append(_state(store))
            cells.append(_cells(store))
        finally:
            store.close()
    assert states[0] == states[1]
    named = set(states[0]["objects"])
    differ = {a for a in named if cells[0][a] != cells[1][a]}
    assert differ and all(len(states[0]["objects"][a]) < STORED_BELOW for a in differ)
    put = {r.digest for r in first.resources if len(r.canonical) < STORED_BELOW}
    assert put and put <= differ  # the small objects put ahead were stored blocks
