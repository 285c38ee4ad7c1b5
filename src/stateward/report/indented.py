"""A document as indented JSON text, byte for byte the text of
``json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, default=str)``, made by
orjson's C encoder.

The standard library indents in pure Python: its C encoder writes only compact text, so
``indent=2`` takes the Python one (``JSONEncoder.iterencode`` uses ``c_make_encoder`` only when
``self.indent is None``,
https://github.com/python/cpython/blob/v3.11.7/Lib/json/encoder.py#L246-L257): ~7 million calls,
0.6 CPU s, for the 30 MB document of a 20,000-object scan; 0.1 s here. orjson's
``OPT_INDENT_2 | OPT_SORT_KEYS`` writes the same text (two spaces, ``": "``, sorted keys,
``[]``/``{}`` for empty containers, the same escapes and raw non-ASCII;
https://github.com/ijl/orjson/blob/3.13.0/README.md#opt_indent_2), with three differences
handled here:

- what orjson refuses, the standard library writes: keys that are not ``str``, integers past
  64 bits, lone surrogates (undecodable file names), nesting past 254 levels. Such a value is
  written by the standard library's encoder instead, where it is met;
- floats of magnitude 1e-10 to 1e-4: orjson writes ``1.5e-7`` and ``0.00002`` where Python's
  ``repr`` writes ``1.5e-07`` and ``2e-05``, the same numbers; they are rewritten as ``repr``
  writes them;
- NaN and the infinities, which JSON cannot hold (RFC 8259 §6): the standard library writes the
  non-JSON tokens ``NaN`` and ``Infinity``, orjson writes ``null``. No document holds one.

Dataclasses and dates go to ``default`` (``str``) as in the standard library
(``OPT_PASSTHROUGH_DATACLASS``, ``OPT_PASSTHROUGH_DATETIME``); ``StrEnum`` and ``IntEnum``
members are written as their values by both. A large container (a scan's thousands of
components) is written a slice of members at a time, so the text is made, and can be written,
in pieces: never the whole 30 MB at once. A :class:`~stateward.model.streamed.Streamed` list is
written so too, its members made a slice at a time: they are never all held either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import orjson

from stateward.model.streamed import Streamed, json_default

__all__ = ["indented_pieces"]

_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)
_SLICE = 128
"""Members of a larger container are written this many at a time (one orjson call each)."""
_SPLIT_ABOVE = 2
"""Containers of the first levels are written member by member (a document's few keys over its
large lists), so that no piece holds more than a slice of a large list."""
# orjson's float tokens that Python's repr writes otherwise: 1e-6..1e-9 with a one-digit
# exponent (repr: e-06) and 1e-5..1e-4 written out (0.00002; repr: 2e-05). The token is rewritten
# only after a key's ": " or an item's indent and before "," or the line end: a string cannot
# hold a raw newline, so a token inside one is never followed by it.
_SHORT_EXPONENT = re.compile(r"e-[1-9](?![0-9])")
_FLOAT_TOKEN = re.compile(r'(?m)(^ *|": )(-?[0-9][0-9.]*e-[0-9]+|-?0\.0000[0-9]+)(?=,?$)')


def indented_pieces(document: Any) -> Iterator[str]:
    """The indented JSON text of ``document`` in pieces (no final newline)."""
    return _pieces(document, "\n", 0)


def _pieces(value: Any, newline: str, depth: int) -> Iterator[str]:
    if isinstance(value, Streamed) and value:
        yield from _slices(value, newline)  # whatever its length: each slice made as written
    elif not (isinstance(value, dict | list | tuple) and value):  # empty: orjson's {} and []
        yield _member(value, newline)
    elif isinstance(value, dict) and not all(type(key) is str for key in value):
        yield _member(value, newline)  # keys only the standard library writes
    elif len(value) > _SLICE:
        yield from _slices(value, newline)
    elif depth < _SPLIT_ABOVE:
        yield from _members(value, newline, depth)
    else:
        yield _member(value, newline)


def _members(
    value: dict[str, Any] | list[Any] | tuple[Any, ...], newline: str, depth: int
) -> Iterator[str]:
    inner, separator = newline + "  ", "{" if isinstance(value, dict) else "["
    if isinstance(value, dict):
        for key, member in sorted(value.items()):
            yield separator + inner + _member(key, inner) + ": "
            yield from _pieces(member, inner, depth + 1)
            separator = ","
    else:
        for member in value:
            yield separator + inner
            yield from _pieces(member, inner, depth + 1)
            separator = ","
    yield newline + ("}" if isinstance(value, dict) else "]")


def _slices(
    value: dict[str, Any] | list[Any] | tuple[Any, ...] | Streamed[Any], newline: str
) -> Iterator[str]:
    """``value`` written :data:`_SLICE` members at a time: each slice's own text less its
    brackets, which open at its first member's line and close on a line of their own."""
    items = sorted(value.items()) if isinstance(value, dict) else value
    separator = "{" if isinstance(value, dict) else "["
    for start in range(0, len(items), _SLICE):
        part = items[start : start + _SLICE]
        text = _member(dict(part) if isinstance(value, dict) else part, newline)
        yield separator + text[1 : -len(newline) - 1]
        separator = ","
    yield newline + ("}" if isinstance(value, dict) else "]")


def _member(value: Any, newline: str) -> str:
    """``value`` alone as indented text, each line after the first starting at ``newline``."""
    try:
        text = orjson.dumps(value, default=json_default, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError is one: a value only the standard library writes
        text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=json_default)
    else:
        if _SHORT_EXPONENT.search(text) or "0.0000" in text:
            text = _FLOAT_TOKEN.sub(lambda m: m.group(1) + repr(float(m.group(2))), text)
    return text if newline == "\n" else text.replace("\n", newline)
