"""A document as YAML text in pieces, byte for byte the text of
``yaml.dump(plain, Dumper=CSafeDumper, sort_keys=True, allow_unicode=False, explicit_start=True,
default_flow_style=False, width=1 << 16)`` where ``plain`` is the document's JSON values
(``json.loads(json.dumps(document, default=str))``).

``yaml.dump`` represents the whole document as a tree of nodes and then emits it: for a large
estate's scan, a node, a tag and a value string for each of millions of fields, on top of the
document's own dicts. Here the emitter is fed its events one value at a time instead: each
member of a long list is turned into plain values, represented and emitted, and let go before the
next is made; what the emitter wrote is handed on a slice of members at a time.

The events are those PyYAML's serializer makes of each node, without anchors (JSON values share
no containers): ``Serializer.serialize_node``,
https://github.com/yaml/pyyaml/blob/6.0.3/lib/yaml/serializer.py#L76-L110, which the C
emitter's own ``_serialize_node`` matches (``yaml/_yaml.pyx``, same tag).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from stateward.model.streamed import Streamed, json_default

__all__ = ["yaml_pieces"]

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_SLICE = 128
"""Members of a streamed list emitted before what was written is handed on."""


def yaml_pieces(document: Any) -> Iterator[str]:
    """The YAML text of ``document`` (one document, ``---`` first) in pieces."""
    out = io.StringIO()
    dumper = _DUMPER(
        out, sort_keys=True, allow_unicode=False, explicit_start=True,
        default_flow_style=False, width=1 << 16,
    )  # fmt: skip
    dumper.open()
    dumper.emit(DocumentStartEvent(explicit=True))
    for emitted in _emitted(dumper, document):
        for event in emitted:
            dumper.emit(event)
        yield _taken(out)
    dumper.emit(DocumentEndEvent(explicit=False))
    dumper.close()
    yield _taken(out)


def _emitted(dumper: Any, value: Any) -> Iterator[Iterator[Event]]:
    """The events of ``value`` in batches: a streamed list's a slice of members at a time, the
    keys of a mapping holding one around it, anything else at once."""
    if isinstance(value, Streamed) and value:
        yield iter([SequenceStartEvent(None, "tag:yaml.org,2002:seq", True, flow_style=False)])
        for start in range(0, len(value), _SLICE):
            yield _events(dumper, _plain(value[start : start + _SLICE]), members=True)
        yield iter([SequenceEndEvent()])
    elif isinstance(value, dict) and any(isinstance(v, Streamed) for v in value.values()):
        yield iter([MappingStartEvent(None, "tag:yaml.org,2002:map", True, flow_style=False)])
        for key in sorted(value):
            yield _events(dumper, _plain(key))
            yield from _emitted(dumper, value[key])
        yield iter([MappingEndEvent()])
    else:
        yield _events(dumper, _plain(value))


def _plain(value: Any) -> Any:
    """``value`` as the JSON values it is written as (tuples as lists, enums and dates as text)."""
    return json.loads(json.dumps(value, default=json_default))


def _events(dumper: Any, value: Any, *, members: bool = False) -> Iterator[Event]:
    """The events of ``value``, represented as the dumper represents it; with ``members``, of
    each of its members (a slice of a list) but not of the list itself."""
    node: Node = dumper.represent_data(value)
    dumper.represented_objects, dumper.object_keeper = {}, []  # as Representer.represent does
    nodes = node.value if members else [node]
    for each in nodes:
        yield from _node_events(dumper, each)


def _node_events(dumper: Any, node: Node) -> Iterator[Event]:
    if isinstance(node, ScalarNode):
        detected = dumper.resolve(ScalarNode, node.value, (True, False))
        default = dumper.resolve(ScalarNode, node.value, (False, True))
        implicit = (node.tag == detected, node.tag == default)
        yield ScalarEvent(None, node.tag, implicit, node.value, style=node.style)
    elif isinstance(node, SequenceNode):
        implicit = node.tag == dumper.resolve(SequenceNode, node.value, True)
        yield SequenceStartEvent(None, node.tag, implicit, flow_style=node.flow_style)
        for item in node.value:
            yield from _node_events(dumper, item)
        yield SequenceEndEvent()
    else:
        assert isinstance(node, MappingNode), f"bad math: a {type(node).__name__} represented"
        implicit = node.tag == dumper.resolve(MappingNode, node.value, True)
        yield MappingStartEvent(None, node.tag, implicit, flow_style=node.flow_style)
        for key, item in node.value:
            yield from _node_events(dumper, key)
            yield from _node_events(dumper, item)
        yield MappingEndEvent()


def _taken(out: io.StringIO) -> str:
    """What the emitter wrote since the last call (the C emitter writes when its buffer fills,
    so this may be empty), and let go of."""
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text
