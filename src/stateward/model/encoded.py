"""Bodies kept as their canonical bytes: how a long-running watch holds every object.

A parsed body holds about five times its JSON size (a dict, a str and an int object for every
field); the canonical bytes a resource already carries for its digest hold one. A watch keeps
thousands of objects for days and each batch of changes reads few of their bodies, so each
batch's resources get an :class:`EncodedBody`: decoded if something reads it, and let go with
the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["EncodedBody"]


class EncodedBody(Mapping[str, Any]):
    """A resource body given as its canonical JSON bytes, decoded on the first read."""

    __slots__ = ("data", "_decoded")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._decoded: dict[str, Any] | None = None

    def _body(self) -> dict[str, Any]:
        if self._decoded is None:
            self._decoded = self.transient()
        return self._decoded

    def transient(self) -> dict[str, Any]:
        """The body decoded for one reader that copies it anyway (normalization), and not
        kept: kept, it would hold the object a second time beside the copy."""
        if self._decoded is not None:
            return self._decoded
        body = json.loads(self.data)
        if not isinstance(body, dict):
            raise AssertionError("bad math: a resource's canonical bytes are an object")
        return body

    def release(self) -> None:
        """Let go of the decoded body (the next read decodes the bytes again): a scan's stages
        each read many bodies once, and kept, they would all be held to the end."""
        self._decoded = None

    def __getitem__(self, key: str) -> Any:
        return self._body()[key]

    def get(self, key: str, default: Any = None) -> Any:
        # Mapping.get goes through __getitem__ and a KeyError: bodies are mostly read by get.
        return self._body().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._body()

    def __iter__(self) -> Iterator[str]:
        return iter(self._body())

    def __len__(self) -> int:
        return len(self._body())
