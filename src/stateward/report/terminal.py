"""Text a terminal can show safely, and the building blocks of every human report.

With :mod:`stateward.cli.console` this is the only module that imports rich (ruff's banned-api
rule): renderers build their tables here and return them with markup strings; the caller decides
where they go. Names, paths and engine replies are attacker-chosen text. Printed raw, ``ESC [``
sequences recolour or clear the screen, OSC sequences retitle the window or plant hyperlinks, a
newline forges a report line and U+202E reverses what follows (Trojan Source, CVE-2021-42574). So
every value goes through :func:`escape`, which shows such characters as Python-style escapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from rich.console import ConsoleRenderable
from rich.markup import escape as _escape_markup
from rich.table import Table

from stateward.report.indented import indented_pieces

__all__ = [
    "ROWS",
    "UNSAFE_BUT_NEWLINE",
    "Diagnostic",
    "Document",
    "Renderable",
    "Rendered",
    "Table",
    "escape",
    "json_pieces",
    "json_text",
    "listed",
    "printable",
    "table",
    "visible",
]


@dataclass(frozen=True, slots=True)
class Document:
    """Machine-readable text (a JSON document, a signed note), written to stdout as it is, or
    piece by piece as the pieces are made."""

    text: str | Iterable[str]


Renderable = str | ConsoleRenderable | Document
"""A line of console markup, a table, or a document."""
Rendered = Iterable[Renderable]
"""What a human renderer returns: its lines and tables in order, drawn only when shown."""


class Diagnostic(str):
    """A line about the run rather than its result (an error, a warning): it goes to stderr,
    also when the result is a document on stdout."""

    __slots__ = ()


ROWS = 50
"""Rows a human table lists before it summarises the rest (``--all`` lists every one): what a
person reads of a large estate, and drawing 20,000 rows is most of what a large scan costs."""

# C0 controls and DEL, C1 controls (ECMA-48 §5: 0x9B is a one-byte CSI), the Unicode bidirectional
# formatting characters (UAX #9 §2: ALM, LRM/RLM, LRE..RLO, LRI..PDI), line/paragraph separators,
# zero-width and invisible format characters, and lone surrogates (undecodable bytes of a file name
# under surrogateescape, which would also fail to encode on output).
_C1 = "\x7f-\x9f"
_INVISIBLE = "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb"
_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f{_C1}{_INVISIBLE}{_SURROGATES}]")
UNSAFE_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f{_C1}{_INVISIBLE}{_SURROGATES}]")
"""What no segment a console writes may hold (rich's own line breaks are kept)."""
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(match: re.Match[str]) -> str:
    """The escape shown for one unsafe character."""
    char = match.group()
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(value: object) -> str:
    """``value`` as text with every control, bidi and invisible character shown as an escape."""
    return _UNSAFE.sub(visible, str(value))


def escape(value: object) -> str:
    """``value`` safe to interpolate into console markup: printable, and markup taken literally."""
    return _escape_markup(printable(value))


# JSON escapes C0 itself (RFC 8259 §7); C1, bidi and the rest are escaped too, so a document shown
# on a terminal is as safe as human output, and it still parses to the same values.
_UNSAFE_IN_JSON = re.compile(f"[{_C1}{_INVISIBLE}{_SURROGATES}]")


def json_text(document: Any) -> str:
    """One JSON document as text (stable key order, UTF-8, a final newline)."""
    return "".join(json_pieces(document))


def json_pieces(document: Any) -> Iterator[str]:
    """:func:`json_text` in pieces of about 256 KB, each made as the one before is written:
    the text of a large estate's document (30 MB at 20k objects) is never held whole."""
    batch: list[str] = []
    size = 0
    for piece in indented_pieces(document):
        batch.append(piece)
        size += len(piece)
        if size >= _BATCH:
            yield _escaped_json("".join(batch))
            batch, size = [], 0
    yield _escaped_json("".join(batch)) + "\n"


def _escaped_json(text: str) -> str:
    if text.isascii() and "\x7f" not in text:  # isascii is a flag of the string: no scan
        return text
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_BATCH = 1 << 18
"""Characters of text joined per write."""


def table(*columns: str, title: str | None = None) -> Table:
    """A plain table for human reports."""
    out = Table(title=title, show_edge=False, header_style="bold")
    for column in columns:
        out.add_column(column, overflow="fold")
    return out


T = TypeVar("T")


def listed(items: Sequence[T], limit: int | None, noun: str) -> tuple[Sequence[T], Iterator[str]]:
    """The first ``limit`` of ``items`` (all when None) and the line that says how many more
    there are: a report shows a summary of a large estate, ``--all`` or ``-o json`` the rest."""
    hidden = 0 if limit is None else max(0, len(items) - limit)
    shown = items[: len(items) - hidden]
    more = iter([f"[dim]… {hidden} more {noun} (--all lists them; -o json has every one)[/]"])
    return shown, more if hidden else iter(())
