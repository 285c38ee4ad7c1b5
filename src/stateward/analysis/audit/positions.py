"""Workload positions by key, for the estate's indexes (:mod:`.estate`).

Most keys of the estate's indexes (a workload's name, its ``app`` label's value) name one
workload: a list of one position for each would cost ~90 bytes a workload (~4 MiB of
``scan``'s peak at 50k objects). A key one workload has holds its position alone; a second
makes it a list.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

_Key = TypeVar("_Key", bound=Hashable)


class Positions(Generic[_Key]):
    """Positions in the estate's workload list by key, each key's in the order added."""

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held: dict[_Key, int | list[int]] = {}

    def add(self, key: _Key, position: int) -> None:
        """Record ``position`` under ``key``, after the positions it has."""
        held = self._held.get(key)
        if held is None:
            self._held[key] = position
        elif isinstance(held, int):
            self._held[key] = [held, position]
        else:
            held.append(position)

    def get(self, key: _Key) -> Sequence[int]:
        """The positions recorded under ``key`` (none when it has none)."""
        held = self._held.get(key)
        if held is None:
            return ()
        return (held,) if isinstance(held, int) else held
