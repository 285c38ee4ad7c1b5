"""``audit`` results: classes, gravity, dependencies and the findings that matter."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport
from stateward.model.finding import Severity
from stateward.report.terminal import ROWS, Rendered, escape, listed, table

__all__ = ["render_audit"]


def render_audit(report: AuditReport, limit: int | None = ROWS) -> Rendered:
    """The components' table, why each one that is not ephemeral-safe is so, who depends on
    it, and the findings of medium severity or higher; of each, the first ``limit``."""
    if not report.components and not report.findings:
        yield "No components found."
        return
    components = table("component", "lifecycle", "loss", "gravity", "depends on")
    shown, more = listed(report.components, limit, "components")
    for c in shown:
        depends = ", ".join(d.rsplit("/", 1)[-1] for d in c.depends_on)
        row = (str(c.lifecycle), str(c.loss), str(c.gravity))
        components.add_row(escape(c.id), *row, escape(depends))
    yield components
    yield from more
    stateful = [c for c in report.components if str(c.lifecycle) != "ephemeral-safe"]
    shown, more = listed(stateful, limit, "stateful components")
    for c in shown:
        head = f"[bold]{escape(c.id)}[/] (loss {c.loss}, gravity {c.gravity})"
        yield f"{head}: {escape(c.explanation)}"
        if c.dependents:
            names = ", ".join(d.rsplit("/", 1)[-1] for d in c.dependents)
            yield f"  Replacing [bold]{escape(c.name)}[/] affects {escape(names)}."
    yield from more
    yield from _findings(report, limit)


def _findings(report: AuditReport, limit: int | None) -> Rendered:
    serious = [f for f in report.findings if f.severity.rank >= Severity.MEDIUM.rank]
    ordered = sorted(serious, key=lambda f: (-f.severity.rank, f.rule, f.component or ""))
    shown, more = listed(ordered, limit, "findings of medium severity or higher")
    for f in shown:
        yield f"{f.severity:<6} {f.rule} {escape(f.component or '')} {escape(f.path)}"
        yield f"       {escape(f.message)}"
    yield from more
    rest = len(report.findings) - len(serious)
    yield f"{len(report.findings)} findings ({rest} low/info not listed; see -o json or --sarif)."
    if not report.complete:
        yield "[red]The audit is incomplete: a rule failed (AUDIT_INCOMPLETE findings).[/]"
