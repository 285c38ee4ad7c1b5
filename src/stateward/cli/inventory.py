"""``stateward estates``, ``history`` and ``show``: read what the store holds."""

from __future__ import annotations

import click

from stateward.cli.common import (
    EXIT_CODES_HELP,
    json_option,
    open_cli_store,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, err, escape, table
from stateward.cli.render import print_components, print_unseen
from stateward.cli.sides import parse_moment, stored_record
from stateward.errors import UsageError
from stateward.store import ObservationRecord

__all__ = ["estates", "history", "show"]


@click.command(epilog=EXIT_CODES_HELP)
@store_option
@json_option
@reports_errors
def estates(store: str | None, as_json: bool) -> None:
    """List the estates in the store with their number of observations."""
    rows = open_cli_store(store, read_only=True).estates()
    if as_json:
        emit_json([{"estate": e, "observations": n, "latest": t.isoformat()} for e, n, t in rows])
        return
    out = table("estate", "observations", "latest")
    for name, count, latest in rows:
        out.add_row(escape(name), str(count), latest.isoformat(timespec="seconds"))
    err.print(out if rows else "No estates recorded yet.")


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("estate")
@store_option
@json_option
@reports_errors
def history(estate: str, store: str | None, as_json: bool) -> None:
    """List the observations of ESTATE, oldest first, by number (#N: see ESTATE@#N)."""
    records = open_cli_store(store, read_only=True).history(estate)
    if not records:
        raise UsageError(
            f"estate {estate!r} has no observations", remedy="See `stateward estates`."
        )
    if as_json:
        emit_json([r.as_dict() for r in records])
        return
    out = table("#", "time", "resources", "components", "findings", "errors", "complete", "note")
    for r in records:
        s = r.summary
        out.add_row(
            str(r.seq),
            r.time.isoformat(timespec="seconds"),
            *(str(s.get(k, "")) for k in ("resources", "components", "findings", "errors")),
            "yes" if r.complete else "no",
            _note(r),
        )
    err.print(out)


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("estate")
@click.argument("component", required=False)
@click.option(
    "--at", "at", default=None, metavar="TIME", help="As observed at TIME (ISO 8601) or in #N."
)
@store_option
@json_option
@reports_errors
def show(
    estate: str, component: str | None, at: str | None, store: str | None, as_json: bool
) -> None:
    """Show the components of ESTATE (or one COMPONENT's full context), now or --at TIME."""
    opened = open_cli_store(store, read_only=True)
    record = stored_record(opened, estate, parse_moment(at) if at else None)
    observation = opened.load(record, resources=False)
    chosen = [c for c in observation.components if component in (None, c.id, c.name)]
    unseen = [c for c in observation.unseen if component in (None, c.id, c.name)]
    if component and not chosen and not unseen:
        raise UsageError(f"no component {component!r} in {estate} observation #{record.seq}")
    if as_json:
        emit_json(
            {
                "observation": record.as_dict(),
                "components": [c.as_dict() for c in chosen],
                "not_observed": [c.as_dict() for c in unseen],
            }
        )
        return
    err.print(f"{escape(estate)} as of observation #{record.seq} ({record.time:%Y-%m-%d %H:%M:%S})")
    print_components(chosen, contexts=component is not None)
    observation.unseen = unseen
    print_unseen(observation)


def _note(record: ObservationRecord) -> str:
    """Unchanged, or how many components a partial observation did not see."""
    if record.unchanged:
        return "unchanged"
    missed = int(record.summary.get("not_observed", 0))
    return f"{missed} not observed" if missed else ""
