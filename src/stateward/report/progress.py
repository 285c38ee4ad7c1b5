"""Progress bars for long commands: on stderr, and only when stderr is an interactive terminal.

The library reports progress through a plain callback, ``progress(done, total)``
(:data:`stateward.sources.interface.Progress`), and never imports rich; this module turns those
calls into a transient rich bar, so a pipe or a log file never holds one and a finished bar
leaves no line behind. With ``cli/console.py`` and ``report/terminal.py``, the only importer of
rich (ruff's banned-api rule).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

__all__ = ["Ticker", "progress_bar"]


class Ticker:
    """The callback handed to the library: ``ticker(done, total)`` moves the bar (if any)."""

    def __init__(self, bar: Progress | None = None, task: TaskID | None = None) -> None:
        self._bar, self._task = bar, task

    def __call__(self, done: int, total: int | None) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=total)

    def finish(self) -> None:
        """Take the bar off the screen now (a watch goes on printing after its start-up)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@contextmanager
def progress_bar(console: Console, label: str) -> Iterator[Ticker]:
    """A transient bar on ``console`` while the block runs, when that console is an
    interactive terminal; otherwise a callback that draws nothing."""
    if not console.is_terminal or console.is_dumb_terminal:
        yield Ticker()
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        yield Ticker(bar, bar.add_task(label, total=None))
