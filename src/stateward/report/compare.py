"""``drift`` and ``parity`` results: JSON, SARIF and the human report.

Across a rotation of the store's secret key two digests of one secret differ though the secret
may not: such a change reads "key rotated: not comparable", never as a change of the secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from stateward.analysis.changes import KEY_ROTATED, digests_only
from stateward.analysis.drift import DRIFT_RULES, DriftReport
from stateward.analysis.parity import PARITY_RULES, ParityReport
from stateward.model.change import Change
from stateward.model.observation import Observation
from stateward.report.changelines import change_cells, change_lines, readable_path
from stateward.report.sarif import to_sarif
from stateward.report.scan import error_lines
from stateward.report.terminal import Diagnostic, Rendered, escape, table
from stateward.sources.kube.attribution import Writer

__all__ = [
    "comparison_document",
    "drift_sarif",
    "parity_sarif",
    "render_drift",
    "render_parity",
    "rotation_note",
]


def comparison_document(document: dict[str, Any], key_rotated: bool) -> dict[str, Any]:
    """A ``--json`` document, marked when its secret changes are not comparable."""
    return {**document, "key_rotated": True} if key_rotated else document


def rotation_note(key_rotated: bool) -> Iterator[Diagnostic]:
    """Say when secret changes between the sides are not comparable."""
    if key_rotated:
        yield Diagnostic(
            f"[yellow]{KEY_ROTATED}[/]: the store's secret key was rotated between these "
            "sides, so a secret digest that differs does not mean the secret changed."
        )


def drift_sarif(report: DriftReport, version: str) -> dict[str, Any]:
    """A drift report as a SARIF log, each result on the line of its field."""
    return to_sarif(
        report.findings(), "stateward", DRIFT_RULES, tool_version=version,
        origins=report.origins, field_lines="pointer",
    )  # fmt: skip


def parity_sarif(report: ParityReport, version: str) -> dict[str, Any]:
    """A parity report as a SARIF log, each result on the line of its field in A's file."""
    return to_sarif(
        report.findings(), "stateward", PARITY_RULES, tool_version=version,
        origins=report.origins, field_lines="component",
    )  # fmt: skip


def _rotated(change: Change, key_rotated: bool) -> str | None:
    return KEY_ROTATED if key_rotated and digests_only(change) else None


def _drift_table(facets: dict[str, list[Change]], key_rotated: bool) -> Rendered:
    """The changes of one component as rows: object and path, desired, live."""
    rows = table("facet", "object: path", "desired", "live")
    for facet, changes in facets.items():
        for change in changes:
            rotated = _rotated(change, key_rotated)
            for path, before, after in change_cells(change):
                before, after = (rotated, "") if rotated else (before, after)
                rows.add_row(
                    facet, escape(f"{change.subject}: {path}"), escape(before), escape(after)
                )
    yield rows


def _drift_lines(facets: dict[str, list[Change]], key_rotated: bool,
                 writers: Mapping[tuple[str, str], Writer]) -> Rendered:  # fmt: skip
    for facet, changes in facets.items():
        for change in changes:
            for line in change_lines(change, _rotated(change, key_rotated)):
                yield f"    {facet:<9} {escape(line)}"
            if writer := writers.get((change.subject, change.path)):
                yield (f"    {'':<9} [dim]set by {escape(writer.manager)} ({escape(writer.operation)})"
                       f" at {escape(writer.time)}[/]")  # fmt: skip


def render_drift(
    report: DriftReport,
    sides: list[Observation],
    key_rotated: bool,
    side_by_side: bool,
    drifted: bool,
) -> Rendered:
    """Each drifted component's changes (as lines, or a desired | live table), what is missing,
    extra, not observed or incomplete, the input errors of ``sides``, and the verdict
    (``drifted``: secret digests made under two keys are shown, but are no drift)."""
    for subject, facets in report.by_component.items():
        yield f"[yellow]{escape(subject)}[/]: drifted ({', '.join(facets)})"
        if side_by_side:
            yield from _drift_table(facets, key_rotated)
        else:
            yield from _drift_lines(facets, key_rotated, report.writers)
    yield from _drift_notes(report)
    yield from error_lines(*sides)
    result = report.result
    verdict = "drift found" if drifted else "no drift"
    suppressed = f", {report.suppressed} suppressed by ignore rules" if report.suppressed else ""
    yield (f"[bold]{verdict}[/] ({result.mode} mode): {len(result.changes)} changes, "
           f"{len(result.missing)} missing, {len(result.extra)} extra{suppressed}")  # fmt: skip


def _drift_notes(report: DriftReport) -> Iterator[str]:
    result = report.result
    for assumed in report.assumed:  # a guess made about the input: said in every format
        yield Diagnostic(f"[dim]{escape(str(assumed))}[/]")
    yield from _each("red", result.missing, after=": in desired, not live")
    yield from _each("cyan", result.extra, after=": live only")
    if report.other_projects:
        yield f"[dim]{report.other_projects} containers of other Compose projects not compared[/]"
    yield from _each(
        "dim", report.not_observed, ": not observed (one side is a partial observation)"
    )
    yield from _each("dim", (f"{n.subject} {n.path}: {n.text}" for n in result.injected))
    yield from _each("red", (f"{n.subject}: {n.text}" for n in result.incomplete))
    for finding in result.findings:
        yield f"[red]{finding.rule}[/] {escape(finding.resource or '')}: {escape(finding.message)}"


def _each(style: str, items: Iterable[object], within: str = "", after: str = "") -> Iterator[str]:
    """A line per item, escaped, in ``style`` with ``within`` and followed by ``after``."""
    for item in items:
        yield f"[{style}]{escape(str(item))}{within}[/]{after}"


def render_parity(report: ParityReport, key_rotated: bool, differs: bool) -> Rendered:
    """Each component's status, its unexpected and expected differences, and the verdict
    (``differs``: secret digests made under two keys are shown, but are no difference)."""
    yield f"[bold]{escape(report.a)}[/] vs [bold]{escape(report.b)}[/]"
    for c in report.components:
        style = "green" if c.status == "same" and not c.unexpected else "yellow"
        yield f"[{style}]{escape(c.name)}: {c.status}[/]"
        for change in c.unexpected:
            for line in change_lines(change, _rotated(change, key_rotated)):
                yield f"    [red]unexpected[/] {change.facet:<9} {escape(line)}"
        for change, why in c.expected:
            where = f"{change.subject}: {readable_path(change.path)} ({why})"
            yield f"    [dim]expected   {change.facet:<9} {escape(where)}[/]"
    verdict = "unexpected differences" if differs else "only expected differences"
    yield f"[bold]{verdict}[/]"
