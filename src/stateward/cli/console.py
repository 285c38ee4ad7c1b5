"""Where the CLI's output goes: human reports and progress to stderr, ``--json`` to stdout.

With :mod:`stateward.report.terminal` and :mod:`stateward.report.progress` the only modules
that import rich (ruff's banned-api rule).
rich already honours NO_COLOR, FORCE_COLOR and non-TTY streams, so nothing here forces a terminal.
Tracebacks are never rendered with local variables: observations hold secret digests and user data.
The console escapes any control character that still reaches it (a render hook), so a value a
renderer forgot to :func:`~stateward.report.terminal.escape` cannot reach the terminal.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import Any

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.errors import MarkupError
from rich.segment import Segment
from rich.text import Text

from stateward.report.progress import Ticker, progress_bar
from stateward.report.terminal import UNSAFE_BUT_NEWLINE, Rendered, json_text, visible

__all__ = ["emit_json", "err", "progress", "show"]


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

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """The text as markup, or as plain text when it is not valid markup."""
        try:
            return super().render_str(text, **kwargs)
        except MarkupError:
            return super().render_str(text, **{**kwargs, "markup": False})


err = _Console(stderr=True, highlight=False, soft_wrap=True)
err.push_render_hook(_EscapeHook())


def show(rendered: Rendered, *, tables: bool = True) -> None:
    """Print a renderer's lines and tables on stderr, in order. Without ``tables`` (a command
    writing ``--json``, whose document holds every row) only the lines are printed: measuring
    a table of thousands of rows for its column widths is most of the time a large scan takes."""
    for item in rendered:
        if tables or isinstance(item, str):
            err.print(item)


def emit_json(document: Any) -> None:
    """Write one JSON document to stdout (stable key order, UTF-8)."""
    sys.stdout.write(json_text(document))


def progress(label: str) -> AbstractContextManager[Ticker]:
    """A transient progress bar on stderr, only when stderr is an interactive terminal."""
    return progress_bar(err, label)
