"""``ledger verify`` reads each block of entries from PostgreSQL in index order, never sorted.

A ledger just written has no planner statistics (autovacuum had not analyzed a million fresh
entries 50 s on); the planner then sorted each block of 32,768 entries apart, spilling to disk,
at three times the server's CPU of the primary key's index scan, which yields them in order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stateward.ledger import verify
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.storage.interface import Cursor
from stateward.store import open_store

T0 = datetime(2026, 12, 5, tzinfo=UTC)


def _plan(cursor: Cursor, *, unsorted: bool) -> str:
    if unsorted:
        cursor.execute(verify._NO_SORT)
    rows = cursor.execute("EXPLAIN " + verify._IN_ORDER, (0, verify.CHUNK))
    return "\n".join(str(row[0]) for row in rows)


def test_a_block_of_a_ledger_never_analyzed_is_read_by_its_index(pg_store: str) -> None:
    store = open_store(pg_store)
    try:
        address = store.put_object(b"policy")
        entries = [
            Entry(EntryType.POLICY, "shop", T0 + timedelta(seconds=i), {"policy": address})
            for i in range(20_000)
        ]
        store.ledger.append(entries)
        plain = store.db.read_only(lambda c: _plan(c, unsorted=False))
        assert "Sort" in plain  # why the setting is there: no statistics, a sort of its own
        unsorted = store.db.read_only(lambda c: _plan(c, unsorted=True))
        assert "Sort" not in unsorted
        assert "Index Scan using ledger_entries_pkey" in unsorted
        # SET LOCAL: the next transaction plans as the server is configured
        assert store.db.read_only(lambda c: c.execute("SHOW enable_sort")) == [("on",)]
    finally:
        store.close()
