"""``Database.copy_log``: SQLite copies its write-ahead log into the database file at once (a
WAL checkpoint: a watch runs one once its first list is stored, not in its first record's
commit); on PostgreSQL it does nothing, and on both, every object stays as it was written."""

from __future__ import annotations

import random
from pathlib import Path

from stateward.model.canonical import digest_bytes
from stateward.store import Store, open_store
from stateward.store.database import SQLiteDatabase
from stateward.store.integrity import verify_store

OBJECTS = [random.Random(i).randbytes(900) for i in range(300)]
SIZE = sum(map(len, OBJECTS))  # 270 KB that do not compress


def test_copying_the_log_keeps_every_object_as_written(store: Store) -> None:
    store.put_objects({digest_bytes(data): data for data in OBJECTS})
    store.db.copy_log()
    assert store.get_objects(digest_bytes(d) for d in OBJECTS) == {
        digest_bytes(d): d for d in OBJECTS
    }
    assert verify_store(store).ok


def test_sqlite_copies_its_log_into_the_database_file(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    try:
        assert isinstance(store.db, SQLiteDatabase)
        database, log = store.db.path, store.db.path.with_name("store.db-wal")
        before = database.stat().st_size
        store.put_objects({digest_bytes(data): data for data in OBJECTS})
        assert database.stat().st_size == before and log.stat().st_size > SIZE
        store.db.copy_log()
        assert database.stat().st_size > before + SIZE
    finally:
        store.close()
