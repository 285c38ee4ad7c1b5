"""Opening a store from a location: a directory, ``sqlite:///file.db`` or ``postgresql://…``.

Default: ``.stateward/`` in the working directory (or ``STATEWARD_STORE``). The store's two keys
(the HMAC key of its secret digests and the ledger's Ed25519 log key) are not in the database:
see :mod:`stateward.store.keys` for where they live and how the store records which secret key
it was written with.

Commands that only read open the store ``read_only``: nothing is created (no directory, file,
table or key), a missing store is a StorageError, and a store on a read-only file system or
with read-only permissions can still be read and verified. Commands that write to a store but
have nothing to say to a new one (signing a checkpoint, proving an entry, erasing an object)
open it with ``create=False``: a missing store is the same error, and nothing is created.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stateward.config import user_default
from stateward.errors import MissingStoreError, StorageError
from stateward.ledger.log import Ledger
from stateward.ledger.storage.sql import read_log
from stateward.model.secrets import LockedKeeper, SecretKeeper
from stateward.store import keys, transfer
from stateward.store.database import Database, PostgresDatabase, SQLiteDatabase, redact_url
from stateward.store.schema import migrate, packed_by_64
from stateward.store.store import ObservationRecord, Store

__all__ = [
    "DEFAULT_LOCATION",
    "ObservationRecord",
    "Store",
    "export_to",
    "import_from",
    "open_database",
    "key_status",
    "open_store",
    "rotate_key",
]

DEFAULT_LOCATION = ".stateward"


def open_database(location: str, *, read_only: bool = False) -> Database:
    """The database at ``location`` (a directory holds ``store.db``)."""
    if location.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(location)
    if location.startswith("sqlite:///"):
        path = Path(location.removeprefix("sqlite:///"))
    elif "://" in location:
        raise StorageError(
            f"unknown store URL {redact_url(location)!r}",
            remedy="Use a directory, sqlite:///path/file.db or postgresql://user@host/db.",
        )
    else:
        path = Path(location, "store.db")
    return SQLiteDatabase(path, read_only=read_only)


def open_store(
    location: str | None = None, *, read_only: bool = False, create: bool = True
) -> Store:
    """Open the store at ``location``, ``$STATEWARD_STORE`` or ``.stateward``, creating it and
    its keys unless ``read_only`` or not ``create`` (then MissingStoreError when there is none).
    StorageError when its secret key is not the one it records."""
    where = _where(location)
    if not create:
        _refuse_missing(where)
    db = open_database(where, read_only=read_only)
    try:
        _prepare(db, where, read_only)
        if read_only and packed_by_64(db):  # read as this version holds them, they would be wrong
            raise StorageError(
                f"the store at {redact_url(where)} holds its ledger's tree hashes as an older "
                "version wrote them, which this version reads only once they are rewritten",
                remedy="Open it once for writing with this version, which rewrites them: "
                "`stateward ledger checkpoint`.",
            )
        files = keys.key_files(db, db.read_only(read_log).origin)
        keeper = _keeper(db, files, read_only)
        ledger = Ledger(db, files.ledger, create=not read_only)
        store = Store(db, keeper, where, ledger)
        if not read_only and db.read_only(read_log).vkey is None:
            ledger.signer()  # the log key is created with the store
    except BaseException:
        db.close()
        raise
    return store


def rotate_key(location: str | None = None) -> tuple[keys.KeyRecord | None, keys.KeyRecord]:
    """Give the store a new secret key on purpose: log the rotation, then put the new key in
    place (the old file is kept as ``<name>.<time>.retired``). Works when the old key is
    lost, which is when it is most needed. Returns the previous and new generations."""
    db = _existing(_where(location))
    try:
        files = keys.key_files(db, db.read_only(read_log).origin)
        previous = keys.recorded_key(db) or _adopt(db, files)
        fresh = files.secret.with_name(f".{files.secret.name}.rotating")
        fresh.unlink(missing_ok=True)
        new = SecretKeeper.create(fresh)
        store = Store(db, new, _where(location), Ledger(db, files.ledger))
        record = keys.record_rotation(store, previous, new)
        if files.secret.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            files.secret.rename(files.secret.with_name(f"{files.secret.name}.{stamp}.retired"))
        fresh.rename(files.secret)
    finally:
        db.close()
    return previous, record


def key_status(location: str | None = None) -> dict[str, Any]:
    """Where the store's keys are and whether the secret key is the one it records; read-only,
    so it also explains a store that refuses to open."""
    where = _where(location)
    db = open_database(where, read_only=True)
    try:
        _prepare(db, where, read_only=True)
        files = keys.key_files(db, db.read_only(read_log).origin)
        record = keys.recorded_key(db)
        try:
            found: str | None = SecretKeeper.load(files.secret).key_id
            problem = None
        except StorageError as error:
            found, problem = None, error.diagnostics()
    finally:
        db.close()
    if problem is None and record and found != record.key_id:
        problem = f"the key file's id {found} is not the recorded {record.key_id}"
    return {
        "store_id": files.store_id,
        "secret_key_file": str(files.secret),
        "ledger_key_file": str(files.ledger),
        "legacy_location": files.legacy,
        "recorded_key_id": record.key_id if record else None,
        "generation": record.generation if record else None,
        "key_file_id": found,
        "ok": problem is None,
        "problem": problem,
    }


def export_to(location: str | None, path: Path) -> int:
    """Write the whole store to ``path`` (:mod:`stateward.store.transfer`); rows written.
    The store is brought to the current schema first, which the import expects."""
    db = _existing(_where(location))
    try:
        return transfer.export_store(db, path)
    finally:
        db.close()


def import_from(location: str | None, path: Path) -> Store:
    """Fill the new store at ``location`` from an export, then open it (its keys are found
    by the store id the export keeps)."""
    db = open_database(_where(location))
    try:
        migrate(db)
        transfer.import_store(db, path)
    finally:
        db.close()
    return open_store(location, read_only=True)


def _existing(where: str) -> Database:
    """The store at ``where``, migrated, for a command that changes it but must not create it:
    MissingStoreError, with nothing created, when there is none."""
    _refuse_missing(where)
    db = open_database(where)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def _refuse_missing(where: str) -> None:
    """MissingStoreError when there is no store at ``where``; looking creates nothing."""
    probe = open_database(where, read_only=True)
    try:
        _prepare(probe, where, read_only=True)
    finally:
        probe.close()


def _where(location: str | None) -> str:
    return (
        location or os.environ.get("STATEWARD_STORE") or user_default("store") or DEFAULT_LOCATION
    )


def _adopt(db: Database, files: keys.KeyFiles) -> keys.KeyRecord | None:
    """Record the key an older version wrote the store with, before rotating away from it; a
    damaged or missing one cannot be, and the rotation replaces it."""
    try:
        return keys.record_first_key(db, SecretKeeper.load(files.secret))
    except StorageError:
        return None


def _prepare(db: Database, where: str, read_only: bool) -> None:
    """Migrate a store opened for writing; check one opened read-only is a store at all."""
    if not read_only:
        migrate(db)
    elif not keys.has_table(db, "_migrations"):
        raise MissingStoreError(f"there is no store at {redact_url(where)}")


def _keeper(db: Database, files: keys.KeyFiles, read_only: bool) -> SecretKeeper:
    """The store's secret keeper, checked against the key id the store records.

    A store that records no key yet takes the key file's (created if the store holds no
    history, adopted if an older version made it). Read-only, a missing key is not an error
    until a command needs to digest something: reading stored history needs no key.
    """
    record = keys.recorded_key(db)
    try:
        if record is None and not read_only:
            return _first_key(db, files)
        keeper = SecretKeeper.load(files.secret)
        if record is not None and keeper.key_id != record.key_id:
            raise StorageError(
                f"secret key {files.secret} (id {keeper.key_id}) is not the key this store was "
                f"written with (id {record.key_id}); its digests would not compare",
                remedy="Use the store's own key (STATEWARD_KEY_FILE, or restore it into "
                f"{files.secret}); to change keys on purpose run `stateward keys rotate`.",
            )
    except StorageError as error:
        if read_only:
            return LockedKeeper(error)
        raise
    return keeper


def _first_key(db: Database, files: keys.KeyFiles) -> SecretKeeper:
    """Generation 0: a new key for a store without history; for one written by an older
    version (no key recorded), the key it was written with, never a fresh one."""
    if files.secret.exists() or db.read_only(read_log).size == 0:
        keeper = SecretKeeper.at(files.secret)
    else:
        raise StorageError(
            f"this store holds history but records no secret key, and there is none at "
            f"{files.secret}; a new key would make every secret look changed",
            remedy="Set STATEWARD_KEY_FILE to the key it was written with (older versions kept "
            "it beside the database, or in .stateward/postgresql.key of the directory scans "
            "ran in); if it is lost, run `stateward keys rotate`.",
        )
    record = keys.record_first_key(db, keeper)
    if record.key_id != keeper.key_id:
        raise StorageError(
            f"another process recorded a different secret key for this store than {files.secret}",
            remedy="Every machine writing one store needs the same key file; see README, Keys.",
        )
    return keeper
