"""Verify a C2SP tlog-tiles tree as a third party would, trusting only the log's verifier key.

https://github.com/C2SP/C2SP/blob/0ad71eb1f1b99acf18deb575978c9205e24860cc/tlog-tiles.md
("tlog-tiles"). The checkpoint must carry the log's signature (C2SP tlog-checkpoint). Then the
tree is rebuilt from the entry bundles alone: every entry is hashed (RFC 9162 §2.1.1) into an
in-memory tree, each served hash tile must equal the tile computed from those entries, and the
entries must hash to the signed root. Checking tiles only against each other would let an edited
entry bundle through, as the bundles are not hashed into any tile: a leaf hash is.
"""

from __future__ import annotations

from dataclasses import dataclass

from stateward.errors import LedgerIntegrityError
from stateward.ledger.checkpoint import Checkpoint, open_checkpoint
from stateward.ledger.merkle import HASH_SIZE, MemoryHashStore, TreeSize, leaf_hash, tree_hash
from stateward.ledger.note import MAX_NOTE_SIZE
from stateward.ledger.signer import Verifier
from stateward.ledger.tilefetch import TileFetcher
from stateward.ledger.tiles import (
    MAX_ENTRY_SIZE,
    TILE_HEIGHT,
    entries_path,
    tile_hashes,
    tile_path,
    tiles_at,
)

__all__ = ["TilesReport", "parse_bundle", "verify_tiles"]

_WIDTH = 1 << TILE_HEIGHT


@dataclass(frozen=True)
class TilesReport:
    """What was checked and every mismatch found, first one first."""

    location: str
    checkpoint: Checkpoint
    files: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {
            "location": self.location,
            "origin": self.checkpoint.origin,
            "size": self.checkpoint.size,
            "files": self.files,
            "ok": self.ok,
            "problems": list(self.problems),
        }


def verify_tiles(fetcher: TileFetcher, log: Verifier) -> TilesReport:
    """Check the checkpoint signature, every entry bundle, every hash tile and the root.

    A bad signature raises VerificationError; a missing or malformed file raises
    LedgerIntegrityError naming it (nothing after it can be checked); hash mismatches are
    collected in the report.
    """
    signed = fetcher.fetch("checkpoint", MAX_NOTE_SIZE)
    checkpoint = open_checkpoint(signed, log, source=f"{fetcher.location}/checkpoint")
    tree = MemoryHashStore()
    files = 1
    for n, width in tiles_at(checkpoint.size, 0):
        path = entries_path(n, width)
        entries = parse_bundle(fetcher.fetch(path, width * (2 + MAX_ENTRY_SIZE)), width, path)
        tree.extend([leaf_hash(entry) for entry in entries])
        files += 1
    problems: list[str] = []
    files += _check_tiles(fetcher, checkpoint.size, tree, problems)
    if tree_hash(checkpoint.size, tree) != checkpoint.root_hash:
        problems.append("the entry bundles do not hash to the checkpoint's root hash")
    return TilesReport(fetcher.location, checkpoint, files, tuple(problems))


def parse_bundle(data: bytes, count: int, path: str) -> list[bytes]:
    """Exactly ``count`` entries, each a uint16 big-endian length then that many bytes
    (tlog-tiles §Log Entries), and nothing after them."""
    entries: list[bytes] = []
    at = 0
    while at < len(data):
        length = int.from_bytes(data[at : at + 2], "big")  # uint16 BE length prefix
        if at + 2 + length > len(data):
            raise LedgerIntegrityError(f"{path}: entry {len(entries)} is cut short")
        entries.append(data[at + 2 : at + 2 + length])
        at += 2 + length
    if len(entries) != count:
        raise LedgerIntegrityError(f"{path}: holds {len(entries)} entries, not {count}")
    return entries


def _check_tiles(
    fetcher: TileFetcher, size: TreeSize, tree: MemoryHashStore, problems: list[str]
) -> int:
    """Compare every served hash tile with the one computed from the entries; tiles read."""
    read, level = 0, 0
    while size >> (TILE_HEIGHT * level):
        for n, width in tiles_at(size, level):
            path = tile_path(level, n, width)
            served = fetcher.fetch(path, HASH_SIZE * width)
            problem = _compare(served, tile_hashes(level, n, width, tree), level, n, path)
            if problem:
                problems.append(problem)
            read += 1
        level += 1
    return read


def _compare(served: bytes, expected: list[bytes], level: int, n: int, path: str) -> str | None:
    if len(served) != HASH_SIZE * len(expected):
        return f"{path}: holds {len(served)} bytes, not {HASH_SIZE * len(expected)}"
    bad = [
        i for i, want in enumerate(expected) if served[HASH_SIZE * i : HASH_SIZE * (i + 1)] != want
    ]
    if not bad:
        return None
    more = f" (and {len(bad) - 1} more hashes of that tile)" if len(bad) > 1 else ""
    if level == 0:
        entry = n * _WIDTH + bad[0]
        where = entries_path(n, len(expected))
        return f"entry {entry} in {where} does not match hash {bad[0]} of {path}{more}"
    return f"hash {bad[0]} of {path} does not match the entries below it{more}"
