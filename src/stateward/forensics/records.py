"""Evidence in the store's ledger: each sealed bundle is logged as an ``evidence`` entry
committing to its seal, so it is covered by the ledger's checkpoints and proofs, and
``evidence list`` reads the bundles back from the log. Erasures are read from the log too (its
tombstone entries), never from an index beside it, so what counts as erased is what the
verified ledger says."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from stateward.forensics.evidence import Sealed
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.storage import sql
from stateward.store import Store

__all__ = ["EvidenceRecord", "erasures", "evidence_records", "record_evidence"]

SEAL = "seal"


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """One logged bundle: its ledger index, estate, time and evidence ID (seal address)."""

    index: int
    estate: str | None
    time: datetime
    address: str


def record_evidence(store: Store, sealed: Sealed, estate: str | None) -> int:
    """Log a sealed bundle; returns its ledger index."""
    return int(store.append_entry(EntryType.EVIDENCE, estate, {SEAL: sealed.address}))


def evidence_records(store: Store) -> list[EvidenceRecord]:
    """Every bundle logged in the store, oldest first (reads the whole log)."""
    return [
        EvidenceRecord(index, entry.estate, entry.time, entry.objects[SEAL])
        for index, entry in _entries(store)
        if entry.type is EntryType.EVIDENCE and SEAL in entry.objects
    ]


def erasures(store: Store) -> dict[str, int]:
    """Every object a tombstone erased, to that tombstone's ledger index (reads the log)."""
    return {
        entry.objects["erased"]: index
        for index, entry in _entries(store)
        if entry.type is EntryType.TOMBSTONE
    }


def _entries(store: Store) -> Iterator[tuple[int, Entry]]:
    size = int(store.ledger.size())
    leaves = store.db.read_only(lambda c: sql.read_entries(c, 0, size))
    for index, leaf in enumerate(leaves):
        yield index, Entry.decode(leaf, source=f"ledger entry {index}")
