"""The ledger's tables, created by the store's migration ``0002_ledger``.

* ``ledger_log``: one row (``id = 0``): the log's origin (also its key name), the verifier key
  registered for it, and its size. Every append updates this row first, which serializes
  appenders on both backends (a row lock in PostgreSQL, the write lock in SQLite).
* ``ledger_entries``: leaf ``idx`` and its entry bytes.
* ``ledger_hashes``: stored subtree hashes at their stored index (``merkle.stored_hash_index``).
* ``ledger_checkpoints``: every signed checkpoint issued, by tree size.
* ``ledger_erasures``: which tombstone erased which object: an index for messages, never trusted
  by ``verify``, which reads the tombstones themselves.
"""

from __future__ import annotations

import secrets

from stateward.ledger.storage.interface import Cursor

__all__ = ["ORIGIN_PREFIX", "create_ledger_tables"]

ORIGIN_PREFIX = "stateward.local/"


def create_ledger_tables(cursor: Cursor, types: dict[str, str]) -> None:
    """Create the ledger tables and the log's row with a fresh random origin."""
    blob, bigint = types["blob"], types["bigint"]
    cursor.execute(
        f"""CREATE TABLE ledger_log (
            id INTEGER PRIMARY KEY CHECK (id = 0),
            origin TEXT NOT NULL,
            vkey TEXT,
            size {bigint} NOT NULL)"""
    )
    cursor.execute(f"CREATE TABLE ledger_entries (idx {bigint} PRIMARY KEY, entry {blob} NOT NULL)")
    cursor.execute(f"CREATE TABLE ledger_hashes (idx {bigint} PRIMARY KEY, hash {blob} NOT NULL)")
    cursor.execute(
        f"CREATE TABLE ledger_checkpoints (size {bigint} PRIMARY KEY, note TEXT NOT NULL)"
    )
    cursor.execute(
        f"CREATE TABLE ledger_erasures (digest TEXT PRIMARY KEY, entry {bigint} NOT NULL)"
    )
    origin = ORIGIN_PREFIX + secrets.token_hex(8)  # the store's identity; key name = origin
    cursor.execute(
        "INSERT INTO ledger_log (id, origin, vkey, size) VALUES (0, ?, NULL, 0)", (origin,)
    )
