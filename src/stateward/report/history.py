"""Recorded history: estates, an estate's observations, an estate as it was, a timeline."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from stateward.analysis.changes import ComponentDelta
from stateward.model.component import Component
from stateward.report.changes import component_lines, delta_lines, unseen_lines
from stateward.report.terminal import ROWS, Rendered, escape, listed, table
from stateward.store import ObservationRecord

__all__ = [
    "Estate",
    "change_line",
    "components_document",
    "estates_document",
    "moment_text",
    "record_label",
    "render_components",
    "render_estates",
    "render_history",
    "render_step",
    "step_document",
]


class Estate(Protocol):
    """What the store holds of one estate."""

    @property
    def name(self) -> str: ...
    @property
    def observations(self) -> int: ...
    @property
    def latest(self) -> datetime: ...


def estates_document(rows: Sequence[Estate]) -> list[dict[str, Any]]:
    """The ``estates --json`` document."""
    return [
        {"estate": e.name, "observations": e.observations, "latest": e.latest.isoformat()}
        for e in rows
    ]


def render_estates(rows: Sequence[Estate]) -> Rendered:
    """A table of the estates, or a line saying there are none."""
    out = table("estate", "observations", "latest")
    for e in rows:
        out.add_row(escape(e.name), str(e.observations), e.latest.isoformat(timespec="seconds"))
    yield out if rows else "No estates recorded yet."


def render_history(records: list[ObservationRecord], limit: int | None = ROWS) -> Rendered:
    """A table of an estate's observations, by number: the newest ``limit`` of them."""
    out = table("#", "time", "resources", "components", "findings", "errors", "complete", "note")
    newest, more = listed(records[::-1], limit, "earlier observations")
    yield from more
    for r in reversed(newest):
        s = r.summary
        out.add_row(
            str(r.seq),
            r.time.isoformat(timespec="seconds"),
            *(str(s.get(k, "")) for k in ("resources", "components", "findings", "errors")),
            "yes" if r.complete else "no",
            _note(r),
        )
    yield out


def _note(record: ObservationRecord) -> str:
    """Unchanged, or how many components a partial observation did not see."""
    if record.unchanged:
        return "unchanged"
    missed = int(record.summary.get("not_observed", 0))
    return f"{missed} not observed" if missed else ""


def components_document(
    record: ObservationRecord, components: list[Component], unseen: list[Component]
) -> dict[str, Any]:
    """Components of one observation, whole contexts included, and those not observed."""
    return {
        "observation": record.as_dict(),
        "components": [c.as_dict() for c in components],
        "not_observed": [c.as_dict() for c in unseen],
    }


def render_components(
    head: str,
    components: list[Component],
    unseen: list[Component],
    *,
    contexts: bool,
    limit: int | None = ROWS,
) -> Rendered:
    """A heading line (markup), each component's fingerprints (and context), the unseen; of
    the components, the first ``limit``."""
    yield head
    shown, more = listed(components, limit, "components")
    yield from component_lines(shown, contexts=contexts)
    yield from more
    yield from unseen_lines(unseen)


def moment_text(when: datetime | int) -> str:
    """A moment as given: ``#N`` or an ISO 8601 time."""
    return f"#{when}" if isinstance(when, int) else when.isoformat()


def record_label(record: ObservationRecord) -> str:
    """``observation #N (time, ledger entry, partial)``."""
    entry = f", ledger entry {record.entry}" if record.entry is not None else ""
    partial = "" if record.complete else ", partial"
    return f"observation #{record.seq} ({record.time:%Y-%m-%d %H:%M:%S}{entry}{partial})"


def step_document(
    record: ObservationRecord, deltas: list[ComponentDelta], first: bool
) -> dict[str, Any]:
    """One timeline step as stable JSON."""
    return {
        "observation": record.as_dict(),
        "first": first,
        "changes": [d.as_dict() for d in deltas],
    }


def render_step(
    record: ObservationRecord, deltas: list[ComponentDelta], first: bool
) -> Iterator[str]:
    """One observation of a timeline and the component changes since the one before."""
    yield f"[bold]{record_label(record)}[/]"
    if first:
        yield "  first observation"
    elif record.unchanged:
        yield "  unchanged"
    elif not deltas:
        yield "  no change"
    for delta in deltas:
        yield from delta_lines(delta)
    for change in record.summary.get("changes", ()):
        yield f"  {escape(change_line(change))}"


def change_line(change: Mapping[str, str]) -> str:
    """One change a watch saw, and its writer: ``ConfigMap/default/blee MODIFIED by
    kubectl-set (Update) at 2026-12-04T10:02:00Z``."""
    line = f"{change.get('resource', '?')} {change.get('type', '?')}"
    if "manager" in change:
        line += (
            f" by {change['manager']} ({change.get('operation', '?')}) at {change.get('time', '?')}"
        )
    return line
