"""``stateward capture``, ``stateward guard`` and ``stateward evidence …``: seal the last state of
containers before they are gone, and list, show, export and verify the sealed bundles.

Bundles are signed with the store's log key and logged in the ledger (an ``evidence`` entry per
bundle). A bundle that does not verify is an integrity failure (exit 3).
"""

from __future__ import annotations

import json
import signal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from stateward.cli.common import (
    EXIT_CODES_HELP,
    json_option,
    open_cli_store,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, err, escape, table
from stateward.engine.capture import CaptureOptions
from stateward.engine.capture import capture as capture_container
from stateward.engine.client import connect, engine_url
from stateward.engine.evidence import ObjectStore, Sealed, TarObjects, load_manifest
from stateward.engine.evidence import export as export_bundle
from stateward.engine.evidence import verify as verify_bundle
from stateward.engine.guard import Guard, GuardOutcome
from stateward.engine.layer import MIB, Budget
from stateward.engine.records import evidence_records, record_evidence
from stateward.errors import LedgerIntegrityError, VerificationError
from stateward.store import Store

__all__ = ["capture", "evidence", "guard"]

engine_option = click.option(
    "--engine",
    "location",
    default="engine://",
    show_default=True,
    help="Engine socket: engine:// ($DOCKER_HOST or Podman's) or engine:///path/to.sock.",
)
estate_option = click.option("--estate", default=None, help="Estate the evidence belongs to.")
lines_option = click.option(
    "--log-lines", default=1000, show_default=True, help="Last lines of stdout and stderr kept."
)
file_budget_option = click.option(
    "--max-file-mib",
    default=16,
    show_default=True,
    help="Changed files larger than this are hashed-only skipped (recorded with the reason).",
)


def _options(log_lines: int, max_file_mib: int) -> CaptureOptions:
    return CaptureOptions(budget=Budget(file_bytes=max_file_mib * MIB), log_lines=log_lines)


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("container")
@engine_option
@estate_option
@lines_option
@file_budget_option
@store_option
@json_option
@reports_errors
def capture(
    container: str,
    location: str,
    estate: str | None,
    log_lines: int,
    max_file_mib: int,
    store: str | None,
    as_json: bool,
) -> None:
    """Capture CONTAINER (name or ID) from outside it, through the engine API only: processes,
    network, writable layer and changed files, logs, inspect document; seal and log the bundle."""
    opened = open_cli_store(store)
    engine = connect(engine_url(location))
    try:
        sealed = capture_container(
            engine,
            container,
            store=opened,
            signer=opened.ledger.signer(),
            keeper=opened.keeper,
            options=_options(log_lines, max_file_mib),
        )
    finally:
        engine.close()
    index = record_evidence(opened, sealed, estate)
    if as_json:
        emit_json({"evidence": sealed.address, "ledger_entry": index, "manifest": sealed.manifest})
    _print_sealed(sealed, index)


@click.command(epilog=EXIT_CODES_HELP)
@engine_option
@estate_option
@lines_option
@file_budget_option
@click.option("--workers", default=4, show_default=True, help="Captures run at once.")
@store_option
@click.option("--json", "as_json", is_flag=True, help="One JSON line per capture on stdout.")
@reports_errors
def guard(
    location: str,
    estate: str | None,
    log_lines: int,
    max_file_mib: int,
    workers: int,
    store: str | None,
    as_json: bool,
) -> None:
    """Watch the engine and capture every container that dies, is killed or stopped, so its
    evidence outlives it. Runs until interrupted (Ctrl-C or SIGTERM)."""
    opened = open_cli_store(store)
    engine = connect(engine_url(location))
    signer = opened.ledger.signer()
    options = _options(log_lines, max_file_mib)

    def seal(ident: str, trigger: Mapping[str, Any], seen: Mapping[str, Any] | None) -> Sealed:
        sealed = capture_container(
            engine, ident, store=opened, signer=signer, keeper=opened.keeper,
            options=options, trigger=trigger, seen=seen,
        )  # fmt: skip
        record_evidence(opened, sealed, estate)
        return sealed

    report = _json_line if as_json else _print_outcome
    watcher = Guard(engine, seal, workers=workers, on_outcome=report)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: watcher.stop())
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
    rows = []
    for record in evidence_records(opened):
        _, _, manifest = load_manifest(opened, record.address)
        subject = manifest.get("subject") or {}
        rows.append(
            {
                "evidence": record.address,
                "ledger_entry": record.index,
                "estate": record.estate,
                "time": record.time.isoformat(),
                "container": subject.get("name"),
                "trigger": (manifest.get("trigger") or {}).get("event", "manual"),
                "complete": manifest.get("complete"),
            }
        )
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
@store_option
@json_option
@reports_errors
def show(address: str, store: str | None, as_json: bool) -> None:
    """The manifest of bundle EVIDENCE (sha256:… seal address): subject, trigger, artefacts."""
    _, _, manifest = load_manifest(open_cli_store(store, read_only=True), address)
    if as_json:
        emit_json(manifest)
        return
    subject = manifest.get("subject") or {}
    err.print(
        f"Evidence {escape(address)}: container {escape(str(subject.get('name')))} "
        f"({escape(str(subject.get('container')))}), complete: {manifest.get('complete')}"
    )
    out = table("tier", "artefact", "outcome", "bytes", "sha256 / reason")
    for artefact in manifest.get("artefacts") or []:
        out.add_row(
            str(artefact.get("tier")), escape(repr(artefact.get("name"))[1:-1]),
            str(artefact.get("outcome")), str(artefact.get("size", "")),
            escape(str(artefact.get("address") or artefact.get("sha256") or artefact.get("reason"))),
        )  # fmt: skip
    err.print(out)


@evidence.command("export", epilog=EXIT_CODES_HELP)
@click.argument("address", metavar="EVIDENCE")
@click.option(
    "--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Tar file to write (verifiable with `evidence verify FILE`).",
)  # fmt: skip
@store_option
@json_option
@reports_errors
def export(address: str, output: Path, store: str | None, as_json: bool) -> None:
    """Write bundle EVIDENCE with all its artefacts to one tar file."""
    files = export_bundle(open_cli_store(store, read_only=True), address, output)
    if as_json:
        emit_json({"evidence": address, "output": str(output), "files": files})
    err.print(f"Wrote {files} files of {escape(address)} to {escape(str(output))}.")


@evidence.command(epilog=EXIT_CODES_HELP)
@click.argument("target", metavar="EVIDENCE|FILE")
@store_option
@json_option
@reports_errors
def verify(target: str, store: str | None, as_json: bool) -> None:
    """Check a bundle's signature (the store's log key) and every artefact's hash; TARGET is a
    seal address in the store or an exported tar file. Exit 3 when it does not verify."""
    opened = open_cli_store(store, read_only=True)
    objects, address = _objects(opened, target)
    try:
        manifest = verify_bundle(objects, address, opened.ledger.verifier())
    except VerificationError as error:
        raise LedgerIntegrityError(error.message, remedy="Do not trust this bundle.") from None
    if as_json:
        emit_json({"evidence": address, "verified": True, "artefacts": len(manifest["artefacts"])})
    err.print(f"Evidence {escape(address)} verified: {len(manifest['artefacts'])} artefacts.")


def _objects(store: Store, target: str) -> tuple[ObjectStore, str]:
    if target.startswith("sha256:"):
        return store, target
    exported = TarObjects(Path(target))
    return exported, exported.address


def _print_sealed(sealed: Sealed, index: int) -> None:
    manifest = sealed.manifest
    collected = sum(1 for a in manifest["artefacts"] if a["outcome"] == "collected")
    state = "complete" if manifest["complete"] else "INCOMPLETE (see `evidence show`)"
    err.print(
        f"Sealed evidence {escape(sealed.address)} for {escape(manifest['subject']['name'])}: "
        f"{collected} of {len(manifest['artefacts'])} artefacts collected, {state}; "
        f"ledger entry {index}."
    )


def _json_line(outcome: GuardOutcome) -> None:
    _print_outcome(outcome)
    line = {
        "container": outcome.container,
        "name": outcome.name,
        "event": outcome.event,
        "evidence": outcome.sealed.address if outcome.sealed else None,
        "error": outcome.error,
    }
    click.echo(json.dumps(line, sort_keys=True))


def _print_outcome(outcome: GuardOutcome) -> None:
    if outcome.sealed is None:
        err.print(
            f"[red]Not sealed[/] {escape(outcome.name)} ({outcome.event}): {escape(outcome.error)}"
        )
    else:
        _print_sealed(outcome.sealed, -1)
