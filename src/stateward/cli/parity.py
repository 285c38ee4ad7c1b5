"""``stateward parity A B``: two estates compared, expected differences set apart."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stateward import __version__
from stateward.analysis.parity import (
    DEFAULT_POLICY,
    PARITY_RULES,
    ParityReport,
    load_policy,
    parity,
)
from stateward.cli.common import (
    EXIT_CHANGES,
    EXIT_CODES_HELP,
    EXIT_INPUT,
    check_outputs,
    json_option,
    reports_errors,
    sarif_option,
    store_option,
    write_sarif,
)
from stateward.cli.console import emit_json, err, escape
from stateward.cli.sides import Sides, resolve_sides
from stateward.report.sarif import to_sarif

__all__ = ["parity_command"]


@click.command(
    "parity", epilog=EXIT_CODES_HELP.replace("changes or findings", "unexpected differences")
)
@click.argument("estate_a")
@click.argument("estate_b")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Parity policy (expected differences) in YAML.")  # fmt: skip
@store_option
@json_option
@sarif_option
@reports_errors
def parity_command(
    estate_a: str,
    estate_b: str,
    policy_path: Path | None,
    store: str | None,
    as_json: bool,
    sarif_path: str | None,
) -> None:
    """Compare ESTATE_A with ESTATE_B (each ESTATE[@TIME] or a path), component by component."""
    check_outputs(as_json, sarif_path)
    sides = resolve_sides(store, (estate_a, estate_a), (estate_b, estate_b))
    a, b = sides.observations
    report = parity(a, b, load_policy(policy_path) if policy_path else DEFAULT_POLICY)
    # ParityReport.differs, less the secret digests a key rotation left not comparable
    differs = any(
        c.status.startswith(("only", "different")) or sides.comparable(c.unexpected)
        for c in report.components
    )
    if as_json:
        emit_json(sides.document(report.as_dict(), differs=differs))
    if sarif_path:
        log = to_sarif(
            report.findings(), "stateward", PARITY_RULES, tool_version=__version__,
            origins=report.origins,
        )  # fmt: skip
        write_sarif(log, sarif_path)
    _print(report, sides, differs)
    sides.note()
    if a.errors or b.errors:
        sys.exit(EXIT_INPUT)
    if differs:
        sys.exit(EXIT_CHANGES)


def _print(report: ParityReport, sides: Sides, differs: bool) -> None:
    err.print(f"[bold]{escape(report.a)}[/] vs [bold]{escape(report.b)}[/]")
    for c in report.components:
        style = "green" if c.status == "same" and not c.unexpected else "yellow"
        err.print(f"[{style}]{escape(c.name)}: {c.status}[/]")
        for change in c.unexpected:
            err.print(
                f"    [red]unexpected[/] {change.facet:<9} {escape(change.path)}: {escape(sides.describe(change))}"
            )
        for change, why in c.expected:
            err.print(
                f"    [dim]expected   {change.facet:<9} {escape(change.path)} ({escape(why)})[/]"
            )
    verdict = "unexpected differences" if differs else "only expected differences"
    err.print(f"[bold]{verdict}[/]")
