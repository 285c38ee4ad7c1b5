"""An estate's first record writes every object it names with SQLite's page cache held to
SQLite's own default (``write_many``), then set back for the proofs; later records, which write
few pages and read the previous manifest's, keep the large cache. What is stored is the same
on both backends either way (the round-trip tests in test_store.py)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import stateward.store.store as store_module
from stateward.api import observe
from stateward.store import open_store

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


def _cache(cursor: Any) -> int:
    return int(cursor.execute("PRAGMA cache_size")[0][0])


def test_a_first_record_writes_with_a_small_page_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    insert = store_module._insert_objects

    def watched(cursor: Any, objects: Mapping[str, Any]) -> None:
        seen.append(_cache(cursor))
        insert(cursor, objects)

    monkeypatch.setattr(store_module, "_insert_objects", watched)
    store = open_store(str(tmp_path / "store"))
    try:
        for location, cache in (("production", -2048), ("live/production.yaml", -16384)):
            observation = observe([str(SHOP / location)], estate="shop", keeper=store.keeper)
            store.record(observation)
            assert set(seen) == {cache}  # each write of the record's transaction
            assert store.db.read_only(_cache) == -16384  # set back for the proofs
            seen.clear()
    finally:
        store.close()


def test_a_failed_first_write_sets_the_cache_back(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    try:
        with pytest.raises(RuntimeError, match="midway"):
            store.db.write_many(lambda cursor: (_ for _ in ()).throw(RuntimeError("midway")))
        assert store.db.read_only(_cache) == -16384
    finally:
        store.close()
