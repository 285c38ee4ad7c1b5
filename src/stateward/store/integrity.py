"""``stateward ledger verify`` over a whole store: the log, then every object it commits to.

The log is recomputed by :func:`stateward.ledger.verify.verify_log`. Then every stored object is
inflated and hashed again (its digest is its address), and every object an entry commits to —
directly, or through an observation's manifest — must be present, unless a tombstone erased it:
an erased object is reported as erased, not as tampering.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from stateward.errors import StatewardError
from stateward.ledger.signer import Verifier
from stateward.ledger.verify import LogReport, Problem, verify_log
from stateward.model.canonical import digest_bytes
from stateward.store import manifest as mf
from stateward.store.database import Cursor
from stateward.store.keys import key_problems
from stateward.store.store import Store

__all__ = ["VerifyReport", "verify_store"]

_BATCH = 2000


@dataclass
class VerifyReport:
    """The outcome of ``ledger verify``: problems first entry first; empty means verified."""

    log: LogReport
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
            "objects": self.objects,
            "erased": [{"object": d, "tombstone": e} for d, e in sorted(self.erased.items())],
            "problems": [{"entry": p.entry, "message": p.text()} for p in self.problems],
        }


def verify_store(store: Store, verifier: Verifier | None = None) -> VerifyReport:
    """Recompute the ledger and check every object (with the log's key, or ``verifier``)."""
    log = verify_log(store.db, verifier or store.ledger.verifier())
    report = VerifyReport(log)
    present, corrupt = _check_objects(store, report, log)
    wanted = dict(log.references)
    for address, entry in log.manifests.items():
        for nested in _manifest_references(present.get(address)):
            wanted.setdefault(nested, entry)
    for address in corrupt:
        message = f"object {address} does not match its digest"
        report.problems.append(Problem(wanted.get(address), message))
    for address, entry in sorted(wanted.items(), key=lambda item: item[1]):
        if address in present or address in corrupt:
            continue
        if address in log.erased:
            report.erased[address] = log.erased[address]
        else:
            report.problems.append(Problem(entry, f"object {address} is missing"))
    _check_observation_rows(store, report)
    report.problems += key_problems(store, log.by_type.get("key", 0))
    report.problems = sorted([*log.problems, *report.problems], key=lambda p: (p.entry is None, p))
    return report


def _check_observation_rows(store: Store, report: VerifyReport) -> None:
    """Each observation row must be the one its ledger entry logged: same estate, time and
    manifest. Otherwise ``at`` and ``timeline`` could show an edited history."""
    rows = store.db.read_only(
        lambda c: c.execute("SELECT id, estate, time, manifest, entry FROM observations")
    )
    for ident, estate, time, manifest, entry in rows:
        logged = report.log.observations.get(entry) if entry is not None else None
        if logged is None:
            report.problems.append(Problem(entry, f"observation #{ident} is not in the ledger"))
        elif logged != (estate, _utc(time), manifest):
            message = f"observation #{ident} does not match the entry that logged it"
            report.problems.append(Problem(int(entry), message))


def _utc(text: str) -> str:
    try:
        return datetime.fromisoformat(text).astimezone(UTC).isoformat()
    except (TypeError, ValueError):
        return ""


def _check_objects(
    store: Store, report: VerifyReport, log: LogReport
) -> tuple[dict[str, bytes | None], list[str]]:
    """Hash every stored object: the digests present (with the bytes of manifests), and those
    whose bytes no longer match."""
    present: dict[str, bytes | None] = {}
    corrupt: list[str] = []
    after = ""
    while rows := store.db.read_only(partial(_objects_after, after=after)):
        for address, data in rows:
            content = _inflate(data)
            if content is None or digest_bytes(content) != address:
                corrupt.append(address)
                continue
            present[address] = content if address in log.manifests else None
            report.objects += 1
        after = rows[-1][0]
    return present, corrupt


def _objects_after(cursor: Cursor, after: str) -> list[tuple[str, bytes]]:
    rows = cursor.execute(
        "SELECT digest, data FROM objects WHERE digest > ? ORDER BY digest LIMIT ?", (after, _BATCH)
    )
    return [(str(d), bytes(b)) for d, b in rows]


def _manifest_references(content: bytes | None) -> list[str]:
    """The digests a manifest names; nothing when the object is not a manifest document."""
    if content is None:
        return []
    try:
        document = json.loads(content)
        return mf.references(document) if isinstance(document, dict) and "v" in document else []
    except (ValueError, KeyError, TypeError, AttributeError, StatewardError):
        return []


def _inflate(data: bytes) -> bytes | None:
    try:
        return zlib.decompress(data)
    except zlib.error:
        return None
