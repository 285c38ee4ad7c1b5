"""One parsed YAML document and the limits on its shape, shared by both ways of building it
(:mod:`.yamldocs`, the general one, and :mod:`.yamlevents`, the fast one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_LINES", "Document", "Where"]

MAX_DEPTH = 100
"""Deeper nesting is refused: no real manifest needs it and it guards the recursion limit."""
MAX_LINES = 100_000
"""Values whose line is remembered per document; later ones report the document's."""

Where = tuple[int, Any]
"""(id of a dict or list, key or index): where a value sits, for :meth:`Document.line_of`."""


@dataclass(slots=True)
class Document:
    """One parsed document, the line (1-based) it starts on, and duplicate keys met in it."""

    data: Any
    line: int
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    lines: dict[Where, int] = field(default_factory=dict, repr=False)
    """Line of each non-string scalar value, and of each item of a list under the document's
    top mapping (a ``List``'s objects), by where it sits in ``data``."""
    shadowed: list[Any] = field(default_factory=list, repr=False)
    """Values a later duplicate key replaced, kept while the document lives: ``lines`` names
    containers by id, and a freed container's id could be taken by a later one, which would
    then report the lines of the values it replaced."""
    finite: bool = field(default=False, compare=False)
    """Every float of ``data`` is known to be finite: so of the fast path's documents
    (:mod:`.yamlevents` leaves a NaN or an infinity to the general path), which then encode
    without the look for one (:func:`~stateward.model.canonical.canonical_json`'s ``finite``);
    not looked for in the general path's."""

    def line_of(self, container: Any, key: Any) -> int:
        """Line of ``container[key]`` when :attr:`lines` has it, else the document's."""
        return self.lines.get((id(container), key), self.line)

    def find_line(self, root: Any, bad: Callable[[Any], bool]) -> int | None:
        """Line of the first value under ``root`` (a dict or list of ``data``) for which ``bad``
        holds; None if none does."""
        stack: list[Any] = [root]
        while stack:
            node = stack.pop()
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in items:
                if bad(value):
                    return self.line_of(node, key)
                if isinstance(value, dict | list):
                    stack.append(value)
        return None
