"""``stateward ledger verify`` over a whole store: every table it writes, against the log.

First the database engine's own check of its file and indexes (:meth:`Database.check_structure`).
The log is recomputed by :func:`stateward.ledger.verify.verify_log`; its identity row must agree
with its key. Then every stored object is inflated and hashed again (its digest is its address),
and every object an entry commits to — directly, or through an observation's manifest — must be
present, unless a tombstone erased it: an erased object is reported as erased, not as tampering.
Every observation row must be the one its entry logged and every logged observation must have
its row; the erasure index must name exactly the tombstones; every migration must be recorded.

What is stored but deliberately not checked is declared once, in :data:`UNCHECKED`, with the
reason; the tamper test (``tests/store/test_tamper.py``) mutates every table and column the
schema has and requires each mutation to be caught or declared there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

from stateward.errors import LedgerIntegrityError, StatewardError, StorageError
from stateward.ledger.signer import Ed25519Signer, Ed25519Verifier, Verifier
from stateward.ledger.storage import sql
from stateward.ledger.verify import LogReport, Problem, problem_order, verify_log
from stateward.model.canonical import digest_bytes
from stateward.model.secrets import SecretKeeper
from stateward.sources.interface import Progress
from stateward.store import header as hd
from stateward.store import keys
from stateward.store import manifest as mf
from stateward.store.database import Cursor
from stateward.store.schema import MIGRATIONS
from stateward.store.store import Store, inflate

__all__ = ["UNCHECKED", "VerifyReport", "verify_store"]

_BATCH = 2000

UNCHECKED: dict[str, str] = {
    # "table": an operational table (a cache, tokens, an access log), no part of history;
    # "table.column": a changed value goes unnoticed; "table:delete" / "table:insert" /
    # "table:truncate": removing or adding rows does. Anything not named here is checked.
    "_migrations.applied": "when a migration ran: no command shows it and nothing reads it",
    "secret_keys.time": "when a key generation was recorded: no command shows it",
    "observations.id": "a row's surrogate key: checked to rise in ledger order, but its value "
    "is no part of history; observations are named by their committed per-estate number",
    "_migrations:insert": "a migration this version does not know is a newer version's; its "
    "tables are neither read nor shown by this version",
    "ledger_checkpoints:delete": "a checkpoint is a signed copy of a tree head the log already "
    "proves; removing one removes no history (each one kept is checked). Rollback is caught "
    "against a checkpoint held outside the store (`ledger consistency`)",
    "ledger_checkpoints:truncate": "as ledger_checkpoints:delete",
    "api_tokens": "access control for `stateward serve` (digests of tokens), no part of history",
}
"""The one list of stored places ``ledger verify`` does not cover, each with why that is safe."""


@dataclass
class VerifyReport:
    """The outcome of ``ledger verify``: problems of the store as a whole (its file, the log's
    size and key) first, then by entry; empty means verified."""

    log: LogReport
    structure: str = ""
    """What the database engine's own integrity check covered (or why it was skipped)."""
    objects: int = 0
    problems: list[Problem] = field(default_factory=list)
    erased: dict[str, int] = field(default_factory=dict)
    """Erased objects still committed to by entries, with the tombstone that erased them."""

    @property
    def ok(self) -> bool:
        """True when nothing failed to match."""
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "ok": self.ok,
            "entries": self.log.size,
            "entries_by_type": dict(sorted(self.log.by_type.items())),
            "checkpoints": self.log.checkpoints,
            "structure_check": self.structure,
            "objects": self.objects,
            "erased": [{"object": d, "tombstone": e} for d, e in sorted(self.erased.items())],
            "problems": [{"entry": p.entry, "message": p.text()} for p in self.problems],
        }


def verify_store(
    store: Store, verifier: Verifier | None = None, progress: Progress | None = None
) -> VerifyReport:
    """Check the whole store (with the log's registered key, or ``verifier``). When the
    database engine's own check found damage, a read that the damage then stops is reported
    with it rather than in its place: the damaged places are what the user needs named."""
    structure = cache(store.db.check_structure)  # run while the log's workers start
    try:
        return _verify_contents(store, verifier, structure, progress)
    except (LedgerIntegrityError, StorageError) as error:
        checked, damaged = structure()
        if not damaged:
            raise
        stopped = Problem(None, f"checking stopped there: {error.message}", whole=True)
        return VerifyReport(LogReport(), checked, problems=[*_damage(damaged), stopped])


def _damage(damaged: list[str]) -> list[Problem]:
    return [Problem(None, f"the database is damaged: {at}", whole=True) for at in damaged]


def _verify_contents(
    store: Store,
    verifier: Verifier | None,
    structure: Callable[[], tuple[str, list[str]]],
    progress: Progress | None = None,
) -> VerifyReport:
    """The structure check, the log, the objects and every table."""
    problems: list[Problem] = []
    log_row = store.db.read_only(sql.read_log)
    verifier = verifier or _registered_verifier(store, log_row, problems)
    log = verify_log(store.db, verifier, progress=progress, meanwhile=structure)
    checked, damaged = structure()
    report = VerifyReport(log, checked, problems=[*_damage(damaged), *problems])
    kept = {*report.log.manifests, *_headers(report.log)}
    present, corrupt = _check_objects(store, report, kept)
    wanted = dict(report.log.references)
    for address, entry in report.log.manifests.items():
        for nested in _manifest_references(present.get(address)):
            wanted.setdefault(nested, entry)
    for address in corrupt:
        message = f"object {address} does not match its digest"
        report.problems.append(Problem(wanted.get(address), message))
    for address, entry in sorted(wanted.items(), key=lambda item: item[1]):
        if address in present or address in corrupt:
            continue
        if address in report.log.erased:
            report.erased[address] = report.log.erased[address]
        else:
            report.problems.append(Problem(entry, f"object {address} is missing"))
    for table, check in _TABLE_CHECKS:
        _run_check(table, check, store, report, present)
    report.problems += keys.key_problems(store, report.log)
    report.problems = sorted([*report.log.problems, *report.problems], key=problem_order)
    return report


def _registered_verifier(store: Store, log: sql.LogRow, problems: list[Problem]) -> Verifier | None:
    """The key registered in ``ledger_log``, checked against the log's origin and against the
    log key file when this machine holds it; None (and a problem) when it cannot be used."""
    if log.vkey is None:
        message = "ledger_log.vkey: no verifier key is registered"
        problems.append(Problem(None, message, whole=True))
        return None
    try:
        verifier = Ed25519Verifier.from_vkey(log.vkey)
    except StatewardError as error:
        message = f"ledger_log.vkey is not a verifier key: {error.message}"
        problems.append(Problem(None, message, whole=True))
        return None
    if verifier.name != log.origin:
        message = f"ledger_log.origin {log.origin!r} is not the name of the log's key"
        problems.append(Problem(None, message, whole=True))
    held = _held_vkey(store)
    if held is not None and held != log.vkey:
        message = f"ledger_log.vkey is not the key of {store.ledger.key_path}"
        problems.append(Problem(None, message, whole=True))
    return verifier


def _held_vkey(store: Store) -> str | None:
    """The verifier key of the log key file on this machine, when there is a readable one."""
    try:
        if not store.ledger.key_path.is_file():
            return None
        return Ed25519Signer.load(store.ledger.key_path).verifier().vkey()
    except (StatewardError, OSError):
        return None  # an unreadable key file is the signing commands' error, not damage


_TableCheck = Callable[[Store, VerifyReport, dict[str, bytes | None]], None]


def _run_check(
    table: str,
    check: _TableCheck,
    store: Store,
    report: VerifyReport,
    present: dict[str, bytes | None],
) -> None:
    """One table's check; damage that stops it reading (text that is not UTF-8, say) is
    reported against the table and the other checks still run."""
    try:
        check(store, report, present)
    except StatewardError as error:
        report.problems.append(Problem(None, f"{table} cannot be checked: {error.message}"))


def _check_observation_rows(
    store: Store, report: VerifyReport, present: dict[str, bytes | None]
) -> None:
    """Each observation row must hold what its ledger entry committed to, column by column
    (see :func:`_expected_row`), and each logged observation must have exactly one row, ids
    rising in ledger order. Otherwise ``history``, ``at`` and ``timeline`` could show an edited
    history."""
    rows = store.db.read_only(
        lambda c: c.execute(
            f"SELECT id, {', '.join(_COLUMNS)} FROM observations ORDER BY entry, id"
        )
    )
    manifests = _Manifests(present)
    claimed: dict[int, int] = {}
    for ident, *values in rows:
        row, name = dict(zip(_COLUMNS, values, strict=True)), f"observation #{ident}"
        entry = row["entry"]
        if entry not in report.log.observations:
            report.problems.append(Problem(entry, f"{name} is not in the ledger"))
            continue
        if entry in claimed:
            message = f"{name} repeats observation #{claimed[entry]}, logged once"
            report.problems.append(Problem(entry, message))
            continue
        expected = _expected_row(report.log.observations[entry], entry, manifests, present)
        wrong = [column for column, value in expected.items() if row[column] != value]
        if "summary" not in expected and not _summary_fits(
            row["summary"], manifests.resolved(row["manifest"])
        ):
            wrong.append("summary")
        if claimed and int(ident) < max(claimed.values()):
            wrong.append("id")  # ids rise with the ledger: the append serializes writers
        claimed[entry] = int(ident)
        if wrong:
            message = f"{name} does not match the entry that logged it ({', '.join(wrong)})"
            report.problems.append(Problem(entry, message))
    for entry in sorted(set(report.log.observations) - set(claimed)):
        report.problems.append(Problem(entry, "the observation it logs has no row in observations"))


_COLUMNS = ("estate", "time", "manifest", "depth", "complete", "summary", "entry", "seq", "header")


def _expected_row(
    logged: tuple[str | None, str, dict[str, str]],
    entry: int,
    manifests: _Manifests,
    present: dict[str, bytes | None],
) -> dict[str, object]:
    """What an observation row must hold: every column, as :func:`header.expected_row` says,
    when its entry commits to a header that is there and agrees with the entry. Otherwise (a
    row recorded before headers; a header reported missing or altered) the columns the entry
    itself determines: estate, time (the text exactly as logged: ``at`` compares it as text),
    manifest, entry, the manifest's delta depth, and no header."""
    estate, time, objects = logged
    manifest, address = objects.get("manifest", ""), objects.get(hd.HEADER)
    expected: dict[str, object] = {
        "estate": estate,
        "time": time,
        "manifest": manifest,
        "entry": entry,
        "header": address,
    }
    if (depth := manifests.depth(manifest)) is not None:
        expected["depth"] = depth
    content = present.get(address) if address is not None else None
    if address is None or content is None:
        return expected
    try:
        header = hd.parse_header(content, address)
    except StatewardError:
        return {**expected, "header": None}  # cannot be what the entry commits to
    committed = hd.expected_row(header, address, entry)
    agree = all(committed[column] == value for column, value in expected.items())
    return committed if agree else {**expected, "header": None}


class _Manifests:
    """The observation manifests present in the store, resolved on demand: each one's depth
    (0 for a full snapshot, else its parent's plus one) and its maps."""

    def __init__(self, present: dict[str, bytes | None]) -> None:
        self._present = present
        self._depths: dict[str, int | None] = {}
        self._resolved: dict[str, mf.Manifest | None] = {}

    def depth(self, address: str) -> int | None:
        """None when the chain cannot be followed (a missing or altered manifest)."""
        if address not in self._depths:
            self._depths[address] = None  # a cycle (impossible unless forged) stays unknown
            document = _manifest_document(self._present.get(address))
            parent = document.get("parent") if document is not None else None
            if document is not None and parent is None:
                self._depths[address] = 0
            elif isinstance(parent, str) and (above := self.depth(parent)) is not None:
                self._depths[address] = above + 1
        return self._depths[address]

    def resolved(self, address: str) -> mf.Manifest | None:
        """The manifest's maps and errors, deltas applied; None when it cannot be resolved."""
        if address not in self._resolved:
            self._resolved[address] = None
            document = _manifest_document(self._present.get(address))
            try:
                self._resolved[address] = mf.decode(document or {}, self._parent)
            except (KeyError, TypeError, AttributeError, StatewardError):
                pass
        return self._resolved[address]

    def _parent(self, address: str) -> mf.Manifest:
        found = self.resolved(address)
        if found is None:
            raise KeyError(address)
        return found


def _summary_fits(summary: str, manifest: mf.Manifest | None) -> bool:
    """The summary's counts that the manifest holds too (resources, components, errors) agree.
    Its sources and findings count, and the complete flag, are not in the manifest."""
    try:
        counts = json.loads(summary)
    except ValueError:
        return False
    if not isinstance(counts, dict):
        return False
    if manifest is None:
        return True  # a missing manifest is reported as such
    held = (counts.get("resources"), counts.get("components"), counts.get("errors"))
    maps = manifest.maps
    return held == (len(maps["resources"]), len(maps["components"]), len(manifest.errors))


def _check_erasure_rows(store: Store, report: VerifyReport, _: dict[str, bytes | None]) -> None:
    """``ledger_erasures`` (which tombstone erased which object, for messages) must say what
    the tombstones in the log say, no more and no less."""
    stored = store.db.read_only(sql.erasure_index)
    for digest in sorted(stored.keys() | report.log.erased.keys()):
        logged, kept = report.log.erased.get(digest), stored.get(digest)
        if logged == kept:
            continue
        if kept is None:
            message = f"ledger_erasures has no row for {digest}"
        elif logged is None:
            message = f"ledger_erasures says entry {kept} erased {digest}; no tombstone did"
        else:
            message = f"ledger_erasures says entry {kept} erased {digest}; tombstone {logged} did"
        report.problems.append(Problem(logged, message))


def _check_migrations(store: Store, report: VerifyReport, _: dict[str, bytes | None]) -> None:
    """Every migration this version knows is recorded as applied (else the next open would
    apply it again over tables that exist)."""
    rows = store.db.read_only(lambda c: c.execute("SELECT name FROM _migrations"))
    recorded = {str(name) for (name,) in rows}
    for name, _step in MIGRATIONS:
        if name not in recorded:
            report.problems.append(Problem(None, f"_migrations has no row for {name}"))


def _check_key_rows(store: Store, report: VerifyReport, _: dict[str, bytes | None]) -> None:
    """``secret_keys`` beyond what :func:`keys.key_problems` checks of each logged generation:
    the generations run 0, 1, … without gaps; the first (the store's own key) is there once
    the table is, since the store records it when it is first opened for writing; and the newest
    is the key this store holds, when this machine holds a readable one. Otherwise a deleted
    or edited row would let the next write adopt another key silently."""
    if not keys.has_table(store.db, "secret_keys"):
        return
    rows = store.db.read_only(
        lambda c: c.execute("SELECT generation, key_id, entry FROM secret_keys ORDER BY generation")
    )
    generations = [int(g) for g, _, _ in rows]
    if generations != list(range(len(rows))):
        message = f"secret_keys holds generations {generations}, not 0 to {len(rows) - 1}"
        report.problems.append(Problem(None, message))
    if not rows or rows[0][0] != 0:
        report.problems.append(Problem(None, "secret_keys has no row for the store's first key"))
    if unlogged := [int(g) for g, _, entry in rows[1:] if entry is None]:
        message = f"secret_keys generations {unlogged} name no ledger entry that logged them"
        report.problems.append(Problem(None, message))
    held = _held_key_id(store)
    if rows and held is not None and rows[-1][1] != held:
        message = f"secret_keys records key {rows[-1][1]}, not the key this store holds"
        report.problems.append(Problem(None, message))


def _held_key_id(store: Store) -> str | None:
    """The id of the secret key file this machine holds for the store, when readable."""
    try:
        files = keys.key_files(store.db, store.ledger.origin())
        return SecretKeeper.load(files.secret).key_id
    except (StatewardError, OSError):
        return None  # no readable key here: the rows are checked against the ledger only


_TABLE_CHECKS: tuple[tuple[str, _TableCheck], ...] = (
    ("observations", _check_observation_rows),
    ("ledger_erasures", _check_erasure_rows),
    ("_migrations", _check_migrations),
    ("secret_keys", _check_key_rows),
)


def _manifest_document(content: bytes | None) -> dict[str, Any] | None:
    """A stored manifest's document; None when the object is not one."""
    if content is None:
        return None
    try:
        document = json.loads(content)
    except ValueError:
        return None
    return document if isinstance(document, dict) and "v" in document else None


def _headers(log: LogReport) -> set[str]:
    """The observation headers the log commits to."""
    return {o[hd.HEADER] for _, _, o in log.observations.values() if hd.HEADER in o}


def _check_objects(
    store: Store, report: VerifyReport, kept: set[str]
) -> tuple[dict[str, bytes | None], list[str]]:
    """Hash every stored object: the digests present (with the bytes of those in ``kept``),
    and those whose bytes no longer match."""
    present: dict[str, bytes | None] = {}
    corrupt: list[str] = []
    after = ""
    while rows := store.db.read_only(partial(_objects_after, after=after)):
        for address, data in rows:
            content = _inflated(address, data)
            if content is None or digest_bytes(content) != address:
                corrupt.append(address)
                continue
            present[address] = content if address in kept else None
            report.objects += 1
        if rows[-1][0] <= after:  # a damaged index can lead back: the structure check names it
            break
        after = rows[-1][0]
    return present, corrupt


def _objects_after(cursor: Cursor, after: str) -> list[tuple[str, bytes]]:
    rows = cursor.execute(
        "SELECT digest, data FROM objects WHERE digest > ? ORDER BY digest LIMIT ?", (after, _BATCH)
    )
    return [(str(d), bytes(b)) for d, b in rows]


def _manifest_references(content: bytes | None) -> list[str]:
    """The digests a manifest names; nothing when the object is not a manifest document."""
    document = _manifest_document(content)
    try:
        return mf.references(document) if document is not None else []
    except (KeyError, TypeError, AttributeError, StatewardError):
        return []


def _inflated(address: str, data: bytes) -> bytes | None:
    """The object's bytes, or None when its cell is corrupt or inflates past the bound."""
    try:
        return inflate(address, data)
    except LedgerIntegrityError:
        return None
