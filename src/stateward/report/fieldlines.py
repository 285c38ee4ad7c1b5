"""The line of a field inside a manifest, for SARIF physical locations.

Resources remember the file and line their document starts on (``path:line``); a drift result
names a field by JSON pointer. This maps one to the other from the YAML node tree of the file
(PyYAML's composer keeps each node's start mark), so a code-scanning UI annotates the line of the
field itself. A pointer that runs past what the file holds (a field only live has, a list item
the file lacks) resolves to its deepest ancestor the file does hold.

A parity result names its field by a component path instead (``/env/server/LOG_LEVEL/value``:
facet, then identities), whose steps are names, not positions; :meth:`FieldLines.near` follows
each name to the nearest node below the last one that is a list item with that ``name:`` (a
container, an env variable, a volume), else a key of that name (a Compose service).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from stateward.errors import InputError
from stateward.model.pointer import split

__all__ = ["FieldLines"]


class FieldLines:
    """Field lines of the files one report names; each file is read at most once."""

    def __init__(self) -> None:
        self._roots: dict[str, list[Node]] = {}

    def origin(self, origin: str, name: str, pointer: str) -> str:
        """``path:line`` of ``pointer`` in the object ``name`` that starts at ``origin``
        (``path:line``); ``origin`` itself when the file or field cannot be found."""
        return self._line(origin, name, pointer, _walk)

    def near(self, origin: str, name: str, path: str) -> str:
        """``path:line`` of the component path ``path`` (facet first, then names) in the object
        ``name`` that starts at ``origin``; ``origin`` itself when the file cannot be found."""
        return self._line(origin, name, path, lambda root, tokens: _follow(root, tokens[1:]))

    def _line(
        self, origin: str, name: str, pointer: str, walk: Callable[[Node, list[str]], Node]
    ) -> str:
        path, _, line = origin.rpartition(":")
        if not path or not line.isdigit() or "://" in origin:
            return origin
        root = self._document(path, int(line), name)
        if root is None:
            return origin
        try:
            tokens = split(pointer)
        except InputError:
            return origin
        return f"{path}:{walk(root, tokens).start_mark.line + 1}"

    def _document(self, path: str, line: int, name: str) -> Node | None:
        if path not in self._roots:
            self._roots[path] = _compose(path)
        # The line recorded is the document's first (its root node's); a List's items share
        # their document's line and are told apart by name (none matching: the List's line,
        # never a field of another item).
        for root in self._roots[path]:
            if root.start_mark.line + 1 == line:
                items = _items(root)
                return next((i for i in items if _name(i) == name), None if items else root)
        return None


def _compose(path: str) -> list[Node]:
    try:
        text = Path(path).read_text(encoding="utf-8")
        return list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []


def _items(root: Node) -> list[Node]:
    items = _get(root, "items")
    return list(items.value) if isinstance(items, SequenceNode) else []


def _name(node: Node) -> str | None:
    name = _get(_get(node, "metadata"), "name")
    return str(name.value) if isinstance(name, ScalarNode) else None


def _get(node: Node | None, key: str) -> Node | None:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key:
                found: Node = v
                return found
    return None


def _walk(root: Node, tokens: list[str]) -> Node:
    """The node that marks the field ``tokens`` lead to (a mapping value is marked by its key,
    where a reader looks for ``field:``), or the deepest one on the way."""
    mark, here = root, root
    for token in tokens:
        if isinstance(here, MappingNode):
            pair = next(
                ((k, v) for k, v in here.value if isinstance(k, ScalarNode) and k.value == token),
                None,
            )
            if pair is None:
                break
            mark, here = pair
        elif isinstance(here, SequenceNode) and token.isdigit() and int(token) < len(here.value):
            mark = here = here.value[int(token)]
        else:
            break
    return mark


def _follow(root: Node, names: list[str]) -> Node:
    """The node marking the last of ``names`` found one below the other (each the nearest
    match, breadth first), or the deepest one on the way."""
    mark, here = root, root
    for name in names:
        found = _nearest(here, name)
        if found is None:
            break
        mark, here = found
    return mark


def _nearest(top: Node, name: str) -> tuple[Node, Node] | None:
    """(marking node, node) of the shallowest list item named ``name`` below ``top``, else of
    the shallowest key ``name`` (marked by itself, where a reader looks for ``name:``). Items
    first: a container ``app`` must not be taken for the label key ``app`` above it."""
    return _shallowest(top, name, items=True) or _shallowest(top, name, items=False)


def _shallowest(top: Node, name: str, *, items: bool) -> tuple[Node, Node] | None:
    queue: deque[Node] = deque([top])
    while queue:
        node = queue.popleft()
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if not items and isinstance(key, ScalarNode) and key.value == name:
                    return key, value
            queue.extend(value for _, value in node.value)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                if items and _item_name(item) == name:
                    return item, item
            queue.extend(node.value)
    return None


def _item_name(node: Node) -> str | None:
    name = _get(node, "name")
    return str(name.value) if isinstance(name, ScalarNode) else None
