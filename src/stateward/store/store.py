"""The store: content-addressed objects and per-estate observations, over one database.

Objects are canonical JSON (or raw artefact bytes) addressed by SHA-256 and stored compressed;
an object written twice is stored once. An observation row points at its manifest object
(:mod:`stateward.store.manifest`). Everything an observation recorded is written in one
transaction, with the ledger entry that commits to its manifest, so a crash leaves the whole
observation, logged, or none of it. Objects are erased only through the ledger (a tombstone).
"""

from __future__ import annotations

import json
import threading
import zlib
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from stateward.errors import InputError, LedgerIntegrityError, StorageError, UsageError
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.log import Ledger
from stateward.ledger.merkle import LeafIndex
from stateward.ledger.storage import sql as ledger_sql
from stateward.model.canonical import canonical_json, canonical_pieces, digest_bytes
from stateward.model.component import Component
from stateward.model.encoded import DeflatedBody, deflate
from stateward.model.finding import Finding, Severity
from stateward.model.observation import Observation
from stateward.model.resource import Origin, Resource, ResourceKey, stored_names
from stateward.model.secrets import SecretKeeper
from stateward.store import header as hd
from stateward.store import manifest as mf
from stateward.store.bodies import StoredBody
from stateward.store.database import Cursor, Database
from stateward.store.keydoc import FIRST_KEY, key_addresses, key_document
from stateward.store.staged import NOTHING_STAGED, Staged, maybe_erased

__all__ = [
    "MAX_OBJECT_BYTES",
    "ObservationRecord",
    "Store",
    "inflate",
    "refuse_unread",
]

_READ_BATCH = 500
"""Objects fetched per query: well under SQLite's 999 bound parameters."""
_MANIFESTS = 2 * mf.MAX_DEPTH
"""Decoded manifests a store keeps: the newest of a few estates with their delta chains."""


@dataclass(frozen=True, slots=True)
class ObservationRecord:
    """One recorded observation, as its ledger entry committed it (:mod:`.header`)."""

    id: int
    """The row's key in the store: internal, never shown (``seq`` is the observation's number)."""
    estate: str
    time: datetime
    manifest: str
    complete: bool
    summary: Mapping[str, Any]
    entry: int | None = None
    """Its ledger entry (None for observations recorded before the ledger existed)."""
    seq: int = 0
    """Its number among the estate's observations, from 1: ``ESTATE@#N``."""
    unchanged: bool = False
    """Nothing differed from the estate's previous observation."""
    header: str | None = None
    """Address of its header object (None for observations recorded before headers)."""
    depth: int = 0
    """Deltas between its manifest and a full snapshot (bounds the next delta chain)."""

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "seq": self.seq,
            "estate": self.estate,
            "time": self.time.isoformat(),
            "manifest": self.manifest,
            "complete": self.complete,
            "unchanged": self.unchanged,
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
        self._manifests: OrderedDict[str, mf.Manifest] = OrderedDict()
        self._manifests_lock = threading.Lock()  # a server reads from many threads

    # -- objects ---------------------------------------------------------------------------

    def put_object(self, data: bytes) -> str:
        """Store raw bytes; returns their content address."""
        address = digest_bytes(data)
        self.db.read_write(lambda c: _insert_objects(c, {address: data}))
        return address

    def put_objects(self, objects: Mapping[str, bytes | DeflatedBody]) -> None:
        """Store objects, each under its content address (:func:`digest_bytes` of it), ahead
        of what will name them: a watch stores the pages of its first list while the next
        ones arrive, then records the observation with them as ``stored``. Those not given
        deflated (:class:`DeflatedBody`) are deflated in
        bulk (:func:`~stateward.model.encoded.deflate`) before the write begins (ISA-L lets
        other threads run meanwhile; the store is locked only for the insert). Until an
        observation or an entry names them they are no part of any: a list cut off leaves
        objects that its next attempt stores again for free."""
        rows = _bulk_rows(objects)
        self.db.write_new(lambda c: c.insert_rows("objects", ("digest", "data"), rows, True))

    def get_object(self, address: str) -> bytes:
        """The bytes stored under ``address``; LedgerIntegrityError if missing or altered."""
        return self.get_objects([address])[address]

    def get_objects(self, addresses: Iterable[str]) -> dict[str, bytes]:
        """Many objects in one read transaction (a query per 500, not per object), each
        checked against its digest; LedgerIntegrityError names the first missing or altered."""
        wanted = list(dict.fromkeys(addresses))
        return self.db.read_only(lambda cursor: self._objects_in(cursor, wanted))

    def _objects_in(self, cursor: Cursor, wanted: list[str]) -> dict[str, bytes]:
        rows: list[Any] = []
        for start in range(0, len(wanted), _READ_BATCH):
            chunk = wanted[start : start + _READ_BATCH]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT digest, data FROM objects WHERE digest IN ({marks})"
            rows += cursor.execute(sql, chunk)
        found = {address: inflate(address, bytes(data)) for address, data in rows}
        for address in wanted:
            if address not in found:
                raise LedgerIntegrityError(self._missing(address, cursor))
            if digest_bytes(found[address]) != address:
                raise LedgerIntegrityError(f"object {address} does not match its digest")
        return found

    def get_json(self, address: str) -> Any:
        """A stored canonical-JSON object, decoded."""
        return json.loads(self.get_object(address))

    # -- observations ----------------------------------------------------------------------

    def record(
        self, observation: Observation, *, stored: Staged = NOTHING_STAGED
    ) -> ObservationRecord:
        """Store an observation (as a delta against the estate's previous one when possible).

        An observation with an unread location is refused (:func:`refuse_unread`): nothing is
        written. A partial observation keeps the components it could not see as ``unseen``. An
        observation identical to the previous one adds only a header naming the same manifest:
        constant space. The previous observation is read in the writing transaction (SQLite's
        write lock, or PostgreSQL's advisory lock taken first), so two recorders of one estate
        queue: each diffs against the other's observation and takes the next number.
        Resources whose digests are in ``stored`` were put there already (:meth:`put_objects`):
        they are not compressed and written again, unless one is no longer there (erased
        meanwhile: :mod:`stateward.store.staged`), which is stored again as any erased object
        named anew is.
        """
        refuse_unread(observation)
        objects: _Objects = {}
        held: set[str] = set()
        put: _Objects = {}
        # An estate's first observation writes every object it names: each is deflated (in
        # bulk: :func:`deflate`) as it is encoded and stored ahead with others (:class:`_Ahead`),
        # so a scan never holds all of them at once (its small ones are kept whole, in a stored
        # block). Later ones keep them until the write drops those the previous observation
        # stored already: deflating those too would be most of a watch batch's cost.
        eager = not self.db.read_only(lambda c: c.execute(_ANY_OBSERVATION, (observation.estate,)))
        ahead = _Ahead(self) if eager else None
        seen = _manifest_of(observation, ahead or objects, held, stored, put, eager)
        staged = ahead.staged() if ahead else NOTHING_STAGED

        def write(cursor: Cursor) -> ObservationRecord:
            if self.db.dialect == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(?)", (_RECORD_LOCK,))
            latest = self._records_in(cursor, _LATEST, (observation.estate,))
            previous = latest[0] if latest else None
            parent = self._manifest_in(cursor, previous.manifest) if previous else None
            current = _with_unseen(seen, parent, observation.complete)
            _drop_stored(cursor, objects, parent)
            _check_held(cursor, held)
            objects.update((a, put[a]) for a in _absent(cursor, maybe_erased(cursor, stored, put)))
            if erased := _absent(cursor, maybe_erased(cursor, staged, staged.digests)):
                objects.update(_encoded_again(observation, erased))
            base = self._delta_base(cursor, previous, parent)
            found = _header(cursor, observation, previous, parent, current, base, objects)
            document = found.encode()
            objects[header := digest_bytes(document)] = document
            _insert_objects(cursor, objects)
            entry = Entry(
                EntryType.OBSERVATION,
                observation.estate,
                observation.time,
                {"manifest": found.manifest, hd.HEADER: header},
            )
            index = self.append_in(cursor, entry)
            row = hd.expected_row(found, header, index)
            rows = cursor.execute(
                f"INSERT INTO observations ({', '.join(row)}) "
                f"VALUES ({', '.join('?' * len(row))}) RETURNING id",
                tuple(row.values()),
            )
            return _from_header(int(rows[0][0]), found, header, index)

        return self.db.read_write(write)

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
            return self.append_in(cursor, entry)

        return self.db.read_write(write)

    def append_in(self, cursor: Cursor, entry: Entry) -> LeafIndex:
        """Append ``entry`` inside the caller's write transaction; its index. Until the store's
        first secret key is logged, the entry also commits to the document naming it
        (:data:`keydoc.FIRST_KEY`) and generation 0's row names the entry. PostgreSQL locks
        that row first: a second appender waiting on it then finds the key logged."""
        lock = " FOR UPDATE" if self.db.dialect == "postgresql" else ""
        unlogged = (
            []
            if entry.type is EntryType.TOMBSTONE  # names exactly what it erased
            else cursor.execute(f"{_UNLOGGED_FIRST_KEY}{lock}")
        )
        if unlogged:
            document = key_document(None, str(unlogged[0][0]))
            address = digest_bytes(document)
            _insert_objects(cursor, {address: document})
            objects = {**entry.objects, FIRST_KEY: address}
            entry = Entry(entry.type, entry.estate, entry.time, objects, entry.reason)
        index = self.ledger.append_in(cursor, [entry])
        if unlogged:
            cursor.execute("UPDATE secret_keys SET entry = ? WHERE generation = 0", (index,))
        return index

    def erase_object(self, address: str, reason: str, *, time: datetime | None = None) -> LeafIndex:
        """Erase an object: log a tombstone naming it and why, and delete its bytes, in one
        transaction. Every leaf stays as it was, so every proof still verifies (RFC 9162 §2.1.3,
        §2.1.4): the leaf holds the object's digest, not its bytes."""
        entry = Entry(
            EntryType.TOMBSTONE, None, time or datetime.now(UTC), {"erased": address}, reason
        )

        def write(cursor: Cursor) -> LeafIndex:
            if not cursor.execute("SELECT 1 FROM objects WHERE digest = ?", (address,)):
                raise UsageError(self._missing(address, cursor))
            if owner := cursor.execute(
                "SELECT estate, seq, manifest FROM observations"
                " WHERE manifest = ? OR header = ? LIMIT 1",
                (address, address),
            ):
                estate, seq, manifest = owner[0]
                role = "manifest" if manifest == address else "header"
                raise UsageError(
                    f"object {address} is the {role} of observation #{seq} of {estate}",
                    remedy="Erase the objects it names (resources, components) instead.",
                )
            if (generation := _key_generation(cursor, address)) is not None:
                raise UsageError(
                    f"object {address} logs generation {generation} of the store's secret key",
                    remedy="It holds key ids, never a key or a secret; ledger verify needs it.",
                )
            index = self.append_in(cursor, entry)
            cursor.execute("DELETE FROM objects WHERE digest = ?", (address,))
            ledger_sql.record_erasure(cursor, address, index)
            return index

        return self.db.read_write(write)

    def _missing(self, address: str, cursor: Cursor) -> str:
        """Why an object is not there: erased (by which entry), or missing."""
        erased = ledger_sql.erased_by(cursor, address)
        if erased is not None:
            return f"object {address} was erased (ledger entry {erased})"
        return f"object {address} is missing from the store"

    def estates(self) -> list[tuple[str, int, datetime]]:
        """(estate, number of observations, latest time) for every estate, by name."""
        estate, time = (_AS_BYTES[self.db.dialect].format(c) for c in ("estate", "MAX(time)"))
        sql = f"SELECT {estate}, COUNT(*), {time} FROM observations GROUP BY estate ORDER BY estate"
        rows = self.db.read_only(lambda c: c.execute(sql))
        found = [(_text(r[0], "an estate name"), int(r[1]), _text(r[2], "a time")) for r in rows]
        try:
            return [(str(name), n, datetime.fromisoformat(str(t))) for name, n, t in found]
        except ValueError:
            raise StorageError("an observation row's time is damaged", remedy=_REMEDY) from None

    def history(self, estate: str) -> list[ObservationRecord]:
        """Every observation of an estate, oldest first, each checked against what its ledger
        entry committed; LedgerIntegrityError names a row that differs or a number missing."""
        records = self._records(" WHERE estate = ? ORDER BY time, id", (estate,))
        _check_numbers(estate, records)
        return records

    def latest(self, estate: str, at: datetime | None = None) -> ObservationRecord | None:
        """The newest observation of an estate, or the newest at or before ``at``."""
        if at is None:
            found = self._records(_LATEST, (estate,))
        else:
            found = self._records(
                _LATEST.replace(" ORDER", " AND time <= ? ORDER"), (estate, at.isoformat())
            )
        return found[0] if found else None

    def numbered(self, estate: str, seq: int) -> ObservationRecord | None:
        """The estate's observation number ``seq`` (``ESTATE@#N``), or None."""
        found = self._records(" WHERE estate = ? AND seq = ?", (estate, seq))
        return found[0] if found else None

    def _records(self, where: str, params: tuple[Any, ...]) -> list[ObservationRecord]:
        return self.db.read_only(lambda cursor: self._records_in(cursor, where, params))

    def _records_in(
        self, cursor: Cursor, where: str, params: tuple[Any, ...]
    ) -> list[ObservationRecord]:
        """Observation rows read as bytes (a damaged column is reported, never a crash), then
        checked against their headers, which are what the records show."""
        rows = [_Row.of(r) for r in cursor.execute(_select(self.db.dialect) + where, params)]
        wanted = list(dict.fromkeys(r.header for r in rows if r.header is not None))
        headers = self._objects_in(cursor, wanted)
        return [row.record(headers) for row in rows]

    def load(
        self,
        record: ObservationRecord,
        *,
        resources: bool = True,
        only: Collection[str] | None = None,
        lazy: bool = False,
    ) -> Observation:
        """The observation a record stands for, rebuilt from its objects. ``resources=False``
        skips the raw objects (most of the bytes) for callers that only need components and
        findings: then-vs-now deltas, ``show``, ``at``, ``timeline``. ``only``: just the
        components (seen and unseen) with these ids and the findings about them, no resources:
        a page about one component of an estate of 10,000 read all 10,000 (3.4 s). ``lazy=True``
        gives the resources :class:`StoredBody` bodies, each read when first used: a host check
        reads the stamps beside them, and the bodies of the directories that changed."""
        manifest = self._manifest(record.manifest)
        observation = Observation(
            record.estate, record.time, tuple(record.summary.get("sources", ()))
        )
        observation.complete = record.complete

        def chosen(name: str) -> dict[str, Any]:
            held = manifest.maps[name]
            return held if only is None else {k: v for k, v in held.items() if k in only}

        kept = sorted(chosen("resources").items()) if resources and only is None else []
        components = [a for _, a in sorted(chosen("components").items())]
        unseen = [a for _, a in sorted(chosen("unseen").items())]
        findings = list(chosen("findings").values())
        bodies = [] if lazy else [e[0] for _, e in kept]
        data = self.get_objects(bodies + components + unseen + findings)
        for name, (address, source, location, *stamp) in kept:
            key = ResourceKey.from_stored_name(name)
            origin, mark = Origin(source, location), stamp[0] if stamp else ""
            if lazy:
                body: Mapping[str, Any] = StoredBody(address, self.get_object)
                canonical = b""
            else:
                canonical = data[address]
                body = json.loads(canonical)
            resource = Resource(key, body, origin, canonical, address, stamp=mark)
            observation.resources.append(resource)
        observation.components = [Component.from_dict(json.loads(data[a])) for a in components]
        observation.unseen = [Component.from_dict(json.loads(data[a])) for a in unseen]
        for address in findings:
            observation.findings.extend(_finding(f) for f in json.loads(data[address]))
        observation.errors = [InputError(e["location"], e["message"]) for e in manifest.errors]
        return observation

    def resource_objects(self, record: ObservationRecord) -> set[str]:
        """The objects holding the raw resources ``record`` observed (its manifest resolved)."""
        return {entry[0] for entry in self._manifest(record.manifest).maps["resources"].values()}

    def _delta_base(
        self, cursor: Cursor, previous: ObservationRecord | None, parent: mf.Manifest | None
    ) -> tuple[ObservationRecord, mf.Manifest] | None:
        """The observation the next manifest is a delta on (:mod:`.manifest`): counting from
        the estate's latest full snapshot, the next number with its lowest set bit cleared."""
        if previous is None or parent is None:
            return None
        top = cursor.execute(_LATEST_FULL, (previous.estate,))[0][0]
        start = previous.seq if top is None else int(top)
        step = previous.seq + 1 - start
        at = start + (step & (step - 1))
        if at == previous.seq:
            return previous, parent
        found = self._records_in(cursor, " WHERE estate = ? AND seq = ?", (previous.estate, at))
        return (found[0], self._manifest_in(cursor, found[0].manifest)) if found else None

    def _manifest(self, address: str) -> mf.Manifest:
        return self.db.read_only(lambda cursor: self._manifest_in(cursor, address))

    def _manifest_in(self, cursor: Cursor, address: str) -> mf.Manifest:
        """The manifest at ``address``, decoded once per store held open: it is named by its
        digest and is never erased (:meth:`erase_object` refuses), so what was decoded stays
        true. An estate of 10,000 components has manifests of megabytes, which took 0.1 s to
        inflate, check and parse for each page about one of its components."""
        with self._manifests_lock:
            found = self._manifests.get(address)
            if found is not None:
                self._manifests.move_to_end(address)
                return found
        document = json.loads(self._objects_in(cursor, [address])[address])
        manifest = mf.decode(document, lambda parent: self._manifest_in(cursor, parent))
        with self._manifests_lock:
            self._manifests[address] = manifest
            while len(self._manifests) > _MANIFESTS:
                self._manifests.popitem(last=False)
        return manifest

    def close(self) -> None:
        """Release the database."""
        self.db.close()


def _header(
    cursor: Cursor,
    observation: Observation,
    previous: ObservationRecord | None,
    parent: mf.Manifest | None,
    current: mf.Manifest,
    base: tuple[ObservationRecord, mf.Manifest] | None,
    objects: _Objects,
) -> hd.Header:
    """The new observation's header; its manifest document (a delta on ``base``) joins
    ``objects`` unless it is unchanged from ``previous`` (then the header names the previous
    manifest)."""
    unchanged = (
        previous is not None
        and previous.complete == observation.complete
        and current.same_as(parent)
    )
    if previous is not None and unchanged:
        address, depth = previous.manifest, previous.depth
        objects.clear()  # everything it names is stored already
    else:
        on = (base[1], base[0].manifest, base[0].depth) if base else (None, None, 0)
        document, depth = mf.encode(current, *on)
        # a manifest holds names, digests, sources, locations, stamps, errors' texts and its
        # version: no float, so its megabytes at 10k resources are not searched for a token
        # the standard library would write otherwise, nor for a null standing for a NaN
        # (``floats``; with ``finite`` alone, the search for nulls only: 4.5 against 5.5 ms)
        address, deflated = DeflatedBody.joined(canonical_pieces(document, floats=False))
        objects[address] = deflated
    top = cursor.execute(
        "SELECT MAX(seq) FROM observations WHERE estate = ?", (observation.estate,)
    )
    return hd.Header(
        observation.estate,
        int(top[0][0] or 0) + 1,
        observation.time.isoformat(),
        observation.complete,
        _summary(observation, current),
        address,
        depth,
        unchanged,
    )


def refuse_unread(observation: Observation) -> None:
    """UsageError when a location of ``observation`` could not be read at all: recording it
    would claim that everything the location holds was removed."""
    if observation.unread:
        raise UsageError(
            f"nothing recorded: {', '.join(observation.unread)} could not be read",
            remedy="Fix the location (or start the engine) and scan again.",
        )


_UNLOGGED_FIRST_KEY = "SELECT key_id FROM secret_keys WHERE generation = 0 AND entry IS NULL"
_RECORD_LOCK = 0x5357_0002  # advisory lock key: "SW", recording observations
_LATEST = " WHERE estate = ? ORDER BY time DESC, id DESC LIMIT 1"
_LATEST_FULL = "SELECT MAX(seq) FROM observations WHERE estate = ? AND depth = 0"


def _key_generation(cursor: Cursor, address: str) -> int | None:
    """The secret key generation whose ledger document is object ``address``, if one is."""
    rows = cursor.execute("SELECT key_id FROM secret_keys ORDER BY generation")
    return key_addresses(str(key_id) for (key_id,) in rows).get(address)


def _check_numbers(estate: str, records: list[ObservationRecord]) -> None:
    """An estate's observations are numbered 1..n without a gap (a deleted row leaves one), and
    rows from before headers (which nothing but ``ledger verify`` can check) come first."""
    numbers = sorted(r.seq for r in records)
    if numbers != list(range(1, len(numbers) + 1)):
        gap = next(n for n, seq in enumerate(numbers, 1) if seq != n)
        raise LedgerIntegrityError(
            f"estate {estate!r}: observation #{gap} is missing from the store", remedy=_REMEDY
        )
    headed = min((r.seq for r in records if r.header is not None), default=len(records) + 1)
    if late := [r.seq for r in records if r.header is None and r.seq > headed]:
        raise LedgerIntegrityError(
            f"estate {estate!r}: observation #{late[0]} has no header, yet follows one that has",
            remedy=_REMEDY,
        )


_REMEDY = "Run `stateward ledger verify`; restore the store from a backup."
_TEXT_COLUMNS = ("estate", "time", "manifest", "summary", "header")
_AS_BYTES = {"sqlite": "CAST({} AS BLOB)", "postgresql": "convert_to({}, 'UTF8')"}


def _select(dialect: str) -> str:
    """The row query, text columns read as bytes so that a damaged one is reported, not fatal
    to the driver's decoder."""
    text = [_AS_BYTES[dialect].format(c) for c in _TEXT_COLUMNS]
    return f"SELECT id, entry, seq, depth, complete, {', '.join(text)} FROM observations"


@dataclass(frozen=True, slots=True)
class _Row:
    """One ``observations`` row, its columns decoded and typed."""

    id: int
    columns: dict[str, Any]

    @classmethod
    def of(cls, raw: tuple[Any, ...]) -> _Row:
        ident = int(raw[0])
        columns: dict[str, Any] = {"entry": raw[1], "seq": raw[2], "depth": raw[3]}
        columns["complete"] = raw[4]
        for name, value in zip(_TEXT_COLUMNS, raw[5:], strict=True):
            columns[name] = _text(value, f"observation row {ident}: column {name}")
        if not all(isinstance(columns[k], int | None) for k in ("entry", "seq", "depth")):
            raise StorageError(f"observation row {ident}: a number column holds text")
        return cls(ident, columns)

    @property
    def header(self) -> str | None:
        return self.columns["header"]  # type: ignore[no-any-return]

    def record(self, headers: Mapping[str, bytes]) -> ObservationRecord:
        """The record this row caches: its header's facts, once the row matches them."""
        if self.header is None:
            return self._legacy()
        found = hd.parse_header(headers[self.header], self.header)
        wanted = hd.expected_row(found, self.header, self.columns["entry"])
        differ = [name for name, value in wanted.items() if self.columns[name] != value]
        if differ:
            raise LedgerIntegrityError(
                f"observation row {self.id} ({found.estate} #{found.seq}) differs from what "
                f"its ledger entry committed: {', '.join(differ)}",
                remedy=_REMEDY,
            )
        return _from_header(self.id, found, self.header, self.columns["entry"])

    def _legacy(self) -> ObservationRecord:
        """A row recorded before headers: its columns are all there is to show."""
        c = self.columns
        try:
            summary = json.loads(c["summary"])
            time = datetime.fromisoformat(c["time"])
        except (TypeError, ValueError):
            raise StorageError(
                f"observation row {self.id}: summary or time is damaged", remedy=_REMEDY
            ) from None
        return ObservationRecord(
            self.id, c["estate"], time, c["manifest"], bool(c["complete"]), summary,
            c["entry"], int(c["seq"] or 0), False, None, int(c["depth"] or 0),
        )  # fmt: skip


def _text(value: Any, what: str) -> str | None:
    """A text column read as bytes, decoded; StorageError naming ``what`` if not UTF-8."""
    try:
        return None if value is None else bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        raise StorageError(f"{what} is not UTF-8 text", remedy=_REMEDY) from None


def _from_header(
    ident: int, header: hd.Header, address: str, entry: int | None
) -> ObservationRecord:
    return ObservationRecord(
        ident,
        header.estate,
        datetime.fromisoformat(header.time),
        header.manifest,
        header.complete,
        header.summary,
        entry,
        header.seq,
        header.unchanged,
        address,
        header.depth,
    )


_ANY_OBSERVATION = "SELECT 1 FROM observations WHERE estate = ? LIMIT 1"
_Objects = dict[str, bytes | DeflatedBody]
"""Objects to store by address: their canonical bytes, deflated when written, or those bytes
deflated already (a body the file workers read, or an object added ``eager``)."""


class _Sink(Protocol):
    """Where :func:`_manifest_of` puts the objects it encodes: a dict, or :class:`_Ahead`."""

    def __setitem__(self, address: str, data: bytes | DeflatedBody, /) -> None: ...


class _Ahead:
    """The objects of an estate's first observation, put in the store (:meth:`Store.put_objects`)
    a batch of :data:`_AHEAD_BYTES` at a time as they are encoded, ahead of the observation
    that names them, as a watch puts its first list's pages (:mod:`.staged`). Held until the
    write, the component and finding objects of 50k objects (deflated) and the rows naming
    every object were ~30 MiB of the record step, a scan's peak (``bench.scan_stages``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.since = store.ledger.size()  # a tombstone logged from here on may erase one
        self.batch: _Objects = {}
        self.size = 0
        self.digests: set[str] = set()

    def __setitem__(self, address: str, data: bytes | DeflatedBody) -> None:
        # a body given as its bytes is deflated as the write would (not in bulk: the same cell)
        deflated = DeflatedBody.of(data) if isinstance(data, bytes) else data
        self.batch[address] = deflated
        self.size += len(deflated.data)
        if self.size >= _AHEAD_BYTES:
            self._put()

    def _put(self) -> None:
        self.store.put_objects(self.batch)
        self.digests.update(self.batch)
        self.batch, self.size = {}, 0

    def staged(self) -> Staged:
        """Every object put, the last batch too."""
        self._put()
        return Staged(self.digests, self.since)


_AHEAD_BYTES = 2 << 20
"""Bytes (as stored) of the objects :class:`_Ahead` holds before it puts them in the store."""


def _encoded_again(observation: Observation, addresses: Collection[str]) -> _Objects:
    """The objects at ``addresses`` that ``observation``'s record names, encoded again: those
    put ahead (:class:`_Ahead`) that a tombstone erased since (each one is content-addressed,
    so an equal object of another observation may be erased meanwhile), stored again as any
    erased object named anew is."""
    again: _Objects = {}
    _manifest_of(observation, again, set(), NOTHING_STAGED, {}, eager=False)
    return {a: again[a] for a in addresses}


def _add_encoded(objects: _Sink, data: bytes, eager: bool) -> str:
    address = digest_bytes(data)
    objects[address] = DeflatedBody.of(data, bulk=True) if eager else data
    return address


def _manifest_of(
    observation: Observation,
    objects: _Sink,
    held: set[str],
    stored: Staged,
    put: _Objects,
    eager: bool,
) -> mf.Manifest:
    """What ``observation`` saw, its objects added to ``objects``, those in the store already
    apart: to ``held`` the bodies never read, to ``put`` those ``stored`` before; ``unseen``
    left empty. ``eager``: the components' and findings' objects are added deflated, in bulk
    (:func:`deflate`): a small one is kept whole, not compressed, and this step took 25
    against 34 ms of CPU for a watch's first list of 10k objects, 1,000 components of ~700
    bytes (median of 5, in turn, load 12); each such component holds up to ~450 bytes more
    until the write, and in the store."""
    resources = _resources_of(observation.resources, objects, held, stored, put)
    components = {c.id: _add_encoded(objects, c.encoded(), eager) for c in observation.components}

    by_subject: dict[str, list[Finding]] = {}
    for finding in observation.findings:
        by_subject.setdefault(finding.component or finding.resource or "", []).append(finding)
    # each subject's findings become plain dicts only while they are encoded: a scan's tens of
    # thousands of them, all as dicts at once, were the record step's largest transient. A
    # finding holds strings, nulls and lists of strings, never a float (``floats=False``): its
    # text is not searched for a float's token, nor a null read back to be sure it is no NaN
    findings = {
        subject: _add_encoded(
            objects, canonical_json([f.as_dict() for f in items], floats=False), eager
        )
        for subject, items in by_subject.items()
    }
    errors = [{"location": e.location, "message": e.reason} for e in observation.errors]
    maps: dict[str, dict[str, Any]] = {"resources": resources, "components": components}
    return mf.Manifest({**maps, "findings": findings, "unseen": {}}, errors)


def _resources_of(
    resources: list[Resource], objects: _Sink, held: set[str], stored: Staged, put: _Objects
) -> dict[str, list[str]]:
    """Each resource's manifest entry under its stored name, its body added to ``put`` if it
    was ``stored`` before, else to ``objects``, or its address to ``held`` if never read. A
    watch's first list records 10,000 of them in one pass, nothing asked twice of one and the
    names made at once (:func:`stored_names`): 5 against 12 ms of CPU, which asked each body's
    type twice and each name apart whether it needs quoting."""
    staged = stored.digests
    entries = {}
    for name, r in zip(stored_names([r.key for r in resources]), resources, strict=True):
        address, origin, data = r.digest, r.origin, r.data or _unencoded(r, held)
        if data is not None:
            (put if address in staged else objects)[address] = data
        entry = [address, origin.source, origin.location]
        if r.stamp:
            entry.append(r.stamp)
        entries[name] = entry
    return entries


def _unencoded(r: Resource, held: set[str]) -> bytes | DeflatedBody | None:
    """The body to store of a resource that holds no canonical bytes: one the file workers
    read comes deflated as the store keeps it, written as it is; one never read from the
    store (:class:`StoredBody`) joins ``held`` and is not written (None)."""
    if isinstance(r.body, StoredBody):
        held.add(r.digest)
        return None
    return r.body if isinstance(r.body, DeflatedBody) else r.canonical


def _drop_stored(cursor: Cursor, objects: _Objects, parent: mf.Manifest | None) -> None:
    """Leave out of ``objects`` those the previous manifest names, which are stored already
    (a watch's batch changes a few of thousands: compressing them all again is most of the
    cost), unless a tombstone erased one: that one is stored again."""
    if parent is None:
        return
    named = {v[0] if isinstance(v, list) else v for m in parent.maps.values() for v in m.values()}
    kept = sorted(named.intersection(objects))
    for start in range(0, len(kept), _READ_BATCH):
        chunk = kept[start : start + _READ_BATCH]
        sql = f"SELECT digest FROM ledger_erasures WHERE digest IN ({', '.join('?' * len(chunk))})"
        erased = {str(row[0]) for row in cursor.execute(sql, chunk)}
        for address in chunk:
            if address not in erased:
                del objects[address]


def _check_held(cursor: Cursor, held: set[str]) -> None:
    """StorageError unless each object recorded again without being read is still stored: one
    erased (a tombstone) would leave the observation naming nothing."""
    if missing := _absent(cursor, held):
        raise StorageError(
            f"object {min(missing)} of the previous observation is no longer in the store "
            "(erased); nothing was recorded",
            remedy="Scan with --rehash: every directory is then read anew.",
        )


def _absent(cursor: Cursor, addresses: Collection[str]) -> set[str]:
    """Those of ``addresses`` no object is stored under."""
    absent: set[str] = set()
    wanted = sorted(addresses)
    for start in range(0, len(wanted), _READ_BATCH):
        chunk = wanted[start : start + _READ_BATCH]
        sql = f"SELECT digest FROM objects WHERE digest IN ({', '.join('?' * len(chunk))})"
        absent.update(set(chunk).difference(str(row[0]) for row in cursor.execute(sql, chunk)))
    return absent


def _with_unseen(seen: mf.Manifest, parent: mf.Manifest | None, complete: bool) -> mf.Manifest:
    """``seen`` with, when it is partial, the components it missed kept as last known: "not
    observed", never removed."""
    if parent is None or complete:
        return seen
    known = {**parent.maps["unseen"], **parent.maps["components"]}
    unseen = {k: a for k, a in known.items() if k not in seen.maps["components"]}
    return mf.Manifest({**seen.maps, "unseen": unseen}, seen.errors)


def _summary(observation: Observation, manifest: mf.Manifest) -> dict[str, Any]:
    return {
        "sources": list(observation.sources),
        "resources": len(observation.resources),
        "components": len(observation.components),
        "findings": len(observation.findings),
        "errors": len(observation.errors),
        "not_observed": len(manifest.maps["unseen"]),
        **({"changes": observation.changes} if observation.changes else {}),
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


def _insert_objects(cursor: Cursor, objects: Mapping[str, bytes | DeflatedBody]) -> None:
    # the rows made as they are written: a scan's first record writes every object of the
    # estate, and their rows (and sizes) all made first were ~10 MiB of its peak at 50k objects
    _check_sizes(objects)
    _insert_deflated(cursor, _rows(objects))


def _bulk_rows(objects: Mapping[str, bytes | DeflatedBody]) -> list[tuple[str, bytes]]:
    """Each object's address and its bytes as stored, deflated in bulk (:func:`deflate`);
    UsageError for one over the bound, before anything is written."""
    # one pass, each object asked whether it is bytes (a C test), never whether it is a
    # DeflatedBody: that class is a Mapping, and isinstance of bytes against it is ABCMeta's
    # __instancecheck__ in Python. A size pass, a row generator and a bytearray copy per row
    # (the insert binds the copies itself) came to 30k instructions a row with the insert
    # (callgrind: 10k listed objects put 2,000 at a time, 303M against 215M with the
    # multi-row insert of :meth:`Cursor.insert_rows`)
    rows = []
    for address, data in objects.items():
        if isinstance(data, bytes):
            if len(data) > MAX_OBJECT_BYTES:
                _check_sizes(objects)
            rows.append((address, deflate(data, bulk=True)))
        else:
            if data.size > MAX_OBJECT_BYTES:
                _check_sizes(objects)
            rows.append((address, data.data))
    return rows


def _check_sizes(objects: Mapping[str, bytes | DeflatedBody]) -> None:
    """UsageError for an object over the store's bound, before anything is written."""
    if large := next((a for a, d in objects.items() if _size(d) > MAX_OBJECT_BYTES), None):
        raise UsageError(
            f"object {large} is {_size(objects[large]) >> 20} MiB, over the store's "
            f"{MAX_OBJECT_BYTES >> 20} MiB bound for one object; nothing was written",
            remedy="Keep smaller artefacts (lower --max-file-mib or --max-log-mib).",
        )


def _size(data: bytes | DeflatedBody) -> int:
    return data.size if isinstance(data, DeflatedBody) else len(data)


def _rows(objects: Mapping[str, bytes | DeflatedBody]) -> Iterator[tuple[str, bytes]]:
    for address, data in objects.items():
        yield address, data.data if isinstance(data, DeflatedBody) else deflate(data)


def _insert_deflated(cursor: Cursor, rows: Iterable[tuple[str, bytes]]) -> None:
    # each cell bound as a bytearray copy, which SQLite's driver binds as it is, where it looks
    # for an adapter for bytes (:func:`stateward.store.database._bind_blobs`): a first list's
    # 10k cells of ~430 bytes took 19 against 23 ms to insert, the copies counted; each made
    # as its row is inserted, so they are never all held beside the cells
    cursor.executemany("INSERT INTO objects (digest, data) VALUES (?, ?) ON CONFLICT DO NOTHING",
                       ((address, bytearray(cell)) for address, cell in rows))  # fmt: skip


MAX_OBJECT_BYTES = 256 << 20
"""The largest object the store writes, and so the most one stored cell may inflate to: a
forged cell (a few MiB of zlib can stand for gigabytes) is refused at this many bytes instead
of exhausting memory. Objects are observation documents and evidence artefacts, each bounded
well below it by its reader (16 MiB per changed file or log stream by default)."""


def inflate(address: str, data: bytes) -> bytes:
    """The bytes a stored cell holds, at most :data:`MAX_OBJECT_BYTES`; LedgerIntegrityError
    naming ``address`` when the cell is not a whole zlib stream (RFC 1950) or inflates past the
    bound. ``max_length`` stops the inflation there (Python's ``zlib.Decompress.decompress``,
    https://docs.python.org/3.11/library/zlib.html#zlib.Decompress.decompress)."""
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(data, MAX_OBJECT_BYTES + 1)
    except zlib.error:
        raise LedgerIntegrityError(f"object {address} is corrupt in the store") from None
    if len(content) > MAX_OBJECT_BYTES:
        raise LedgerIntegrityError(
            f"object {address} inflates to more than {MAX_OBJECT_BYTES >> 20} MiB, which the "
            "store never writes: the cell was forged or damaged",
            remedy=_REMEDY,
        )
    if not inflater.eof or inflater.unused_data:
        raise LedgerIntegrityError(f"object {address} is corrupt in the store")
    return content
