"""``stateward watch``: follow a live cluster and record its changes as they happen."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

import click

from stateward import api
from stateward.cli.common import (
    EXIT_CODES_HELP,
    kube_options,
    output_options,
    reports_errors,
    store_option,
)
from stateward.cli.evidence import recipient_option
from stateward.errors import UsageError

if TYPE_CHECKING:
    from stateward.report.output import Report
    from stateward.report.progress import Ticker

__all__ = ["watch_command"]


@click.command(
    "watch",
    epilog=EXIT_CODES_HELP,
    short_help="Follow a live cluster or engine and record its changes as they happen.",
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
@click.option(
    "--capture/--no-capture",
    default=True,
    show_default=True,
    help="Seal a pod's logs, events and last state when it ends or a container restarts.",
)
@click.option(
    "--compact-after",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Compact observations older than this: keep one whole per --keep-every, erase the "
    "raw resources only the others held (proofs stay valid). Default: keep all.",
)
@click.option(
    "--keep-every",
    type=click.FloatRange(min=1),
    default=3600.0,
    show_default=True,
    metavar="SECONDS",
    help="With --compact-after: the period of which one old observation stays whole.",
)
@recipient_option
@store_option
@output_options()
@reports_errors
@kube_options
def watch_command(sources: tuple[str, ...], estate: str, duration: float | None,
                  debounce: float, capture: bool, compact_after: float | None,
                  keep_every: float, recipients: tuple[str, ...], store: str | None,
                  output: str) -> None:  # fmt: skip
    """Follow SOURCE (one kube:// or engine:// location): record the whole state once, then one observation
    per --debounce period in which anything changed (a relist after 410 Gone re-reads all),
    each change attributed to its writer. A pod that starts terminating, is evicted or deleted,
    or whose container restarts is captured as evidence before it vanishes. A cluster or
    engine that goes away is connected to again with backoff, and read whole once back: what
    was not seen meanwhile is never recorded as removed. With -o json or yaml, one document
    per recorded observation and per captured pod."""
    from stateward.cli.console import progress

    if len(sources) != 1:
        raise UsageError(api.WATCHES, remedy=api.WATCH_REMEDY)
    # The command line ends by SIGPIPE when its reader leaves (stateward/__main__.py); a watch
    # must not end so when an API server or engine closes a socket it still writes to: ignored,
    # as Python sets it, that write fails with EPIPE and the client reconnects. A reader of the
    # watch's own output that leaves still ends it quietly (_Teller).
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    stop = threading.Event()
    timer = threading.Timer(duration, stop.set) if duration is not None else None
    teller = _Teller(output, stop)
    options = api.capture_options(recipients=recipients) if capture else None
    if timer is not None:
        timer.start()
    try:
        with progress("Listing kinds") as teller.tick:
            api.watch(store, sources[0], estate=estate, on_record=teller.recorded, stop=stop,
                      debounce_s=debounce, progress=teller.tick, capture=options,
                      on_capture=teller.captured,
                      retention=_retention(compact_after, keep_every))  # fmt: skip
    except KeyboardInterrupt:
        stop.set()
    finally:
        stop.set()
        if timer is not None:
            timer.cancel()
    if teller.reader_left:
        _leave_quietly()


def _retention(compact_after: float | None, keep_every: float) -> api.Retention | None:
    if compact_after is None:
        return None
    return api.Retention(timedelta(seconds=compact_after), timedelta(seconds=keep_every))


class _Teller:
    """Tells each recorded observation and captured pod in format ``output``, one at a time:
    captures are told from their own threads."""

    def __init__(self, output: str, stop: threading.Event) -> None:
        self.output = output
        self.stop = stop
        self.reader_left = False
        """Set when the reader of stdout left (``watch … | head -3``): the watch then stops."""
        self.lock = threading.Lock()
        self.tick: Ticker | None = None
        """The start-up's progress bar, which gives way to the first observation."""

    def recorded(self, recorded: api.Recorded) -> None:
        from stateward.report.output import Report

        document = {"observation": recorded.seq, "changes": recorded.changes,
                    "listed": recorded.listed, "complete": recorded.complete,
                    "resources": recorded.resources, "applied": list(recorded.applied)}  # fmt: skip
        with self.lock:
            if self.tick is not None:
                self.tick.finish()
            self._tell(Report(lambda: document, _lines(recorded)))

    def captured(self, pod: api.WatchCapture) -> None:
        from stateward.report.output import Report
        from stateward.report.terminal import escape

        document = {"captured": pod.subject, "trigger": pod.trigger, "evidence": pod.evidence,
                    "entry": pod.entry, "complete": pod.complete}  # fmt: skip
        line = (f"captured {escape(pod.subject)} ({pod.trigger}): evidence {pod.evidence}, "
                f"ledger entry {pod.entry}")  # fmt: skip
        with self.lock:
            self._tell(Report(lambda: document, [line]))

    def _tell(self, report: Report) -> None:
        from stateward.cli.console import emit

        if self.reader_left:
            return
        try:
            emit(self.output, report)
            sys.stdout.flush()
        except BrokenPipeError:  # what was told is recorded already; nothing is lost
            self.reader_left = True
            self.stop.set()


def _leave_quietly() -> None:
    """End as a command whose reader left ends (status 141, 128 + SIGPIPE), with stdout on
    /dev/null so that the interpreter's last flush finds no broken pipe either."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise click.exceptions.Exit(128 + signal.SIGPIPE)


def _lines(recorded: api.Recorded) -> Iterator[str]:
    """One observation recorded, and why it is partial."""
    from stateward.report.history import change_line
    from stateward.report.terminal import Diagnostic, escape

    yield f"observation #{recorded.seq}: {recorded.changes} changes, {recorded.resources} resources"
    if not recorded.complete:
        partial = "; ".join(e.diagnostics() for e in recorded.errors)
        yield Diagnostic(f"observation #{recorded.seq} is partial: {escape(partial)}")
    for change in recorded.applied:
        yield f"  {escape(change_line(change))}"
