"""``stateward audit``: where state hides, per component, with classes, gravity and dependencies."""

from __future__ import annotations

import os
import sys

import click

from stateward import __version__
from stateward.analysis.audit import AuditReport
from stateward.analysis.audit import audit as run_audit
from stateward.cli.common import (
    EXIT_CHANGES,
    EXIT_CODES_HELP,
    EXIT_INPUT,
    check_outputs,
    json_option,
    kube_options,
    reports_errors,
    sarif_option,
    write_sarif,
)
from stateward.cli.console import emit_json, err, escape, table
from stateward.model.finding import Severity
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper
from stateward.observe import observe
from stateward.report.sarif import audit_sarif

__all__ = ["audit", "print_audit"]

_LEVELS = [str(s) for s in Severity]


@click.command(
    epilog=EXIT_CODES_HELP, short_help="Find where state hides: classes, gravity, dependencies."
)
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@json_option
@sarif_option
@click.option(
    "--fail-on",
    type=click.Choice(_LEVELS),
    default=None,
    help="Exit 1 when a finding of this severity or higher is found.",
)
@reports_errors
@kube_options
def audit(
    sources: tuple[str, ...], as_json: bool, sarif_path: str | None, fail_on: str | None
) -> None:
    """Audit SOURCE... (manifest files or directories, Compose files, engine://, kube://) for
    hidden state: where each component keeps it, its lifecycle class, what a replacement loses
    (none, rebuildable, data), its persistence gravity (how hard it is to move), and who depends
    on it.
    Nothing is recorded in the store."""
    check_outputs(as_json, sarif_path)
    # Audit only compares values inside one run, so a throw-away key is enough for the digests.
    observation = observe(sources, estate="audit", keeper=SecretKeeper(os.urandom(32)))
    report = run_audit(observation).including(observation.findings)
    if sarif_path:
        write_sarif(audit_sarif(report, __version__), sarif_path)
    if as_json:
        emit_json({**report.as_dict(), "errors": _errors(observation)})
    print_audit(report)
    for error in observation.errors:
        err.print(f"[red]Error:[/] {escape(error.diagnostics())}")
    if observation.errors:
        sys.exit(EXIT_INPUT)
    if fail_on and any(f.severity.rank >= Severity(fail_on).rank for f in report.findings):
        sys.exit(EXIT_CHANGES)


def _errors(observation: Observation) -> list[dict[str, str]]:
    return [{"location": e.location, "message": e.reason} for e in observation.errors]


def print_audit(report: AuditReport) -> None:
    """Classes, gravity, dependencies and the findings that matter, on stderr."""
    if not report.components and not report.findings:
        err.print("No components found.")
        return
    components = table("component", "lifecycle", "loss", "gravity", "depends on")
    for c in report.components:
        depends = ", ".join(d.rsplit("/", 1)[-1] for d in c.depends_on)
        row = (str(c.lifecycle), str(c.loss), str(c.gravity))
        components.add_row(escape(c.id), *row, escape(depends))
    err.print(components)
    for c in report.components:
        if str(c.lifecycle) != "ephemeral-safe":
            head = f"[bold]{escape(c.id)}[/] (loss {c.loss}, gravity {c.gravity})"
            err.print(f"{head}: {escape(c.explanation)}")
    for c in report.components:
        if c.dependents and str(c.lifecycle) != "ephemeral-safe":
            names = ", ".join(d.rsplit("/", 1)[-1] for d in c.dependents)
            err.print(f"Replacing [bold]{escape(c.name)}[/] affects {escape(names)}.")
    shown = [f for f in report.findings if f.severity.rank >= Severity.MEDIUM.rank]
    for f in sorted(shown, key=lambda f: (-f.severity.rank, f.rule, f.component or "")):
        err.print(f"{f.severity:<6} {f.rule} {escape(f.component or '')} {escape(f.path)}")
        err.print(f"       {escape(f.message)}")
    rest = len(report.findings) - len(shown)
    err.print(
        f"{len(report.findings)} findings ({rest} low/info not listed; see --json or --sarif)."
    )
    if not report.complete:
        err.print("[red]The audit is incomplete: a rule failed (AUDIT_INCOMPLETE findings).[/]")
