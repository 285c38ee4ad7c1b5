"""The ledger over HTTP as C2SP tlog-tiles, verified by tlog-scales' own HTTP backend (no
Stateward code on the client side), byte for byte what ``ledger export --tiles`` writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.server.conftest import Served, raw_get, running
from tlog_scales import backend, reader, signing

from stateward import api
from stateward.errors import InputError
from stateward.ledger.entry import Entry, EntryType
from stateward.ledger.merkle import TreeSize
from stateward.ledger.tiles import read_tile
from stateward.server import Settings

SIZE = 600  # two full level-0 tiles, a partial one, and a partial level-1 tile


def _grown(location: str) -> None:
    """Append entries until the ledger holds SIZE (the served shop holds a few already)."""
    store = api.opened(location)
    missing = SIZE - store.ledger.size()
    when = datetime(2026, 1, 1, tzinfo=UTC)
    store.ledger.append([Entry(EntryType.CHANGE, f"estate-{i}", when) for i in range(missing)])


def test_tlog_scales_verifies_the_served_log(served: Served, tmp_path: Path) -> None:
    _grown(served.location)
    with running(served.location, Settings(public_log=True)) as url:
        tiles = reader.TilesReader(backend.HttpBackend(url + "/log"))
        checkpoint = tiles.get_checkpoint()
        checkpoint.verify(signing.Vkey.from_string(api.verifier_key(served.location).vkey()))
        assert checkpoint.size == SIZE
        assert tiles.calculate_root_hash() == checkpoint.root_hash
        for index in (0, 1, 255, 256, 511, 512, SIZE - 1):
            entry = tiles.get_entry(index)
            tiles.get_inclusion_proof(index, SIZE).check(_leaf(entry), checkpoint.root_hash)
        api.export_tiles(served.location, tmp_path / "tiles")
        for file in (tmp_path / "tiles").rglob("*"):
            if file.is_file() and file.name != "checkpoint":
                path = file.relative_to(tmp_path / "tiles").as_posix()
                assert requests.get(f"{url}/log/{path}").content == file.read_bytes(), path


def _leaf(entry: bytes) -> bytes:
    import hashlib

    return hashlib.sha256(b"\x00" + entry).digest()  # RFC 9162 §2.1.1: SHA-256(0x00 || d)


def test_the_checkpoint_is_signed_once_per_tree_size(served: Served) -> None:
    headers = served.auth(served.read)
    first = requests.get(served.url + "/log/checkpoint", headers=headers)
    again = requests.get(served.url + "/log/checkpoint", headers=headers)
    assert first.text == again.text and first.headers["Cache-Control"] == "no-store"
    assert first.headers["Content-Type"].startswith("text/plain")


HOSTILE = [
    "tile/../checkpoint",
    "tile/0/../../../etc/passwd",
    "tile/%2e%2e/%2e%2e/etc/passwd",
    "tile/0/..%2f..%2fcheckpoint",
    "tile/0/000.p/0",
    "tile/0/000.p/256",
    "tile/0/000.p/007x",
    "tile/0/x000/000",
    "tile/0/0",
    "tile/64/000",
    "tile/00/000",
    "tile/entries/000.p/9999",
    "tile/0/000/",
    "tile/0/000.p/1/../2",
    "tile/0/x999/x999/x999/x999/x999/x999/999",  # far beyond the tree
    "tile//etc/passwd",
    "tile/0/%00",
]


@pytest.mark.parametrize("path", HOSTILE)
def test_a_hostile_tile_path_is_404_and_reads_nothing(served: Served, path: str) -> None:
    status, body = raw_get(served.url, f"/log/{path}", served.auth(served.read))
    assert status == 404, body[:200]
    assert b"root:" not in body and b"stateward.local" not in body


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="tile/entrsx0123456789.p", max_size=40))
def test_read_tile_accepts_only_canonical_paths(path: str) -> None:
    class Empty:
        def read_hashes(self, indexes: object) -> list[bytes]:
            raise AssertionError("read beyond the tree")

        def read_entries(self, start: object, end: object) -> list[bytes]:
            raise AssertionError("read beyond the tree")

    try:
        assert read_tile(path, TreeSize(0), Empty(), Empty()) is None  # nothing is in the tree
    except InputError as error:
        assert "tlog-tiles path" in error.message or "wider than" in error.message
