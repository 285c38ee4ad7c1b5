"""Which store a call works on (one the caller holds open, or a location to open), and the
calls on a whole store: export, import, its keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stateward.store import Store, export_to, import_from, open_store
from stateward.store import key_status as store_key_status
from stateward.store import rotate_key as store_rotate_key
from stateward.store.integrity import VerifyReport, verify_store
from stateward.store.keys import KeyRecord

__all__ = [
    "Imported",
    "StoreRef",
    "export_store",
    "import_store",
    "key_status",
    "opened",
    "rotate_key",
]

StoreRef = Store | str | None
"""An open store (a server keeps one), or its location (``None``: ``STATEWARD_STORE`` or
``.stateward``) to open for this call."""


def opened(store: StoreRef, *, read_only: bool = False, create: bool = True) -> Store:
    """The store ``store`` refers to. Calls that only read pass ``read_only``: then nothing is
    created, not even keys, and a missing store is a MissingStoreError; calls that write only to
    a store that exists (checkpoints, proofs, tiles, erasure) pass ``create=False``."""
    if isinstance(store, Store):
        return store
    return open_store(store, read_only=read_only, create=create)


@dataclass(frozen=True)
class Imported:
    """A store filled from an export, and the verification of its ledger."""

    origin: str
    """The ledger's origin line (the old store's: its checkpoints verify against this one)."""
    report: VerifyReport


def export_store(location: str | None, file: Path) -> int:
    """Write every table of the store to ``file`` (gzip'd JSON lines) from one snapshot; the
    rows written. The keys are not in it."""
    return export_to(location, file)


def import_store(location: str | None, file: Path) -> Imported:
    """Fill the new, empty store at ``location`` from ``file`` made by :func:`export_store`,
    then verify its ledger (the report says whether it verifies)."""
    store = import_from(location, file)
    return Imported(store.ledger.origin(), verify_store(store))


def key_status(location: str | None) -> dict[str, Any]:
    """Where the store's keys are and whether its secret key is the one it records (by id,
    never the key); read-only, so it also explains a store that refuses to open."""
    return store_key_status(location)


def rotate_key(location: str | None) -> tuple[KeyRecord | None, KeyRecord]:
    """Give the store a new secret key on purpose (a ledger entry); the previous and new key
    generations."""
    return store_rotate_key(location)
