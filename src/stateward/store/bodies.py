"""Resource bodies left in the store until something reads them.

A host check compares a stored directory's stamp, not its entries (:mod:`stateward.sources.host
.walk`): the previous observation's 50,000 file entries need not be inflated and parsed for a
tree that did not change. :meth:`Store.load <stateward.store.store.Store.load>` with
``lazy=True`` gives each resource a :class:`StoredBody`, which reads its object, checked against
its digest, the first time a key is asked for; recording a resource whose body is still stored
writes nothing new for it (the store checks that the object is still there).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = ["StoredBody"]


class StoredBody(Mapping[str, Any]):
    """The body of the object at ``address``, read by ``read`` (checked against the digest)
    when first needed."""

    __slots__ = ("_body", "_read", "address")

    def __init__(self, address: str, read: Callable[[str], bytes]) -> None:
        self.address = address
        self._read = read
        self._body: dict[str, Any] | None = None

    @property
    def loaded(self) -> bool:
        """True once the object was read."""
        return self._body is not None

    def _value(self) -> dict[str, Any]:
        if self._body is None:
            body: dict[str, Any] = json.loads(self._read(self.address))
            self._body = body
        return self._body

    def __getitem__(self, key: str) -> Any:
        return self._value()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._value())

    def __len__(self) -> int:
        return len(self._value())
