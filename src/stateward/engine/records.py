"""Evidence in the store's ledger: each sealed bundle is logged as an ``evidence`` entry
committing to its seal, so it is covered by the ledger's checkpoints and proofs, and
``evidence list`` reads the bundles back from the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stateward.engine.evidence import Sealed
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.storage import sql
from stateward.store import Store

__all__ = ["EvidenceRecord", "evidence_records", "record_evidence"]

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
    size = int(store.ledger.size())
    leaves = store.db.read_only(lambda c: sql.read_entries(c, 0, size))
    records = []
    for index, leaf in enumerate(leaves):
        entry = Entry.decode(leaf, source=f"ledger entry {index}")
        if entry.type is EntryType.EVIDENCE and SEAL in entry.objects:
            records.append(EvidenceRecord(index, entry.estate, entry.time, entry.objects[SEAL]))
    return records
