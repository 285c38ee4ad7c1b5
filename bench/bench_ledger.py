"""Durable ledger benchmark: appends side by side with pymerkle, then proofs and verify.

Every throughput is printed next to the bare cost of hashing the same entries with hashlib
(``SHA-256(0x00 || entry)``), measured in the same run, and appends next to pymerkle 7's
``SqliteTree`` (the persistent Merkle tree a Python user would pick instead) fed the same leaf
bytes in the same batches. Each Stateward figure is set against pymerkle in the same durability
class: the store's default (WAL, ``synchronous=NORMAL``: every commit survives a process crash)
against pymerkle given the same settings, and the store with ``synchronous=FULL`` (an fsync at
every commit: it survives power loss too) against pymerkle as it ships (rollback journal,
``synchronous=FULL``, which fsyncs at every commit as well, more often than WAL does). At each
size in ``SIZES`` the measures are interleaved for ``ROUNDS`` rounds, each in a fresh database,
and the medians printed: the machine may be shared, so read the ratios. Stateward appends
through its public API (``Ledger.append`` of :class:`Entry` objects never encoded before:
encoding is timed, building them is not and is printed apart); as a caller does, each batch's
entries built, then appended, all of it timed (pymerkle is timed from leaf bytes made before:
its caller would have them to make too); and, as pymerkle is given, pre-encoded leaves.
The entries all commit to one object, so the leaves of a ``ledger verify`` block share one
shape (:func:`stateward.ledger.entry.read_leaves`' best case): entries each naming an object
of their own took 1.7 times as long to verify (300k entries, load 9-11). PostgreSQL
(``$STATEWARD_TEST_PG``, a throwaway database; the server's own
``synchronous_commit``) runs ``PG_ENTRIES`` entries. Inclusion proofs are then generated in a log
of ``BENCH_LEDGER_PROOF_SIZE`` entries (default 10M, the size the proof target names; built from
pre-encoded leaves in ~30 s and about 3 GB of disk; 0 leaves it out).
SQLite stores are verified and proved through a read-only open, as ``ledger verify`` and the
server open them (such a connection reads through a memory map, a writing one does not).
Run: ``.venv/bin/python -m bench ledger``.
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymerkle

from bench.settings import env_int
from bench.timing import latencies, timed
from stateward.ledger import merkle
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.log import Ledger
from stateward.ledger.merkle import LeafIndex, TreeSize
from stateward.ledger.storage import sql
from stateward.store import Store, open_store
from stateward.store.database import SQLiteDatabase
from stateward.store.integrity import verify_store

ENTRIES = env_int("BENCH_LEDGER_ENTRIES", 1_000_000)
SIZES = sorted({n for n in (1_000, 10_000, 100_000) if n < ENTRIES} | {ENTRIES})
ROUNDS = env_int("BENCH_LEDGER_ROUNDS", 3)
PG_ENTRIES = env_int("BENCH_LEDGER_PG_ENTRIES", 1_000_000)
PROOF_SIZE = env_int("BENCH_LEDGER_PROOF_SIZE", 10_000_000)
BATCH = 1_000
SAMPLES = 1_000
T0 = datetime(2026, 11, 26, tzinfo=UTC)
_APPENDS = (
    "stateward",
    "stateward_built",
    "stateward_leaves",
    "stateward_full",
    "pymerkle",
    "pymerkle_wal",
)


def run() -> list[str]:
    """Measure and return human-readable result lines."""
    lines = []
    for size in SIZES:
        lines += _side_by_side(size)
    if PROOF_SIZE:
        with tempfile.TemporaryDirectory(prefix="bench-ledger-") as scratch:
            lines += _proofs_at(Path(scratch, "big"), PROOF_SIZE)
    url = os.environ.get("STATEWARD_TEST_PG")
    if not url:
        return [*lines, "PostgreSQL: skipped ($STATEWARD_TEST_PG is not set; run make services)"]
    import psycopg

    try:
        with _postgres(url) as pg:
            pg_entries = _entries(pg, PG_ENTRIES)
            baseline = _hash_seconds([e.encode() for e in _entries(pg, PG_ENTRIES)])
            lines += _measure(pg, pg_entries, baseline, "PostgreSQL")
            pg.close()
    except psycopg.OperationalError as error:  # the SQLite lines above are kept, not lost
        first = str(error).splitlines()[0]
        lines.append(f"PostgreSQL: not measured ({first}; run make services)")
    return lines


def _side_by_side(size: int) -> list[str]:
    """Appends of ``size`` entries, interleaved round by round; then proofs and verify."""
    times: dict[str, list[float]] = {name: [] for name in ("hash", "build", *_APPENDS)}
    verifies: list[float] = []
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as scratch:
        for round_ in range(ROUNDS):
            here = Path(scratch, str(round_))
            store = open_store(str(here / "store"))
            build, entries = timed(lambda store=store: _entries(store, size))
            leaves = [e.encode() for e in _entries(store, size)]  # equal bytes, other objects
            times["build"].append(build)
            times["hash"].append(_hash_seconds(leaves))
            times["stateward"].append(_append(store, entries))
            times["pymerkle"].append(_pymerkle(here / "pymerkle.db", leaves, wal=False))
            built = open_store(str(here / "built"))
            times["stateward_built"].append(_build_and_append(built, size))
            built.close()
            raw = open_store(str(here / "raw"))
            times["stateward_leaves"].append(_append_leaves(raw, leaves))
            raw.close()
            full = _sqlite_full(here / "full")
            times["stateward_full"].append(_append(full, _entries(full, size)))
            full.close()
            times["pymerkle_wal"].append(_pymerkle(here / "pymerkle-wal.db", leaves, wal=True))
            reader = open_store(str(here / "store"), read_only=True)  # as `ledger verify`
            seconds, report = timed(lambda reader=reader: verify_store(reader))
            if not report.ok:
                raise AssertionError(
                    f"bad math: benchmark ledger does not verify: {report.problems[:3]}"
                )
            verifies.append(seconds)
            if round_ == ROUNDS - 1:
                lines += _proof_lines(reader, size, f"at {size:,}")
            reader.close()
            store.close()
    med = {name: statistics.median(values) for name, values in times.items()}
    hashing = med["hash"]
    head = f"{size:>9,} entries, median of {ROUNDS}:"
    return [
        f"{head} bare hashlib leaf hashing {size / hashing:,.0f} entries/s ({hashing:.2f} s)",
        *(
            f"{head} {label}: {size / med[name]:,.0f} entries/s = {hashing / med[name]:.3f} x "
            f"bare hashing{_against(med, name)} ({med[name]:.2f} s)"
            for name, label in _LABELS.items()
        ),
        f"{head} building all the Entry objects at once (not in Ledger.append above): {med['build']:.2f} s",
        f"{head} `ledger verify` (whole store): {size / statistics.median(verifies):,.0f} "
        f"entries/s = {hashing / statistics.median(verifies):.3f} x bare hashing "
        f"({statistics.median(verifies):.2f} s)",
        *lines,
    ]


_LABELS = {
    "stateward": f"Stateward Ledger.append, batches of {BATCH:,} (encodes; WAL, NORMAL)",
    "stateward_built": "Stateward, each batch's entries built, then appended (WAL, NORMAL)",
    "stateward_leaves": "Stateward, pre-encoded leaves (WAL, NORMAL)",
    "pymerkle_wal": "pymerkle SqliteTree, WAL synchronous=NORMAL as the store",
    "stateward_full": "Stateward Ledger.append (encodes), WAL synchronous=FULL",
    "pymerkle": "pymerkle SqliteTree as shipped (journal, synchronous=FULL)",
}
_PEERS = {
    "stateward": "pymerkle_wal",
    "stateward_built": "pymerkle_wal",
    "stateward_leaves": "pymerkle_wal",
    "stateward_full": "pymerkle",
}
"""Each Stateward append set against pymerkle in the same durability class."""
_SHORT = {"pymerkle": "pymerkle as shipped", "pymerkle_wal": "pymerkle WAL NORMAL"}


def _against(med: dict[str, float], name: str) -> str:
    """`` = r x <peer> (same durability) = r x <the other>`` for a Stateward append."""
    if name not in _PEERS:
        return ""
    peer = _PEERS[name]
    other = "pymerkle" if peer == "pymerkle_wal" else "pymerkle_wal"
    return (
        f" = {med[peer] / med[name]:.2f} x {_SHORT[peer]} (same durability)"
        f" = {med[other] / med[name]:.2f} x {_SHORT[other]}"
    )


def _pymerkle(path: Path, leaves: list[bytes], *, wal: bool) -> float:
    """pymerkle 7 ``SqliteTree.append_entries``, one transaction per batch like the ledger."""
    tree = pymerkle.SqliteTree(str(path))
    if wal:
        tree.con.execute("PRAGMA journal_mode=WAL")
        tree.con.execute("PRAGMA synchronous=NORMAL")
    start = time.perf_counter()
    for at in range(0, len(leaves), BATCH):
        tree.append_entries(leaves[at : at + BATCH])
    seconds = time.perf_counter() - start
    if tree.get_size() != len(leaves):
        raise AssertionError("bad math: pymerkle did not keep every leaf")
    tree.close()
    return seconds


def _proofs_at(directory: Path, size: int) -> list[str]:
    """Inclusion proofs in a log of ``size`` leaves, built in large pre-encoded batches."""
    store = open_store(str(directory))
    leaf = _entries(store, 1)[0].encode()
    started = time.perf_counter()
    for at in range(0, size, 100_000):
        chunk = [leaf] * min(100_000, size - at)
        store.db.read_write(lambda c, chunk=chunk: sql.append_leaves(c, chunk))
    built = time.perf_counter() - started
    store.close()
    reader = open_store(str(directory), read_only=True)  # as the server's proofs
    lines = [f"log of {size:,} pre-encoded leaves built in {built:.0f} s"]
    lines += _proof_lines(reader, size, f"at {size:,}")
    reader.close()
    return lines


def _proof_lines(store: Store, size: int, where: str) -> list[str]:
    """Inclusion proof generation (one read transaction each, through the store's Ledger, which
    remembers the hashes of large subtrees from proof to proof) and verification latencies; on
    SQLite ``store`` is opened read-only, as the server opens it for its proofs."""
    count = TreeSize(size)
    rng = random.Random(9162)
    indexes = [LeafIndex(rng.randrange(count)) for _ in range(SAMPLES)]
    root = merkle.tree_hash(count, sql.DatabaseHashes(store.db))
    leaves = dict(
        zip(
            indexes,
            store.db.read_only(
                lambda c: [merkle.leaf_hash(sql.read_entries(c, i, i + 1)[0]) for i in indexes]
            ),
            strict=True,
        )
    )
    proofs: dict[int, list[bytes]] = {}

    def prove(i: LeafIndex) -> None:  # as `ledger prove` and the server do: verified after
        proofs[i] = store.db.read_only(lambda c: store.ledger.inclusion_proof(c, i, count))

    generation = latencies(prove, indexes)
    verification = latencies(
        lambda i: merkle.verify_inclusion(leaves[i], i, count, proofs[i], root), indexes
    )
    return [
        _latency(f"inclusion proof generation {where}", generation),
        _latency(f"inclusion proof verification {where}", verification),
    ]


def _entries(store: Store, count: int) -> list[Entry]:
    """Small policy entries, each committing to one stored object (~150 bytes of JSON)."""
    return _batch(store.put_object(b"bench policy"), 0, count)


def _batch(address: str, start: int, count: int) -> list[Entry]:
    """Entries ``start..start+count-1`` of :func:`_entries`, committing to ``address``."""
    return [
        Entry(EntryType.POLICY, "bench", T0 + timedelta(milliseconds=i), {"policy": address})
        for i in range(start, start + count)
    ]


def _build_and_append(store: Store, count: int) -> float:
    """What a caller of the public API waits for: each batch's entries built, then appended."""
    address = store.put_object(b"bench policy")
    start = time.perf_counter()
    for at in range(0, count, BATCH):
        store.ledger.append(_batch(address, at, min(BATCH, count - at)))
    return time.perf_counter() - start


def _hash_seconds(leaves: list[bytes]) -> float:
    """The floor: SHA-256(0x00 || leaf) of every leaf, nothing else."""
    sha256 = hashlib.sha256
    start = time.perf_counter()
    for leaf in leaves:
        sha256(b"\x00" + leaf).digest()
    return time.perf_counter() - start


def _append(store: Store, entries: list[Entry]) -> float:
    start = time.perf_counter()
    for at in range(0, len(entries), BATCH):
        store.ledger.append(entries[at : at + BATCH])  # encode, hash, one transaction per batch
    return time.perf_counter() - start


def _append_leaves(store: Store, leaves: list[bytes]) -> float:
    """The storage engine alone: leaf bytes already encoded (as Tessera and pymerkle take them)."""
    start = time.perf_counter()
    for at in range(0, len(leaves), BATCH):
        chunk = leaves[at : at + BATCH]
        store.db.read_write(lambda c, chunk=chunk: sql.append_leaves(c, chunk))
    return time.perf_counter() - start


def _measure(store: Store, entries: list[Entry], baseline: float, label: str) -> list[str]:
    count = len(entries)
    seconds = _append(store, entries)
    indexes = [LeafIndex(i) for i in random.Random(9162).sample(range(count), 100)]
    signed = latencies(lambda i: store.ledger.prove(i), indexes)
    verify_seconds, report = timed(lambda: verify_store(store))
    if not report.ok:
        raise AssertionError(f"bad math: benchmark ledger does not verify: {report.problems[:3]}")
    return [
        _ratio(f"{label}: append {count:,} in batches of {BATCH:,}", count, seconds, baseline),
        *_proof_lines(store, count, f"({label}) at {count:,}"),
        _latency(f"{label}: `ledger prove` (new signed checkpoint + proof) at {count:,}", signed),
        f"{label}: `ledger verify` of {count:,} entries: {verify_seconds:.1f} s "
        f"({count / verify_seconds:,.0f} entries/s = {baseline / verify_seconds:.3f} x bare "
        "hashing)",
    ]


def _sqlite_full(directory: Path) -> Store:
    """A store whose SQLite connection fsyncs at every commit."""
    keyed = open_store(str(directory))
    keyed.close()
    db = SQLiteDatabase(directory / "store.db", synchronous="FULL")
    return Store(db, keyed.keeper, str(directory), Ledger(db, keyed.ledger.key_path))


@contextmanager
def _postgres(admin_url: str) -> Iterator[Store]:
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-ledger-pg-") as keys:
            os.environ["STATEWARD_KEY_FILE"] = str(Path(keys, "pg.key"))
            yield open_store(f"{admin_url.rpartition('/')[0]}/{name}")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _ratio(label: str, count: int, seconds: float, baseline: float) -> str:
    return (
        f"{label}: {count / seconds:,.0f} entries/s = {baseline / seconds:.3f} x bare hashing "
        f"({seconds:.1f} s)"
    )


def _latency(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[int(len(ordered) * 0.99)]
    return f"{label}: median {statistics.median(times) * 1e6:,.0f} us, p99 {p99 * 1e6:,.0f} us"


if __name__ == "__main__":
    print("\n".join(run()))
