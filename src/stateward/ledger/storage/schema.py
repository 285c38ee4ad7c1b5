"""The ledger's tables, created by the store's migration ``0002_ledger``.

* ``ledger_log``: one row (``id = 0``): the log's origin (also its key name), the verifier key
  registered for it, and its size. Every append updates this row first, which serializes
  appenders on both backends (a row lock in PostgreSQL, the write lock in SQLite).
* ``ledger_entries``: leaf ``idx`` and its entry bytes.
* ``ledger_hash_packs``: the stored subtree hashes (``merkle.stored_hash_index``) in stored
  order, :data:`PACK` to a row: row ``p`` holds stored hashes ``PACK·p .. PACK·p + PACK - 1``
  joined, and only the last row may hold fewer. Migration ``0006_ledger_hash_packs`` moved them
  there from ``ledger_hashes`` (one row a hash, three rows an entry with its leaf row), 64 to a
  row; ``0007_ledger_hash_packs_of_63`` repacked them (:func:`repack_stored_hashes`).
* ``ledger_checkpoints``: every signed checkpoint issued, by tree size.
* ``ledger_erasures``: which tombstone erased which object: an index for messages, never trusted
  by ``verify``, which reads the tombstones themselves.
"""

from __future__ import annotations

import secrets

from stateward.ledger.merkle import HASH_SIZE
from stateward.ledger.storage.interface import Cursor

__all__ = [
    "ORIGIN_PREFIX",
    "PACK",
    "create_ledger_tables",
    "pack_rows",
    "pack_stored_hashes",
    "repack_stored_hashes",
]

ORIGIN_PREFIX = "stateward.local/"
PACK = 63
"""Stored hashes a ``ledger_hash_packs`` row holds (2,016 bytes): an append of a thousand
entries writes about 32 rows instead of two thousand, ``ledger verify`` compares a block's
hashes as one buffer, and a row fits one SQLite page, so a proof reads a page a hash as with a
row a hash (at 10M entries a proof's median was 102 us against 95 us, measured side by side,
load 11-12; with 256 a row, 8 KiB over three pages, 141 us in an earlier run at load 15-17).

63, not 64: two rows of 63 fit a 4 KiB page, one of 64 (2,048 bytes and the cell's header)
fits alone and leaves the rest of its page empty, which an append wrote all the same (a
table b-tree leaf cell, https://www.sqlite.org/fileformat2.html#b_tree_pages). Writing 100k
entries' rows and hashes took 7,706 pages with 64 a row and 6,167 with 63, and 3.9 against 3.1
us an entry (medians of 4, interleaved, load 3-4). At 10M entries a proof's median was 82-83 us
against 89-97 us with 64 a row, and the log built a quarter to a third faster (two runs each,
interleaved, load 2.5-13)."""
_FIRST_PACK = 64
"""Stored hashes a row held from migration 0006 until 0007 (:func:`repack_stored_hashes`)."""
_MOVED = _FIRST_PACK * 1024
"""Stored hashes read from ``ledger_hashes`` at a time by the migration."""
_REPACKED = PACK * 16
"""Rows of 64 repacked at a time: a multiple of :data:`PACK`, so each run of them starts where a
row of 63 does."""


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
    """Move the stored hashes from one row each (``ledger_hashes``) into rows of 64 (as many as
    a row held then: :data:`_FIRST_PACK`; migration 0007 repacks them).

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
        data = b"".join(_whole(found.get(i), HASH_SIZE) for i in range(first, last))
        packs = pack_rows(first, data, _FIRST_PACK)
        cursor.insert_rows("ledger_hash_packs", ("pack", "hashes"), packs)
    cursor.execute("DROP TABLE ledger_hashes")


def repack_stored_hashes(cursor: Cursor, _: dict[str, str]) -> None:
    """Rewrite the rows of 64 stored hashes (migration 0006) as rows of :data:`PACK`, in place.

    Every hash keeps its stored index. The last rows go first: a hash's row of 63 is never
    before its row of 64, so the rows rewritten never reach those still to be read. A row of
    64 that is missing, or not 2 KiB (the last may hold fewer), becomes zero bytes at its
    place, which ``ledger verify`` names as altered hashes, as :func:`pack_stored_hashes` does.
    """
    end = int(cursor.execute("SELECT COALESCE(MAX(pack), -1) + 1 FROM ledger_hash_packs")[0][0])
    width = _FIRST_PACK * HASH_SIZE
    for first in reversed(range(0, end, _REPACKED)):
        last = min(first + _REPACKED, end)
        where = "WHERE pack >= ? AND pack < ?"
        rows = cursor.execute(f"SELECT pack, hashes FROM ledger_hash_packs {where}", (first, last))
        found = {int(p): bytes(h) for p, h in rows}
        held = [_whole(found.get(p), width) for p in range(first, last)]
        if last == end:  # the last row may hold fewer: kept as long as it is, in whole hashes
            held[-1] = found[end - 1][: len(found[end - 1]) // HASH_SIZE * HASH_SIZE]
        cursor.execute(f"DELETE FROM ledger_hash_packs {where}", (first, last))
        packs = pack_rows(first * _FIRST_PACK, b"".join(held))
        cursor.insert_rows("ledger_hash_packs", ("pack", "hashes"), packs)


def pack_rows(first: int, data: bytes, per: int = PACK) -> list[tuple[int, bytes]]:
    """``(pack, hashes)`` rows of ``per`` hashes from ``data``: hashes joined from stored index
    ``first`` on, a multiple of ``per`` (only the last row may hold fewer)."""
    width = per * HASH_SIZE
    at = range(0, len(data), width)
    return [(first // per + n, data[i : i + width]) for n, i in enumerate(at)]


def _whole(value: bytes | None, width: int) -> bytes:
    return value if value is not None and len(value) == width else bytes(width)
