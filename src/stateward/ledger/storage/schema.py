"""The ledger's tables, created by the store's migration ``0002_ledger``.

* ``ledger_log``: one row (``id = 0``): the log's origin (also its key name), the verifier key
  registered for it, and its size. Every append updates this row first, which serializes
  appenders on both backends (a row lock in PostgreSQL, the write lock in SQLite).
* ``ledger_entries``: leaf ``idx`` and its entry bytes.
* ``ledger_hash_packs``: the stored subtree hashes (``merkle.stored_hash_index``) in stored
  order, :data:`PACK` to a row: row ``p`` holds stored hashes ``PACK·p .. PACK·p + PACK - 1``
  joined, and only the last row may hold fewer. Migration ``0006_ledger_hash_packs`` moved them
  there from ``ledger_hashes`` (one row a hash, three rows an entry with its leaf row).
* ``ledger_checkpoints``: every signed checkpoint issued, by tree size.
* ``ledger_erasures``: which tombstone erased which object: an index for messages, never trusted
  by ``verify``, which reads the tombstones themselves.
"""

from __future__ import annotations

import secrets

from stateward.ledger.merkle import HASH_SIZE
from stateward.ledger.storage.interface import Cursor

__all__ = ["ORIGIN_PREFIX", "PACK", "create_ledger_tables", "pack_stored_hashes"]

ORIGIN_PREFIX = "stateward.local/"
PACK = 64
"""Stored hashes a ``ledger_hash_packs`` row holds (2 KiB): an append of a thousand entries
writes about 32 rows instead of two thousand, ``ledger verify`` compares a block's hashes as
one buffer, and a row still fits one SQLite page, so a proof reads a page a hash as before (at
10M entries a proof's median was 102 us against 95 us with a row a hash, measured side by
side, load 11-12; with 256 a row, 8 KiB over three pages, 141 us in an earlier run at load 15-17)."""
_MOVED = PACK * 1024
"""Stored hashes read from ``ledger_hashes`` at a time by the migration."""


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


def pack_stored_hashes(cursor: Cursor, types: dict[str, str]) -> None:
    """Move the stored hashes from one row each (``ledger_hashes``) into rows of :data:`PACK`.

    Every hash keeps its stored index: a row that is missing, or is not 32 bytes, becomes 32
    zero bytes at its place, which ``ledger verify`` then names as the altered hash it is
    (refusing the migration would leave the store unopenable, and so unverifiable).
    """
    cursor.execute(
        f"CREATE TABLE ledger_hash_packs (pack {types['bigint']} PRIMARY KEY, "
        f"hashes {types['blob']} NOT NULL)"
    )
    end = int(cursor.execute("SELECT COALESCE(MAX(idx), -1) + 1 FROM ledger_hashes")[0][0])
    for first in range(0, end, _MOVED):
        last = min(first + _MOVED, end)
        rows = cursor.execute(
            "SELECT idx, hash FROM ledger_hashes WHERE idx >= ? AND idx < ?", (first, last)
        )
        found = {int(i): bytes(h) for i, h in rows}
        data = b"".join(_whole(found.get(i)) for i in range(first, last))
        width = PACK * HASH_SIZE
        packs = [
            (first // PACK + n, data[at : at + width])
            for n, at in enumerate(range(0, len(data), width))
        ]
        cursor.insert_rows("ledger_hash_packs", ("pack", "hashes"), packs)
    cursor.execute("DROP TABLE ledger_hashes")


def _whole(value: bytes | None) -> bytes:
    return value if value is not None and len(value) == HASH_SIZE else bytes(HASH_SIZE)
