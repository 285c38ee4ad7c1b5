"""The store's Merkle-tree ledger (RFC 9162): verify, checkpoint, prove, export and erase.

A proof, signature or checkpoint that fails is a LedgerIntegrityError (or VerificationError),
like a stored hash that does not match: either way the history cannot be trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stateward.api._stores import StoreRef, opened
from stateward.errors import LedgerIntegrityError
from stateward.fsutil import read_small_text
from stateward.ledger.checkpoint import Checkpoint
from stateward.ledger.log import Consistency, Inclusion
from stateward.ledger.signer import Ed25519Verifier
from stateward.ledger.tilefetch import open_tiles
from stateward.ledger.tileverify import TilesReport
from stateward.ledger.tileverify import verify_tiles as verify_tile_tree
from stateward.sources.interface import Progress
from stateward.store.integrity import VerifyReport, verify_store

__all__ = [
    "Signed",
    "checkpoint",
    "consistency",
    "consistency_with",
    "erase",
    "export_tiles",
    "log_checkpoint",
    "prove",
    "read_text",
    "tile",
    "verifier_key",
    "verify",
    "verify_failure",
    "verify_tiles",
]

_MAX_FILE = 1 << 20


@dataclass(frozen=True)
class Signed:
    """A checkpoint of the ledger and its signed note (C2SP tlog-checkpoint)."""

    checkpoint: Checkpoint
    note: str


def verify(
    store: StoreRef, vkey: str | None = None, *, progress: Progress | None = None
) -> VerifyReport:
    """Recompute the whole ledger from its entries and check every stored hash, checkpoint and
    object against the log's key (or ``vkey``: a verifier key or a file holding one). The
    report lists the problems; :func:`verify_failure` is the error they amount to.
    ``progress`` hears the entries recomputed so far and the ledger's size."""
    return verify_store(opened(store, read_only=True), _verifier(vkey), progress)


def verify_failure(report: VerifyReport) -> LedgerIntegrityError | None:
    """The error naming a failed verification's first problem; None when it verified."""
    if report.ok:
        return None
    first = report.problems[0].text()
    more = len(report.problems) - 1
    return LedgerIntegrityError(
        f"ledger verification failed: {first}" + (f" (and {more} more)" if more else ""),
        remedy="Do not trust this store's history; restore it or compare with an export.",
    )


def checkpoint(store: StoreRef) -> Signed:
    """Sign a checkpoint of the ledger as it is now."""
    current, note = opened(store, create=False).ledger.checkpoint()
    return Signed(current, note)


def verifier_key(store: StoreRef) -> Ed25519Verifier:
    """The log's verifier key, for checking checkpoints elsewhere."""
    verifier = opened(store, read_only=True).ledger.verifier()
    assert isinstance(verifier, Ed25519Verifier), "bad math: the log key is Ed25519"
    return verifier


def prove(store: StoreRef, entry: int) -> Inclusion:
    """An inclusion proof of ledger entry ``entry`` against a freshly signed checkpoint."""
    return opened(store, create=False).ledger.prove(entry)


def consistency(store: StoreRef, checkpoint_file: Path, vkey: str | None = None) -> Consistency:
    """Prove the ledger extends the signed checkpoint in ``checkpoint_file`` (RFC 9162
    consistency proof); a truncated, rolled-back or rewritten ledger fails."""
    return consistency_with(store, read_text(checkpoint_file), vkey)


def consistency_with(store: StoreRef, signed: str, vkey: str | None = None) -> Consistency:
    """:func:`consistency` with the signed checkpoint given as text (a server's request body)."""
    return opened(store, read_only=True).ledger.consistency(signed, _verifier(vkey))


def export_tiles(
    store: StoreRef, directory: Path, *, force: bool = False, progress: Progress | None = None
) -> tuple[Checkpoint, int]:
    """Write the ledger as a C2SP tlog-tiles directory; the checkpoint and the files written.
    ``progress`` hears the entry bundles written so far and how many there are."""
    ledger = opened(store, create=False).ledger
    return ledger.export_tiles(directory, force=force, progress=progress)


def log_checkpoint(store: StoreRef) -> str:
    """The signed checkpoint a tlog-tiles client reads: the newest kept one while it covers the
    whole ledger, else one signed now."""
    return opened(store).ledger.latest_note()


def tile(store: StoreRef, path: str) -> bytes | None:
    """The tlog-tiles file at ``path`` (``tile/<L>/<N>[.p/<W>]`` or ``tile/entries/…``) as
    :func:`export_tiles` would write it; None when the ledger does not hold it yet, InputError
    for a path that is not a canonical tile path."""
    return opened(store, read_only=True).ledger.tile(path)


def verify_tiles(location: str, vkey: str) -> TilesReport:
    """Verify a C2SP tlog-tiles tree (a directory or an http(s):// URL) without a store."""
    verifier = _verifier(vkey)
    assert verifier is not None, "bad math: a key was given"
    return verify_tile_tree(open_tiles(location), verifier)


def erase(store: StoreRef, address: str, reason: str) -> int:
    """Erase object ``address`` from the store: a tombstone entry (its index returned) is
    logged and the bytes are deleted. Proofs still verify."""
    return int(opened(store, create=False).erase_object(address, reason))


def _verifier(vkey: str | None) -> Ed25519Verifier | None:
    if vkey is None:
        return None
    path = Path(vkey)
    text = read_text(path).strip() if "+" not in vkey or path.is_file() else vkey
    return Ed25519Verifier.from_vkey(text)


def read_text(path: Path) -> str:
    """A small text file (a checkpoint or key); InputError naming it when it cannot be read."""
    return read_small_text(path, _MAX_FILE, "checkpoint or key file")
