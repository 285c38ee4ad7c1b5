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
from stateward.server.log import TileCache

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
                assert requests.get(f"{url}/log/{path}", timeout=30).content == file.read_bytes(), (
                    path
                )


def _leaf(entry: bytes) -> bytes:
    import hashlib

    return hashlib.sha256(b"\x00" + entry).digest()  # RFC 9162 §2.1.1: SHA-256(0x00 || d)


def test_the_checkpoint_is_signed_once_per_tree_size(served: Served) -> None:
    headers = served.auth(served.read)
    first = requests.get(served.url + "/log/checkpoint", headers=headers, timeout=30)
    again = requests.get(served.url + "/log/checkpoint", headers=headers, timeout=30)
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


def test_a_tile_has_a_strong_etag_and_is_revalidated(served: Served) -> None:
    _grown(served.location)
    headers = served.auth(served.read)
    first = requests.get(
        served.url + "/log/tile/0/001", headers=headers, timeout=30
    )  # read from the store
    again = requests.get(served.url + "/log/tile/0/001", headers=headers, timeout=30)  # from memory
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and len(first.content) == 256 * 32
    tag = first.headers["ETag"]
    assert tag == again.headers["ETag"] and tag.startswith('"') and not tag.startswith("W/")
    assert again.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for held in (tag, f'"other", W/{tag}', "*"):
        unchanged = requests.get(
            served.url + "/log/tile/0/001", headers={**headers, "If-None-Match": held}, timeout=30
        )
        assert unchanged.status_code == 304 and unchanged.content == b"", held
        assert unchanged.headers["ETag"] == tag
    other = requests.get(
        served.url + "/log/tile/0/001", headers={**headers, "If-None-Match": '"x"'}, timeout=30
    )
    assert other.status_code == 200 and other.content == first.content


@pytest.mark.parametrize("path", ["/log/tile/0/000", "/log/tile/entries/001"])
def test_head_of_a_tile_is_its_headers(served: Served, path: str) -> None:
    _grown(served.location)
    headers = served.auth(served.read)
    before = requests.head(served.url + path, headers=headers)  # maybe not cached yet
    body = requests.get(served.url + path, headers=headers, timeout=30).content
    after = requests.head(served.url + path, headers=headers)  # cached now
    for answer in (before, after):
        assert answer.status_code == 200 and answer.content == b""
        assert int(answer.headers["Content-Length"]) == len(body) > 0


def test_a_cached_tile_still_needs_a_token(served: Served) -> None:
    _grown(served.location)
    path = served.url + "/log/tile/0/000"
    assert requests.get(path, headers=served.auth(served.read), timeout=30).status_code == 200
    for headers in ({}, served.auth("swt_00000000_not-a-token"), {"Authorization": "Basic eDp5"}):
        refused = requests.get(path, headers=headers, timeout=30)
        assert refused.status_code == 401 and refused.content != b"", headers
        assert refused.headers["WWW-Authenticate"] == 'Bearer realm="stateward"'


def test_a_limited_client_is_refused_a_cached_tile(served: Served) -> None:
    _grown(served.location)
    with running(served.location, Settings(failed_auth=3)) as url:
        good = served.auth(served.read)
        assert requests.get(url + "/log/tile/0/000", headers=good, timeout=30).status_code == 200
        for _ in range(3):
            wrong = requests.get(
                url + "/log/tile/0/000", headers=served.auth("swt_guess"), timeout=30
            )
            assert wrong.status_code == 401
        limited = requests.get(url + "/log/tile/0/000", headers=good, timeout=30)
        assert limited.status_code == 429 and "Retry-After" in limited.headers


def test_the_tile_cache_drops_the_least_recently_asked_for() -> None:
    cache = TileCache(max_bytes=3 * 32)
    for n in range(3):
        cache.put(f"tile/0/00{n}", bytes([n]) * 32)
    assert cache.get("tile/0/000") is not None  # now the most recent
    cache.put("tile/0/003", b"\x03" * 32)
    assert cache.get("tile/0/001") is None
    held = [cache.get(f"tile/0/00{n}") for n in (0, 2, 3)]
    assert [t.body[0] for t in held if t is not None] == [0, 2, 3]
    assert cache.put("tile/0/004", b"\x04" * 200).body == b"\x04" * 200  # served, not kept
    assert all(cache.get(f"tile/0/00{n}") is None for n in range(5))
