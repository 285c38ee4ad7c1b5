"""``cost`` results: per component the table and why, totals per deploy and per month, and the
rollout chart."""

from __future__ import annotations

from stateward.analysis.cost import ComponentCost, CostReport
from stateward.report.changelines import readable_path
from stateward.report.chart import svg_chart
from stateward.report.terminal import Diagnostic, Rendered, Table, escape, table

__all__ = ["COLUMNS", "cost_chart", "human_bytes", "render_cost"]

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")
COLUMNS = (
    ("bytes", "image bytes pulled over the whole rollout, all nodes (KiB/MiB/GiB: powers of 1024; ~ estimated)"),
    ("CPU·s", "CPU-seconds spent: pulls decompressed plus each new container started"),
    ("degraded", "minutes the component runs below full capacity"),
    ("depth", "largest share of its capacity lost at one time"),
    ("backend ×", "peak load on its backends, as a multiple of steady state (1.0: no extra load)"),
    ("cheaper path", "the cheapest safe strategy (docs/cost.md, Strategies)"),
)  # fmt: skip
"""The table's columns that need saying what they count, and in which unit."""
_CLASS = {"ephemeral-safe": "safe", "ephemeral-with-warm-up": "warm-up"}
"""Short class names for the table (JSON keeps the full ones)."""


def cost_chart(report: CostReport, title: str) -> str:
    """An SVG chart of capacity and backend load over the rollout, a line per component."""
    lines = [(c.rollout.component, c.plan.timeline) for c in report.components]
    drawn = [(label, t) for label, t in lines if t is not None and t.samples]
    return svg_chart(drawn, title)


def render_cost(report: CostReport) -> Rendered:
    """The components' table, each one's rollout explained, the totals, and the errors."""
    if not report.components and not report.errors:
        yield "No changed component to price."
        return
    out = table("component", "mode", "class", "bytes", "CPU·s", "degraded", "depth", "backend ×",
                "cheaper path")  # fmt: skip
    for c in report.components:
        out.add_row(*_row(c, report))
    yield out
    yield from (f"[dim]  {name}: {meaning}[/]" for name, meaning in COLUMNS)
    for c in report.components:
        yield from _explain(c)
    yield _totals(report)
    if any(c.rollout.pull.estimated for c in report.components):
        yield "~ estimated: image sizes unknown (give --registry or --engine for real ones)."
    for error in report.errors:
        yield Diagnostic(f"[red]Error:[/] {escape(error.diagnostics())}")


def human_bytes(value: float) -> str:
    """A byte count in the largest binary unit (IEC 80000-13) that keeps it at 1 or more:
    ``14.6 GiB``, not ``15000.0 MiB``."""
    unit = 0
    while abs(value) >= 1024 and unit < len(_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    return f"{value:.0f} B" if unit == 0 else f"{value:.1f} {_UNITS[unit]}"


def _size(value: int, estimated: bool) -> str:
    text = human_bytes(value) if value else "0"
    return f"~{text}" if estimated else text


def _row(c: ComponentCost, report: CostReport) -> tuple[str, ...]:
    rollout, timeline = c.rollout, c.plan.timeline
    degraded = f"{timeline.window_s / 60 if timeline else 0:.1f} min"
    return (
        escape(rollout.component.split(":", 1)[-1]),
        str(rollout.mode),
        _CLASS.get(str(rollout.lifecycle), str(rollout.lifecycle)),
        _size(rollout.bytes(), rollout.pull.estimated),
        f"{rollout.cpu_seconds(report.params):.1f}",
        degraded,
        f"{timeline.depth:.0%}" if timeline else "0%",
        f"{timeline.backend_peak:.1f}" if timeline else "1.0",
        escape(c.best.name),
    )


def _explain(c: ComponentCost) -> Rendered:
    yield f"[bold]{escape(c.rollout.component)}[/]: {c.rollout.mode}"
    for verdict in c.rollout.verdicts:
        yield f"  {verdict.rule.id:<20} {escape(readable_path(verdict.change.path))}"
        yield f"  {'':<20} {escape(verdict.rule.summary)}"
    for note in c.rollout.notes:
        yield f"  [yellow]note:[/] {escape(note)}"
    if c.best is not c.plan:
        yield f"  [green]cheaper:[/] {escape(c.best.name)} — {escape(c.best.how)}"


def _totals(report: CostReport) -> Table:
    out = table("", "bytes", "CPU·s", "degraded min", "pod·min lost", "backend excess s",
                title="Totals (pod·min lost: pods short × minutes; backend excess s: seconds of one "
                "extra steady backend load)")  # fmt: skip
    keys = ("cpu_s", "degraded_minutes", "degraded_pod_minutes", "backend_excess_s")
    for label, values in (
        ("per deploy, as planned", report.totals()),
        ("per deploy, cheapest safe", report.totals(best=True)),
        (f"per month ({report.deploys_per_day:g}/day), as planned", report.monthly()),
        ("per month, cheapest safe", report.monthly(best=True)),
    ):
        out.add_row(label, _size(int(values["bytes"]), False), *(f"{values[k]:g}" for k in keys))
    return out
