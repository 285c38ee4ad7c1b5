"""Calls a long-running server makes that the CLI does not: proofs that never write, and the
store's figures for ``/metrics`` and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stateward.api._history import estates
from stateward.api._stores import StoreRef, opened
from stateward.errors import InputError
from stateward.ledger import merkle
from stateward.ledger.checkpoint import open_checkpoint
from stateward.ledger.log import Inclusion
from stateward.ledger.storage import sql
from stateward.ledger.storage.interface import Cursor

__all__ = ["Figures", "figures", "kept_checkpoint", "prove_stored"]


def prove_stored(store: StoreRef, entry: int) -> Inclusion:
    """An inclusion proof of ledger entry ``entry`` (RFC 9162 §2.1.3) against the newest
    checkpoint already kept: a read, never a write, so a reader cannot grow the checkpoint table
    one row per request. InputError while no kept checkpoint covers ``entry`` yet."""
    ledger = opened(store, read_only=True).ledger

    def read(cursor: Cursor) -> tuple[int, tuple[str, bytes, list[bytes]] | None]:
        size = sql.read_log(cursor).size
        notes = sql.checkpoint_notes(cursor, latest=True)
        if not notes or not 0 <= entry < notes[0][0]:
            return size, None
        covered, note = notes[0]
        at = merkle.LeafIndex(entry)
        proof = ledger.inclusion_proof(cursor, at, covered)  # verified below
        return size, (note, sql.read_entries(cursor, at, at + 1)[0], proof)

    size, found = ledger.db.read_only(read)
    if found is None:
        where = "not in the ledger" if not 0 <= entry < size else "newer than the last checkpoint"
        raise InputError(
            f"entry {entry}",
            f"{where} (the ledger holds {size} entries)",
            remedy="An admin signs a checkpoint (POST /api/v1/ledger/checkpoint), then ask again.",
        )
    note, leaf, proof = found
    checkpoint = open_checkpoint(note, ledger.verifier(), origin=ledger.origin())
    at = merkle.LeafIndex(entry)
    # a stored hash or entry that does not add up is a VerificationError (409), as in Ledger.prove
    merkle.verify_inclusion(
        merkle.leaf_hash(leaf), at, checkpoint.size, proof, checkpoint.root_hash
    )
    return Inclusion(at, leaf, tuple(proof), checkpoint, note)


def kept_checkpoint(store: StoreRef) -> str | None:
    """The newest signed checkpoint the store keeps (a read: none is signed); None if none is."""
    notes = opened(store, read_only=True).db.read_only(
        lambda c: sql.checkpoint_notes(c, latest=True)
    )
    return notes[0][1] if notes else None


@dataclass(frozen=True)
class Figures:
    """What ``/metrics`` reports of a store, read in one pass."""

    ledger_entries: int
    checkpoint_size: int
    """Entries the newest kept checkpoint covers (0: none kept)."""
    observations: dict[str, int]
    latest: dict[str, datetime]


def figures(store: StoreRef) -> Figures:
    """The store's size and each estate's observations, read-only."""
    ledger = opened(store, read_only=True).ledger

    def read(cursor: Cursor) -> tuple[int, int]:
        notes = sql.checkpoint_notes(cursor, latest=True)
        return sql.read_log(cursor).size, notes[0][0] if notes else 0

    size, covered = ledger.db.read_only(read)
    rows = estates(store)
    return Figures(
        size,
        covered,
        {e.name: e.observations for e in rows},
        {e.name: e.latest for e in rows},
    )
