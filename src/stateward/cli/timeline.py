"""``stateward at`` and ``stateward timeline``: an estate as it was, and how it changed.

Both read recorded observations only (each of which is a ledger entry, so the answer can be
proved with ``ledger prove``).
"""

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
    moment_text,
    record_label,
    render_components,
    render_step,
    step_document,
)
from stateward.report.terminal import escape

__all__ = ["at", "timeline"]

estate_option = click.option("--estate", required=True, help="The estate to look at.")


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("time", metavar="TIME")
@estate_option
@store_option
@json_option
@reports_errors
def at(time: str, estate: str, store: str | None, as_json: bool) -> None:
    """The full context of every component of --estate as observed at TIME (ISO 8601), or in
    its observation number N (#N)."""
    shown = api.at(store, estate, time)
    when = api.parse_moment(time)
    if as_json:
        document = components_document(shown.record, shown.components, shown.unseen)
        emit_json({"estate": estate, "at": moment_text(when), **document})
        return
    head = f"{escape(estate)} at {moment_text(when)}: {record_label(shown.record)}"
    show(render_components(head, shown.components, shown.unseen, contexts=True))


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
    steps = api.timeline(store, estate, since, component)
    if as_json:
        documents = [step_document(s.record, s.deltas, s.first) for s in steps]
        emit_json({"estate": estate, "component": component, "steps": documents})
        return
    for step in steps:
        show(render_step(step.record, step.deltas, step.first))
    if not steps:
        show(["No observations in that range."])
