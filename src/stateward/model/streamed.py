"""A document's long list, each member made when it is read: what ``--json`` writes one at a time.

A scan's document lists every component, change and finding of the estate: made as dicts up
front, they were the largest thing a 50,000-object scan held when it wrote its output (~77 MiB
of small dicts, strings and lists, for ~30 MB of text). A :class:`Streamed` list holds only the
objects it is made from and a function making each member's JSON form: the writer
(:func:`stateward.report.indented.indented_pieces`) encodes a slice of members and lets them go
before it makes the next, so the members are never all held at once.

It reads, compares and prints as the list it stands for, so code that reads a document (a test,
the YAML writer) sees the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

__all__ = ["Streamed", "json_default"]

T = TypeVar("T")


class Streamed(Sequence[Any], Generic[T]):
    """``[made(item) for item in items]``, each member made when read and not kept."""

    __slots__ = ("items", "made")

    def __init__(self, items: Sequence[T], made: Callable[[T], Any]) -> None:
        self.items = items
        self.made = made

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.made(item) for item in self.items[index]]
        return self.made(self.items[index])

    def __iter__(self) -> Iterator[Any]:
        return map(self.made, self.items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Streamed | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a list: compared by value, never hashed

    def __repr__(self) -> str:
        return repr(list(self))


def json_default(value: Any) -> Any:
    """What a JSON encoder's ``default`` makes of a value it cannot write: a streamed list, its
    members; anything else, its text (as ``default=str``, which documents have always used)."""
    return list(value) if isinstance(value, Streamed) else str(value)
