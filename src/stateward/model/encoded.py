"""Bodies kept as their canonical bytes: how a long-running watch holds every object.

A parsed body holds about five times its JSON size (a dict, a str and an int object for every
field); the canonical bytes a resource already carries for its digest hold one. A watch keeps
thousands of objects for days and each batch of changes reads few of their bodies, so each
batch's resources get an :class:`EncodedBody`: decoded if something reads it, and let go with
the batch.

A scan holds every object of the estate from the moment the file workers read it until the
record step stores it. Its bodies come as a :class:`DeflatedBody`: the canonical bytes deflated
in the worker, exactly as the store keeps them (:func:`deflate`), a fifth of their size; the
record step writes those bytes as they are, and a reader inflates them.

A scan holds every component's context to its end too (the record step stores it), and a
context is a tree of small dicts several times its JSON size: it is held as a
:class:`PackedContext`, its JSON deflated, decoded where something reads it.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import orjson
from isal import isal_zlib

from stateward.model.canonical import DIGEST_PREFIX, canonical_json, decoded

__all__ = [
    "STORED_BELOW",
    "DeflatedBody",
    "EncodedBody",
    "PackedContext",
    "deflate",
    "Shared",
]

_IN_ORDER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
"""JSON of a mapping with its keys in the order they were put, not sorted: decoded, it
iterates as the mapping it was made from did (a diff lists added keys in that order). For
what orjson, which keeps that order too in about a fifth of the time, refuses (integers past 64
bits, keys that are not ``str``)."""


STORED_BELOW = 1024
"""Objects shorter than this, written in bulk, are kept in a stored block (:func:`deflate`)."""


def deflate(data: bytes, *, bulk: bool = False) -> bytes:
    """``data`` as the store keeps it: a zlib stream (RFC 1950), which any inflater reads
    (the store's is the standard library's, :func:`stateward.store.store.inflate`). ``bulk``:
    one of thousands written at once (a watch's first list, an estate's first observation),
    whose one block is stored, not compressed, under :data:`STORED_BELOW` bytes
    (zlib's level 0); a later observation's few new objects are compressed, so that what
    each change adds to the store stays small."""
    if bulk and len(data) < STORED_BELOW:
        # One stored block (RFC 1951 §3.2.4). Compressing a small object took 6-9 us of
        # ISA-L's level 1 to save 150-400 bytes (a watch's 10k objects of 250-1000 bytes:
        # 0.65 of their size at 256-512 bytes, 0.55 at 512-1024). Every inflater reads it as
        # any other stream.
        return _stored(data)
    # ISA-L's level 1 (https://github.com/pycompression/python-isal/blob/v1.9.1/README.rst),
    # not zlib's: on a watch's ~400-byte objects it takes half of zlib's level 3 CPU time for
    # as many bytes (5.6 against 9.9 us an object), and a fifth of zlib's level 1 on large
    # artefacts for fewer bytes (a 5 MiB JSON: 2.3 against 12.6 ms, 6.8 against 7.8 %). zlib
    # also allocates ~256 KiB of state for every stream, which glibc gives back and faults in
    # again at the top of a small heap: up to 60 us an object. It lets other threads run.
    return isal_zlib.compress(data, 1)


_STORED_HEAD = struct.Struct("<3sHH")


def _stored(data: bytes) -> bytes:
    """``data`` (under 64 KiB) as a zlib stream of one stored block: the bytes
    ``zlib.compress(data, 0)`` writes, in 0.7 against 2.0 us for a watch's objects of ~430
    bytes (the least of 7 rounds over 10k, interleaved): zlib sets up and frees ~256 KiB of
    state for every stream. A first list's 10k objects are written in bulk, so that was ~14 ms
    of CPU on the thread storing its pages (``bench/bench_watch.py``)."""
    size = len(data)
    # RFC 1950 §2.2: CMF 0x78 (deflate, 32 KiB window), FLG 0x01 (FLEVEL 0, 0x7801 % 31 == 0);
    # RFC 1951 §3.2.3: BFINAL 1, BTYPE 00 (stored), the one block; §3.2.4: LEN, then NLEN
    # (its one's complement), little-endian, then the bytes; RFC 1950 §2.2: ADLER32, big-endian
    head = _STORED_HEAD.pack(b"\x78\x01\x01", size, size ^ 0xFFFF)
    # ISA-L's Adler-32 (the same checksum, vectorized): 0.25 against zlib's 0.52 us for 480
    # bytes (timeit, least of 5); callgrind, a watch's 10k listed objects put in the store:
    # 214.9M against 200.7M instructions
    return b"".join((head, data, isal_zlib.adler32(data).to_bytes(4, "big")))


class EncodedBody(Mapping[str, Any]):
    """A resource body given as its canonical JSON bytes, decoded on the first read (or given
    decoded too, until :meth:`release`)."""

    __slots__ = ("data", "_decoded")

    def __init__(self, data: bytes, decoded: dict[str, Any] | None = None) -> None:
        self.data = data
        # given where the bytes were just encoded from it: a watch's listed object, read once
        # more (its views computed) before the watch lets it go
        self._decoded = decoded

    def canonical(self) -> bytes:
        """The body's canonical JSON bytes."""
        return self.data

    def _body(self) -> dict[str, Any]:
        if self._decoded is None:
            self._decoded = self.transient()
        return self._decoded

    def transient(self) -> dict[str, Any]:
        """The body decoded for one reader that copies it anyway (normalization), and not
        kept: kept, it would hold the object a second time beside the copy."""
        if self._decoded is not None:
            return self._decoded
        body = decoded(self._text())
        if not isinstance(body, dict):
            raise AssertionError("bad math: a resource's canonical bytes are an object")
        return body

    def _text(self) -> bytes:
        """The JSON bytes the body is decoded from."""
        return self.canonical()

    def hold_sharing(self, shared: Shared) -> None:
        """Decode the body and keep it, as a first read does, each of its values one object
        with the equal values of the bodies held the same way before (:meth:`Shared.tree`):
        for an audit, which holds every workload's body decoded at once."""
        self._decoded = shared.tree(self._body())

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


class Shared:
    """The values of decoded JSON trees, each held once: equal string values, and equal
    mappings and lists (whole sub-trees), are one object in every tree :meth:`tree` was given.

    A workload's decoded body is mostly small dicts (~200 bytes each: an ``env`` entry, a
    port, ``resources``, a probe, labels), and the workloads of one estate repeat them: a
    chart's containers deployed in many namespaces, the same variables, probes and limits.
    Held once, an audit holds each distinct one: the workloads' bodies of ``bench.scan_stages``'
    estate (50k objects, copies of the shared corpus's) held 78 MiB with their strings shared,
    7 MiB so, and the audit's peak went from 348 to 274 MiB; the corpus's own 67 held 352 KiB,
    263 KiB so (tracemalloc). Equal values stay equal, so nothing that reads a tree sees a
    change; but the trees must then be read only (the audit's rules never write a body), since
    a node may be another tree's too. The keys are let go with this object; while they are
    held, bodies and keys take at most about what the bodies take unshared: the held-out
    estates' 277 bodies (``tests/analysis/heldout``, applications that repeat little) held
    1,831 KiB with their strings shared, 1,392 KiB so, and at most 2,284 KiB while their keys
    were held (unshared: 2,244 KiB; their strings' sharing, at most 1,960 KiB).
    A key is exact: a value's type is part of it (``1``, ``1.0`` and ``true`` are equal in
    Python, not in JSON), and a node's is made of its keys, in order (a mapping iterates
    alike), and of its values' tokens, its children's marks."""

    __slots__ = ("_nodes", "_strings")

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._nodes: dict[tuple[Any, ...], tuple[Any, object]] = {}
        """A node's key -> the first node of that key, and the mark that stands for it in its
        parents' keys: hashed and compared by identity, where its key would be hashed again,
        down to its leaves, in every key above it."""

    def tree(self, value: dict[str, Any]) -> dict[str, Any]:
        """``value``, or the equal tree held before; its nodes replaced in place by the equal
        ones held before, and those it has first held for the trees to come."""
        tree, _ = self._node(value, 0)
        held: dict[str, Any] = tree
        return held

    def _node(self, node: Any, depth: int) -> tuple[Any, object]:
        tokens: list[Any] = []
        add, one = tokens.append, self._strings.setdefault
        token: Any
        # exact types (a decoded tree holds only JSON's): a loop over a workload's ~70 nodes a
        # body, which costs one and a half times decoding it (sharing its strings alone, half)
        for at, item in node.items() if type(node) is dict else enumerate(node):
            kind = type(item)
            if kind is str:
                node[at] = token = one(item, item)
            elif kind is dict or kind is list:
                if depth < _DEEPEST:
                    node[at], token = self._node(item, depth + 1)
                else:
                    token = object()  # not shared: deeper than any manifest nests
            elif kind is int or item is None:
                token = item
            else:
                token = (kind, item)  # a bool or a float: True == 1 == 1.0 in Python
            add(token)
        # a mapping's key: its size, its keys in order, their values' tokens; a list's: list,
        # its items' tokens (a size is an int, never the type list)
        key = (len(node), *node, *tokens) if type(node) is dict else (list, *tokens)
        held = self._nodes.get(key)
        if held is None:
            held = self._nodes[key] = (node, object())
        return held


_DEEPEST = 100
"""Nodes nested deeper are not shared (their recursion would near Python's limit)."""


class DeflatedBody(EncodedBody):
    """A resource body given as its canonical JSON bytes deflated (:func:`deflate`) in
    ``data``, and their length in ``size``; inflated and decoded on the first read."""

    __slots__ = ("size",)

    def __init__(self, data: bytes, size: int) -> None:
        super().__init__(data)
        self.size = size

    @classmethod
    def of(cls, canonical: bytes, *, bulk: bool = False) -> DeflatedBody:
        """The body whose canonical bytes are ``canonical`` (``bulk``: see :func:`deflate`)."""
        return cls(deflate(canonical, bulk=bulk), len(canonical))

    @classmethod
    def joined(cls, pieces: Iterable[bytes]) -> tuple[str, DeflatedBody]:
        """The content address (:func:`~stateward.model.canonical.digest_bytes`) of the bytes
        ``pieces`` join, and those bytes as a body, deflated as :func:`deflate` does one not
        written in bulk, a piece at a time: the bytes are never joined (a scan's manifest,
        :func:`~stateward.model.canonical.canonical_pieces`)."""
        hashed, packer = hashlib.sha256(), isal_zlib.compressobj(1)
        deflated, size = [], 0
        for piece in pieces:
            hashed.update(piece)
            deflated.append(packer.compress(piece))
            size += len(piece)
        deflated.append(packer.flush())
        return DIGEST_PREFIX + hashed.hexdigest(), cls(b"".join(deflated), size)

    def canonical(self) -> bytes:
        """The body's canonical JSON bytes, inflated (each call: none are kept)."""
        return zlib.decompress(self.data)


class PackedContext(EncodedBody):
    """A component's context given as its JSON deflated in ``data``, keys in the order they
    were put (:data:`_IN_ORDER`), so that it decodes to a mapping equal to the context and
    iterating alike; decoded on the first read and kept until :meth:`release`.
    :meth:`transient` reads it once without keeping it. Its facets (the top-level keys) are
    kept apart: asking whether it has one decodes nothing (a scan asks every component for
    its writable layer, which only engine containers have)."""

    __slots__ = ("facets",)

    def __init__(self, data: bytes, facets: tuple[str, ...]) -> None:
        super().__init__(data)
        self.facets = facets

    @classmethod
    def of(cls, context: Mapping[str, Any]) -> PackedContext:
        """``context`` packed (a dict of JSON values, as every context is)."""
        try:
            text = orjson.dumps(context)
        except orjson.JSONEncodeError:
            text = _IN_ORDER.encode(context).encode("utf-8")
        return cls(deflate(text), tuple(map(str, context)))

    def __contains__(self, key: object) -> bool:
        return key in self.facets

    def __iter__(self) -> Iterator[str]:
        return iter(self.facets)

    def __len__(self) -> int:
        return len(self.facets)

    def canonical(self) -> bytes:
        """The context's canonical JSON bytes, encoded again from its decoded form."""
        return canonical_json(self.transient())

    def _text(self) -> bytes:
        return zlib.decompress(self.data)
