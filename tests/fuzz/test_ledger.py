"""Fuzz the ledger's wire formats: entries, signed notes and checkpoints, verifier keys, tiles.

Property: parsing any bytes finishes within the deadline and raises nothing but a StatewardError.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from stateward.errors import StatewardError
from stateward.ledger.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.merkle import MemoryHashStore, TreeSize, leaf_hash, tree_hash
from stateward.ledger.note import parse_note
from stateward.ledger.signer import Ed25519Signer, Ed25519Verifier
from stateward.ledger.tilefetch import DirectoryTiles
from stateward.ledger.tiles import export_tiles
from stateward.ledger.tileverify import parse_bundle, verify_tiles

from .conftest import fuzz_settings
from .strategies import text_edits

LOG = Ed25519Signer.generate("fuzz.example/log")
VERIFIER = Ed25519Verifier.from_vkey(LOG.vkey())
ENTRY = Entry(EntryType("observation"), "shop", datetime(2026, 1, 1, tzinfo=UTC),
              {"observation": "sha256:" + "ab" * 32}).encode().decode()  # fmt: skip


def _signed(size: int, root: bytes) -> str:
    return sign_checkpoint(Checkpoint("fuzz.example/log", TreeSize(size), root), [LOG])


SIGNED = _signed(5, b"\x07" * 32)
# Where each example's tiles are written: export_tiles syncs every file it writes, which on a
# disk other jobs share was most of test_tiles_trees' time; what is fuzzed reads the same bytes.
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@fuzz_settings()
@given(st.one_of(st.binary(max_size=600), text_edits(ENTRY).map(_bytes)))
def test_ledger_entries(data: bytes) -> None:
    try:
        Entry.decode(data)
    except StatewardError:
        pass


@fuzz_settings()
@given(st.one_of(st.binary(max_size=600), text_edits(SIGNED).map(_bytes)),
       st.one_of(st.just(LOG.vkey()), text_edits(LOG.vkey())))  # fmt: skip
def test_signed_notes_checkpoints_and_keys(note: bytes, vkey: str) -> None:
    for parse in (
        lambda: parse_note(note),
        lambda: open_checkpoint(note, VERIFIER),
        lambda: Checkpoint.parse(note.decode("utf-8", "replace")),
        lambda: Ed25519Verifier.from_vkey(vkey),
    ):
        try:
            parse()
        except StatewardError:
            pass


class _Entries:
    def __init__(self, entries: list[bytes]) -> None:
        self.entries = entries

    def read_entries(self, start: int, end: int) -> list[bytes]:
        return self.entries[start:end]


def _export(folder: Path, size: int) -> None:
    entries = [b"e%d" % i for i in range(size)]
    store = MemoryHashStore()
    store.extend([leaf_hash(e) for e in entries])
    signed = _signed(size, tree_hash(TreeSize(size), store))
    export_tiles(folder, TreeSize(size), store, _Entries(entries), signed)


_EDIT = st.tuples(st.sampled_from(["flip", "cut", "grow", "replace", "delete"]),
                  st.integers(0, 1 << 16), st.binary(max_size=40))  # fmt: skip


@fuzz_settings()
@given(st.integers(0, 600), st.lists(st.tuples(st.integers(0, 100), _EDIT), max_size=4))
def test_tiles_trees(size: int, edits: list[tuple[int, tuple[str, int, bytes]]]) -> None:
    with tempfile.TemporaryDirectory(dir=SCRATCH) as root:
        folder = Path(root) / "t"
        _export(folder, size)
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        for pick, (action, at, data) in edits:
            _edit(files[pick % len(files)], action, at, data)
        try:
            verify_tiles(DirectoryTiles(folder), VERIFIER)
        except StatewardError:
            pass


def _edit(path: Path, action: str, at: int, data: bytes) -> None:
    if not path.exists():
        return
    old = path.read_bytes()
    at %= len(old) + 1
    new = {
        "flip": old[:at] + bytes([(old[at] ^ 1) if at < len(old) else 0]) + old[at + 1 :],
        "cut": old[:at],
        "grow": old + data,
        "replace": data,
    }.get(action)
    if new is None:
        path.unlink()
    else:
        path.write_bytes(new)


@fuzz_settings()
@given(st.binary(max_size=2000), st.integers(0, 300))
def test_entry_bundles(data: bytes, count: int) -> None:
    try:
        parse_bundle(data, count, "tile/entries/000")
    except StatewardError:
        pass
