"""Export the ledger as a C2SP tiled transparency log a third party can verify offline.

https://github.com/C2SP/C2SP/blob/0ad71eb1f1b99acf18deb575978c9205e24860cc/tlog-tiles.md
("tlog-tiles" below). The directory holds ``checkpoint`` (the signed checkpoint), hash tiles
``tile/<L>/<N>[.p/<W>]`` — tile ``n`` at level ``l`` is the 256 hashes
``MTH(D[(n*256+i)*256**l : (n*256+i+1)*256**l])`` — and entry bundles ``tile/entries/<N>[.p/<W>]``
of uint16 big-endian length-prefixed entries. Each hash of a tile is one stored subtree hash at
tree level ``8*l``, so the export reads stored hashes and never recomputes the tree.

Every file and folder is written through :mod:`stateward.fsutil`: never through a planted symlink,
never over an existing file unless ``force`` is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from stateward.errors import InputError, LedgerIntegrityError, UsageError
from stateward.fsutil import make_new_dir, write_new
from stateward.ledger.checkpoint import Checkpoint
from stateward.ledger.merkle import (
    HashReader,
    LeafIndex,
    TreeSize,
    leaf_hash,
    read_stored_hashes,
    stored_hash_index,
    tree_hash,
)
from stateward.ledger.note import parse_note
from stateward.sources.interface import Progress

__all__ = [
    "MAX_ENTRY_SIZE",
    "TILE_HEIGHT",
    "EntryReader",
    "entries_path",
    "export_tiles",
    "read_tile",
    "tile_hashes",
    "tile_path",
    "tiles_at",
]

TILE_HEIGHT = 8  # tlog-tiles §Merkle Tree: 256 hashes per full tile
_WIDTH = 1 << TILE_HEIGHT
MAX_ENTRY_SIZE = 0xFFFF  # tlog-tiles §Log entries: uint16 length prefix


class EntryReader(Protocol):
    """Reads the ledger's leaf entries (the bytes whose ``leaf_hash`` is in the tree)."""

    def read_entries(self, start: LeafIndex, end: LeafIndex) -> Sequence[bytes]: ...


def tile_path(level: int, n: int, width: int = _WIDTH) -> str:
    """``tile/<L>/<N>[.p/<W>]`` (tlog-tiles §Merkle Tree): ``.p/<W>`` only for partial tiles."""
    if not 0 <= level <= 63:
        raise UsageError(f"tile level {level} is not between 0 and 63")
    return f"tile/{level}/{_index_path(n, width)}"


def entries_path(n: int, width: int = _WIDTH) -> str:
    """``tile/entries/<N>[.p/<W>]`` (tlog-tiles §Log entries)."""
    return f"tile/entries/{_index_path(n, width)}"


def export_tiles(
    directory: Path,
    size: TreeSize,
    hash_reader: HashReader,
    entry_reader: EntryReader,
    signed_checkpoint: str,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write the tree of ``size`` leaves as tlog-tiles under ``directory``; return files written.

    ``signed_checkpoint`` must be a signed note for exactly this size and root, and every entry
    must hash to its stored leaf hash; otherwise nothing is trusted and LedgerIntegrityError is
    raised. The checkpoint is written last, so an interrupted export has none. ``directory`` must
    be new unless ``force``, which replaces files in it (never a symlink or what it points at).
    ``progress`` hears the entry bundles written so far and how many there are.
    """
    _check_checkpoint(size, hash_reader, signed_checkpoint)
    out = _Output(directory, force)
    bundles = (size + _WIDTH - 1) // _WIDTH
    if progress is not None:
        progress(0, bundles)
    for n, width in tiles_at(size, 0):
        hashes = tile_hashes(0, n, width, hash_reader)
        out.write(entries_path(n, width), _bundle(LeafIndex(n * _WIDTH), hashes, entry_reader))
        out.write(tile_path(0, n, width), b"".join(hashes))
        if progress is not None:
            progress(n + 1, bundles)
    level = 1
    while size >> (TILE_HEIGHT * level):
        for n, width in tiles_at(size, level):
            out.write(
                tile_path(level, n, width), b"".join(tile_hashes(level, n, width, hash_reader))
            )
        level += 1
    out.write("checkpoint", signed_checkpoint.encode())
    return out.written


# tlog-tiles §Merkle Tree and §Log entries: ``<L>`` or ``entries``, ``<N>`` in 3-digit groups,
# ``.p/<W>`` for a partial tile (levels 0 to 63, as tile_path allows); the match is then required to be the canonical spelling.
_TILE_PATH = re.compile(
    r"tile/(entries|[0-9]|[1-5][0-9]|6[0-3])/((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([1-9][0-9]{0,2}))?"
)


def read_tile(
    path: str, size: TreeSize, hash_reader: HashReader, entry_reader: EntryReader
) -> bytes | None:
    """The tile or entry bundle at ``path`` (relative to the log's prefix) of a tree of ``size``
    leaves, read from stored hashes as :func:`export_tiles` writes it; None when the tree does
    not hold it (yet). A path that is not a canonical tile path is an InputError.

    Stored hashes never change, so a tile of width ``W`` is the same in every tree that holds
    it: any width up to what ``size`` holds is served (tlog-tiles §Partial Tiles)."""
    match = _TILE_PATH.fullmatch(path)
    if match is None:
        raise InputError(path[:80], "is not a tlog-tiles path")
    kind, groups, partial = match.groups()
    n = int(groups.replace("x", "").replace("/", ""))
    width = int(partial) if partial else _WIDTH
    level = 0 if kind == "entries" else int(kind)
    if width > _WIDTH:
        raise InputError(path[:80], f"is wider than {_WIDTH} hashes")
    canonical = entries_path(n, width) if kind == "entries" else tile_path(level, n, width)
    if canonical != path:  # "x000/001", a full width spelled ".p/256"
        raise InputError(path[:80], "is not a canonical tlog-tiles path")
    if (n * _WIDTH + width) > size >> (TILE_HEIGHT * level):
        return None
    hashes = tile_hashes(level, n, width, hash_reader)
    if kind == "entries":
        return _bundle(LeafIndex(n * _WIDTH), hashes, entry_reader)
    return b"".join(hashes)


def _check_checkpoint(size: TreeSize, reader: HashReader, signed: str) -> None:
    checkpoint = Checkpoint.parse(parse_note(signed, source="checkpoint").text)
    if checkpoint.size != size or checkpoint.root_hash != tree_hash(size, reader):
        raise LedgerIntegrityError(
            f"the checkpoint does not match the ledger at tree size {size}",
            remedy="Sign a fresh checkpoint with `stateward ledger checkpoint` and export again.",
        )


def tiles_at(size: int, level: int) -> Iterator[tuple[int, int]]:
    """``(n, width)`` of every tile at ``level``; the last may be partial (tlog-tiles §Partial
    Tiles: ``floor(s / 256**l) mod 256`` hashes). Lazily: a claimed size may be huge."""
    count = size >> (TILE_HEIGHT * level)  # complete subtrees at tree level 8*l
    return ((n, min(_WIDTH, count - n * _WIDTH)) for n in range((count + _WIDTH - 1) // _WIDTH))


def tile_hashes(level: int, n: int, width: int, reader: HashReader) -> list[bytes]:
    """The stored hashes of tile ``n`` at ``level``: tree level ``8*level``, one call."""
    first = n * _WIDTH
    indexes = [stored_hash_index(TILE_HEIGHT * level, first + i) for i in range(width)]
    return read_stored_hashes(reader, indexes)


def _bundle(start: LeafIndex, hashes: list[bytes], reader: EntryReader) -> bytes:
    """An entry bundle, checking each entry against its stored leaf hash."""
    entries = list(reader.read_entries(start, LeafIndex(start + len(hashes))))
    if len(entries) != len(hashes):
        raise LedgerIntegrityError(f"entries from {start} are missing")
    parts = []
    for offset, (entry, stored) in enumerate(zip(entries, hashes, strict=True)):
        if len(entry) > MAX_ENTRY_SIZE:
            raise InputError(f"entry {start + offset}", "is larger than 65535 bytes (tlog-tiles)")
        if leaf_hash(entry) != stored:
            raise LedgerIntegrityError(f"entry {start + offset} does not match its leaf hash")
        parts.append(len(entry).to_bytes(2, "big") + entry)  # uint16 BE length || entry
    return b"".join(parts)


def _index_path(n: int, width: int) -> str:
    """``N`` as 3-digit groups, all but the last ``x``-prefixed: 1234067 -> ``x001/x234/067``."""
    if n < 0 or not 1 <= width <= _WIDTH:
        raise UsageError(f"no tile {n} of width {width}: widths are 1 to {_WIDTH}")
    groups = [f"{n % 1000:03d}"]
    while n >= 1000:
        n //= 1000
        groups.append(f"x{n % 1000:03d}")
    path = "/".join(reversed(groups))
    return path if width == _WIDTH else f"{path}.p/{width}"


class _Output:
    """Files under one export directory; each folder is made (or, with ``force``, checked not to
    be a symlink) once, before the first file in it."""

    def __init__(self, directory: Path, force: bool) -> None:
        self.root = make_new_dir(directory, force=force)
        self.force = force
        self.written = 0
        self._folders = {self.root}

    def write(self, relative: str, data: bytes) -> None:
        path = self.root / relative
        self._folder(path.parent)
        write_new(path, data, force=self.force)
        self.written += 1

    def _folder(self, folder: Path) -> None:
        if folder not in self._folders:
            self._folder(folder.parent)
            make_new_dir(folder, force=self.force)
            self._folders.add(folder)
