"""``stateward watch``: follow a live cluster and record its changes as they happen."""

from __future__ import annotations

import threading

import click

from stateward import api
from stateward.cli.common import (
    EXIT_CODES_HELP,
    json_option,
    kube_options,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, err
from stateward.errors import UsageError
from stateward.report.history import change_line
from stateward.report.terminal import escape

__all__ = ["watch_command"]


@click.command(
    "watch",
    epilog=EXIT_CODES_HELP,
    short_help="Follow a live cluster and record its changes as they happen.",
)
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE")
@click.option("--estate", required=True, help="Name of the estate the observations belong to.")
@click.option(
    "--duration",
    type=click.FloatRange(min=0),
    default=None,
    help="Stop after this many seconds (default: until interrupted).",
)
@click.option(
    "--debounce",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds of changes gathered into one observation.",
)
@store_option
@json_option
@reports_errors
@kube_options
def watch_command(sources: tuple[str, ...], estate: str, duration: float | None,
                  debounce: float, store: str | None, as_json: bool) -> None:  # fmt: skip
    """Follow SOURCE (one kube:// location): record the whole state once, then one observation
    per --debounce period in which anything changed (a relist after 410 Gone re-reads all).
    With --json, one JSON document per recorded observation."""
    if len(sources) != 1:
        raise UsageError("watch follows exactly one kube:// source",
                         remedy="Give one kube://[CONTEXT][/NAMESPACE].")  # fmt: skip
    stop = threading.Event()
    timer = threading.Timer(duration, stop.set) if duration is not None else None

    def said(recorded: api.Recorded) -> None:
        line = {"observation": recorded.seq, "changes": recorded.changes,
                "listed": recorded.listed, "complete": recorded.complete,
                "resources": recorded.resources, "applied": list(recorded.applied)}  # fmt: skip
        if as_json:
            emit_json(line)
        partial = "; ".join(e.diagnostics() for e in recorded.errors)
        err.print(f"observation #{recorded.seq}: {recorded.changes} changes, "
                  f"{recorded.resources} resources"
                  + ("" if recorded.complete else f" (partial: {escape(partial)})"))  # fmt: skip
        for change in recorded.applied:
            err.print(f"  {escape(change_line(change))}")

    if timer is not None:
        timer.start()
    try:
        api.watch(store, sources[0], estate=estate, on_record=said, stop=stop,
                  debounce_s=debounce)  # fmt: skip
    except KeyboardInterrupt:
        stop.set()
    finally:
        stop.set()
        if timer is not None:
            timer.cancel()
