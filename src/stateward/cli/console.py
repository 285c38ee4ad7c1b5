"""The only module that imports rich (enforced by ruff's banned-api rule).

Human output and progress go to stderr; machine output (``--json``) goes to stdout. rich already
honours NO_COLOR, FORCE_COLOR and non-TTY streams, so nothing here forces a terminal. Tracebacks
are never rendered with local variables: observations hold secret digests and user data.

Names, paths and engine replies are attacker-chosen text. Printed raw, ``ESC [`` sequences recolour
or clear the screen, OSC sequences retitle the window or plant hyperlinks, a newline forges a
report line and U+202E reverses what follows (Trojan Source, CVE-2021-42574). So every value goes
through :func:`escape`, which shows such characters as Python-style escapes, and the console itself
escapes any that still reach it (a render hook), so a forgotten ``escape`` cannot reach the terminal.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.errors import MarkupError
from rich.markup import escape as _escape_markup
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

__all__ = ["err", "escape", "emit_json", "printable", "progress", "table", "Table"]

# C0 controls and DEL, C1 controls (ECMA-48 §5: 0x9B is a one-byte CSI), the Unicode bidirectional
# formatting characters (UAX #9 §2: ALM, LRM/RLM, LRE..RLO, LRI..PDI), line/paragraph separators,
# zero-width and invisible format characters, and lone surrogates (undecodable bytes of a file name
# under surrogateescape, which would also fail to encode on output).
_C1 = "\x7f-\x9f"
_INVISIBLE = "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb"
_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f{_C1}{_INVISIBLE}{_SURROGATES}]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f{_C1}{_INVISIBLE}{_SURROGATES}]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(value: object) -> str:
    """``value`` as text with every control, bidi and invisible character shown as an escape."""
    return _UNSAFE.sub(_visible, str(value))


def escape(value: object) -> str:
    """``value`` safe to interpolate into console markup: printable, and markup taken literally."""
    return _escape_markup(printable(value))


class _Escaped:
    """A renderable whose text segments can hold no terminal control character (the safety net
    for text that skipped :func:`escape`; rich's own line breaks and style codes are kept)."""

    def __init__(self, inner: ConsoleRenderable) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control or not _UNSAFE_BUT_NEWLINE.search(segment.text):
                yield segment
            else:
                text = _UNSAFE_BUT_NEWLINE.sub(_visible, segment.text)
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

# JSON escapes C0 itself (RFC 8259 §7); C1, bidi and the rest are escaped too, so a document shown
# on a terminal is as safe as human output, and it still parses to the same values.
_UNSAFE_IN_JSON = re.compile(f"[{_C1}{_INVISIBLE}{_SURROGATES}]")


def emit_json(document: Any) -> None:
    """Write one JSON document to stdout (stable key order, UTF-8)."""
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    sys.stdout.write(_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


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
