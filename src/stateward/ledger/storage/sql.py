"""The Merkle log in SQL: append a batch of leaves with their stored hashes in one transaction.

The layout is Go's checksum database (golang/mod ``sumdb/tlog``, see :mod:`..merkle`): entry
``idx`` in ``ledger_entries``, and every complete-subtree hash once, at its stored index, in
``ledger_hash_packs``, :data:`PACK` hashes to a row (:mod:`.schema`). An append writes the leaf
rows and the hashes it completes in the caller's transaction (sumdb ``StoredHashes``),
rewriting the last, partly filled pack, so a crash leaves all of a batch or none of it.

Appenders are serialized by the ``UPDATE ledger_log SET size = size + n`` that starts every
append: PostgreSQL holds that row's lock until commit (a second appender waits, then sees the
new size, READ COMMITTED re-reading the updated row); SQLite holds its write lock from ``BEGIN
IMMEDIATE``. Leaf indexes therefore come out 0..n-1, each once, however many processes append.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from struct import Struct

from stateward.errors import LedgerIntegrityError, StorageError
from stateward.ledger.merkle import (
    HASH_SIZE,
    LeafIndex,
    StoredIndex,
    TreeSize,
    stored_hash_count,
    stored_hashes_for_entries,
)
from stateward.ledger.storage.interface import Cursor, Database
from stateward.ledger.storage.schema import PACK, pack_rows

__all__ = [
    "CursorHashes",
    "DatabaseHashes",
    "LogRow",
    "SQLiteHashes",
    "append_leaves",
    "checkpoint_notes",
    "erased_by",
    "erasure_index",
    "proof_reader",
    "read_entries",
    "read_hash_range",
    "read_log",
    "record_erasure",
    "register_vkey",
    "save_checkpoint",
]

_NO_LOG = "the store has no ledger (its ledger_log row is missing)"
_REMEDY = "Run `stateward ledger verify` to find the damage."


@dataclass(frozen=True, slots=True)
class LogRow:
    """The log's identity and size, as stored."""

    origin: str
    vkey: str | None
    size: TreeSize


class CursorHashes:
    """Stored hashes read inside an open transaction (:class:`merkle.HashReader`)."""

    def __init__(self, cursor: Cursor) -> None:
        self._cursor = cursor

    def read_hashes(self, indexes: Sequence[StoredIndex]) -> Sequence[bytes]:
        """The hashes stored at ``indexes``; one a pack does not hold is left out, one it
        holds cut short is kept short (the caller checks: :func:`merkle.read_stored_hashes`)."""
        found = self._found(indexes)
        return [h for h in map(found.get, indexes) if h is not None]

    def read_slots(self, indexes: Sequence[int]) -> list[bytes | None]:
        """The hash stored at each of ``indexes``, None where its pack does not hold one."""
        found = self._found(indexes)
        # a pack SQLite holds as text (str here) is damage: its slots are not held
        return [
            h if isinstance(h := found.get(i), bytes) and len(h) == HASH_SIZE else None
            for i in indexes
        ]

    def _found(self, indexes: Sequence[int]) -> dict[int, bytes]:
        """What the packs hold at ``indexes``, by index: one query, which cuts each hash out
        of its pack in the database (PostgreSQL then reads only the part of a pack's TOAST
        value that holds it); a slot past the end of a short pack comes back short."""
        if not indexes:
            return {}
        wanted = list(set(indexes))
        rows = self._cursor.query_binary(_slots_query(len(wanted)), wanted)
        return dict(rows)  # both drivers: an int, and bytes (BLOB, or bytea read as binary)


class SQLiteHashes(CursorHashes):
    """:class:`CursorHashes` over SQLite, which reads a few hashes as one row
    (:func:`_joined_query`): the reader of a SQLite store's proofs (:func:`proof_reader`)."""

    def read_hashes(self, indexes: Sequence[StoredIndex]) -> Sequence[bytes]:
        """The hashes stored at ``indexes``, read as one row; a pack missing (no row) or short
        is read again the way that says which (:meth:`CursorHashes.read_hashes`)."""
        if 0 < len(indexes) <= _JOINED_MOST:
            rows = self._cursor.query_binary(_joined_query(len(indexes)), indexes)
            if rows and len(joined := rows[0][0] or b"") == len(indexes) * HASH_SIZE:
                return _hashes_of(len(indexes)).unpack(joined)
        return super().read_hashes(indexes)


def proof_reader(dialect: str) -> type[CursorHashes]:
    """The class that reads a store's proof hashes, by its database's ``dialect``."""
    return SQLiteHashes if dialect == "sqlite" else CursorHashes


@lru_cache(maxsize=64)
def _slots_query(count: int) -> str:
    """The query of :meth:`CursorHashes._found` for ``count`` indexes. A proof asks for about
    log2(n) of them, so a handful of texts serve every proof: each is built once, and the
    driver's statement cache finds it by a hash the string keeps (a proof's query took 117k
    instructions against 124k built afresh, callgrind)."""
    marks = ",".join(["(?)"] * count)
    return (
        f"WITH wanted (idx) AS (VALUES {marks}) SELECT wanted.idx, "
        f"substr(hashes, CAST((wanted.idx - pack * {PACK}) * {HASH_SIZE} + 1 AS INTEGER), "
        f"{HASH_SIZE}) FROM wanted JOIN ledger_hash_packs ON pack = wanted.idx / {PACK}"
    )


_JOINED_MOST = 40
"""Most hashes read as one row (a proof's at 2**40 entries; SQLite joins at most 64 tables);
more, as a first proof's ragged right edge may add, go the way of :func:`_slots_query`."""


@lru_cache(maxsize=_JOINED_MOST)
def _joined_query(count: int) -> str:
    """SQLite's query for ``count`` stored hashes: one row holding them joined, in the order
    asked, each cut from its pack found by its rowid. Python's sqlite3 releases the GIL and
    takes SQLite's mutex for each column of each row it fetches, and SQLite fills the VALUES
    list of :func:`_slots_query` as a table first: 14 hashes, a proof's at 10M entries, took
    135k instructions this way against 179k (callgrind). Each index is bound once and used
    twice (``?N``): binding costs Python's sqlite3 and SQLite about 330 instructions a value,
    and 14 hashes took 100k instructions against 105k bound twice (callgrind, N/2N).

    ``||`` of two blobs is text (same bytes); the CAST makes it a blob again. A pack
    rewritten as text is read as its bytes only where every character is one byte (``substr``
    counts characters): ASCII, which no run of real hashes is, so that proof fails its
    verification as one of an edited blob would; any other text cuts the row short and the
    read again says so (:func:`merkle.read_stored_hashes`)."""
    cut = " || ".join(
        f"substr(p{n}.hashes, ?{n + 1} % {PACK} * {HASH_SIZE} + 1, {HASH_SIZE})"
        for n in range(count)
    )
    packs = ", ".join(f"ledger_hash_packs p{n}" for n in range(count))
    where = " AND ".join(f"p{n}.pack = ?{n + 1} / {PACK}" for n in range(count))
    return f"SELECT CAST({cut} AS BLOB) FROM {packs} WHERE {where}"


@lru_cache(maxsize=_JOINED_MOST)
def _hashes_of(count: int) -> Struct:
    """Cuts ``count`` joined hashes apart in one C call."""
    return Struct(f"{HASH_SIZE}s" * count)


class DatabaseHashes:
    """Stored hashes read one short transaction per call: stored hashes never change once
    written, so reads for a tree of a size already committed need no common snapshot."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def read_hashes(self, indexes: Sequence[StoredIndex]) -> Sequence[bytes]:
        """Implements :class:`merkle.HashReader`."""
        return self._db.read_only(lambda c: CursorHashes(c).read_hashes(indexes))

    def read_entries(self, start: LeafIndex, end: LeafIndex) -> list[bytes]:
        """Implements :class:`tiles.EntryReader`."""
        return self._db.read_only(lambda c: read_entries(c, start, end))


def read_log(cursor: Cursor) -> LogRow:
    """The ``ledger_log`` row."""
    rows = cursor.execute("SELECT origin, vkey, size FROM ledger_log WHERE id = 0")
    if not rows:
        raise StorageError(_NO_LOG, remedy=_REMEDY)
    origin, vkey, size = rows[0]
    return LogRow(origin, vkey, TreeSize(int(size)))


def append_leaves(cursor: Cursor, leaves: Sequence[bytes]) -> LeafIndex:
    """Append entries (leaf bytes) and their stored hashes; returns the first new index.

    Runs in the caller's write transaction. Reads log2(size) stored hashes, the right edge.
    """
    end = cursor.execute(
        "UPDATE ledger_log SET size = size + ? WHERE id = 0 RETURNING size", (len(leaves),)
    )
    if not end:
        raise StorageError(_NO_LOG, remedy=_REMEDY)
    start = TreeSize(int(end[0][0]) - len(leaves))
    hashes = stored_hashes_for_entries(start, leaves, CursorHashes(cursor))
    cursor.insert_rows("ledger_entries", ("idx", "entry"), list(enumerate(leaves, start)))
    _store_hashes(cursor, stored_hash_count(start), b"".join(hashes))
    return LeafIndex(start)


def _store_hashes(cursor: Cursor, first: int, data: bytes) -> None:
    """Store hashes (joined) from stored index ``first`` on: the partly filled last pack is
    rewritten with the first of them, and the rest go in new packs."""
    pack, held = divmod(first, PACK)
    if held:
        rows = cursor.execute("SELECT hashes FROM ledger_hash_packs WHERE pack = ?", (pack,))
        if not rows or len(rows[0][0]) != held * HASH_SIZE:
            raise LedgerIntegrityError(
                f"the stored tree hashes from {pack * PACK} on are not all there", remedy=_REMEDY
            )
        data = bytes(rows[0][0]) + data
    packs = pack_rows(pack * PACK, data)
    if held:
        cursor.execute(
            "UPDATE ledger_hash_packs SET hashes = ? WHERE pack = ?", (packs[0][1], pack)
        )
        packs = packs[1:]
    cursor.insert_rows("ledger_hash_packs", ("pack", "hashes"), packs)


def read_hash_range(cursor: Cursor, first: int, end: int) -> bytes:
    """Stored hashes ``first..end-1`` joined, or less if the packs do not hold them all
    (``ledger verify`` compares the whole buffer at once)."""
    rows = cursor.query_binary(
        "SELECT pack, hashes FROM ledger_hash_packs WHERE pack >= ? AND pack <= ? ORDER BY pack",
        (first // PACK, (end - 1) // PACK),
    )
    width = PACK * HASH_SIZE
    held = [b"" if isinstance(data, str) else bytes(data) for _, data in rows]  # text: damage
    whole = all(int(pack) == n for n, (pack, _) in enumerate(rows, first // PACK))
    joined = b"".join(held) if whole and all(len(d) == width for d in held[:-1]) else b""
    at = first % PACK * HASH_SIZE
    return joined[at : at + (end - first) * HASH_SIZE]


def read_entries(cursor: Cursor, start: int, end: int) -> list[bytes]:
    """Entries ``start..end-1``; LedgerIntegrityError if any is missing."""
    rows = cursor.query_binary(
        "SELECT idx, entry FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx",
        (start, end),
    )
    for expected, (idx, _) in enumerate(rows, start):
        if int(idx) != expected:
            raise LedgerIntegrityError(f"ledger entry {expected} is missing", remedy=_REMEDY)
    if len(rows) != end - start:
        raise LedgerIntegrityError(f"ledger entry {start + len(rows)} is missing", remedy=_REMEDY)
    return [bytes(entry) for _, entry in rows]


def register_vkey(cursor: Cursor, vkey: str) -> str:
    """Record ``vkey`` as the log's verifier key unless one is already; return the one recorded."""
    cursor.execute("UPDATE ledger_log SET vkey = ? WHERE id = 0 AND vkey IS NULL", (vkey,))
    registered = read_log(cursor).vkey
    assert registered is not None, "bad math: vkey was just registered"
    return registered


def save_checkpoint(cursor: Cursor, size: TreeSize, note: str) -> None:
    """Keep a signed checkpoint (Ed25519 is deterministic: one size, one note)."""
    cursor.execute(
        "INSERT INTO ledger_checkpoints (size, note) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (size, note),
    )


def checkpoint_notes(cursor: Cursor, *, latest: bool = False) -> list[tuple[TreeSize, str]]:
    """Stored signed checkpoints by size, ascending (or only the largest)."""
    sql = "SELECT size, note FROM ledger_checkpoints ORDER BY size"
    rows = cursor.execute(sql + (" DESC LIMIT 1" if latest else ""))
    return [(TreeSize(int(size)), note) for size, note in rows]


def record_erasure(cursor: Cursor, digest: str, entry: LeafIndex) -> None:
    """Note that tombstone ``entry`` erased ``digest`` (an index for messages: ``verify`` reads
    the tombstones themselves, and checks this index against them)."""
    cursor.execute(
        "INSERT INTO ledger_erasures (digest, entry) VALUES (?, ?) "
        "ON CONFLICT (digest) DO UPDATE SET entry = excluded.entry",
        (digest, entry),
    )


def erased_by(cursor: Cursor, digest: str) -> int | None:
    """The tombstone that erased ``digest`` by the index, or None."""
    rows = cursor.execute("SELECT entry FROM ledger_erasures WHERE digest = ?", (digest,))
    return int(rows[0][0]) if rows else None


def erased_since(cursor: Cursor, index: int) -> set[str]:
    """The digests tombstones from entry ``index`` on erased, by the index (none when the log
    has not grown past ``index``: no tombstone was logged since, and no table is read)."""
    if read_log(cursor).size <= index:
        return set()
    rows = cursor.execute("SELECT digest FROM ledger_erasures WHERE entry >= ?", (index,))
    return {str(row[0]) for row in rows}


def erasure_index(cursor: Cursor) -> dict[str, int]:
    """The whole erasure index: erased digest to its tombstone's entry."""
    rows = cursor.execute("SELECT digest, entry FROM ledger_erasures")
    return {str(digest): int(entry) for digest, entry in rows}
