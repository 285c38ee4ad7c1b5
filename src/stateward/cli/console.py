"""The only module that imports rich (enforced by ruff's banned-api rule).

Human output and progress go to stderr; machine output (``--json``) goes to stdout. rich already
honours NO_COLOR, FORCE_COLOR and non-TTY streams, so nothing here forces a terminal. Tracebacks
are never rendered with local variables: observations hold secret digests and user data.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

__all__ = ["err", "escape", "emit_json", "progress", "table", "Table"]

err = Console(stderr=True, highlight=False, soft_wrap=True)


def emit_json(document: Any) -> None:
    """Write one JSON document to stdout (stable key order, UTF-8)."""
    json.dump(document, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def table(*columns: str, title: str | None = None) -> Table:
    """A plain table for stderr reports."""
    out = Table(title=title, show_edge=False, header_style="bold")
    for column in columns:
        out.add_column(column, overflow="fold")
    return out


class _Ticker:
    """What the core's progress callback calls: advance(n) and total(n)."""

    def __init__(self, bar: Progress | None, task: TaskID | None) -> None:
        self._bar, self._task = bar, task

    def __call__(self, done: int, total: int | None) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=total)


@contextmanager
def progress(label: str) -> Iterator[_Ticker]:
    """A transient progress bar on stderr, only when stderr is an interactive terminal."""
    if not err.is_terminal:
        yield _Ticker(None, None)
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        yield _Ticker(bar, bar.add_task(label, total=None))
