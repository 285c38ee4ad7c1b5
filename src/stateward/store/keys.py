"""Where a store's two keys live, and the secret-digest key as part of the store's identity.

A store has two keys: the HMAC key its secret digests are made under (:class:`SecretKeeper`)
and the Ed25519 key that signs its checkpoints. Neither is kept in the database, nor beside it
by default, so a copy of the database is not a copy of its keys. They live in the user's config
directory, one directory per store id (the last part of the log's origin)::

    $XDG_CONFIG_HOME/stateward/keys/<store id>/secret.key   (default ~/.config, XDG Base Directory
    $XDG_CONFIG_HOME/stateward/keys/<store id>/ledger.key    specification 0.8, $XDG_CONFIG_HOME)

unless ``STATEWARD_KEY_FILE`` names the secret key; the log key is then beside it, named after
the store (``secret.key`` → ``secret.<store id>.ledger.key``). Every machine writing one store
needs the same two files.

The store records the secret key's id (a fingerprint, never the key) in ``secret_keys``:
generation 0 is the key the store was first written with; each ``keys rotate`` adds the next
generation. Every generation is logged in the ledger (:mod:`.keydoc`): a rotation by its ``key`` entry,
the first key by the store's first entry (in a store written before first keys were logged, by
the next entry appended), in the transaction that records the row. So ``ledger verify`` proves
which key each stretch of history was digested under. A key whose id is not the current
generation's is refused, so a lost or different key never re-digests every secret as "changed".
"""

from __future__ import annotations

import bisect
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from stateward.config import config_home, user_default
from stateward.errors import StatewardError, StorageError
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.log import log_key_path
from stateward.ledger.storage import sql
from stateward.ledger.verify import LogReport, Problem
from stateward.model.canonical import digest_bytes
from stateward.model.secrets import SecretKeeper
from stateward.store.database import Cursor, Database, SQLiteDatabase
from stateward.store.keydoc import FIRST_KEY, ROTATION, key_document
from stateward.store.store import ObservationRecord, Store

__all__ = [
    "KeyFiles",
    "KeyRecord",
    "Rotations",
    "create_key_table",
    "has_table",
    "key_problems",
    "key_files",
    "recorded_key",
    "record_first_key",
    "record_rotation",
    "rotations",
]

_LEGACY_PG_KEY = Path(".stateward", "postgresql.key")
"""Where PostgreSQL stores kept their secret key before keys moved to the config directory:
relative to the working directory, which is why a store used from another one got a fresh key."""


@dataclass(frozen=True, slots=True)
class KeyFiles:
    """Where one store's keys are (or would be created)."""

    store_id: str
    secret: Path
    ledger: Path
    legacy: bool = False
    """True for keys found where older versions kept them (beside an SQLite database, or in
    ``.stateward/`` of the working directory for PostgreSQL): used there, never first made
    there."""


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """One generation of the store's secret key, as recorded."""

    generation: int
    key_id: str
    entry: int | None
    """The ledger entry that logged the rotation to it (None for the store's first key)."""


def key_files(db: Database, origin: str) -> KeyFiles:
    """The key files of the store whose log is ``origin``: where older versions kept them if
    they are still there, else ``STATEWARD_KEY_FILE``, else the config directory."""
    store_id = origin.rsplit("/", 1)[-1]
    named = os.environ.get("STATEWARD_KEY_FILE") or user_default("key_file")
    home = config_home() / "stateward" / "keys" / store_id
    if isinstance(db, SQLiteDatabase):  # older versions always kept them beside the database
        secret = db.path.with_name(db.path.name + ".key")
        if secret.exists():
            return KeyFiles(store_id, secret, log_key_path(secret), legacy=True)
    if named:
        return KeyFiles(store_id, Path(named), log_key_path(Path(named), origin))
    if db.dialect == "postgresql" and not (home / "secret.key").exists():
        secret = _LEGACY_PG_KEY.absolute()  # the old default of STATEWARD_KEY_FILE
        if secret.exists():
            return KeyFiles(store_id, secret, log_key_path(secret, origin), legacy=True)
    return KeyFiles(store_id, home / "secret.key", home / "ledger.key")


def create_key_table(cursor: Cursor, types: dict[str, str]) -> None:
    """The ``*_key_identity`` migration: one row per generation of the secret key."""
    cursor.execute(
        f"""CREATE TABLE secret_keys (
            generation INTEGER PRIMARY KEY,
            key_id TEXT NOT NULL,
            entry {types["bigint"]},
            time TEXT NOT NULL)"""
    )


def recorded_key(db: Database) -> KeyRecord | None:
    """The current generation of the store's secret key, or None before it is recorded (or,
    read-only, in a store older than key identity)."""
    if not has_table(db, "secret_keys"):
        return None
    rows = db.read_only(
        lambda c: c.execute(
            "SELECT generation, key_id, entry FROM secret_keys ORDER BY generation DESC LIMIT 1"
        )
    )
    if not rows:
        return None
    generation, key_id, entry = rows[0]
    return KeyRecord(int(generation), str(key_id), None if entry is None else int(entry))


def record_first_key(db: Database, keeper: SecretKeeper) -> KeyRecord:
    """Record ``keeper``'s key as generation 0 unless one is; returns the current generation.
    Two processes opening a new store at once both try; the primary key lets one win. The
    store's first ledger entry logs it (:meth:`Store.append_in`)."""
    now = datetime.now(UTC).isoformat()
    db.read_write(
        lambda c: c.execute(
            "INSERT INTO secret_keys (generation, key_id, entry, time) VALUES (0, ?, NULL, ?) "
            "ON CONFLICT DO NOTHING",
            (keeper.key_id, now),
        )
    )
    record = recorded_key(db)
    assert record is not None, "bad math: generation 0 was just recorded"
    return record


def record_rotation(store: Store, previous: KeyRecord | None, new: SecretKeeper) -> KeyRecord:
    """Log that the store's secret key is now ``new`` (a ``key`` ledger entry committing to a
    document of the old and new key ids) and record it as the next generation. The entry and
    the row are one transaction; the document is stored first (an object no entry names yet is
    harmless, and the same bytes next time)."""
    address = store.put_object(key_document(previous.key_id if previous else None, new.key_id))
    now = datetime.now(UTC)
    generation = previous.generation + 1 if previous else 0

    def write(cursor: Cursor) -> int:
        if recorded_generation(cursor) != (previous.generation if previous else None):
            raise StorageError(
                "the secret key was rotated by another process meanwhile",
                remedy="Run `stateward keys show` and rotate again only if still needed.",
            )
        index = store.append_in(cursor, Entry(EntryType.KEY, None, now, {ROTATION: address}))
        cursor.execute(
            "INSERT INTO secret_keys (generation, key_id, entry, time) VALUES (?, ?, ?, ?)",
            (generation, new.key_id, index, now.isoformat()),
        )
        return int(index)

    entry = store.db.read_write(write)
    return KeyRecord(generation, new.key_id, entry)


def recorded_generation(cursor: Cursor) -> int | None:
    """The current generation's number, inside a transaction."""
    rows = cursor.execute("SELECT MAX(generation) FROM secret_keys")
    return None if not rows or rows[0][0] is None else int(rows[0][0])


@dataclass(frozen=True, slots=True)
class Rotations:
    """The ledger entries that rotated the store's secret key, oldest first."""

    entries: tuple[int, ...]

    def between(self, before: ObservationRecord | None, after: ObservationRecord | None) -> bool:
        """True when the key was rotated between two observations (``after`` None is now, a
        source read under the current key): their secret digests do not compare. False when
        there is no ``before``."""
        if before is None:
            return False
        low, high = sorted((_entry(before), _END if after is None else _entry(after)))
        at = bisect.bisect_right(self.entries, low)
        return at < len(self.entries) and self.entries[at] < high


def rotations(db: Database) -> Rotations:
    """The store's key rotations, read once for any number of comparisons."""
    if not has_table(db, "secret_keys"):  # a store older than rotation, opened read-only
        return Rotations(())
    rows = db.read_only(
        lambda c: c.execute(
            "SELECT entry FROM secret_keys WHERE generation > 0 AND entry IS NOT NULL ORDER BY entry"
        )
    )
    return Rotations(tuple(int(entry) for (entry,) in rows))


_END = 1 << 62
"""An entry index after every entry: now."""


def key_problems(store: Store, log: LogReport) -> list[Problem]:
    """``ledger verify``'s check of ``secret_keys`` against the log: every row that names an
    entry must be what that entry logged (:mod:`.keydoc`: its key id, and the previous
    generation's as the one it replaced); there must be one rotation row per ``key`` entry; and
    a first key the log has logged (at entry 0, or under its document's address) must be named.
    Generation 0 names no entry only in a store written before first keys were logged, until
    its next entry; its id is then checked against the key file whenever the store opens."""
    if not has_table(store.db, "secret_keys"):
        return []
    rows = store.db.read_only(
        lambda c: c.execute("SELECT generation, key_id, entry FROM secret_keys ORDER BY generation")
    )
    problems = []
    ids = {int(generation): str(key_id) for generation, key_id, _ in rows}
    for generation, key_id, entry in rows:
        logged = None if entry is None else _logged_key(store, int(entry), int(generation))
        if entry is not None and not _agrees(logged, ids, int(generation), key_id):
            message = f"secret key generation {generation} is not the one its entry logged"
            problems.append(Problem(int(entry), message))
    if rows and rows[0][2] is None and _first_key_logged(store, log, str(rows[0][1])):
        problems.append(Problem(None, "secret_keys names no entry for the logged first key"))
    recorded = sum(1 for generation, _, entry in rows if generation and entry is not None)
    if recorded != log.by_type.get(str(EntryType.KEY), 0):
        message = f"{log.by_type.get(str(EntryType.KEY), 0)} key rotations are logged but {recorded} are recorded"
        problems.append(Problem(None, message))
    return problems


def _first_key_logged(store: Store, log: LogReport, key_id: str) -> bool:
    """True when the log shows the store's first key logged: entry 0 names one, or some entry
    commits to the document that logs ``key_id``."""
    address = digest_bytes(key_document(None, key_id))
    return address in log.references or (log.size > 0 and _logged_key(store, 0, 0) is not None)


def _agrees(
    logged: tuple[str | None, str] | None, ids: dict[int, str], generation: int, key_id: str
) -> bool:
    """A generation's row agrees with what its entry logged: the same key id, replacing the
    previous generation's (when that row is there to say; a missing one is reported apart)."""
    if logged is None or logged[1] != key_id:
        return False
    if generation == 0:
        return logged[0] is None
    return generation - 1 not in ids or logged[0] == ids[generation - 1]


def _logged_key(store: Store, index: int, generation: int) -> tuple[str | None, str] | None:
    """The previous and new key ids entry ``index`` logged for ``generation`` (the first key as
    :data:`FIRST_KEY` in any entry, a rotation as :data:`ROTATION` in a ``key`` entry), or None
    when it logged none."""
    name = FIRST_KEY if generation == 0 else ROTATION
    try:
        entry = Entry.decode(store.db.read_only(lambda c: sql.read_entries(c, index, index + 1))[0])
        if name == ROTATION and entry.type is not EntryType.KEY:
            return None
        document = json.loads(store.get_object(entry.objects[name]))
        previous = document["previous"]
        return (None if previous is None else str(previous)), str(document["secret_key_id"])
    except (StatewardError, KeyError, TypeError, ValueError):
        return None


def has_table(db: Database, name: str) -> bool:
    """True when the database has table ``name`` (read-only stores are not migrated)."""
    probe = (
        "SELECT to_regclass(?) IS NOT NULL"
        if db.dialect == "postgresql"
        else "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
    )
    return bool(db.read_only(lambda c: c.execute(probe, (name,)))[0][0])


def _entry(record: ObservationRecord) -> int:
    return -1 if record.entry is None else record.entry  # recorded before the ledger existed
