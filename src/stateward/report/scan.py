"""``scan`` results: the stable JSON document and the human report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from stateward.analysis.audit import AuditReport
from stateward.analysis.changes import ComponentDelta
from stateward.model.component import Component
from stateward.model.finding import Finding
from stateward.model.observation import Observation
from stateward.model.streamed import Streamed
from stateward.report.audit import render_audit
from stateward.report.changes import delta_lines
from stateward.report.terminal import (
    ROWS,
    Diagnostic,
    Rendered,
    escape,
    listed,
    table,
)

if TYPE_CHECKING:  # a type only: an audit renders its errors here and opens no store
    from stateward.store import ObservationRecord

__all__ = ["error_lines", "input_errors", "observation_errors", "render_scan", "scan_document"]


def scan_document(
    record: ObservationRecord,
    observation: Observation,
    deltas: list[ComponentDelta],
    audit: AuditReport,
) -> dict[str, Any]:
    """The stable ``scan --json`` document, its long lists made as they are written
    (:class:`~stateward.model.streamed.Streamed`): a large estate's are never held whole."""
    return {
        "estate": observation.estate,
        "observation": record.as_dict(),
        "components": Streamed(observation.components, _component_entry),
        "changes": Streamed(deltas, ComponentDelta.as_dict),
        "findings": Streamed(observation.findings, Finding.as_dict),
        "errors": input_errors(observation),
        "audit": audit.as_dict(streamed=True),
    }


def _component_entry(component: Component) -> dict[str, Any]:
    return component.as_dict(context=False)


def input_errors(observation: Observation) -> list[dict[str, str]]:
    """The inputs an observation rejected, for a JSON document."""
    return [{"location": e.location, "message": e.reason} for e in observation.errors]


def render_scan(
    record: ObservationRecord,
    previous: ObservationRecord | None,
    observation: Observation,
    deltas: list[ComponentDelta],
    audit: AuditReport,
    file_changes: tuple[str, ...] = (),
    limit: int | None = ROWS,
) -> Rendered:
    """The observation recorded, its components (the first ``limit``), what changed since
    ``previous`` (for a host, its files too), its audit."""
    unchanged = " (unchanged)" if record.unchanged else ""
    yield (
        f"[bold]{escape(observation.estate)}[/]: observation #{record.seq}{unchanged}, "
        f"{len(observation.resources)} resources, {len(observation.components)} components"
    )
    components = table("component", "binary", "context", "images")
    shown, more = listed(observation.components, limit, "components")
    for c in shown:
        images = ", ".join(
            i.ref.split("@")[0] + (" (pinned)" if i.pinned else " (unpinned)") for i in c.images
        )
        components.add_row(
            escape(c.id), c.binary_fingerprint[7:19], c.context_fingerprint[7:19], escape(images)
        )
    yield components
    yield from more
    yield from _deltas(deltas, previous, limit)
    yield from (f"    files     {escape(line)}" for line in file_changes)
    yield from observation_errors(observation, audit.findings)
    yield from render_audit(audit, limit)


def _deltas(
    deltas: list[ComponentDelta], previous: ObservationRecord | None, limit: int | None
) -> Iterator[str]:
    """Changes since the previous observation, snowflake changes called out."""
    if previous is None:
        yield "First observation of this estate."
        return
    if not deltas:
        yield f"No change since observation #{previous.seq}."
        return
    yield f"[bold]Changes since observation #{previous.seq}[/] ({previous.time:%Y-%m-%d %H:%M}):"
    shown, more = listed(deltas, limit, "changed components")
    for delta in shown:
        yield from delta_lines(delta)
    yield from more


def observation_errors(observation: Observation, audited: Sequence[Finding] = ()) -> Iterator[str]:
    """How a host's files were checked, the findings count (those the ``audited`` table after
    it lists counted there only) and every rejected input."""
    for finding in observation.findings:
        if finding.rule == "HOST_FILE_SCAN":
            yield escape(finding.message)
    yield from _findings_count(observation.findings, audited)
    yield from error_lines(observation)
    if observation.unread:
        return
    if not observation.complete:
        yield Diagnostic(
            "[red]The observation is incomplete: a source stopped part-way. What it could not "
            "see is not observed, not removed.[/]"
        )


def _findings_count(findings: Sequence[Finding], audited: Sequence[Finding]) -> Iterator[str]:
    # The observation holds the audit's findings too: two counts one above the other ("17
    # findings", then "14 findings") read as a contradiction.
    if not audited:
        if findings:
            yield f"{len(findings)} findings (see -o json for all)."
        return
    listed = set(audited)
    rules = Counter(finding.rule for finding in findings if finding not in listed)
    if rules:
        kinds = ", ".join(f"{escape(rule)} ×{count}" for rule, count in sorted(rules.items()))
        yield f"{rules.total()} findings besides the audit's below: {kinds} (see -o json)."


def error_lines(*observations: Observation) -> Iterator[Diagnostic]:
    """Every input the observations rejected, one ``Error:`` line each."""
    for observation in observations:
        for error in observation.errors:
            yield Diagnostic(f"[red]Error:[/] {escape(error.diagnostics())}")
