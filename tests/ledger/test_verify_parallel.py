"""``ledger verify`` in worker processes finds exactly what it finds in one process."""

from __future__ import annotations

import threading
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tests.ledger.packs import keep_stored_hashes, write_stored_hash

from stateward.ledger import verify
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.verify import LogReport, verify_log
from stateward.store import Store, open_store
from stateward.workers import forked_pool

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _store(location: str) -> Store:
    """A log of every kind of entry, across many small chunks, one object erased."""
    store = open_store(location)
    kept, erased = store.put_object(b"kept"), store.put_object(b"erased")
    entries = [
        Entry(EntryType.POLICY, None, T0 + timedelta(seconds=i), {"p": kept if i % 2 else erased})
        for i in range(150)
    ]
    entries.append(Entry(EntryType.TOMBSTONE, None, T0, {"erased": erased}, "retention"))
    entries += [Entry(EntryType.CHANGE, "shop", T0, {"c": kept}) for _ in range(50)]
    store.ledger.append(entries)
    store.ledger.checkpoint()
    return store


def _report(store: Store, workers: int) -> LogReport:
    return verify_log(store.db, store.ledger.verifier(), workers=workers)


def _tamper(store: Store) -> None:
    """An entry edited, a node hash edited, a leaf hash edited, the last hash deleted."""
    store.db.read_write(
        lambda c: c.execute("UPDATE ledger_entries SET entry = ? WHERE idx = 37", (b"{}",))
    )
    write_stored_hash(store.db, 130, bytes(32))
    write_stored_hash(store.db, 301, bytes(32))
    keep_stored_hashes(store.db, 397)


@pytest.mark.parametrize("tampered", [False, True])
def test_workers_report_what_one_process_reports(
    location: str, monkeypatch: pytest.MonkeyPatch, tampered: bool
) -> None:
    store = _store(location)
    if tampered:
        _tamper(store)
    monkeypatch.setattr(verify, "CHUNK", 16)  # many chunks, in flight at once
    monkeypatch.setattr(verify, "PARALLEL_FROM", 0)
    alone, shared = _report(store, 0), _report(store, 2)
    assert shared == alone
    assert alone.by_type == {"policy": 150 - tampered, "tombstone": 1, "change": 50}
    assert alone.erased == {alone_erased(store): 150}
    assert [p.text() for p in alone.problems] == (PROBLEMS if tampered else [])
    store.close()


def alone_erased(store: Store) -> str:
    return store.put_object(b"erased")  # the address it already has


PROBLEMS = [
    "entry 37: its content does not match its stored hash (the entry was altered)",
    "entry 37: not a version 1 entry",
    "entry 66: its stored leaf hash was altered (the entry matches the tree above it)",
    "entry 152: its stored leaf hash was altered (the entry matches the tree above it)",
    "entry 200: its content or its stored leaf hash was altered",
    "ledger_hash_packs holds 397 tree hashes in 7 rows; a log of 201 entries has 398 in 7",
    "the signed checkpoint at size 201 does not match the entries: history before it was rewritten",
]


def test_a_threaded_process_verifies_without_forking(
    location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child forked beside another thread may inherit a lock held and hang: with a second
    thread alive (a server's), verify runs in this process, and finds the same."""
    store = _store(location)
    _tamper(store)
    monkeypatch.setattr(verify, "CHUNK", 16)
    monkeypatch.setattr(verify, "PARALLEL_FROM", 0)
    forked: list[int] = []

    def recorded(*args: Any, **kwargs: Any) -> ProcessPoolExecutor:
        forked.append(1)
        return forked_pool(*args, **kwargs)

    monkeypatch.setattr(verify, "forked_pool", recorded)
    alone = _report(store, 0)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        shared = _report(store, 2)
    finally:
        release.set()
        other.join()
    assert shared == alone and not forked
    assert [p.text() for p in shared.problems] == PROBLEMS
    store.close()


def test_an_entry_holding_a_line_break_is_named_alone(location: str) -> None:
    """Blocks are read joined one entry a line: an entry with a line break of its own (as no
    canonical entry has) is read row by row instead, and named, the others passing."""
    store = _store(location)
    store.db.read_write(
        lambda c: c.execute(
            "UPDATE ledger_entries SET entry = ? WHERE idx = 5", (b'{"v":1,\n"type":"policy"}',)
        )
    )
    problems = [p.text() for p in _report(store, 0).problems]
    assert problems == [
        "entry 5: fields must be estate, objects, time, type, v (and reason)",
        "entry 5: its content does not match its stored hash (the entry was altered)",
        "the signed checkpoint at size 201 does not match the entries: history before it was "
        "rewritten",
    ]
    store.close()
