"""``stateward at`` and ``stateward timeline``: an estate as it was, and how it changed.

Both read recorded observations only (each of which is a ledger entry, so the answer can be
proved with ``ledger prove``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from stateward import api
from stateward.cli.common import (
    EXIT_CODES_HELP,
    TIME_HELP,
    output_options,
    reports_errors,
    store_option,
)

if TYPE_CHECKING:
    from stateward.report.terminal import Rendered

__all__ = ["at", "timeline"]

estate_option = click.option("--estate", required=True, help="The estate to look at.")


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("time", metavar="TIME")
@estate_option
@store_option
@output_options(listing=True)
@reports_errors
def at(time: str, estate: str, store: str | None, output: str, limit: int | None) -> None:
    """The full context of every component of --estate as observed at TIME: ISO 8601, now, a
    time ago (2h, -1d), or observation number N (#N)."""
    from stateward.cli.console import emit
    from stateward.report.history import (
        components_document,
        moment_text,
        record_label,
        render_components,
    )
    from stateward.report.output import Report
    from stateward.report.terminal import escape

    when = api.parse_moment(time)  # once: "now" and "2h" ago are read against one clock
    shown = api.at(store, estate, when)
    document = components_document(shown.record, shown.components, shown.unseen)
    head = f"{escape(estate)} at {moment_text(when)}: {record_label(shown.record)}"
    human = render_components(head, shown.components, shown.unseen, contexts=True, limit=limit)
    emit(output, Report(lambda: {"estate": estate, "at": moment_text(when), **document}, human))


@click.command(epilog=EXIT_CODES_HELP)
@estate_option
@click.option(
    "--since", default=None, metavar="TIME", help=f"Only observations after TIME: {TIME_HELP}."
)
@click.option("--component", default=None, metavar="C", help="Only this component (id or name).")
@store_option
@output_options()
@reports_errors
def timeline(
    estate: str, since: str | None, component: str | None, store: str | None, output: str
) -> None:
    """How the components of --estate changed, observation by observation."""
    from stateward.cli.console import emit
    from stateward.report.history import step_document
    from stateward.report.output import Report

    steps = api.timeline(store, estate, since, component)

    def document() -> dict[str, Any]:
        documents = [step_document(s.record, s.deltas, s.first) for s in steps]
        return {"estate": estate, "component": component, "steps": documents}

    emit(output, Report(document, _steps(steps)))


def _steps(steps: list[api.Step]) -> Rendered:
    from stateward.report.history import render_step

    for step in steps:
        yield from render_step(step.record, step.deltas, step.first)
    if not steps:
        yield "No observations in that range."
