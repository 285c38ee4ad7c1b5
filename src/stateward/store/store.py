"""The store: content-addressed objects and per-estate observations, over one database.

Objects are canonical JSON (or raw artefact bytes) addressed by SHA-256 and stored compressed;
an object written twice is stored once. An observation row points at its manifest object
(:mod:`stateward.store.manifest`). Everything an observation recorded is written in one
transaction, with the ledger entry that commits to its manifest, so a crash leaves the whole
observation, logged, or none of it. Objects are erased only through the ledger (a tombstone).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from stateward.errors import InputError, LedgerIntegrityError, UsageError
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.log import Ledger
from stateward.ledger.merkle import LeafIndex
from stateward.model.canonical import canonical_json, digest_bytes
from stateward.model.component import Component
from stateward.model.finding import Finding, Severity
from stateward.model.observation import Observation
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.model.secrets import SecretKeeper
from stateward.store import manifest as mf
from stateward.store.database import Cursor, Database

__all__ = ["ObservationRecord", "Store"]

_KEY_SEP = "|"
_READ_BATCH = 500
"""Objects fetched per query: well under SQLite's 999 bound parameters."""


@dataclass(frozen=True, slots=True)
class ObservationRecord:
    """One recorded observation: its row and summary."""

    id: int
    estate: str
    time: datetime
    manifest: str
    complete: bool
    summary: Mapping[str, Any]
    entry: int | None = None
    """Its ledger entry (None for observations recorded before the ledger existed)."""

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "id": self.id,
            "estate": self.estate,
            "time": self.time.isoformat(),
            "manifest": self.manifest,
            "complete": self.complete,
            "entry": self.entry,
            **self.summary,
        }


class Store:
    """Objects and observations in one database, with the store's secret keeper."""

    def __init__(self, db: Database, keeper: SecretKeeper, location: str, ledger: Ledger) -> None:
        self.db = db
        self.keeper = keeper
        self.location = location
        self.ledger = ledger

    # -- objects ---------------------------------------------------------------------------

    def put_object(self, data: bytes) -> str:
        """Store raw bytes; returns their content address."""
        address = digest_bytes(data)
        self.db.read_write(lambda c: _insert_objects(c, {address: data}))
        return address

    def get_object(self, address: str) -> bytes:
        """The bytes stored under ``address``; LedgerIntegrityError if missing or altered."""
        return self.get_objects([address])[address]

    def get_objects(self, addresses: Iterable[str]) -> dict[str, bytes]:
        """Many objects in one read transaction (a query per 500, not per object), each
        checked against its digest; LedgerIntegrityError names the first missing or altered."""
        wanted = list(dict.fromkeys(addresses))

        def read(cursor: Cursor) -> list[Any]:
            rows: list[Any] = []
            for start in range(0, len(wanted), _READ_BATCH):
                chunk = wanted[start : start + _READ_BATCH]
                marks = ", ".join("?" * len(chunk))
                sql = f"SELECT digest, data FROM objects WHERE digest IN ({marks})"
                rows += cursor.execute(sql, chunk)
            return rows

        found = {
            address: _inflate(address, bytes(data)) for address, data in self.db.read_only(read)
        }
        for address in wanted:
            if address not in found:
                raise LedgerIntegrityError(self._missing(address))
            if digest_bytes(found[address]) != address:
                raise LedgerIntegrityError(f"object {address} does not match its digest")
        return found

    def get_json(self, address: str) -> Any:
        """A stored canonical-JSON object, decoded."""
        return json.loads(self.get_object(address))

    # -- observations ----------------------------------------------------------------------

    def record(self, observation: Observation) -> ObservationRecord:
        """Store an observation (as a delta against the estate's previous one when possible)."""
        objects: dict[str, bytes] = {}
        current = _manifest_of(observation, objects)
        previous = self.latest(observation.estate)
        parent = self._manifest(previous.manifest) if previous else None
        depth = self._depth(previous) if previous else 0
        document, depth = mf.encode(current, parent, previous.manifest if previous else None, depth)
        address = _add(objects, document)
        summary = _summary(observation)
        time = observation.time.isoformat()

        entry = Entry(
            EntryType.OBSERVATION, observation.estate, observation.time, {"manifest": address}
        )

        def write(cursor: Cursor) -> tuple[int, int]:
            _insert_objects(cursor, objects)
            index = self.ledger.append_in(cursor, [entry])
            rows = cursor.execute(
                "INSERT INTO observations (estate, time, manifest, depth, complete, summary, "
                "entry) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    observation.estate,
                    time,
                    address,
                    depth,
                    int(observation.complete),
                    json.dumps(summary),
                    index,
                ),
            )
            return int(rows[0][0]), index

        ident, index = self.db.read_write(write)
        return ObservationRecord(
            ident,
            observation.estate,
            observation.time,
            address,
            observation.complete,
            summary,
            index,
        )

    # -- ledger ----------------------------------------------------------------------------

    def append_entry(
        self,
        type: EntryType | str,
        estate: str | None,
        objects: Mapping[str, str],
        *,
        time: datetime | None = None,
    ) -> LeafIndex:
        """Log an entry committing to stored objects (an evidence seal, a policy); its index.

        Every object must already be in the store: a leaf never commits to what is not kept.
        """
        entry = Entry(EntryType(type), estate, time or datetime.now(UTC), objects)

        def write(cursor: Cursor) -> LeafIndex:
            for address in entry.objects.values():
                if not cursor.execute("SELECT 1 FROM objects WHERE digest = ?", (address,)):
                    raise UsageError(f"object {address} is not in the store; store it first")
            return self.ledger.append_in(cursor, [entry])

        return self.db.read_write(write)

    def erase_object(self, address: str, reason: str, *, time: datetime | None = None) -> LeafIndex:
        """Erase an object: log a tombstone naming it and why, and delete its bytes, in one
        transaction. Every leaf stays as it was, so every proof still verifies (ANCHORS §2.6)."""
        entry = Entry(
            EntryType.TOMBSTONE, None, time or datetime.now(UTC), {"erased": address}, reason
        )

        def write(cursor: Cursor) -> LeafIndex:
            if not cursor.execute("SELECT 1 FROM objects WHERE digest = ?", (address,)):
                raise UsageError(self._missing(address, cursor))
            if owner := cursor.execute(
                "SELECT id FROM observations WHERE manifest = ? LIMIT 1", (address,)
            ):
                raise UsageError(
                    f"object {address} is the manifest of observation #{owner[0][0]}",
                    remedy="Erase the objects it names (resources, components) instead.",
                )
            index = self.ledger.append_in(cursor, [entry])
            cursor.execute("DELETE FROM objects WHERE digest = ?", (address,))
            cursor.execute(
                "INSERT INTO ledger_erasures (digest, entry) VALUES (?, ?) "
                "ON CONFLICT (digest) DO UPDATE SET entry = excluded.entry",
                (address, index),
            )
            return index

        return self.db.read_write(write)

    def _missing(self, address: str, cursor: Cursor | None = None) -> str:
        """Why an object is not there: erased (by which entry), or missing."""
        sql = "SELECT entry FROM ledger_erasures WHERE digest = ?"
        rows = (
            cursor.execute(sql, (address,))
            if cursor
            else self.db.read_only(lambda c: c.execute(sql, (address,)))
        )
        if rows:
            return f"object {address} was erased (ledger entry {rows[0][0]})"
        return f"object {address} is missing from the store"

    def estates(self) -> list[tuple[str, int, datetime]]:
        """(estate, number of observations, latest time) for every estate, by name."""
        rows = self.db.read_only(
            lambda c: c.execute(
                "SELECT estate, COUNT(*), MAX(time) FROM observations"
                " GROUP BY estate ORDER BY estate"
            )
        )
        return [(r[0], int(r[1]), datetime.fromisoformat(r[2])) for r in rows]

    def history(self, estate: str) -> list[ObservationRecord]:
        """Every observation of an estate, oldest first."""
        rows = self.db.read_only(
            lambda c: c.execute(_SELECT + " WHERE estate = ? ORDER BY time, id", (estate,))
        )
        return [_record(r) for r in rows]

    def latest(self, estate: str, at: datetime | None = None) -> ObservationRecord | None:
        """The newest observation of an estate, or the newest at or before ``at``."""
        sql = (
            _SELECT
            + " WHERE estate = ?"
            + (" AND time <= ?" if at else "")
            + " ORDER BY time DESC, id DESC LIMIT 1"
        )
        params = (estate, at.isoformat()) if at else (estate,)
        rows = self.db.read_only(lambda c: c.execute(sql, params))
        return _record(rows[0]) if rows else None

    def load(self, record: ObservationRecord, *, resources: bool = True) -> Observation:
        """The observation a record stands for, rebuilt from its objects. ``resources=False``
        skips the raw objects (most of the bytes) for callers that only need components and
        findings: then-vs-now deltas, ``show``, ``at``, ``timeline``."""
        manifest = self._manifest(record.manifest)
        observation = Observation(
            record.estate, record.time, tuple(record.summary.get("sources", ()))
        )
        observation.complete = record.complete
        kept = sorted(manifest.maps["resources"].items()) if resources else []
        components = [a for _, a in sorted(manifest.maps["components"].items())]
        findings = list(manifest.maps["findings"].values())
        data = self.get_objects([e[0] for _, e in kept] + components + findings)
        for name, (address, source, location) in kept:
            key = ResourceKey(*name.split(_KEY_SEP, 3))
            body = json.loads(data[address])
            observation.resources.append(
                Resource(key, body, Origin(source, location), data[address], address)
            )
        observation.components = [Component.from_dict(json.loads(data[a])) for a in components]
        for address in findings:
            observation.findings.extend(_finding(f) for f in json.loads(data[address]))
        observation.errors = [InputError(e["location"], e["message"]) for e in manifest.errors]
        return observation

    def _manifest(self, address: str) -> mf.Manifest:
        return mf.decode(self.get_json(address), self._manifest)

    def _depth(self, record: ObservationRecord) -> int:
        rows = self.db.read_only(
            lambda c: c.execute("SELECT depth FROM observations WHERE id = ?", (record.id,))
        )
        return int(rows[0][0])

    def close(self) -> None:
        """Release the database."""
        self.db.close()


_SELECT = "SELECT id, estate, time, manifest, complete, summary, entry FROM observations"


def _record(row: tuple[Any, ...]) -> ObservationRecord:
    return ObservationRecord(
        int(row[0]),
        row[1],
        datetime.fromisoformat(row[2]),
        row[3],
        bool(row[4]),
        json.loads(row[5]),
        None if row[6] is None else int(row[6]),
    )


def _add(objects: dict[str, bytes], value: Any) -> str:
    data = canonical_json(value)
    address = digest_bytes(data)
    objects[address] = data
    return address


def _manifest_of(observation: Observation, objects: dict[str, bytes]) -> mf.Manifest:
    resources = {}
    for r in observation.resources:
        objects[r.digest] = r.canonical
        name = _KEY_SEP.join((r.key.group, r.key.kind, r.key.namespace, r.key.name))
        resources[name] = [r.digest, r.origin.source, r.origin.location]
    components = {c.id: _add(objects, c.as_dict()) for c in observation.components}
    by_subject: dict[str, list[dict[str, Any]]] = {}
    for finding in observation.findings:
        by_subject.setdefault(finding.component or finding.resource or "", []).append(
            finding.as_dict()
        )
    findings = {subject: _add(objects, items) for subject, items in by_subject.items()}
    errors = [{"location": e.location, "message": e.reason} for e in observation.errors]
    return mf.Manifest(
        {"resources": resources, "components": components, "findings": findings}, errors
    )


def _summary(observation: Observation) -> dict[str, Any]:
    return {
        "sources": list(observation.sources),
        "resources": len(observation.resources),
        "components": len(observation.components),
        "findings": len(observation.findings),
        "errors": len(observation.errors),
    }


def _finding(data: Mapping[str, Any]) -> Finding:
    return Finding(
        data["rule"],
        Severity(data["severity"]),
        data["message"],
        data.get("component"),
        data.get("resource"),
        data.get("path", ""),
        data.get("remedy", ""),
        tuple(data.get("evidence", ())),
    )


def _insert_objects(cursor: Cursor, objects: Mapping[str, bytes]) -> None:
    cursor.executemany(
        "INSERT INTO objects (digest, data) VALUES (?, ?) ON CONFLICT DO NOTHING",
        ((address, _deflate(data)) for address, data in objects.items()),
    )


def _deflate(data: bytes) -> bytes:
    # Level 3 is a third faster than the default 6 on our JSON for ~10 % more bytes (measured
    # on the corpus); large artefacts (evidence layers, logs) take level 1: sealing evidence
    # before a container vanishes matters more than a few bytes.
    return zlib.compress(data, 3 if len(data) < _LARGE_OBJECT else 1)


_LARGE_OBJECT = 1 << 20


def _inflate(address: str, data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:
        raise LedgerIntegrityError(f"object {address} is corrupt in the store") from None
