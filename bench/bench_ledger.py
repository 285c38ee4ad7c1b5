"""Durable ledger benchmark: append 1,000,000 small entries in batches, prove, verify.

Every throughput is printed next to the bare cost of hashing the same entries with hashlib
(``SHA-256(0x00 || entry)``), measured in the same run. SQLite runs in WAL mode with
``synchronous=NORMAL`` (the store's default: every commit survives a process crash) and, on a
smaller run, ``synchronous=FULL`` (fsync at every commit: survives power loss too). PostgreSQL
(``$STATEWARD_TEST_PG``, a throwaway database; the server's own ``synchronous_commit``) runs
``PG_ENTRIES`` entries. Run: ``.venv/bin/python -m bench ledger``.
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

from bench.timing import latencies, timed
from stateward.ledger import merkle
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.log import Ledger
from stateward.ledger.merkle import LeafIndex, TreeSize
from stateward.ledger.storage import sql
from stateward.store import Store, open_store
from stateward.store.database import SQLiteDatabase
from stateward.store.integrity import verify_store

ENTRIES = int(os.environ.get("BENCH_LEDGER_ENTRIES", 1_000_000))
FULL_ENTRIES = ENTRIES // 5
PG_ENTRIES = int(os.environ.get("BENCH_LEDGER_PG_ENTRIES", 1_000_000))
BATCH = 1_000
SAMPLES = 1_000
T0 = datetime(2026, 11, 26, tzinfo=UTC)


def run() -> list[str]:
    """Measure and return human-readable result lines."""
    lines = []
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as scratch:
        location = str(Path(scratch, "store"))
        store = open_store(location)
        entries = _entries(store, ENTRIES)
        baseline = _hash_baseline(entries)
        lines.append(f"bare hashlib leaf hashing: {ENTRIES / baseline:,.0f} entries/s")
        lines += _measure(store, entries, baseline, "SQLite WAL synchronous=NORMAL")
        store.close()
        raw = open_store(str(Path(scratch, "raw")))
        lines.append(_append_leaves(raw, entries, baseline, "SQLite WAL synchronous=NORMAL"))
        raw.close()
        full = _sqlite_full(Path(scratch, "full"))
        lines += _append_only(
            full,
            _entries(full, FULL_ENTRIES),
            baseline * FULL_ENTRIES / ENTRIES,
            "SQLite WAL synchronous=FULL",
        )
    url = os.environ.get("STATEWARD_TEST_PG")
    if not url:
        return [*lines, "PostgreSQL: skipped ($STATEWARD_TEST_PG is not set; run make services)"]
    with _postgres(url) as pg:
        pg_entries = _entries(pg, PG_ENTRIES)
        lines += _measure(pg, pg_entries, baseline * PG_ENTRIES / ENTRIES, "PostgreSQL")
        pg.close()
    return lines


def _entries(store: Store, count: int) -> list[Entry]:
    """Small policy entries, each committing to one stored object (~150 bytes of JSON)."""
    address = store.put_object(b"bench policy")
    return [
        Entry(EntryType.POLICY, "bench", T0 + timedelta(milliseconds=i), {"policy": address})
        for i in range(count)
    ]


def _hash_baseline(entries: list[Entry]) -> float:
    leaves = [e.encode() for e in entries]
    start = time.perf_counter()
    for leaf in leaves:
        hashlib.sha256(b"\x00" + leaf).digest()
    return time.perf_counter() - start


def _append(store: Store, entries: list[Entry]) -> float:
    start = time.perf_counter()
    for at in range(0, len(entries), BATCH):
        store.ledger.append(entries[at : at + BATCH])  # encode, hash, one transaction per batch
    return time.perf_counter() - start


def _append_leaves(store: Store, entries: list[Entry], baseline: float, label: str) -> str:
    """The storage engine alone: leaf bytes already encoded (as Tessera takes them)."""
    leaves = [e.encode() for e in entries]
    start = time.perf_counter()
    for at in range(0, len(leaves), BATCH):
        chunk = leaves[at : at + BATCH]
        store.db.read_write(lambda c, chunk=chunk: sql.append_leaves(c, chunk))
    seconds = time.perf_counter() - start
    return _ratio(
        f"{label}: append {len(leaves):,} pre-encoded leaves", len(leaves), seconds, baseline
    )


def _append_only(store: Store, entries: list[Entry], baseline: float, label: str) -> list[str]:
    seconds = _append(store, entries)
    store.close()
    return [
        _ratio(
            f"{label}: append {len(entries):,} in batches of {BATCH:,}",
            len(entries),
            seconds,
            baseline,
        )
    ]


def _measure(store: Store, entries: list[Entry], baseline: float, label: str) -> list[str]:
    count = len(entries)
    seconds = _append(store, entries)
    size = TreeSize(count)
    rng = random.Random(9162)
    indexes = [LeafIndex(rng.randrange(count)) for _ in range(SAMPLES)]
    root = merkle.tree_hash(size, sql.DatabaseHashes(store.db))
    leaves = {i: merkle.leaf_hash(entries[i].encode()) for i in indexes}
    proofs: dict[int, list[bytes]] = {}

    def prove(i: LeafIndex) -> None:
        proofs[i] = store.db.read_only(
            lambda c: merkle.inclusion_proof(i, size, sql.CursorHashes(c))
        )

    generation = latencies(prove, indexes)
    verification = latencies(
        lambda i: merkle.verify_inclusion(leaves[i], i, size, proofs[i], root), indexes
    )
    signed = latencies(lambda i: store.ledger.prove(i), indexes[:100])
    verify_seconds, report = timed(lambda: verify_store(store))
    if not report.ok:
        raise AssertionError(f"bad math: benchmark ledger does not verify: {report.problems[:3]}")
    return [
        _ratio(f"{label}: append {count:,} in batches of {BATCH:,}", count, seconds, baseline),
        _latency(f"{label}: inclusion proof generation at {count:,}", generation),
        _latency(f"{label}: inclusion proof verification at {count:,}", verification),
        _latency(f"{label}: `ledger prove` (new signed checkpoint + proof) at {count:,}", signed),
        f"{label}: `ledger verify` of {count:,} entries: {verify_seconds:.1f} s "
        f"({count / verify_seconds:,.0f} entries/s)",
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
