"""``stateward capture``, ``stateward guard`` and ``stateward evidence …``: seal the last state of
containers before they are gone, and list, show, export and verify the sealed bundles.

Bundles are signed with the store's log key and logged in the ledger (an ``evidence`` entry per
bundle). Artefacts are encrypted to the ``--recipient`` age keys (or ``evidence.recipients`` in
./stateward.yaml); without one, logs and changed files are kept as digests only. A bundle that
does not verify is an integrity failure (exit 3); an artefact erased through the ledger is not.
"""

from __future__ import annotations

import signal
import sys
from functools import partial
from itertools import chain
from pathlib import Path

import click

from stateward import api
from stateward.cli.choices import EXPORT_MIB
from stateward.cli.common import (
    EXIT_CODES_HELP,
    EXIT_INPUT,
    output_options,
    reports_errors,
    store_option,
)
from stateward.errors import InputError, UsageError

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


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("containers", metavar="CONTAINER...", nargs=-1, required=True)
@engine_option
@estate_option
@lines_option
@log_budget_option
@file_budget_option
@recipient_option
@store_option
@output_options()
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
    output: str,
) -> None:
    """Capture each CONTAINER (name or ID) from outside it, through the engine API only:
    processes, network, writable layer and changed files, logs, inspect document; seal and log
    its bundle (with -o json or yaml, one document per container). A container that cannot be
    captured, or whose engine answers are malformed, is one error line; the others are still
    captured."""
    options = api.capture_options(log_lines, max_log_mib, max_file_mib, recipients)
    failed = [not _capture_one(store, c, location, estate, options, output) for c in containers]
    if any(failed):
        sys.exit(EXIT_INPUT)


def _capture_one(
    store: str | None,
    container: str,
    location: str,
    estate: str | None,
    options: api.CaptureOptions,
    output: str,
) -> bool:
    """Capture, seal and log one container; False when it failed, wholly or in part, on input
    (a missing container, an engine answer of the wrong shape), said in one line."""
    from stateward.cli.console import emit, err, progress
    from stateward.report.evidence import malformed_lines, sealed_lines
    from stateward.report.output import Report
    from stateward.report.terminal import escape

    try:
        with progress(f"Capturing {escape(container)}") as tick:
            captured = api.capture(
                store, container, engine=location, estate=estate, options=options, progress=tick
            )
    except InputError as error:
        err.print(f"[red]Error:[/] {escape(error.diagnostics())}")
        return False
    sealed, index = captured.sealed, captured.ledger_entry
    document = {"evidence": sealed.address, "ledger_entry": index, "manifest": sealed.manifest}
    malformed = (
        malformed_lines(captured.engine, container, captured.malformed, index)
        if captured.malformed
        else ()
    )
    emit(output, Report(lambda: document, chain(sealed_lines(sealed, index), malformed)))
    return not captured.malformed


@click.command(epilog=EXIT_CODES_HELP)
@engine_option
@estate_option
@lines_option
@log_budget_option
@file_budget_option
@click.option("--workers", default=4, show_default=True, help="Captures run at once.")
@recipient_option
@store_option
@output_options()
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
    output: str,
) -> None:
    """Watch the engine and capture every container that dies, is killed or stopped, so its
    evidence outlives it. Runs until interrupted (Ctrl-C or SIGTERM); an engine that goes away
    is connected to again. With -o json, one JSON line per capture (-o yaml: one document)."""
    from stateward.cli.console import err

    options = api.capture_options(log_lines, max_log_mib, max_file_mib, recipients)
    connection = _Connection()
    guarding = api.guard(
        store, engine=location, estate=estate, options=options, workers=workers,
        on_outcome=partial(_outcome, output), on_connection=connection,
    )  # fmt: skip
    connection.url = guarding.engine.url
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: guarding.stop())
    if options.recipients is None:
        err.print(f"Note: {api.UNSEALED}.")
    outcomes = guarding.run()
    sealed = sum(1 for o in outcomes if o.sealed is not None)
    err.print(f"Sealed evidence for {sealed} of {len(outcomes)} containers.")


class _Connection:
    """What the guard says as it follows the engine, goes without it and follows it again."""

    def __init__(self) -> None:
        self.url, self.followed = "", False

    def __call__(self, followed: bool) -> None:
        from stateward.cli.console import err
        from stateward.report.terminal import escape

        if not followed:
            err.print("The engine went away; connecting again (a container that dies meanwhile "
                      "cannot be captured).")  # fmt: skip
        elif self.followed:
            err.print("The engine is back; guarding again.")
        else:
            err.print(f"Guarding {escape(self.url)}; Ctrl-C to stop.")
        self.followed = True


@click.group(epilog=EXIT_CODES_HELP)
def evidence() -> None:
    """Sealed evidence bundles: list, show, export, verify."""


@evidence.command("list", epilog=EXIT_CODES_HELP)
@store_option
@output_options()
@reports_errors
def list_(store: str | None, output: str) -> None:
    """Every sealed bundle logged in the store, oldest first."""
    from stateward.cli.console import emit
    from stateward.report.evidence import render_list, summary_rows
    from stateward.report.output import Report

    rows = summary_rows(api.evidence_list(store))
    emit(output, Report(lambda: rows, render_list(rows)))


@evidence.command("show", epilog=EXIT_CODES_HELP)
@click.argument("address", metavar="EVIDENCE")
@identity_option
@click.option(
    "--artefact", "artefact_name", default=None, metavar="NAME",
    help="Write this artefact's plaintext (decrypted with --identity) to stdout.",
)  # fmt: skip
@store_option
@output_options()
@reports_errors
def show_bundle(
    address: str,
    identity: Path | None,
    artefact_name: str | None,
    store: str | None,
    output: str,
) -> None:
    """The manifest of bundle EVIDENCE (sha256:… seal address): subject, trigger, artefacts.
    With --identity, every encrypted artefact is decrypted and checked against its sealed
    plaintext digest (exit 3 if one differs)."""
    from stateward.cli.console import emit
    from stateward.report.evidence import render_manifest
    from stateward.report.output import Report

    if artefact_name is not None and output != "table":
        raise UsageError(f"--artefact and -o {output} both write to stdout", remedy="Choose one.")
    shown = api.evidence_show(store, address, identity=identity, artefact=artefact_name)
    if shown.artefact is not None:
        sys.stdout.buffer.write(shown.artefact)
        return
    human = render_manifest(address, shown.manifest, shown.erased, shown.checked)
    emit(output, Report(lambda: shown.manifest, human))


@evidence.command("export", epilog=EXIT_CODES_HELP)
@click.argument("address", metavar="EVIDENCE")
@click.option(
    "--output-file", "output_file", required=True, metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tar file to write (verifiable with `evidence verify FILE`). Never written through a "
    "symlink; an existing file is replaced only with --force.",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Replace an existing file at --output-file.")
@store_option
@output_options()
@reports_errors
def export(address: str, output_file: Path, force: bool, store: str | None, output: str) -> None:
    """Write bundle EVIDENCE with all its artefacts (as stored: ciphertext when encrypted) to
    one tar file. Artefacts erased through the ledger are left out and listed."""
    from stateward.cli.console import emit
    from stateward.report.evidence import erased_lines
    from stateward.report.output import Report
    from stateward.report.terminal import escape

    written = api.evidence_export(store, address, output_file, force=force)
    document = {"evidence": address, "output": str(output_file), "files": written.files,
                "erased": written.erased}  # fmt: skip
    said = f"Wrote {written.files} files of {escape(address)} to {escape(str(output_file))}."
    emit(output, Report(lambda: document, chain([said], erased_lines(written.erased))))


@evidence.command(epilog=EXIT_CODES_HELP)
@click.argument("target", metavar="EVIDENCE|FILE")
@identity_option
@click.option(
    "--max-mib", default=EXPORT_MIB, show_default=True,
    help="Refuse an export FILE larger than this once decompressed.",
)  # fmt: skip
@store_option
@output_options()
@reports_errors
def verify(
    target: str, identity: Path | None, max_mib: int, store: str | None, output: str
) -> None:
    """Check a bundle's signature (the store's log key) and every stored artefact's hash and
    size (ciphertext: no private key needed); TARGET is a seal address in the store or an
    exported tar file. With --identity, also decrypt each artefact and check its plaintext.
    Artefacts erased through the store's ledger are reported, not failed. Exit 3 when it does
    not verify."""
    from stateward.cli.console import emit
    from stateward.report.evidence import erased_lines
    from stateward.report.output import Report
    from stateward.report.terminal import escape

    verified = api.verify_evidence(store, target, identity=identity, max_mib=max_mib)
    document = {"evidence": verified.address, "verified": True, "artefacts": verified.artefacts,
                "erased": verified.erased, "plaintext_checked": verified.plaintext_checked}  # fmt: skip
    said = f"Evidence {escape(verified.address)} verified: {verified.artefacts} artefacts."
    emit(output, Report(lambda: document, chain([said], erased_lines(verified.erased))))


def _outcome(output: str, outcome: api.GuardOutcome) -> None:
    """One capture the guard made: its lines, or one compact JSON line (a stream a reader can
    follow line by line), or one YAML document."""
    from stateward.cli.console import emit, show
    from stateward.report.evidence import guard_document, guard_line, outcome_lines
    from stateward.report.output import Report
    from stateward.report.terminal import Diagnostic, Document

    if output == "json":
        show([Document(guard_line(outcome) + "\n"), *map(Diagnostic, outcome_lines(outcome))])
    else:
        emit(output, Report(lambda: guard_document(outcome), outcome_lines(outcome)))
