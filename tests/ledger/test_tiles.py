"""tlog-tiles export, read back and verified by the independent tlog-scales implementation."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from tlog_scales import backend, reader, signing, tlog

from stateward.errors import InputError, LedgerIntegrityError, UsageError
from stateward.ledger import merkle
from stateward.ledger.checkpoint import Checkpoint, sign_checkpoint
from stateward.ledger.merkle import LeafIndex, MemoryHashStore, TreeSize
from stateward.ledger.signer import Ed25519Signer
from stateward.ledger.tiles import entries_path, export_tiles, tile_path

ORIGIN = "example.com/stateward-test"
LOG = Ed25519Signer.generate(ORIGIN)


class Ledger:
    """Entries in a list and their stored hashes in memory: a complete, real in-memory log."""

    def __init__(self, entries: Sequence[bytes]) -> None:
        self.entries = list(entries)
        self.store = MemoryHashStore()
        for entry in self.entries:
            self.store.append(merkle.leaf_hash(entry))

    def read_entries(self, start: LeafIndex, end: LeafIndex) -> list[bytes]:
        return self.entries[start:end]

    def signed(self, size: int | None = None) -> str:
        n = TreeSize(len(self.entries) if size is None else size)
        return sign_checkpoint(Checkpoint(ORIGIN, n, merkle.tree_hash(n, self.store)), [LOG])

    def export(self, directory: Path) -> int:
        size = TreeSize(len(self.entries))
        return export_tiles(directory, size, self.store, self, self.signed())


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A new export directory (an existing one is refused without force)."""
    return tmp_path / "tiles"


def _entries(count: int) -> list[bytes]:
    return [f"entry {i} ".encode() * (1 + i % 5) for i in range(count)]


def test_paths_follow_the_spec_examples() -> None:
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tile_path(1, 0) == "tile/1/000"
    assert tile_path(2, 1000, 17) == "tile/2/x001/000.p/17"
    assert entries_path(5, 255) == "tile/entries/005.p/255"
    assert entries_path(999) == "tile/entries/999"
    for bad in [(-1, 0, 256), (64, 0, 256), (0, -1, 256), (0, 0, 0), (0, 0, 257)]:
        with pytest.raises(UsageError):
            tile_path(*bad)


def test_a_70000_entry_tree_has_the_tiles_the_spec_lists(out: Path) -> None:
    """tlog-tiles §Partial Tiles: 273 full level 0 tiles, a level 0 partial of width 112, one
    full level 1 tile, a level 1 partial of width 17 and a level 2 partial of width 1."""
    ledger = Ledger([i.to_bytes(3, "big") for i in range(70_000)])
    assert ledger.export(out) == 2 * 274 + 2 + 1 + 1
    files = (out / "tile").rglob("*")
    tiles = {p.relative_to(out).as_posix() for p in files if p.is_file()}
    level0 = {t for t in tiles if t.startswith("tile/0/")}
    assert len(level0) == 274 and "tile/0/273.p/112" in level0 and "tile/0/272" in level0
    assert {t for t in tiles if t.startswith(("tile/1/", "tile/2/"))} == {
        "tile/1/000",
        "tile/1/001.p/17",
        "tile/2/000.p/1",
    }
    assert "tile/entries/273.p/112" in tiles
    assert (out / "tile/0/000").stat().st_size == 8192
    _verify_with_tlog_scales(out, ledger, sample=range(0, 70_000, 997))


@pytest.mark.parametrize("size", [1, 2, 255, 256, 257, 600])
def test_tlog_scales_verifies_the_export(out: Path, size: int) -> None:
    ledger = Ledger(_entries(size))
    ledger.export(out)
    _verify_with_tlog_scales(out, ledger, sample=range(size))


def _verify_with_tlog_scales(directory: Path, ledger: Ledger, sample: Sequence[int]) -> None:
    tiles = reader.TilesReader(backend.LocalBackend(directory))
    checkpoint = tiles.get_checkpoint()
    checkpoint.verify(signing.Vkey.from_string(LOG.vkey()))
    size = len(ledger.entries)
    assert checkpoint.size == size
    assert tiles.calculate_root_hash() == checkpoint.root_hash
    for index in sample:
        entry = tiles.get_entry(index)
        assert entry == ledger.entries[index]
        proof = tiles.get_inclusion_proof(index, size)
        proof.check(merkle.leaf_hash(entry), checkpoint.root_hash)
        merkle.verify_inclusion(
            merkle.leaf_hash(entry), index, size, proof.node_hashes, checkpoint.root_hash
        )
        assert proof.node_hashes == merkle.inclusion_proof(
            LeafIndex(index), TreeSize(size), ledger.store
        )
    for old in sorted({1, size // 3, size - 1} - {0}):
        old_root = merkle.tree_hash(TreeSize(old), ledger.store)
        consistency = tiles.get_consistency_proof(old, size)
        consistency.check(old_root, checkpoint.root_hash)
        merkle.verify_consistency(
            old, size, old_root, checkpoint.root_hash, consistency.node_hashes
        )


def test_tlog_scales_notices_a_tampered_tile(out: Path) -> None:
    ledger = Ledger(_entries(600))
    ledger.export(out)
    tile = out / "tile/0/002.p/88"  # leaves 512..599, read for the root
    data = bytearray(tile.read_bytes())
    data[100] ^= 1
    tile.write_bytes(bytes(data))
    tiles = reader.TilesReader(backend.LocalBackend(out))
    checkpoint = tiles.get_checkpoint()
    assert tiles.calculate_root_hash() != checkpoint.root_hash
    with pytest.raises(tlog.InclusionProofInvalid, match="root_hash"):
        tiles.get_inclusion_proof(512, 600).check(
            merkle.leaf_hash(ledger.entries[512]), checkpoint.root_hash
        )


def test_empty_ledger_exports_only_a_checkpoint(out: Path) -> None:
    ledger = Ledger([])
    assert ledger.export(out) == 1
    assert [p.name for p in out.iterdir()] == ["checkpoint"]
    checkpoint = reader.TilesReader(backend.LocalBackend(out)).get_checkpoint()
    assert checkpoint.root_hash == merkle.EMPTY_ROOT


def test_a_checkpoint_for_another_size_or_root_is_refused(out: Path) -> None:
    ledger = Ledger(_entries(10))
    with pytest.raises(LedgerIntegrityError, match="does not match the ledger at tree size 10"):
        export_tiles(out, TreeSize(10), ledger.store, ledger, ledger.signed(9))
    other = Ledger(_entries(11)[1:])
    with pytest.raises(LedgerIntegrityError, match="does not match the ledger"):
        export_tiles(out, TreeSize(10), ledger.store, ledger, other.signed())
    assert not (out / "checkpoint").exists()


def test_an_entry_that_does_not_match_its_leaf_hash_is_refused(out: Path) -> None:
    ledger = Ledger(_entries(300))
    ledger.entries[257] = b"edited"
    with pytest.raises(LedgerIntegrityError, match="^entry 257 does not match its leaf hash$"):
        export_tiles(out, TreeSize(300), ledger.store, ledger, ledger.signed())
    assert not (out / "checkpoint").exists()


def test_an_entry_too_large_for_a_bundle_is_refused(out: Path) -> None:
    ledger = Ledger([b"x" * 65_536])
    with pytest.raises(InputError, match="entry 0: is larger than 65535 bytes"):
        ledger.export(out)


def test_an_existing_directory_is_refused_without_force(tmp_path: Path) -> None:
    (tmp_path / "checkpoint").write_text("mine\n")
    with pytest.raises(InputError, match=f"^{tmp_path}: already exists$"):
        Ledger(_entries(3)).export(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint"]
    assert (tmp_path / "checkpoint").read_text() == "mine\n"


@pytest.mark.parametrize("planted", ["checkpoint", "tile", "tile/entries", "tile/0/000.p/3"])
def test_a_planted_symlink_is_never_followed_even_with_force(tmp_path: Path, planted: str) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "file").write_text("keep\n")
    out = tmp_path / "tiles"
    link = out / planted
    link.parent.mkdir(parents=True)
    link.symlink_to(victim if planted != "checkpoint" else victim / "file")
    ledger = Ledger(_entries(3))
    with pytest.raises(InputError, match="symbolic link"):
        export_tiles(out, TreeSize(3), ledger.store, ledger, ledger.signed(), force=True)
    assert [p.name for p in victim.iterdir()] == ["file"]
    assert (victim / "file").read_text() == "keep\n"


def test_the_export_directory_itself_may_not_be_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "victim").mkdir()
    (tmp_path / "tiles").symlink_to(tmp_path / "victim")
    ledger = Ledger(_entries(3))
    for force in (False, True):
        with pytest.raises(InputError, match="symbolic link"):
            export_tiles(tmp_path / "tiles", TreeSize(3), ledger.store, ledger, ledger.signed(),
                         force=force)  # fmt: skip
    assert list((tmp_path / "victim").iterdir()) == []


def test_force_replaces_files_by_rename_never_writing_through(tmp_path: Path, out: Path) -> None:
    """A hard link to the old checkpoint keeps the old bytes: the new file is a new inode, so a
    writer never writes into a file someone else holds (temporary file, then rename)."""
    Ledger(_entries(300)).export(out)
    old = (out / "checkpoint").read_bytes()
    (tmp_path / "held").hardlink_to(out / "checkpoint")
    grown = Ledger(_entries(600))
    size = TreeSize(600)
    assert export_tiles(out, size, grown.store, grown, grown.signed(), force=True) == 3 * 2 + 1 + 1
    assert (tmp_path / "held").read_bytes() == old != (out / "checkpoint").read_bytes()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    _verify_with_tlog_scales(out, grown, sample=range(0, 600, 7))
