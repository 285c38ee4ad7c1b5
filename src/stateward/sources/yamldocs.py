"""YAML and JSON documents with their line numbers, through PyYAML's C parser.

Differences from ``yaml.safe_load_all``, each deliberate:
- timestamps stay strings (Kubernetes and Compose read ``2024-01-01`` as a string);
- mapping keys keep their source text (``on:`` stays ``"on"``, ``80:`` stays ``"80"``), so every key
  is a string and canonical JSON is always possible;
- a duplicate key is reported (the later value wins, as in Go's yaml.v2 ``Unmarshal``);
- each document carries the line it starts on, so errors can say ``file:line``;
- a broken document does not lose its neighbours: the stream is re-read document by document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["Document", "DocumentError", "read_documents"]

MAX_DEPTH = 100
"""Deeper nesting is refused: no real manifest needs it and it guards the recursion limit."""
MAX_EXPANDED = 2_000_000
"""Values a document may expand to through aliases ("billion laughs" guard)."""


@dataclass(slots=True)
class Document:
    """One parsed document, the line (1-based) it starts on, and duplicate keys met in it."""

    data: Any
    line: int
    duplicates: list[tuple[str, int]] = field(default_factory=list)


@dataclass(slots=True)
class DocumentError:
    """A document that could not be parsed: its line and a one-line reason."""

    line: int
    reason: str


class _Loader(yaml.CSafeLoader):
    duplicates: list[tuple[str, int]]
    depth: int = 0

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        out: dict[str, Any] = {}
        self._enter()
        for key_node, value_node in node.value:
            key = _key_text(self, key_node)
            if key in out:
                self.duplicates.append((key, key_node.start_mark.line + 1))
            out[key] = self.construct_object(value_node, deep=True)
        self.depth -= 1
        return out

    def construct_list(self, node: SequenceNode) -> list[Any]:
        # Built eagerly (PyYAML defers lists through generators) so that nesting is counted
        # and a list that contains itself fails as "recursive node" instead of looping.
        self._enter()
        out = [self.construct_object(child, deep=True) for child in node.value]
        self.depth -= 1
        return out

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _ShapeError(f"nesting deeper than {MAX_DEPTH} levels")


def _key_text(loader: _Loader, node: Node) -> str:
    if isinstance(node, ScalarNode):
        return str(node.value)
    raise yaml.constructor.ConstructorError(
        None, None, "a mapping key must be a plain value, not a list or map", node.start_mark
    )


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)  # type: ignore[type-var]
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


def read_documents(text: str) -> Iterator[Document | DocumentError]:
    """Every document of a YAML (or JSON) stream, or an error for each that cannot be parsed."""
    try:
        yield from list(_load(text, 0))
    except (yaml.YAMLError, _ShapeError, RecursionError):
        yield from _load_separately(text)


def _load(text: str, line_offset: int) -> Iterator[Document]:
    loader = _Loader(text)
    # Alias bombs need aliases; without an alias token the walk is skipped. Depth and cycles
    # are caught while constructing.
    may_alias = _has_alias(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            assert node is not None, "bad math: check_node promised a node"
            loader.duplicates, loader.depth = [], 0
            if may_alias:
                _check_shape(node)
            data = loader.construct_document(node)
            dups = [(key, line + line_offset) for key, line in loader.duplicates]
            yield Document(data, node.start_mark.line + 1 + line_offset, dups)
    finally:
        loader.dispose()


def _load_separately(text: str) -> Iterator[Document | DocumentError]:
    starts = [0] + [m.start() for m in _DOC_START.finditer(text) if m.start() > 0]
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        offset = text.count("\n", 0, begin)
        try:
            yield from list(_load(text[begin:end], offset))
        except yaml.YAMLError as exc:
            yield DocumentError(*_describe(exc, offset))
        except _ShapeError as exc:
            yield DocumentError(offset + 1, str(exc))
        except RecursionError:
            yield DocumentError(offset + 1, f"nesting deeper than {MAX_DEPTH} levels")


class _ShapeError(Exception):
    """A document whose shape we refuse: too deep, cyclic, or an alias bomb."""


def _check_shape(root: Node) -> None:
    """Refuse cycles, nesting past MAX_DEPTH and alias bombs (expanded size past MAX_EXPANDED)."""
    sizes: dict[int, int] = {}

    def size(node: Node, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise _ShapeError(f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, ScalarNode):
            return 1
        known = sizes.get(id(node))
        if known == -1:
            raise _ShapeError("cyclic alias (a document that contains itself)")
        if known is not None:
            return known
        sizes[id(node)] = -1
        children = [v for _, v in node.value] if isinstance(node, MappingNode) else node.value
        total = 1 + sum(size(child, depth + 1) for child in children)
        if total > MAX_EXPANDED:
            raise _ShapeError(f"aliases expand to more than {MAX_EXPANDED} values")
        sizes[id(node)] = total
        return total

    size(root, 1)


def _describe(exc: yaml.YAMLError, offset: int) -> tuple[int, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = offset + (mark.line + 1 if mark is not None else 1)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    reason = f"{context}: {problem}" if context else str(problem)
    return line, f"invalid YAML: {reason}"
