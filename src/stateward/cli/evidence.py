"""``stateward capture``, ``stateward guard`` and ``stateward evidence …``: seal the last state of
containers before they are gone, and list, show, export and verify the sealed bundles.

Bundles are signed with the store's log key and logged in the ledger (an ``evidence`` entry per
bundle). Artefacts are encrypted to the ``--recipient`` age keys (or ``evidence.recipients`` in
./stateward.yaml); without one, logs and changed files are kept as digests only. A bundle that
does not verify is an integrity failure (exit 3); an artefact erased through the ledger is not.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from stateward.cli.common import (
    EXIT_CODES_HELP,
    EXIT_INPUT,
    json_option,
    open_cli_store,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, err, escape, table
from stateward.errors import InputError, LedgerIntegrityError, UsageError, VerificationError
from stateward.forensics.capture import MALFORMED, UNSEALED, CaptureOptions, malformed_steps
from stateward.forensics.capture import capture as capture_container
from stateward.forensics.evidence import ObjectStore, Sealed, load_manifest, open_artefact
from stateward.forensics.evidence import export as export_bundle
from stateward.forensics.evidence import verify as verify_bundle
from stateward.forensics.exported import DEFAULT_LIMIT, TarObjects
from stateward.forensics.guard import Guard, GuardOutcome
from stateward.forensics.records import (
    EvidenceRecord,
    erasures,
    evidence_records,
    record_evidence,
)
from stateward.forensics.sealing import Identities, configured_recipients, load_identities
from stateward.sources.engine.client import Engine, connect
from stateward.sources.engine.endpoint import locate
from stateward.sources.engine.layer import MIB, Budget
from stateward.store import Store

__all__ = ["capture", "evidence", "guard"]

engine_option = click.option(
    "--engine",
    "location",
    default="engine://",
    show_default=True,
    help="Engine: engine:// (DOCKER_HOST, the Docker context, else Docker's or Podman's socket), engine:///path/to.sock or unix:///path/to.sock.",
)
estate_option = click.option("--estate", default=None, help="Estate the evidence belongs to.")
lines_option = click.option(
    "--log-lines", default=1000, show_default=True, help="Last lines of stdout and stderr kept."
)
log_budget_option = click.option(
    "--max-log-mib",
    default=16,
    show_default=True,
    help="Of those lines, the last MiB kept per stream (what is cut is recorded).",
)
file_budget_option = click.option(
    "--max-file-mib",
    default=16,
    show_default=True,
    help="Changed files larger than this are hashed-only skipped (recorded with the reason).",
)

recipient_option = click.option(
    "--recipient",
    "-r",
    "recipients",
    multiple=True,
    metavar="AGE1…",
    help="age public key to encrypt artefacts to (repeatable). Default: evidence.recipients in "
    "./stateward.yaml; with neither, logs and changed files are kept as digests only.",
)
identity_option = click.option(
    "--identity",
    "-i",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="age identity file (age-keygen) to decrypt artefacts and check their plaintext digests.",
)


def _options(
    log_lines: int, max_log_mib: int, max_file_mib: int, recipients: tuple[str, ...]
) -> CaptureOptions:
    return CaptureOptions(
        budget=Budget(file_bytes=max_file_mib * MIB),
        log_lines=log_lines,
        log_bytes=max_log_mib * MIB,
        recipients=configured_recipients(recipients),
    )


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("containers", metavar="CONTAINER...", nargs=-1, required=True)
@engine_option
@estate_option
@lines_option
@log_budget_option
@file_budget_option
@recipient_option
@store_option
@json_option
@reports_errors
def capture(
    containers: tuple[str, ...],
    location: str,
    estate: str | None,
    log_lines: int,
    max_log_mib: int,
    max_file_mib: int,
    recipients: tuple[str, ...],
    store: str | None,
    as_json: bool,
) -> None:
    """Capture each CONTAINER (name or ID) from outside it, through the engine API only:
    processes, network, writable layer and changed files, logs, inspect document; seal and log
    its bundle (with --json, one document per container). A container that cannot be captured,
    or whose engine answers are malformed, is one error line; the others are still captured."""
    options = _options(log_lines, max_log_mib, max_file_mib, recipients)
    opened = open_cli_store(store)
    engine = connect(locate(location))
    failed = False
    try:
        for container in containers:
            failed |= _capture_one(engine, container, opened, options, estate, as_json)
    finally:
        engine.close()
    if failed:
        sys.exit(EXIT_INPUT)


def _capture_one(
    engine: Engine,
    container: str,
    opened: Store,
    options: CaptureOptions,
    estate: str | None,
    as_json: bool,
) -> bool:
    """Capture, seal and log one container; True when it failed, wholly or in part, on input
    (a missing container, an engine answer of the wrong shape), said in one line."""
    try:
        sealed = capture_container(
            engine, container, store=opened, signer=opened.ledger.signer(),
            keeper=opened.keeper, options=options,
        )  # fmt: skip
    except InputError as error:
        err.print(f"[red]Error:[/] {escape(error.diagnostics())}")
        return True
    index = record_evidence(opened, sealed, estate)
    if as_json:
        emit_json({"evidence": sealed.address, "ledger_entry": index, "manifest": sealed.manifest})
    _print_sealed(sealed, index)
    if malformed := malformed_steps(sealed.manifest):
        where = escape(f"{engine.url}#{container}")
        err.print(f"[red]Error:[/] {where}: {MALFORMED} ({', '.join(malformed)}); the rest "
                  f"was sealed (ledger entry {index}).")  # fmt: skip
        return True
    return False


@click.command(epilog=EXIT_CODES_HELP)
@engine_option
@estate_option
@lines_option
@log_budget_option
@file_budget_option
@click.option("--workers", default=4, show_default=True, help="Captures run at once.")
@recipient_option
@store_option
@click.option("--json", "as_json", is_flag=True, help="One JSON line per capture on stdout.")
@reports_errors
def guard(
    location: str,
    estate: str | None,
    log_lines: int,
    max_log_mib: int,
    max_file_mib: int,
    workers: int,
    recipients: tuple[str, ...],
    store: str | None,
    as_json: bool,
) -> None:
    """Watch the engine and capture every container that dies, is killed or stopped, so its
    evidence outlives it. Runs until interrupted (Ctrl-C or SIGTERM)."""
    options = _options(log_lines, max_log_mib, max_file_mib, recipients)
    opened = open_cli_store(store)
    engine = connect(locate(location))
    signer = opened.ledger.signer()

    def seal(
        ident: str, trigger: Mapping[str, Any], seen: Mapping[str, Any] | None
    ) -> tuple[Sealed, int]:
        sealed = capture_container(
            engine, ident, store=opened, signer=signer, keeper=opened.keeper,
            options=options, trigger=trigger, seen=seen,
        )  # fmt: skip
        return sealed, record_evidence(opened, sealed, estate)

    report = _json_line if as_json else _print_outcome
    watcher = Guard(engine, seal, workers=workers, on_outcome=report)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: watcher.stop())
    if options.recipients is None:
        err.print(f"Note: {UNSEALED}.")
    err.print(f"Guarding {escape(engine.url)}; Ctrl-C to stop.")
    outcomes = watcher.run()
    engine.close()
    sealed = sum(1 for o in outcomes if o.sealed is not None)
    err.print(f"Sealed evidence for {sealed} of {len(outcomes)} containers.")


@click.group(epilog=EXIT_CODES_HELP)
def evidence() -> None:
    """Sealed evidence bundles: list, show, export, verify."""


@evidence.command("list", epilog=EXIT_CODES_HELP)
@store_option
@json_option
@reports_errors
def list_(store: str | None, as_json: bool) -> None:
    """Every sealed bundle logged in the store, oldest first."""
    opened = open_cli_store(store, read_only=True)
    gone = erasures(opened)
    rows = [_summary(opened, record, gone) for record in evidence_records(opened)]
    if as_json:
        emit_json(rows)
        return
    out = table("entry", "time", "container", "trigger", "complete", "evidence")
    for row in rows:
        out.add_row(
            str(row["ledger_entry"]), row["time"], escape(str(row["container"])),
            str(row["trigger"]), str(row["complete"]), row["evidence"],
        )  # fmt: skip
    err.print(out)


@evidence.command(epilog=EXIT_CODES_HELP)
@click.argument("address", metavar="EVIDENCE")
@identity_option
@click.option(
    "--artefact", "artefact_name", default=None, metavar="NAME",
    help="Write this artefact's plaintext (decrypted with --identity) to stdout.",
)  # fmt: skip
@store_option
@json_option
@reports_errors
def show(
    address: str,
    identity: Path | None,
    artefact_name: str | None,
    store: str | None,
    as_json: bool,
) -> None:
    """The manifest of bundle EVIDENCE (sha256:… seal address): subject, trigger, artefacts.
    With --identity, every encrypted artefact is decrypted and checked against its sealed
    plaintext digest (exit 3 if one differs)."""
    opened = open_cli_store(store, read_only=True)
    gone = erasures(opened)
    _, _, manifest = load_manifest(opened, address, gone)
    keys = load_identities(identity) if identity else None
    if artefact_name is not None and as_json:
        raise UsageError("--artefact and --json both write to stdout", remedy="Choose one.")
    if artefact_name is not None:
        chosen = _named(manifest, artefact_name)
        if chosen.get("address") in gone:
            entry = gone[chosen["address"]]
            raise InputError(f"--artefact {artefact_name}", f"was erased (ledger entry {entry})")
        sys.stdout.buffer.write(open_artefact(opened, chosen, keys))
        return
    checked = _check_plaintexts(opened, manifest, gone, keys) if keys else set()
    if as_json:
        emit_json(manifest)
        return
    subject = manifest.get("subject") or {}
    err.print(
        f"Evidence {escape(address)}: container {escape(str(subject.get('name')))} "
        f"({escape(str(subject.get('container')))}), complete: {manifest.get('complete')}"
    )
    _print_encryption(manifest)
    out = table("tier", "artefact", "outcome", "bytes", "sha256 / reason")
    for artefact in manifest.get("artefacts") or []:
        out.add_row(
            str(artefact.get("tier")), escape(repr(artefact.get("name"))[1:-1]),
            _outcome(artefact, gone, checked), str(artefact.get("size", "")),
            escape(str(artefact.get("address") or _plain(artefact) or artefact.get("reason"))),
        )  # fmt: skip
    err.print(out)
    if keys is not None:
        err.print(f"Decrypted {len(checked)} artefacts; each matches its sealed plaintext digest.")


@evidence.command("export", epilog=EXIT_CODES_HELP)
@click.argument("address", metavar="EVIDENCE")
@click.option(
    "--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Tar file to write (verifiable with `evidence verify FILE`). Never written through a "
    "symlink; an existing file is replaced only with --force.",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Replace an existing file at --output.")
@store_option
@json_option
@reports_errors
def export(address: str, output: Path, force: bool, store: str | None, as_json: bool) -> None:
    """Write bundle EVIDENCE with all its artefacts (as stored: ciphertext when encrypted) to
    one tar file. Artefacts erased through the ledger are left out and listed."""
    opened = open_cli_store(store, read_only=True)
    written = export_bundle(opened, address, output, erased=erasures(opened), force=force)
    if as_json:
        emit_json(
            {"evidence": address, "output": str(output), "files": written.files,
             "erased": written.erased}
        )  # fmt: skip
    err.print(f"Wrote {written.files} files of {escape(address)} to {escape(str(output))}.")
    _print_erased(written.erased)


@evidence.command(epilog=EXIT_CODES_HELP)
@click.argument("target", metavar="EVIDENCE|FILE")
@identity_option
@click.option(
    "--max-mib", default=DEFAULT_LIMIT // MIB, show_default=True,
    help="Refuse an export FILE larger than this once decompressed.",
)  # fmt: skip
@store_option
@json_option
@reports_errors
def verify(
    target: str, identity: Path | None, max_mib: int, store: str | None, as_json: bool
) -> None:
    """Check a bundle's signature (the store's log key) and every stored artefact's hash and
    size (ciphertext: no private key needed); TARGET is a seal address in the store or an
    exported tar file. With --identity, also decrypt each artefact and check its plaintext.
    Artefacts erased through the store's ledger are reported, not failed. Exit 3 when it does
    not verify."""
    keys = load_identities(identity) if identity else None
    opened = open_cli_store(store, read_only=True)
    objects, address, gone = _objects(opened, target, max_mib * MIB)
    try:
        verified = verify_bundle(objects, address, opened.ledger.verifier(), gone)
        if keys:
            _check_plaintexts(objects, verified.manifest, gone, keys)
    except VerificationError as error:
        raise LedgerIntegrityError(error.message, remedy="Do not trust this bundle.") from None
    count = len(verified.manifest["artefacts"])
    if as_json:
        emit_json(
            {"evidence": address, "verified": True, "artefacts": count,
             "erased": verified.erased, "plaintext_checked": keys is not None}
        )  # fmt: skip
    err.print(f"Evidence {escape(address)} verified: {count} artefacts.")
    _print_erased(verified.erased)


def _summary(store: Store, record: EvidenceRecord, gone: Mapping[str, int]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "evidence": record.address, "ledger_entry": record.index, "estate": record.estate,
        "time": record.time.isoformat(), "container": None, "trigger": None, "complete": None,
    }  # fmt: skip
    try:
        _, _, manifest = load_manifest(store, record.address, gone)
    except InputError:  # its seal or manifest was erased: the log entry stays, listed as such
        return {**row, "complete": "erased"}
    trigger = (manifest.get("trigger") or {}).get("event", "manual")
    subject = manifest.get("subject") or {}
    return {**row, "container": subject.get("name"), "trigger": trigger,
            "complete": manifest.get("complete")}  # fmt: skip


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


def _outcome(artefact: Mapping[str, Any], gone: Mapping[str, int], checked: set[str]) -> str:
    where = artefact.get("address")
    if where in gone:
        return f"erased (entry {gone[str(where)]})"
    if str(artefact.get("name")) in checked:
        return f"{artefact.get('outcome')}, plaintext verified"
    return str(artefact.get("outcome"))


def _plain(artefact: Mapping[str, Any]) -> str | None:
    plaintext = artefact.get("plaintext")
    return str(plaintext.get("sha256")) if isinstance(plaintext, dict) else None


def _print_encryption(manifest: Mapping[str, Any]) -> None:
    encryption = manifest.get("encryption") or {}
    if encryption.get("format"):
        keys = ", ".join(str(k) for k in encryption.get("recipients") or [])
        err.print(f"Encrypted ({escape(str(encryption['format']))}) to {escape(keys)}.")
    elif encryption:
        err.print(f"Note: {escape(str(encryption.get('note')))}.")


def _print_erased(erased: Mapping[str, int]) -> None:
    for name, entry in sorted(erased.items()):
        err.print(f"Note: artefact {escape(repr(name))} was erased (ledger entry {entry}).")


def _print_sealed(sealed: Sealed, index: int | None) -> None:
    manifest = sealed.manifest
    collected = sum(1 for a in manifest["artefacts"] if a["outcome"] == "collected")
    state = "complete" if manifest["complete"] else "INCOMPLETE (see `evidence show`)"
    err.print(
        f"Sealed evidence {escape(sealed.address)} for {escape(manifest['subject']['name'])}: "
        f"{collected} of {len(manifest['artefacts'])} artefacts collected, {state}; "
        f"ledger entry {index}."
    )
    _print_encryption(manifest)


def _json_line(outcome: GuardOutcome) -> None:
    _print_outcome(outcome)
    line = {
        "container": outcome.container,
        "name": outcome.name,
        "event": outcome.event,
        "evidence": outcome.sealed.address if outcome.sealed else None,
        "ledger_entry": outcome.ledger_entry,
        "error": outcome.error,
    }
    click.echo(json.dumps(line, sort_keys=True))


def _print_outcome(outcome: GuardOutcome) -> None:
    if outcome.sealed is None:
        err.print(
            f"[red]Not sealed[/] {escape(outcome.name)} ({outcome.event}): {escape(outcome.error)}"
        )
    else:
        _print_sealed(outcome.sealed, outcome.ledger_entry)
