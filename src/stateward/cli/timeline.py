"""``stateward at`` and ``stateward timeline``: an estate as it was, and how it changed.

Both read recorded observations only (each of which is a ledger entry, so the answer can be
proved with ``ledger prove``); changes are :func:`stateward.analysis.changes.component_deltas`
between consecutive observations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import click

from stateward.analysis.changes import ComponentDelta, component_deltas
from stateward.cli.common import (
    EXIT_CODES_HELP,
    json_option,
    open_cli_store,
    parse_time,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, err, escape
from stateward.cli.render import print_components, print_delta
from stateward.cli.sides import stored_record
from stateward.errors import UsageError
from stateward.store import ObservationRecord, Store
from stateward.store.keys import rotations

__all__ = ["at", "timeline"]

estate_option = click.option("--estate", required=True, help="The estate to look at.")


@dataclass(frozen=True)
class Step:
    """One observation in a timeline and the component changes since the one before."""

    record: ObservationRecord
    deltas: list[ComponentDelta]
    first: bool
    """True when no earlier observation exists to compare with."""

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "observation": self.record.as_dict(),
            "first": self.first,
            "changes": [d.as_dict() for d in self.deltas],
        }


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("time", metavar="TIME")
@estate_option
@store_option
@json_option
@reports_errors
def at(time: str, estate: str, store: str | None, as_json: bool) -> None:
    """The full context of every component of --estate as observed at TIME (ISO 8601)."""
    opened = open_cli_store(store, read_only=True)
    when = parse_time(time)
    record = stored_record(opened, estate, when)
    observation = opened.load(record, resources=False)
    if as_json:
        emit_json(
            {
                "estate": estate,
                "at": when.isoformat(),
                "observation": record.as_dict(),
                "components": [c.as_dict() for c in observation.components],
            }
        )
        return
    err.print(f"{escape(estate)} at {when.isoformat()}: {_label(record)}")
    print_components(observation.components, contexts=True)


@click.command(epilog=EXIT_CODES_HELP)
@estate_option
@click.option("--since", default=None, metavar="TIME", help="Only observations after TIME.")
@click.option("--component", default=None, metavar="C", help="Only this component (id or name).")
@store_option
@json_option
@reports_errors
def timeline(
    estate: str, since: str | None, component: str | None, store: str | None, as_json: bool
) -> None:
    """How the components of --estate changed, observation by observation."""
    opened = open_cli_store(store, read_only=True)
    steps = build_timeline(opened, estate, parse_time(since) if since else None, component)
    if as_json:
        emit_json({"estate": estate, "component": component, "steps": [s.as_dict() for s in steps]})
        return
    for step in steps:
        _print_step(step)
    if not steps:
        err.print("No observations in that range.")


def build_timeline(
    store: Store, estate: str, since: datetime | None, component: str | None
) -> list[Step]:
    """Observations of ``estate`` after ``since``, each with its changes since the one before
    (the last observation at or before ``since`` is the baseline)."""
    records = store.history(estate)
    if not records:
        raise UsageError(
            f"estate {estate!r} has no observations", remedy="See `stateward estates`."
        )
    start = next((i for i, r in enumerate(records) if since is None or r.time > since), None)
    if start is None:
        return []
    previous = store.load(records[start - 1], resources=False) if start else None
    previous_record = records[start - 1] if start else None
    rotated_at = rotations(store.db)
    steps = []
    for record in records[start:]:
        current = store.load(record, resources=False)
        names = {c.id: c.name for seen in (previous, current) if seen for c in seen.components}
        rotated = rotated_at.between(previous_record, record)
        deltas = [
            d
            for d in component_deltas(previous, current, key_rotated=rotated)
            if component in (None, d.component, names.get(d.component))
        ]
        steps.append(Step(record, deltas, previous is None))
        previous, previous_record = current, record
    return steps


def _label(record: ObservationRecord) -> str:
    entry = f", ledger entry {record.entry}" if record.entry is not None else ""
    return f"observation #{record.id} ({record.time:%Y-%m-%d %H:%M:%S}{entry})"


def _print_step(step: Step) -> None:
    err.print(f"[bold]{_label(step.record)}[/]")
    if step.first:
        err.print("  first observation")
    elif not step.deltas:
        err.print("  no change")
    for delta in step.deltas:
        print_delta(delta)
