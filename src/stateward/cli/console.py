"""Where the CLI's output goes: results to stdout (the human report's lines and tables, or the
document of ``-o json|yaml|sarif``), diagnostics and progress to stderr, so a pipe gets the data.

Both consoles take their width from the terminal or ``COLUMNS`` when they print, not when they are
made. A table written to a pipe or a file is never folded inside a word: its columns are at least
as wide as their longest word, and a line that cannot fit is left long (a terminal folds it).
With :mod:`stateward.report.terminal` and :mod:`stateward.report.progress` the only modules
that import rich (ruff's banned-api rule).
rich already honours NO_COLOR, FORCE_COLOR and non-TTY streams, so nothing here forces a terminal.
Tracebacks are never rendered with local variables: observations hold secret digests and user data.
The console escapes any control character that still reaches it (a render hook), so a value a
renderer forgot to :func:`~stateward.report.terminal.escape` cannot reach the terminal.
"""

from __future__ import annotations

import errno
import sys
from contextlib import AbstractContextManager
from typing import Any

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.errors import MarkupError
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from stateward.report.output import Report, dispatch
from stateward.report.progress import Ticker, progress_bar
from stateward.report.terminal import (
    UNSAFE_BUT_NEWLINE,
    Diagnostic,
    Document,
    Rendered,
    visible,
)

__all__ = ["emit", "err", "out", "progress", "show"]


class _Escaped:
    """A renderable whose text segments can hold no terminal control character (the safety net
    for text that skipped ``escape``; rich's own line breaks and style codes are kept)."""

    def __init__(self, inner: ConsoleRenderable) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control or not UNSAFE_BUT_NEWLINE.search(segment.text):
                yield segment
            else:
                text = UNSAFE_BUT_NEWLINE.sub(visible, segment.text)
                yield Segment(text, segment.style)


class _EscapeHook(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Escaped(renderable) for renderable in renderables]


class _Console(Console):
    """A console on which a forgotten ``escape`` cannot crash a report either: text whose
    brackets are not valid markup (a hostile name such as ``[/]``) is shown as it is."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # rich reads COLUMNS once, here; unset, it asks the terminal (then COLUMNS) per print
        self._width = self._height = None

    def draw(self, item: str | ConsoleRenderable) -> None:
        """Print a line or a table; off a terminal, no table cell is folded inside a word."""
        if self.is_terminal or not isinstance(item, Table):
            self.print(item)
            return
        options = self.options.update_width(1 << 16)  # a word's own width, not capped by ours
        for column in item.columns:
            cells = [column.header, *column.cells]
            column.min_width = max(Measurement.get(self, options, c).minimum for c in cells)
        self.print(item, crop=False)

    def on_broken_pipe(self) -> None:
        """The reader left: the caller's to handle. rich would exit with 1, which here means
        "changes found"; the command line's default SIGPIPE ends it before this, quietly, and
        ``watch``, which ignores SIGPIPE, stops (cli/watch.py)."""
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "the reader of standard output left")

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """The text as markup, or as plain text when it is not valid markup."""
        try:
            return super().render_str(text, **kwargs)
        except MarkupError:
            return super().render_str(text, **{**kwargs, "markup": False})


err = _Console(stderr=True, highlight=False, soft_wrap=True)
err.push_render_hook(_EscapeHook())
out = _Console(highlight=False, soft_wrap=True)
out.push_render_hook(_EscapeHook())


def show(rendered: Rendered) -> None:
    """Print a renderer's lines, tables and documents in order: diagnostics on stderr, the
    rest on stdout."""
    for item in rendered:
        if isinstance(item, Document):
            sys.stdout.writelines([item.text] if isinstance(item.text, str) else item.text)
        else:
            (err if isinstance(item, Diagnostic) else out).draw(item)


def emit(output: str, report: Report) -> None:
    """Show ``report`` in format ``output`` (``-o``): the human report, or its document on
    stdout and its diagnostics on stderr."""
    show(dispatch(output, report))


def progress(label: str) -> AbstractContextManager[Ticker]:
    """A transient progress bar on stderr, only when stderr is an interactive terminal."""
    return progress_bar(err, label)
