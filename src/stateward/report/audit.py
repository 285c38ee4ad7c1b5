"""``audit`` results: classes, gravity, dependencies and the findings that matter."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport
from stateward.model.finding import Severity
from stateward.report.terminal import Rendered, escape, table

__all__ = ["render_audit"]


def render_audit(report: AuditReport) -> Rendered:
    """The components' table, why each one that is not ephemeral-safe is so, who depends on
    it, and the findings of medium severity or higher."""
    if not report.components and not report.findings:
        yield "No components found."
        return
    components = table("component", "lifecycle", "loss", "gravity", "depends on")
    for c in report.components:
        depends = ", ".join(d.rsplit("/", 1)[-1] for d in c.depends_on)
        row = (str(c.lifecycle), str(c.loss), str(c.gravity))
        components.add_row(escape(c.id), *row, escape(depends))
    yield components
    for c in report.components:
        if str(c.lifecycle) != "ephemeral-safe":
            head = f"[bold]{escape(c.id)}[/] (loss {c.loss}, gravity {c.gravity})"
            yield f"{head}: {escape(c.explanation)}"
    for c in report.components:
        if c.dependents and str(c.lifecycle) != "ephemeral-safe":
            names = ", ".join(d.rsplit("/", 1)[-1] for d in c.dependents)
            yield f"Replacing [bold]{escape(c.name)}[/] affects {escape(names)}."
    yield from _findings(report)


def _findings(report: AuditReport) -> Rendered:
    shown = [f for f in report.findings if f.severity.rank >= Severity.MEDIUM.rank]
    for f in sorted(shown, key=lambda f: (-f.severity.rank, f.rule, f.component or "")):
        yield f"{f.severity:<6} {f.rule} {escape(f.component or '')} {escape(f.path)}"
        yield f"       {escape(f.message)}"
    rest = len(report.findings) - len(shown)
    yield f"{len(report.findings)} findings ({rest} low/info not listed; see --json or --sarif)."
    if not report.complete:
        yield "[red]The audit is incomplete: a rule failed (AUDIT_INCOMPLETE findings).[/]"
