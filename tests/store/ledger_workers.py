"""Child processes for the ledger concurrency and crash tests (importable for ``spawn``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from stateward.api import observe
from stateward.ledger.entry import Entry, EntryType
from stateward.store import open_store

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def append_batches(location: str, worker: int, batches: int, size: int) -> list[int]:
    """Append ``batches`` batches of ``size`` policy entries; return the first index of each."""
    store = open_store(location)
    address = store.put_object(f"policy of worker {worker}".encode())
    firsts = []
    for batch in range(batches):
        entries = [
            Entry(EntryType.POLICY, f"w{worker}", T0 + timedelta(seconds=batch), {"p": address})
            for _ in range(size)
        ]
        firsts.append(store.ledger.append(entries))
    store.close()
    return firsts


def record_forever(location: str) -> None:
    """Record observations and append entries until killed."""
    store = open_store(location)
    seen = observe([str(SHOP / "production")], estate="shop", keeper=store.keeper)
    address = store.put_object(b"evidence")
    step = 0
    while True:
        step += 1
        seen.time = T0 + timedelta(seconds=step)
        store.record(seen)
        store.ledger.append([Entry(EntryType.EVIDENCE, "shop", seen.time, {"seal": address})] * 40)


def append_acknowledged(location: str, acknowledgements: str) -> None:
    """Append batches of 5 policy entries until killed; after each commit, write a line
    ``<first index> <count>`` to ``acknowledgements`` (an append a caller may count on)."""
    store = open_store(location)
    address = store.put_object(b"fault-injection policy")
    with open(acknowledgements, "a", encoding="utf-8") as acknowledged:
        step = 0
        while True:
            step += 1
            at = T0 + timedelta(seconds=step)
            first = store.ledger.append([Entry(EntryType.POLICY, "faults", at, {"p": address})] * 5)
            acknowledged.write(f"{first} 5\n")
            acknowledged.flush()
