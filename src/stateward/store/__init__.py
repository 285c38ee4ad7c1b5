"""Opening a store from a location: a directory, ``sqlite:///file.db`` or ``postgresql://…``.

Default: ``.stateward/`` in the working directory (or ``STATEWARD_STORE``). The per-store HMAC key
lives beside an SQLite database (``<db>.key``, mode 0600), and the ledger's Ed25519 log key
beside it (``<db>.ledger.key``, mode 0600; for PostgreSQL ``<key>.<store id>.ledger.key``). A PostgreSQL store's key is a local
file too (``STATEWARD_KEY_FILE``, default ``.stateward/postgresql.key``): every machine that
records into the same server must hold the same key for digests to compare, and the database
alone never reveals it.
"""

from __future__ import annotations

import os
from pathlib import Path

from stateward.errors import StorageError
from stateward.ledger.log import Ledger, log_key_path
from stateward.ledger.storage.sql import read_log
from stateward.model.secrets import SecretKeeper
from stateward.store.database import Database, PostgresDatabase, SQLiteDatabase
from stateward.store.schema import migrate
from stateward.store.store import ObservationRecord, Store

__all__ = ["DEFAULT_LOCATION", "ObservationRecord", "Store", "open_database", "open_store"]

DEFAULT_LOCATION = ".stateward"


def open_database(location: str) -> tuple[Database, Path]:
    """The database at ``location`` and where its secret key file belongs."""
    if location.startswith(("postgresql://", "postgres://")):
        key = Path(os.environ.get("STATEWARD_KEY_FILE", Path(DEFAULT_LOCATION, "postgresql.key")))
        return PostgresDatabase(location), key
    if location.startswith("sqlite:///"):
        path = Path(location.removeprefix("sqlite:///"))
    elif "://" in location:
        raise StorageError(
            f"unknown store URL {location!r}",
            remedy="Use a directory, sqlite:///path/file.db or postgresql://user@host/db.",
        )
    else:
        path = Path(location, "store.db")
    return SQLiteDatabase(path), path.with_name(path.name + ".key")


def open_store(location: str | None = None) -> Store:
    """Open (or create) the store at ``location``, ``$STATEWARD_STORE`` or ``.stateward``."""
    where = location or os.environ.get("STATEWARD_STORE") or DEFAULT_LOCATION
    db, key_path = open_database(where)
    migrate(db)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    # one PostgreSQL key file serves every database on the server; one log key per store
    shared = db.dialect == "postgresql"
    origin = db.read_only(read_log).origin if shared else None
    ledger = Ledger(db, log_key_path(key_path, origin))
    store = Store(db, SecretKeeper.at(key_path), where, ledger)
    if db.read_only(read_log).vkey is None:
        store.ledger.signer()  # the log key is created with the store
    return store
