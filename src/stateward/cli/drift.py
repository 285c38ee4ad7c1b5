"""``stateward drift DESIRED LIVE``: desired vs live, grouped by component and facet."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stateward import __version__
from stateward.analysis.changes import KEY_ROTATED, digests_only
from stateward.analysis.drift import DRIFT_RULES, DriftReport, drift
from stateward.cli.changelines import change_cells, change_lines
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
from stateward.cli.console import emit_json, err, escape, table
from stateward.cli.sides import Sides, resolve_sides
from stateward.diff import MODES, IgnoreRule, load_rules
from stateward.model.change import Change
from stateward.report.sarif import to_sarif

__all__ = ["drift_command"]

DEFAULT_RULES = Path("stateward.yaml")


@click.command("drift", epilog=EXIT_CODES_HELP.replace("changes or findings", "drift"))
@click.argument("desired")
@click.argument("live")
@click.option("--mode", type=click.Choice(MODES), default="strict", show_default=True,
              help="strict: anything live holds that desired does not explain is drift; "
              "argo: fields only in live are ignored, as Argo CD does.")  # fmt: skip
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Ignore rules (ignoreDifferences). Default: ./stateward.yaml if present.")  # fmt: skip
@click.option("-n", "--namespace", default=None,
              help="Namespace of desired objects that name none (as kubectl -n). Without it, "
              "such an object matches the only live object of its kind and name.")  # fmt: skip
@click.option("--side-by-side", is_flag=True,
              help="Show each drifted object's changes as a desired | live table.")  # fmt: skip
@store_option
@json_option
@sarif_option
@reports_errors
def drift_command(
    desired: str,
    live: str,
    mode: str,
    rules_path: Path | None,
    namespace: str | None,
    side_by_side: bool,
    store: str | None,
    as_json: bool,
    sarif_path: str | None,
) -> None:
    """Compare DESIRED with LIVE; each is a path (manifests, Compose, engine://) or ESTATE[@TIME]."""
    check_outputs(as_json, sarif_path)
    sides = resolve_sides(store, (desired, "desired"), (live, "live"))
    want, have = sides.observations
    report = drift(want, have, mode=mode, rules=_rules(rules_path), namespace=namespace)
    result = report.result
    drifted = bool(result.missing or result.extra or sides.comparable(result.changes))
    if as_json:
        emit_json(sides.document(report.as_dict(), drifted=drifted))
    if sarif_path:
        log = to_sarif(
            report.findings(), "stateward", DRIFT_RULES, tool_version=__version__,
            origins=report.origins, field_lines=True,
        )  # fmt: skip
        write_sarif(log, sarif_path)
    _print(report, sides, side_by_side, drifted)
    sides.note()
    if want.errors or have.errors:
        sys.exit(EXIT_INPUT)
    if drifted:
        sys.exit(EXIT_CHANGES)


def _rules(path: Path | None) -> tuple[IgnoreRule, ...]:
    if path is None:
        return load_rules(DEFAULT_RULES) if DEFAULT_RULES.is_file() else ()
    return load_rules(path)


def _print_table(facets: dict[str, list[Change]], sides: Sides) -> None:
    """The changes of one component as rows: object and path, desired, live."""
    rows = table("facet", "object: path", "desired", "live")
    for facet, changes in facets.items():
        for change in changes:
            rotated = sides.key_rotated and digests_only(change)
            for path, before, after in change_cells(change):
                before, after = (KEY_ROTATED, "") if rotated else (before, after)
                rows.add_row(
                    facet, escape(f"{change.subject}: {path}"), escape(before), escape(after)
                )
    err.print(rows)


def _print(report: DriftReport, sides: Sides, side_by_side: bool, drifted: bool) -> None:
    result = report.result
    for subject, facets in report.by_component.items():
        err.print(f"[yellow]{escape(subject)}[/]: drifted ({', '.join(facets)})")
        if side_by_side:
            _print_table(facets, sides)
            continue
        for facet, changes in facets.items():
            for change in changes:
                rotated = KEY_ROTATED if sides.key_rotated and digests_only(change) else None
                for line in change_lines(change, rotated):
                    err.print(f"    {facet:<9} {escape(line)}")
    for assumed in report.assumed:
        err.print(f"[dim]{escape(str(assumed))}[/]")
    for key in result.missing:
        err.print(f"[red]{escape(str(key))}[/]: in desired, not live")
    for key in result.extra:
        err.print(f"[cyan]{escape(str(key))}[/]: live only")
    if report.other_projects:
        err.print(
            f"[dim]{report.other_projects} containers of other Compose projects not compared[/]"
        )
    for key in report.not_observed:
        err.print(f"[dim]{escape(str(key))}: not observed (one side is a partial observation)[/]")
    for note in result.injected:
        err.print(f"[dim]{escape(note.subject)} {escape(note.path)}: {escape(note.text)}[/]")
    for note in result.incomplete:
        err.print(f"[red]{escape(note.subject)}: {escape(note.text)}[/]")
    for finding in result.findings:
        err.print(
            f"[red]{finding.rule}[/] {escape(finding.resource or '')}: {escape(finding.message)}"
        )
    for side in sides.observations:
        for error in side.errors:
            err.print(f"[red]Error:[/] {escape(error.diagnostics())}")
    verdict = "drift found" if drifted else "no drift"
    suppressed = f", {report.suppressed} suppressed by ignore rules" if report.suppressed else ""
    err.print(f"[bold]{verdict}[/] ({result.mode} mode): {len(result.changes)} changes, "
              f"{len(result.missing)} missing, {len(result.extra)} extra{suppressed}")  # fmt: skip
