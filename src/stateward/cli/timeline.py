"""``stateward at`` and ``stateward timeline``: an estate as it was, and how it changed.

Both read recorded observations only (each of which is a ledger entry, so the answer can be
proved with ``ledger prove``); changes are :func:`stateward.analysis.changes.component_deltas`
between consecutive observations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import click

from stateward.analysis.changes import ComponentDelta, component_deltas
from stateward.cli.common import (
    EXIT_CODES_HELP,
    json_option,
    open_cli_store,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, err, escape
from stateward.cli.render import print_components, print_delta, print_unseen
from stateward.cli.sides import Moment, parse_moment, stored_record
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
    """The full context of every component of --estate as observed at TIME (ISO 8601), or in
    its observation number N (#N)."""
    opened = open_cli_store(store, read_only=True)
    when = parse_moment(time)
    record = stored_record(opened, estate, when)
    observation = opened.load(record, resources=False)
    if as_json:
        emit_json(
            {
                "estate": estate,
                "at": _moment(when),
                "observation": record.as_dict(),
                "components": [c.as_dict() for c in observation.components],
                "not_observed": [c.as_dict() for c in observation.unseen],
            }
        )
        return
    err.print(f"{escape(estate)} at {_moment(when)}: {_label(record)}")
    print_components(observation.components, contexts=True)
    print_unseen(observation)


def _moment(when: Moment) -> str:
    return f"#{when}" if isinstance(when, int) else when.isoformat()


@click.command(epilog=EXIT_CODES_HELP)
@estate_option
@click.option(
    "--since", default=None, metavar="TIME", help="Only observations after TIME (or after #N)."
)
@click.option("--component", default=None, metavar="C", help="Only this component (id or name).")
@store_option
@json_option
@reports_errors
def timeline(
    estate: str, since: str | None, component: str | None, store: str | None, as_json: bool
) -> None:
    """How the components of --estate changed, observation by observation."""
    opened = open_cli_store(store, read_only=True)
    steps = build_timeline(opened, estate, parse_moment(since) if since else None, component)
    if as_json:
        emit_json({"estate": estate, "component": component, "steps": [s.as_dict() for s in steps]})
        return
    for step in steps:
        _print_step(step)
    if not steps:
        err.print("No observations in that range.")


def build_timeline(
    store: Store, estate: str, since: Moment | None, component: str | None
) -> list[Step]:
    """Observations of ``estate`` after ``since`` (a time or an observation number), each with
    its changes since the one before (the last observation up to ``since`` is the baseline).
    UsageError when ``component`` (an id or name) is in none of them."""
    records = store.history(estate)
    if not records:
        raise UsageError(
            f"estate {estate!r} has no observations", remedy="See `stateward estates`."
        )
    start = next((i for i, r in enumerate(records) if _after(r, since)), len(records))
    previous = store.load(records[start - 1], resources=False) if start else None
    previous_record = records[start - 1] if start else None
    rotated_at = rotations(store.db)
    steps = []
    names = {c.id: c.name for c in previous.known()} if previous else {}
    for record in records[start:]:
        current = store.load(record, resources=False)
        names.update((c.id, c.name) for c in current.known())
        rotated = rotated_at.between(previous_record, record)
        deltas = [
            d
            for d in component_deltas(previous, current, key_rotated=rotated)
            if component in (None, d.component, names.get(d.component))
        ]
        steps.append(Step(record, deltas, previous is None))
        previous, previous_record = current, record
    if component is not None and component not in {*names, *names.values()}:
        raise UsageError(
            f"no component {component!r} in the observations of {estate}",
            remedy=f"See `stateward show {estate}` for the components' ids and names.",
        )
    return steps


def _after(record: ObservationRecord, since: Moment | None) -> bool:
    if since is None:
        return True
    return record.seq > since if isinstance(since, int) else record.time > since


def _label(record: ObservationRecord) -> str:
    entry = f", ledger entry {record.entry}" if record.entry is not None else ""
    partial = "" if record.complete else ", partial"
    return f"observation #{record.seq} ({record.time:%Y-%m-%d %H:%M:%S}{entry}{partial})"


def _print_step(step: Step) -> None:
    err.print(f"[bold]{_label(step.record)}[/]")
    if step.first:
        err.print("  first observation")
    elif step.record.unchanged:
        err.print("  unchanged")
    elif not step.deltas:
        err.print("  no change")
    for delta in step.deltas:
        print_delta(delta)
