"""``stateward estates``, ``history`` and ``show``: read what the store holds."""

from __future__ import annotations

import click

from stateward import api
from stateward.cli.common import (
    EXIT_CODES_HELP,
    json_option,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, show
from stateward.report.history import (
    components_document,
    estates_document,
    render_components,
    render_estates,
    render_history,
)
from stateward.report.terminal import escape

__all__ = ["estates", "history", "show_command"]


@click.command(epilog=EXIT_CODES_HELP)
@store_option
@json_option
@reports_errors
def estates(store: str | None, as_json: bool) -> None:
    """List the estates in the store with their number of observations."""
    rows = api.estates(store)
    if as_json:
        emit_json(estates_document(rows))
        return
    show(render_estates(rows))


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("estate")
@store_option
@json_option
@reports_errors
def history(estate: str, store: str | None, as_json: bool) -> None:
    """List the observations of ESTATE, oldest first, by number (#N: see ESTATE@#N)."""
    records = api.history(store, estate)
    if as_json:
        emit_json([r.as_dict() for r in records])
        return
    show(render_history(records))


@click.command("show", epilog=EXIT_CODES_HELP)
@click.argument("estate")
@click.argument("component", required=False)
@click.option(
    "--at", "at", default=None, metavar="TIME", help="As observed at TIME (ISO 8601) or in #N."
)
@store_option
@json_option
@reports_errors
def show_command(
    estate: str, component: str | None, at: str | None, store: str | None, as_json: bool
) -> None:
    """Show the components of ESTATE (or one COMPONENT's full context), now or --at TIME."""
    shown = api.show(store, estate, component, at)
    record = shown.record
    if as_json:
        emit_json(components_document(record, shown.components, shown.unseen))
        return
    head = f"{escape(estate)} as of observation #{record.seq} ({record.time:%Y-%m-%d %H:%M:%S})"
    show(render_components(head, shown.components, shown.unseen, contexts=component is not None))
