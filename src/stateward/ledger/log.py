"""The ledger of a store: append entries, sign checkpoints, prove inclusion and consistency.

One :class:`Ledger` per open store. It owns the log key (Ed25519 behind the :class:`Signer`
plug-point, a 0600 file where :mod:`stateward.store.keys` puts it) and keeps
every checkpoint it signs. The operations map to the CLI one to one: ``append`` (the store calls
it inside its own transactions), ``checkpoint``, ``prove``, ``consistency``, ``export_tiles``.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stateward.errors import InputError, LedgerIntegrityError, StorageError, VerificationError
from stateward.ledger import merkle, tiles
from stateward.ledger.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from stateward.ledger.entry import Entry, encode_entries
from stateward.ledger.merkle import LeafIndex, TreeSize
from stateward.ledger.signer import Ed25519Signer, Ed25519Verifier, Signer, Verifier
from stateward.ledger.storage import sql
from stateward.ledger.storage.interface import Cursor, Database
from stateward.sources.interface import Progress

__all__ = ["PROOF_HEADER", "Consistency", "Inclusion", "Ledger", "log_key_path"]

PROOF_HEADER = "c2sp.org/tlog-proof@v1"
_REWRITTEN = "Do not trust this store's history; compare it with a backup or an exported copy."


def log_key_path(secret_key: Path, origin: str | None = None) -> Path:
    """Where the log key lives beside a secret key named by ``STATEWARD_KEY_FILE``, which
    several stores may share: one log key per store, named after its ``origin``
    (``secret.key`` → ``secret.<store id>.ledger.key``). Without ``origin``, the name older
    versions gave it beside an SQLite store (``store.db.key`` → ``store.db.ledger.key``)."""
    stem = secret_key.name.removesuffix(".key")
    store_id = f".{origin.rsplit('/', 1)[-1]}" if origin else ""
    return secret_key.with_name(f"{stem}{store_id}.ledger.key")


@dataclass(frozen=True)
class Inclusion:
    """An inclusion proof of one entry in a signed checkpoint (RFC 9162 §2.1.3)."""

    index: LeafIndex
    entry: bytes
    proof: tuple[bytes, ...]
    checkpoint: Checkpoint
    signed: str
    """The signed checkpoint note the proof is against."""

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form, with the same proof as C2SP ``tlog-proof`` text."""
        return {
            "index": self.index,
            "tree_size": self.checkpoint.size,
            "entry": _b64(self.entry),
            "entry_document": json.loads(self.entry),
            "leaf_hash": _b64(merkle.leaf_hash(self.entry)),
            "inclusion_proof": [_b64(h) for h in self.proof],
            "root_hash": _b64(self.checkpoint.root_hash),
            "checkpoint": self.signed,
            "tlog_proof": self.tlog_proof(),
        }

    def tlog_proof(self) -> str:
        """C2SP tlog-proof text: header, ``index <n>``, the audit path (one base64 hash a line),
        a blank line, the signed checkpoint (https://c2sp.org/tlog-proof, §Format)."""
        lines = [PROOF_HEADER, f"index {self.index}", *(_b64(h) for h in self.proof)]
        return "\n".join(lines) + "\n\n" + self.signed


@dataclass(frozen=True)
class Consistency:
    """Proof that the ledger now extends an earlier checkpoint (RFC 9162 §2.1.4)."""

    old: Checkpoint
    new: Checkpoint
    proof: tuple[bytes, ...]

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "old_size": self.old.size,
            "new_size": self.new.size,
            "old_root": _b64(self.old.root_hash),
            "new_root": _b64(self.new.root_hash),
            "consistency_proof": [_b64(h) for h in self.proof],
        }


class Ledger:
    """The Merkle log of one store, its log key and its checkpoints."""

    def __init__(self, db: Database, key_path: Path, *, create: bool = True) -> None:
        """``create=False`` (a read-only command): a missing log key is an error, never made."""
        self.db = db
        self.key_path = key_path
        self._create = create
        self._signer: Signer | None = None
        self._upper = merkle.UpperHashes()
        self._reader = sql.proof_reader(db.dialect)

    def origin(self) -> str:
        """The log's origin line, also its key name."""
        return self.db.read_only(sql.read_log).origin

    def size(self) -> TreeSize:
        """How many entries the log holds."""
        return self.db.read_only(sql.read_log).size

    def append(self, entries: Sequence[Entry]) -> LeafIndex:
        """Append entries in one transaction; returns the index of the first."""
        leaves = encode_entries(entries)
        return self.db.read_write(lambda c: sql.append_leaves(c, leaves))

    @staticmethod
    def append_in(cursor: Cursor, entries: Sequence[Entry]) -> LeafIndex:
        """Append entries inside the caller's write transaction (with what they commit to)."""
        return sql.append_leaves(cursor, encode_entries(entries))

    def signer(self) -> Signer:
        """The log key: loaded from its file, or created on first use and registered."""
        if self._signer is None:
            log = self.db.read_only(sql.read_log)
            if (log.vkey or not self._create) and not self.key_path.exists():  # never replace one
                raise StorageError(
                    f"{self.key_path}: the log key of {log.origin} is missing",
                    remedy="Restore it from a backup; until then no checkpoint can be signed "
                    "(`ledger verify` still works).",
                )
            signer = _load_or_create(self.key_path, log.origin)
            registered = log.vkey or self.db.read_write(
                lambda c: sql.register_vkey(c, signer.vkey())
            )
            if registered != signer.vkey():
                raise StorageError(
                    f"{self.key_path}: this log key is not the one registered for {log.origin}",
                    remedy="Restore the store's own log key file; checkpoints need it.",
                )
            self._signer = signer
        return self._signer

    def verifier(self) -> Verifier:
        """The log's registered verifier key (the signer's, once it has been created)."""
        log = self.db.read_only(sql.read_log)
        if not log.vkey:
            return self.signer().verifier()
        try:
            return Ed25519Verifier.from_vkey(log.vkey)
        except InputError as error:  # the stored row was edited: damage, not bad input
            raise LedgerIntegrityError(
                f"ledger_log.vkey of {log.origin} is not a verifier key: {error.reason}",
                remedy=_REWRITTEN,
            ) from None

    def checkpoint(self) -> tuple[Checkpoint, str]:
        """Sign and keep a checkpoint of the current tree (C2SP tlog-checkpoint).

        Refuses to sign one inconsistent with the last it signed (tlog-checkpoint §Note text:
        a log never signs two inconsistent checkpoints), which also catches a rolled-back store.
        """
        signer = self.signer()

        def current(cursor: Cursor) -> tuple[Checkpoint, list[tuple[TreeSize, str]]]:
            log = sql.read_log(cursor)
            root = merkle.tree_hash(log.size, sql.CursorHashes(cursor))
            return Checkpoint(log.origin, log.size, root), sql.checkpoint_notes(cursor, latest=True)

        checkpoint, last = self.db.read_only(current)
        for _, note in last:
            self._check_extends(open_checkpoint(note, signer.verifier()), checkpoint)
        signed = sign_checkpoint(checkpoint, [signer])
        self.db.read_write(lambda c: sql.save_checkpoint(c, checkpoint.size, signed))
        return checkpoint, signed

    def prove(self, index: int) -> Inclusion:
        """Inclusion proof of entry ``index`` in a freshly signed checkpoint (RFC 9162 §2.1.3.1)."""
        checkpoint, signed = self.checkpoint()
        if not 0 <= index < checkpoint.size:
            raise InputError(f"entry {index}", f"not in the ledger of {checkpoint.size} entries")
        at = LeafIndex(index)

        def read(cursor: Cursor) -> tuple[bytes, list[bytes]]:
            proof = self.inclusion_proof(cursor, at, checkpoint.size)
            return sql.read_entries(cursor, at, at + 1)[0], proof

        entry, proof = self.db.read_only(read)
        leaf = merkle.leaf_hash(entry)
        merkle.verify_inclusion(leaf, at, checkpoint.size, proof, checkpoint.root_hash)
        return Inclusion(at, entry, tuple(proof), checkpoint, signed)

    def inclusion_proof(self, cursor: Cursor, index: LeafIndex, size: TreeSize) -> list[bytes]:
        """The audit path of entry ``index`` in the stored tree of ``size`` (RFC 9162
        §2.1.3.1), read in the caller's transaction; the hashes of large subtrees and of the
        tree's ragged right edge are remembered from earlier proofs
        (:class:`merkle.UpperHashes`): verify it before trusting it."""
        return merkle.inclusion_proof(index, size, self._reader(cursor), self._upper)

    def consistency(self, signed_old: str, verifier: Verifier | None = None) -> Consistency:
        """Prove the ledger extends ``signed_old`` (RFC 9162 §2.1.4), an earlier checkpoint of
        this log signed by its key (or ``verifier``'s). LedgerIntegrityError if it does not."""
        log = verifier or self.verifier()
        old = open_checkpoint(signed_old, log, origin=self.origin(), source="old checkpoint")

        def current(cursor: Cursor) -> Checkpoint:
            size = sql.read_log(cursor).size
            return Checkpoint(old.origin, size, merkle.tree_hash(size, sql.CursorHashes(cursor)))

        new = self.db.read_only(current)
        return Consistency(old, new, tuple(self._check_extends(old, new)))

    def export_tiles(
        self, directory: Path, *, force: bool = False, progress: Progress | None = None
    ) -> tuple[Checkpoint, int]:
        """Write a C2SP tlog-tiles copy of the ledger, with a fresh checkpoint; files written."""
        checkpoint, signed = self.checkpoint()
        reader = sql.DatabaseHashes(self.db)
        written = tiles.export_tiles(
            directory, checkpoint.size, reader, reader, signed, force=force, progress=progress
        )
        return checkpoint, written

    def latest_note(self) -> str:
        """The newest signed checkpoint if it covers the whole log, else a freshly signed one:
        what a tlog-tiles ``checkpoint`` serves without a new row per request."""
        size, notes = self.db.read_only(
            lambda c: (sql.read_log(c).size, sql.checkpoint_notes(c, latest=True))
        )
        if notes and notes[0][0] == size:
            return notes[0][1]
        return self.checkpoint()[1]

    def tile(self, path: str) -> bytes | None:
        """The tlog-tiles tile or entry bundle at ``path`` (``tile/…``), None if not yet held."""
        reader = sql.DatabaseHashes(self.db)
        return tiles.read_tile(path, self.size(), reader, reader)

    def _check_extends(self, old: Checkpoint, new: Checkpoint) -> list[bytes]:
        if old.size > new.size:
            raise LedgerIntegrityError(
                f"the ledger has {new.size} entries, fewer than the {old.size} of the checkpoint: "
                "it was truncated or rolled back",
                remedy=_REWRITTEN,
            )
        reader = sql.DatabaseHashes(self.db)
        proof = merkle.consistency_proof(old.size, new.size, reader)
        try:
            merkle.verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof)
        except VerificationError:
            raise LedgerIntegrityError(
                f"the ledger does not extend the checkpoint of size {old.size}: "
                "history was rewritten or rolled back",
                remedy=_REWRITTEN,
            ) from None
        return proof


def _load_or_create(path: Path, name: str) -> Ed25519Signer:
    """Load the key file, or create it; another process may be creating it at the same time."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for _ in range(100):
        if not path.exists():
            try:
                return Ed25519Signer.create(path, name)
            except InputError:
                if not path.exists():
                    raise
        if path.stat().st_size:  # a key being written by another process is empty for a moment
            signer = _load(path)
            if signer.name != name:
                raise StorageError(
                    f"{path}: the log key is for {signer.name}, not this store ({name})",
                    remedy="Point STATEWARD_KEY_FILE at this store's key, or move the file away.",
                )
            return signer
        time.sleep(0.01)
    raise StorageError(
        f"{path}: the log key file is empty",
        remedy="Restore it from your backup; checkpoints cannot be signed until then.",
    )


def _load(path: Path) -> Ed25519Signer:
    """The key file, refused as a store error (exit 3) like the secret key when it is open to
    others or damaged: the store cannot sign until the file is fixed."""
    try:
        return Ed25519Signer.load(path)
    except InputError as error:
        remedy = (
            error.remedy or "Restore it from your backup; checkpoints cannot be signed until then."
        )
        raise StorageError(f"log key {error.message}", remedy=remedy) from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
