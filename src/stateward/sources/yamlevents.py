"""YAML documents built straight from the C parser's events: the common shapes, on a fast path.

What a scan reads is nearly always plain block mappings and sequences of untagged scalars.
:mod:`.yamldocs` builds every document the general way (PyYAML's composer makes a node tree,
calling back into Python four times a node, then a constructor walks the tree again); this
builds the same values in one loop over libyaml's events, with about 40 % less CPU (less than
PyYAML's own ``CSafeLoader`` takes). Whatever is not common here (an anchor or alias, an
explicit tag, a plain ``<<`` as a merge key or a value, a key that is a list, a map or null,
a NaN or an infinity, nesting past the limit, a parse error) gives up on the whole text, and
:mod:`.yamldocs` reads it the general way: every answer is that path's answer, which the tests
check on generated documents (tests/sources/test_yamlevents.py).
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from stateward.sources.goyaml import MERGE, Schema
from stateward.sources.yamldocument import MAX_DEPTH, MAX_LINES, Document

__all__ = ["built_from_events"]

_NO_KEY = object()
"""The mapping being built waits for a key, not a value."""
_CACHED_LENGTH = 64
"""Keys and short values repeat across objects (``name``, ``true``, ``80``): resolved once."""


class _Uncommon(Exception):
    """Something this path leaves to the general one."""


def built_from_events(text: str, schema: Schema) -> list[Document] | None:
    """Every document of ``text`` as :mod:`.yamldocs` reads it, or None when ``text`` holds
    anything but the common shapes (the general path then reads it, errors included)."""
    parser = yaml.CSafeLoader(text)
    try:
        return _documents(parser.get_event, schema)
    except (_Uncommon, yaml.YAMLError):
        return None
    finally:
        parser.dispose()


def _documents(next_event: Any, schema: Schema) -> list[Document]:
    documents: list[Document] = []
    while True:
        event = next_event()
        kind = event.__class__
        if kind is DocumentStartEvent:
            documents.append(_document(next_event, schema))
        elif kind is StreamEndEvent:
            return documents
        elif kind is not StreamStartEvent:
            raise AssertionError(f"bad math: {kind.__name__} between documents")


def _document(next_event: Any, schema: Schema) -> Document:
    """One document, from the event after its start to its end. One loop, no call a node for
    the common cases: this is the hot path of every scan (a function per node cost a third
    more)."""
    value_of = functools.partial(_value, schema)
    key_of = functools.partial(_key, schema)
    root: list[Any] = []
    node: Any = root  # the container being filled
    is_map = False
    key: Any = _NO_KEY
    key_event: Any = None
    outer: list[tuple[Any, bool]] = []  # the containers around ``node``, and their kinds
    duplicates: list[tuple[str, int]] = []
    lines: dict[tuple[int, Any], int] = {}
    shadowed: list[Any] = []
    first = next_event()
    for event in itertools.chain((first,), iter(next_event, None)):
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Uncommon
            text = event.value
            if is_map and key is _NO_KEY:
                key = text if event.style else key_of(text)
                key_event = event
                continue
            value = value_of(text) if not event.style else text
            if is_map:
                if key in node:
                    duplicates.append((key, key_event.start_mark.line + 1))
                    shadowed.append(node[key])
                node[key] = value
                where = key
                key = _NO_KEY
            else:
                where = len(node)
                node.append(value)
            if value is not None and value.__class__ is not str and outer:
                if len(lines) < MAX_LINES:
                    lines[(id(node), where)] = event.start_mark.line + 1
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or len(outer) >= MAX_DEPTH:
                raise _Uncommon
            child: Any = {} if kind is MappingStartEvent else []
            if is_map:
                if key is _NO_KEY:
                    raise _Uncommon  # a list or a map as a key
                if key in node:
                    duplicates.append((key, key_event.start_mark.line + 1))
                    shadowed.append(node[key])
                node[key] = child
            else:
                node.append(child)
                if len(outer) == 2 and len(lines) < MAX_LINES:
                    lines[(id(node), len(node) - 1)] = event.start_mark.line + 1
            outer.append((node, is_map))
            node, is_map, key = child, kind is MappingStartEvent, _NO_KEY
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            node, is_map = outer.pop()
            key = _NO_KEY
        elif kind is DocumentEndEvent:
            line = first.start_mark.line + 1
            return Document(root[0], line, duplicates, lines, shadowed, finite=True)
        else:
            raise _Uncommon  # an alias
    raise AssertionError("bad math: the events ended inside a document")


def _value(schema: Schema, text: str) -> Any:
    """A plain scalar's value as the schema resolves it."""
    if len(text) <= _CACHED_LENGTH:
        return _cached_value(schema, text)
    return _resolved(schema, text)


@functools.lru_cache(maxsize=16384)
def _cached_value(schema: Schema, text: str) -> Any:
    return _resolved(schema, text)


def _resolved(schema: Schema, text: str) -> Any:
    tag, value = schema.resolve(text)
    if tag == MERGE:
        raise _Uncommon  # a plain ``<<`` value: PyYAML has no constructor for it, an error
    if value.__class__ is float and not math.isfinite(value):
        raise _Uncommon  # ``.nan``, ``.inf``: the documents built here are finite (Document)
    return value


def _key(schema: Schema, text: str) -> str:
    """A plain key as :func:`.yamldocs._key_text` names it; a merge or a null key is left to
    the general path."""
    return _cached_key(schema, text) if len(text) <= _CACHED_LENGTH else _named(schema, text)


@functools.lru_cache(maxsize=16384)
def _cached_key(schema: Schema, text: str) -> str:
    return _named(schema, text)


def _named(schema: Schema, text: str) -> str:
    if schema.resolve(text)[0] == MERGE:
        raise _Uncommon
    key = schema.key(text)
    if key is None:
        raise _Uncommon
    return str(key)
