"""Named, recorded, transactional schema migrations (the sqlite-utils ``Migrations`` practice).

Each migration runs once, inside the transaction that records it, so a store is never left with
half a schema. Types are spelled per dialect only where SQLite and PostgreSQL differ.
"""

from __future__ import annotations

from collections.abc import Callable

from stateward.errors import StorageError
from stateward.ledger.storage.schema import (
    create_ledger_tables,
    pack_stored_hashes,
    repack_stored_hashes,
)
from stateward.store.database import Cursor, Database
from stateward.store.keys import create_key_table
from stateward.store.tokens import create_token_table

__all__ = ["MIGRATIONS", "migrate", "packed_by_64"]

_TYPES = {
    # SQLite's INTEGER PRIMARY KEY is the rowid itself, the fastest key it has
    "sqlite": {"blob": "BLOB", "serial": "INTEGER PRIMARY KEY", "bigint": "INTEGER"},
    "postgresql": {"blob": "BYTEA", "serial": "BIGSERIAL PRIMARY KEY", "bigint": "BIGINT"},
}


def _objects_and_observations(cursor: Cursor, types: dict[str, str]) -> None:
    cursor.execute(f"CREATE TABLE objects (digest TEXT PRIMARY KEY, data {types['blob']} NOT NULL)")
    cursor.execute(
        f"""CREATE TABLE observations (
            id {types["serial"]},
            estate TEXT NOT NULL,
            time TEXT NOT NULL,
            manifest TEXT NOT NULL REFERENCES objects(digest),
            depth INTEGER NOT NULL,
            complete INTEGER NOT NULL,
            summary TEXT NOT NULL)"""
    )
    cursor.execute("CREATE INDEX observations_estate_time ON observations (estate, time)")


def _observation_headers(cursor: Cursor, types: dict[str, str]) -> None:
    """Per-estate numbers (backfilled in time order) and the header each entry commits to
    (NULL for rows recorded before headers: they have none)."""
    cursor.execute(f"ALTER TABLE observations ADD COLUMN seq {types['bigint']}")
    cursor.execute("ALTER TABLE observations ADD COLUMN header TEXT")
    cursor.execute(
        """UPDATE observations SET seq = (
            SELECT COUNT(*) FROM observations AS o WHERE o.estate = observations.estate
            AND (o.time < observations.time OR (o.time = observations.time AND o.id <= observations.id)))"""
    )
    cursor.execute("CREATE UNIQUE INDEX observations_estate_seq ON observations (estate, seq)")


_MIGRATION_LOCK = 0x5357_0001  # advisory lock key: "SW", migrations


def _ledger(cursor: Cursor, types: dict[str, str]) -> None:
    """The ledger's own tables, and the column by which an observation names its entry."""
    create_ledger_tables(cursor, types)
    cursor.execute(f"ALTER TABLE observations ADD COLUMN entry {types['bigint']}")


Migration = Callable[[Cursor, dict[str, str]], None]
MIGRATIONS: list[tuple[str, Migration]] = [
    ("0001_objects_and_observations", _objects_and_observations),
    ("0002_ledger", _ledger),
    ("0003_observation_headers", _observation_headers),
    ("0004_key_identity", create_key_table),
    ("0005_api_tokens", create_token_table),
    ("0006_ledger_hash_packs", pack_stored_hashes),
    ("0007_ledger_hash_packs_of_63", repack_stored_hashes),
]


def packed_by_64(db: Database) -> bool:
    """True when the ledger's tree hashes are still 64 a row (migration 0006 applied, 0007
    not): this code would read them at the wrong places, and a store opened read-only is not
    migrated, so it must refuse them."""
    rows = db.read_only(lambda c: c.execute("SELECT name FROM _migrations"))
    names = {str(name) for (name,) in rows}
    return "0006_ledger_hash_packs" in names and "0007_ledger_hash_packs_of_63" not in names


def migrate(db: Database, migrations: list[tuple[str, Migration]] | None = None) -> None:
    """Apply every migration not yet recorded in ``_migrations``, each in its own transaction.

    Several processes may open a new PostgreSQL store at once: each migration runs under a
    transaction-level advisory lock there (SQLite's ``BEGIN IMMEDIATE`` already serializes).
    """
    types = _TYPES[db.dialect]

    def lock(cursor: Cursor) -> None:
        if db.dialect == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))

    def create(cursor: Cursor) -> None:
        lock(cursor)
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)"
        )

    db.read_write(create)
    for name, step in migrations if migrations is not None else MIGRATIONS:

        def apply(cursor: Cursor, name: str = name, step: Migration = step) -> None:
            lock(cursor)
            if cursor.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)):
                return
            step(cursor, types)
            cursor.execute(
                "INSERT INTO _migrations (name, applied) VALUES (?, CURRENT_TIMESTAMP)", (name,)
            )

        try:
            db.read_write(apply)
        except StorageError as error:  # its tables exist but its row is gone: the store was edited
            raise StorageError(
                f"migration {name} cannot be applied: {error.message}",
                remedy="The store's _migrations table does not match its tables; "
                "run `stateward ledger verify` and restore the store from a backup.",
            ) from None
