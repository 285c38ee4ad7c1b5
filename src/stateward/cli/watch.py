"""``stateward watch``: follow a live cluster and record its changes as they happen."""

from __future__ import annotations

import threading

import click

from stateward.cli.common import (
    EXIT_CODES_HELP,
    json_option,
    kube_options,
    open_cli_store,
    reports_errors,
    store_option,
)
from stateward.cli.console import emit_json, err, escape
from stateward.errors import UsageError
from stateward.observe import observation_of
from stateward.sources.kube.location import accepts
from stateward.sources.kube.watch import Batch, KubeWatch

__all__ = ["watch_command"]


@click.command("watch", epilog=EXIT_CODES_HELP,
               short_help="Follow a live cluster and record its changes as they happen.")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE")
@click.option("--estate", required=True, help="Name of the estate the observations belong to.")
@click.option("--duration", type=click.FloatRange(min=0), default=None,
              help="Stop after this many seconds (default: until interrupted).")
@click.option("--debounce", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds of changes gathered into one observation.")
@store_option
@json_option
@reports_errors
@kube_options
def watch_command(sources: tuple[str, ...], estate: str, duration: float | None,
                  debounce: float, store: str | None, as_json: bool) -> None:  # fmt: skip
    """Follow SOURCE (one kube:// location): record the whole state once, then one observation
    per --debounce period in which anything changed (a relist after 410 Gone re-reads all).
    With --json, one JSON document per recorded observation."""
    if len(sources) != 1 or not accepts(sources[0]):
        raise UsageError("watch follows exactly one kube:// source",
                         remedy="Give one kube://[CONTEXT][/NAMESPACE].")  # fmt: skip
    opened = open_cli_store(store)
    stop = threading.Event()
    timer = threading.Timer(duration, stop.set) if duration is not None else None

    def record(batch: Batch) -> None:
        observation = observation_of(estate, sources, batch.resources, errors=batch.errors,
                                     complete=batch.complete)  # fmt: skip
        saved = opened.record(observation)
        line = {"observation": saved.seq, "changes": len(batch.applied), "listed": batch.listed,
                "complete": batch.complete, "resources": len(batch.resources)}  # fmt: skip
        if as_json:
            emit_json(line)
        err.print(f"observation #{saved.seq}: {len(batch.applied)} changes, "
                  f"{len(batch.resources)} resources" + ("" if batch.complete else
                  f" (partial: {escape('; '.join(e.diagnostics() for e in batch.errors))})"))

    if timer is not None:
        timer.start()
    try:
        KubeWatch(sources[0], opened.keeper, debounce_s=debounce).run(record, stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        stop.set()
        if timer is not None:
            timer.cancel()
