"""YAML and JSON documents with their line numbers, through PyYAML's C parser.

Differences from ``yaml.safe_load_all``, each deliberate:
- plain scalars resolve as the consumer's Go reader resolves them (:mod:`.goyaml`): ``22:22`` and
  ``=`` are strings, ``yes`` is a boolean for kubectl and a string for Compose;
- mapping keys are strings named as the consumer names them: as written for Compose, as
  sigs.k8s.io/yaml writes them into JSON for kubectl (``on:`` is ``"true"``, ``0x10:`` is
  ``"16"``), so canonical JSON is always possible;
- a duplicate key is reported (the later value wins, as in Go's yaml.v2 ``Unmarshal``);
- each document carries the line it starts on, and the line of each non-string value, so errors
  can say ``file:line``;
- a broken document does not lose its neighbours: the stream is re-read document by document;
- aliases may not expand a document past a count of values or of bytes ("billion laughs").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from stateward.sources.goyaml import BOOL, COMPOSE, FLOAT, INT, KUBERNETES, NULL, Schema
from stateward.sources.yamldocument import MAX_DEPTH, MAX_LINES, Document, Where
from stateward.sources.yamlevents import built_from_events

__all__ = ["MAX_EXPANDED", "Document", "DocumentError", "read_documents"]

MAX_EXPANDED = 2_000_000
"""Values a document may expand to through aliases ("billion laughs" guard)."""
MAX_ALIASED_BYTES = 16 * 1024 * 1024
"""Bytes of scalar text aliases may add to a document beyond the text itself: every later copy
(canonical JSON, interpolation) is of the expanded size, so it is bounded, not just the count."""


@dataclass(slots=True)
class DocumentError:
    """A document that could not be parsed: its line and a one-line reason."""

    line: int
    reason: str


class _Loader(yaml.CSafeLoader):
    duplicates: list[tuple[str, int]]
    lines: dict[Where, int]
    shadowed: list[Any]
    schema: Schema = KUBERNETES
    depth: int = 0

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            if len(value) <= _CACHED_LENGTH:  # keys and short values repeat: resolve them once
                return _cached_tag(self.schema, value)
            return self.schema.resolve(value)[0]
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    def construct_go_scalar(self, node: Node) -> Any:
        """A plain or explicitly tagged scalar, decoded as go-yaml's ``resolve`` does."""
        if not isinstance(node, ScalarNode):
            self.construct_unsupported(node)
        tag, value = self.schema.resolve(node.value)
        if tag == node.tag:
            return value
        if node.tag == FLOAT and tag == INT:
            return float(value)
        raise yaml.constructor.ConstructorError(
            None, None, f"cannot decode {node.value!r} as {node.tag.rsplit(':', 1)[1]}",
            node.start_mark,
        )  # fmt: skip

    def construct_binary(self, node: ScalarNode) -> str:
        """``!!binary`` as go-yaml decodes it into ``interface{}``: the decoded bytes as a string."""
        raw: bytes = self.construct_yaml_binary(node)
        return raw.decode("utf-8", "replace")

    def construct_unsupported(self, node: Node) -> NoReturn:
        raise yaml.constructor.ConstructorError(
            None, None, f"tag {node.tag} is not supported here", node.start_mark
        )

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        # An explicit !!map (or !!set) on a scalar or a list reaches here too.
        if not isinstance(node, MappingNode):
            self.construct_unsupported(node)
        self.flatten_mapping(node)
        out: dict[str, Any] = {}
        self._enter()
        for key_node, value_node in node.value:
            key = _key_text(self, key_node)
            if key in out:
                self.duplicates.append((key, key_node.start_mark.line + 1))
                self.shadowed.append(out[key])
            out[key] = self._child(out, key, value_node)
        self.depth -= 1
        return out

    def construct_list(self, node: SequenceNode) -> list[Any]:
        # Built eagerly (PyYAML defers lists through generators) so that nesting is counted
        # and a list that contains itself fails as "recursive node" instead of looping.
        self._enter()
        out: list[Any] = []
        for index, child in enumerate(node.value):
            out.append(self._child(out, index, child))
        self.depth -= 1
        return out

    def _child(self, parent: Any, key: Any, node: Node) -> Any:
        value = self.construct_object(node, deep=True)
        if len(self.lines) < MAX_LINES and (
            not isinstance(value, str | dict | list | None)
            or (self.depth == 2 and isinstance(parent, list) and isinstance(value, dict | list))
        ):
            self.lines[(id(parent), key)] = node.start_mark.line + 1
        return value

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _ShapeError(f"nesting deeper than {MAX_DEPTH} levels")


_CACHED_LENGTH = 64


@functools.lru_cache(maxsize=16384)
def _cached_tag(schema: Schema, text: str) -> str:
    return schema.resolve(text)[0]


class _ComposeLoader(_Loader):
    schema = COMPOSE


def _key_text(loader: _Loader, node: Node) -> str:
    if isinstance(node, ScalarNode):
        key = loader.schema.key(node.value) if not node.style else node.value  # "" or None: plain
        if key is not None:
            return str(key)
        problem = "a null mapping key (kubectl refuses it)"
    else:
        problem = "a mapping key must be a plain value, not a list or map"
    raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


for _tag in (BOOL, FLOAT, INT, NULL):
    _Loader.add_constructor(_tag, _Loader.construct_go_scalar)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)  # type: ignore[type-var]
_Loader.add_constructor("tag:yaml.org,2002:binary", _Loader.construct_binary)
for _tag in ("set", "omap", "pairs"):  # no JSON form, and no Go reader of ours makes one
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_unsupported)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_list)

_DOC_START = re.compile(r"^---", re.MULTILINE)


def _has_alias(text: str) -> bool:
    """True when ``text`` holds a ``*name`` alias token (YAML 1.1 §7.1): a ``*`` after space or
    a flow indicator and before a name. A plain ``find`` loop: ``*`` is rare, and a regex with
    a leading alternation costs 30 ms on a 1 MB file."""
    at = text.find("*")
    while at != -1:
        before = text[at - 1] if at else "\n"
        after = text[at + 1 : at + 2]
        if before in " \t\r\n[{," and after and after not in " \t\r\n,[]{}":
            return True
        at = text.find("*", at + 1)
    return False


def read_documents(text: str, schema: Schema = KUBERNETES) -> Iterator[Document | DocumentError]:
    """Every document of a YAML (or JSON) stream, or an error for each that cannot be parsed;
    plain scalars resolve as ``schema``'s consumer resolves them."""
    # Alias-free text in the common shapes is built from the parser's events (.yamlevents);
    # the rest, and any text it gives up on, is composed into nodes and constructed here.
    built = None if _has_alias(text) else built_from_events(text, schema)
    if built is not None:
        yield from built
        return
    yield from composed_documents(text, schema)


def composed_documents(text: str, schema: Schema) -> Iterator[Document | DocumentError]:
    """:func:`read_documents` the general way: PyYAML's composer and our constructor, for every
    shape (the fast path's reference, tests/sources/test_yamlevents.py)."""
    loader = _ComposeLoader if schema is COMPOSE else _Loader
    try:
        yield from list(_load(loader, text, 0))
    except (yaml.YAMLError, _ShapeError, RecursionError):
        yield from _load_separately(loader, text)


def _load(loader_class: type[_Loader], text: str, line_offset: int) -> Iterator[Document]:
    loader = loader_class(text)
    # Alias bombs need aliases; without an alias token the walk is skipped. Depth and cycles
    # are caught while constructing.
    may_alias = _has_alias(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            assert node is not None, "bad math: check_node promised a node"
            loader.duplicates, loader.lines, loader.shadowed, loader.depth = [], {}, [], 0
            if may_alias:
                _check_shape(node, len(text) + MAX_ALIASED_BYTES)
            data = loader.construct_document(node)
            dups = [(key, line + line_offset) for key, line in loader.duplicates]
            lines = {where: line + line_offset for where, line in loader.lines.items()}
            start = node.start_mark.line + 1 + line_offset
            yield Document(data, start, dups, lines, loader.shadowed)
    finally:
        loader.dispose()


def _load_separately(loader: type[_Loader], text: str) -> Iterator[Document | DocumentError]:
    starts = [0] + [m.start() for m in _DOC_START.finditer(text) if m.start() > 0]
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        offset = text.count("\n", 0, begin)
        chunk = text[begin:end]
        try:
            yield from list(_load(loader, chunk, offset))
        except yaml.YAMLError as exc:
            yield DocumentError(*_describe(exc, chunk, offset))
        except _ShapeError as exc:
            yield DocumentError(offset + 1, str(exc))
        except RecursionError:
            yield DocumentError(offset + 1, f"nesting deeper than {MAX_DEPTH} levels")


class _ShapeError(Exception):
    """A document whose shape we refuse: too deep, cyclic, or an alias bomb."""


def _check_shape(root: Node, max_bytes: int) -> None:
    """Refuse cycles, nesting past MAX_DEPTH and alias bombs: expanded past MAX_EXPANDED values
    or ``max_bytes`` bytes of scalar text."""
    sizes: dict[int, tuple[int, int]] = {}
    busy = (-1, -1)

    def size(node: Node, depth: int) -> tuple[int, int]:
        if depth > MAX_DEPTH:
            raise _ShapeError(f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, ScalarNode):
            return 1, len(node.value)
        known = sizes.get(id(node))
        if known is busy:
            raise _ShapeError("cyclic alias (a document that contains itself)")
        if known is not None:
            return known
        sizes[id(node)] = busy
        children = [v for _, v in node.value] if isinstance(node, MappingNode) else node.value
        count, length = 1, 0
        for child in children:
            child_count, child_length = size(child, depth + 1)
            count, length = count + child_count, length + child_length
        if count > MAX_EXPANDED:
            raise _ShapeError(f"aliases expand to more than {MAX_EXPANDED} values")
        if length > max_bytes:
            raise _ShapeError(f"aliases expand to more than {max_bytes >> 20} MiB of text")
        sizes[id(node)] = (count, length)
        return count, length

    size(root, 1)


def _describe(exc: yaml.YAMLError, text: str, offset: int) -> tuple[int, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line = offset + mark.line + 1
    elif isinstance(exc, yaml.reader.ReaderError):
        # libyaml reports a bad character by its byte offset in the UTF-8 text.
        line = offset + text.encode("utf-8", "surrogatepass")[: exc.position].count(b"\n") + 1
    else:
        line = offset + 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    reason = f"{context}: {problem}" if context else str(problem)
    return line, f"invalid YAML: {reason}"
