"""``stateward estates``, ``history`` and ``show``: read what the store holds."""

from __future__ import annotations

from functools import partial

import click

from stateward import api
from stateward.cli.common import (
    EXIT_CODES_HELP,
    TIME_HELP,
    output_options,
    reports_errors,
    store_option,
)

__all__ = ["estates", "history", "show_command"]


@click.command(epilog=EXIT_CODES_HELP)
@store_option
@output_options()
@reports_errors
def estates(store: str | None, output: str) -> None:
    """List the estates in the store with their number of observations."""
    from stateward.cli.console import emit
    from stateward.report.history import estates_document, render_estates
    from stateward.report.output import Report

    rows = api.estates(store)
    emit(output, Report(lambda: estates_document(rows), render_estates(rows)))


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("estate")
@store_option
@output_options(listing=True)
@reports_errors
def history(estate: str, store: str | None, output: str, limit: int | None) -> None:
    """List the observations of ESTATE, oldest first, by number (#N: see ESTATE@#N)."""
    from stateward.cli.console import emit
    from stateward.report.history import render_history
    from stateward.report.output import Report

    records = api.history(store, estate)
    emit(output, Report(lambda: [r.as_dict() for r in records], render_history(records, limit)))


@click.command("show", epilog=EXIT_CODES_HELP)
@click.argument("estate")
@click.argument("component", required=False)
@click.option("--at", "at", default=None, metavar="TIME", help=f"As observed at TIME: {TIME_HELP}.")
@store_option
@output_options(listing=True)
@reports_errors
def show_command(
    estate: str, component: str | None, at: str | None, store: str | None, output: str,
    limit: int | None,
) -> None:  # fmt: skip
    """Show the components of ESTATE (or one COMPONENT's full context), now or --at TIME."""
    from stateward.cli.console import emit
    from stateward.report.history import components_document, render_components
    from stateward.report.output import Report
    from stateward.report.terminal import escape

    shown = api.show(store, estate, component, at)
    record = shown.record
    head = f"{escape(estate)} as of observation #{record.seq} ({record.time:%Y-%m-%d %H:%M:%S})"
    human = render_components(
        head, shown.components, shown.unseen, contexts=component is not None, limit=limit
    )
    document = partial(components_document, record, shown.components, shown.unseen)
    emit(output, Report(document, human))
