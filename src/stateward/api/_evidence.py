"""Evidence: capture containers' last state into sealed bundles, guard an engine so every dying
container is captured, and list, show, export and verify the bundles.

Bundles are signed with the store's log key and logged in the ledger (an ``evidence`` entry per
bundle). A bundle that does not verify is a LedgerIntegrityError; an artefact erased through the
ledger is not.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stateward.api._stores import StoreRef, opened
from stateward.errors import InputError, LedgerIntegrityError, VerificationError
from stateward.forensics.capture import CaptureOptions, malformed_steps
from stateward.forensics.capture import capture as capture_container
from stateward.forensics.evidence import Exported, ObjectStore, Sealed, load_manifest, open_artefact
from stateward.forensics.evidence import export as export_bundle
from stateward.forensics.evidence import verify as verify_bundle
from stateward.forensics.exported import DEFAULT_LIMIT, TarObjects
from stateward.forensics.guard import Guard, GuardOutcome
from stateward.forensics.records import EvidenceRecord, erasures, evidence_records, record_evidence
from stateward.forensics.sealing import Identities, configured_recipients, load_identities
from stateward.sources.engine.client import Engine, connect
from stateward.sources.engine.endpoint import Endpoint, locate
from stateward.sources.engine.layer import MIB, Budget
from stateward.sources.engine.reconnect import connections
from stateward.sources.interface import Progress
from stateward.store import Store

__all__ = [
    "CaptureOptions",
    "EXPORT_MIB",
    "Captured",
    "EvidenceShown",
    "EvidenceSummary",
    "EvidenceVerified",
    "Guarding",
    "capture",
    "capture_options",
    "evidence_export",
    "evidence_list",
    "evidence_show",
    "guard",
    "verify_evidence",
]

EXPORT_MIB = DEFAULT_LIMIT // MIB
"""The largest exported bundle :func:`verify_evidence` reads by default, decompressed."""


def capture_options(
    log_lines: int = 1000,
    max_log_mib: int = 16,
    max_file_mib: int = 16,
    recipients: tuple[str, ...] = (),
) -> CaptureOptions:
    """What a capture keeps: log lines and MiB per stream, the largest changed file kept, and
    the age recipients artefacts are sealed to (default: ``evidence.recipients`` in
    ./stateward.yaml; with neither, logs and changed files are kept as digests only)."""
    return CaptureOptions(
        budget=Budget(file_bytes=max_file_mib * MIB),
        log_lines=log_lines,
        log_bytes=max_log_mib * MIB,
        recipients=configured_recipients(recipients),
    )


@dataclass(frozen=True)
class Captured:
    """A sealed bundle and the ledger entry that logs it."""

    sealed: Sealed
    ledger_entry: int
    malformed: tuple[str, ...] = ()
    """Steps whose engine answer had an unexpected shape: they failed, the rest was sealed."""
    engine: str = ""
    """The engine's URL, as the client reached it."""


def capture(
    store: StoreRef,
    container: str,
    *,
    engine: str = "engine://",
    estate: str | None = None,
    options: CaptureOptions | None = None,
    progress: Progress | None = None,
) -> Captured:
    """Capture ``container`` (name or ID) through the engine API only, seal it and log it;
    ``progress`` hears the collection steps done so far and how many."""
    writer = opened(store)
    client = connect(locate(engine))
    try:
        sealed = capture_container(
            client, container, store=writer, signer=writer.ledger.signer(),
            keeper=writer.keeper, options=options, progress=progress,
        )  # fmt: skip
    finally:
        client.close()
    index = record_evidence(writer, sealed, estate)
    return Captured(sealed, index, tuple(malformed_steps(sealed.manifest)), client.url)


class GuardedEngine:
    """One connection to an engine, watched: every container that dies, is killed or stopped
    is captured, until :meth:`stop` or the engine goes away."""

    def __init__(
        self,
        store: Store,
        engine: Engine,
        *,
        estate: str | None,
        options: CaptureOptions,
        workers: int,
        on_outcome: Callable[[GuardOutcome], None] | None,
        **follow: Any,
    ) -> None:
        """``follow``: :class:`Guard`'s ``triggers`` and ``on_event`` (``watch engine://``)."""
        self.engine, self._store, self._estate, self._options = engine, store, estate, options
        self._signer = store.ledger.signer()
        self._watcher = Guard(engine, self._seal, workers=workers, on_outcome=on_outcome, **follow)

    def _seal(
        self, ident: str, trigger: Mapping[str, Any], seen: Mapping[str, Any] | None
    ) -> tuple[Sealed, int]:
        sealed = capture_container(
            self.engine, ident, store=self._store, signer=self._signer, keeper=self._store.keeper,
            options=self._options, trigger=trigger, seen=seen,
        )  # fmt: skip
        return sealed, record_evidence(self._store, sealed, self._estate)

    def run(self) -> list[GuardOutcome]:
        """Watch until :meth:`stop` or the engine goes away; every outcome, in order."""
        try:
            return self._watcher.run()
        finally:
            self.engine.close()

    def stop(self) -> None:
        """End :meth:`run` (from another thread or a signal handler)."""
        self._watcher.stop()


class Guarding:
    """``stateward guard``: an engine watched until stopped. An engine that goes away is
    connected to again as ``watch engine://`` does; a container that dies while it is away
    cannot be captured (nothing can see it), one that dies once it is back is."""

    def __init__(
        self,
        store: Store,
        location: Endpoint,
        *,
        on_connection: Callable[[bool], None] | None = None,
        **guarded: Any,
    ) -> None:
        """``on_connection`` is told True each time events are followed (first, and once the
        engine is back) and False when the engine went away; ``guarded``:
        :class:`GuardedEngine`'s options. The first connection is made now."""
        self._stop = threading.Event()
        self._engines = connections(location, self._stop)
        self.engine = next(self._engines)
        self._on_connection = on_connection or (lambda _: None)
        self._store, self._guarded = store, guarded
        self._current: GuardedEngine | None = None

    def run(self) -> list[GuardOutcome]:
        """Watch until :meth:`stop`; every outcome, in order."""
        outcomes: list[GuardOutcome] = []
        engine: Engine | None = self.engine
        while engine is not None:
            self.engine = engine
            self._current = GuardedEngine(
                self._store, engine, on_watching=lambda: self._on_connection(True), **self._guarded
            )
            if self._stop.is_set():  # stopped while connecting: no stream would end it
                engine.close()
                break
            outcomes += self._current.run()
            if self._stop.is_set():
                break
            self._on_connection(False)
            engine = next(self._engines, None)
        return outcomes

    def stop(self) -> None:
        """End :meth:`run` (from another thread or a signal handler: takes no lock)."""
        self._stop.set()
        if self._current is not None:
            self._current.stop()


def guard(
    store: StoreRef,
    *,
    engine: str = "engine://",
    estate: str | None = None,
    options: CaptureOptions | None = None,
    workers: int = 4,
    on_outcome: Callable[[GuardOutcome], None] | None = None,
    on_connection: Callable[[bool], None] | None = None,
) -> Guarding:
    """A guard over ``engine``, ready to :meth:`~Guarding.run`; ``on_outcome`` hears each
    capture as it ends, ``on_connection`` each time its events are followed (True: first, and
    once the engine is back) or the engine went away (False). SourceError when the engine
    cannot be reached now."""
    writer = opened(store)
    return Guarding(
        writer, locate(engine), estate=estate, options=options or CaptureOptions(),
        workers=workers, on_outcome=on_outcome, on_connection=on_connection,
    )  # fmt: skip


@dataclass(frozen=True)
class EvidenceSummary:
    """One logged bundle: its entry, and what its manifest says (None when erased)."""

    record: EvidenceRecord
    container: str | None = None
    trigger: str | None = None
    complete: bool | str | None = None
    """Whether every artefact was collected; ``"erased"`` when the manifest is gone."""


def evidence_list(store: StoreRef) -> list[EvidenceSummary]:
    """Every sealed bundle logged in the store, oldest first."""
    reader = opened(store, read_only=True)
    gone = erasures(reader)
    return [_summary(reader, record, gone) for record in evidence_records(reader)]


def _summary(store: Store, record: EvidenceRecord, gone: Mapping[str, int]) -> EvidenceSummary:
    try:
        _, _, manifest = load_manifest(store, record.address, gone)
    except InputError:  # its seal or manifest was erased: the log entry stays, listed as such
        return EvidenceSummary(record, complete="erased")
    trigger = (manifest.get("trigger") or {}).get("event", "manual")
    subject = manifest.get("subject") or {}
    return EvidenceSummary(record, subject.get("name"), trigger, manifest.get("complete"))


@dataclass(frozen=True)
class EvidenceShown:
    """A bundle's manifest, the artefacts erased since, and the artefacts decrypted and checked
    against their sealed plaintext digests (None when no identity was given)."""

    address: str
    manifest: dict[str, Any]
    erased: dict[str, int]
    checked: set[str] | None = None
    artefact: bytes | None = None
    """The plaintext of the one artefact asked for."""


def evidence_show(
    store: StoreRef, address: str, *, identity: Path | None = None, artefact: str | None = None
) -> EvidenceShown:
    """The manifest of bundle ``address``; with an ``identity`` file, every encrypted artefact is
    decrypted and checked (LedgerIntegrityError if one differs), or only ``artefact``, whose
    plaintext comes back."""
    reader = opened(store, read_only=True)
    gone = erasures(reader)
    _, _, manifest = load_manifest(reader, address, gone)
    keys = load_identities(identity) if identity else None
    if artefact is not None:
        chosen = _named(manifest, artefact)
        if chosen.get("address") in gone:
            entry = gone[chosen["address"]]
            raise InputError(f"--artefact {artefact}", f"was erased (ledger entry {entry})")
        return EvidenceShown(address, manifest, gone, artefact=open_artefact(reader, chosen, keys))
    checked = _check_plaintexts(reader, manifest, gone, keys) if keys else None
    return EvidenceShown(address, manifest, gone, checked)


def evidence_export(
    store: StoreRef, address: str, output: Path, *, force: bool = False
) -> Exported:
    """Write bundle ``address`` with all its artefacts (as stored: ciphertext when encrypted) to
    the tar file ``output``; artefacts erased through the ledger are left out and listed."""
    reader = opened(store, read_only=True)
    return export_bundle(reader, address, output, erased=erasures(reader), force=force)


@dataclass(frozen=True)
class EvidenceVerified:
    """A bundle that verified."""

    address: str
    artefacts: int
    erased: dict[str, int]
    plaintext_checked: bool


def verify_evidence(
    store: StoreRef, target: str, *, identity: Path | None = None, max_mib: int = EXPORT_MIB
) -> EvidenceVerified:
    """Check a bundle's signature and every stored artefact's hash and size; ``target`` is a
    seal address in the store or an exported tar file (at most ``max_mib`` decompressed).
    With ``identity``, also decrypt each artefact and check its plaintext. LedgerIntegrityError
    when it does not verify."""
    keys = load_identities(identity) if identity else None
    reader = opened(store, read_only=True)
    objects, address, gone = _objects(reader, target, max_mib * MIB)
    try:
        verified = verify_bundle(objects, address, reader.ledger.verifier(), gone)
        if keys:
            _check_plaintexts(objects, verified.manifest, gone, keys)
    except VerificationError as error:
        raise LedgerIntegrityError(error.message, remedy="Do not trust this bundle.") from None
    count = len(verified.manifest["artefacts"])
    return EvidenceVerified(address, count, verified.erased, keys is not None)


def _objects(store: Store, target: str, limit: int) -> tuple[ObjectStore, str, dict[str, int]]:
    """The object source, the bundle's ID, and the erasures that count: the store's own; for an
    export, only those it declares that the store's ledger confirms (the list is not signed)."""
    logged = erasures(store)
    if target.startswith("sha256:"):
        return store, target, logged
    exported = TarObjects(Path(target), limit=limit)
    confirmed = {a: n for a, n in exported.erased.items() if logged.get(a) == n}
    return exported, exported.address, confirmed


def _check_plaintexts(
    objects: ObjectStore, manifest: Mapping[str, Any], gone: Mapping[str, int], keys: Identities
) -> set[str]:
    """Names of the stored artefacts, each decrypted and checked against its sealed plaintext
    digest (LedgerIntegrityError at the first that differs)."""
    checked = set()
    for artefact in manifest["artefacts"]:
        if isinstance(artefact, dict) and artefact.get("address") not in (None, *gone):
            open_artefact(objects, artefact, keys)
            checked.add(str(artefact.get("name")))
    return checked


def _named(manifest: Mapping[str, Any], name: str) -> dict[str, Any]:
    for artefact in manifest["artefacts"]:
        if isinstance(artefact, dict) and artefact.get("name") == name:
            return artefact
    raise InputError(f"--artefact {name}", "no such artefact in this bundle")
