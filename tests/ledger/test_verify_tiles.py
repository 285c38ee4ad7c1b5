"""``ledger verify-tiles``: an exported or served tlog-tiles tree checked down to the entry bundles.

The served case runs a real ``http.server`` on the loopback interface over the exported folder.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tlog_scales import backend, reader

from stateward.cli import main
from stateward.errors import LedgerIntegrityError, SourceError, VerificationError
from stateward.ledger.checkpoint import Checkpoint, sign_checkpoint
from stateward.ledger.signer import Ed25519Signer, Ed25519Verifier
from stateward.ledger.tilefetch import DirectoryTiles, HttpTiles, open_tiles
from stateward.ledger.tileverify import parse_bundle, verify_tiles

from .test_cli import scanned
from .test_tiles import LOG, ORIGIN, Ledger, _entries

VERIFIER = Ed25519Verifier.from_vkey(LOG.vkey())


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Ledger]:
    ledger = Ledger(_entries(600))
    ledger.export(tmp_path / "tiles")
    return tmp_path / "tiles", ledger


@pytest.fixture
def served(tree: tuple[Path, Ledger]) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(tree[0]))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib's name)
        pass


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_an_export_verifies_entries_tiles_and_root(tree: tuple[Path, Ledger]) -> None:
    report = verify_tiles(DirectoryTiles(tree[0]), VERIFIER)
    assert report.ok and report.checkpoint.size == 600
    assert report.files == 1 + 3 + 3 + 1  # checkpoint, 3 bundles, 3 level-0 tiles, 1 level-1


def test_a_flipped_entry_bundle_byte_passes_the_root_check_but_not_ours(
    tree: tuple[Path, Ledger],
) -> None:
    directory, ledger = tree
    bundle = directory / "tile/entries/001"
    offset = sum(2 + len(e) for e in ledger.entries[256:300]) + 2 + 3  # inside entry 300's bytes
    _flip(bundle, offset)
    tiles = reader.TilesReader(backend.LocalBackend(directory))
    checkpoint = tiles.get_checkpoint()
    assert tiles.calculate_root_hash() == checkpoint.root_hash  # the hash tiles still agree
    report = verify_tiles(DirectoryTiles(directory), VERIFIER)
    assert (
        report.problems[0] == "entry 300 in tile/entries/001 does not match hash 44 of tile/0/001"
    )
    assert report.problems[-1] == "the entry bundles do not hash to the checkpoint's root hash"


@pytest.mark.parametrize("offset", [0, 1, 7, 500, -1])
def test_every_bundle_edit_is_caught(tree: tuple[Path, Ledger], offset: int) -> None:
    bundle = tree[0] / "tile/entries/002.p/88"
    _flip(bundle, offset % bundle.stat().st_size)
    try:
        report = verify_tiles(DirectoryTiles(tree[0]), VERIFIER)
    except LedgerIntegrityError as error:
        assert "tile/entries/002.p/88: " in str(error)
    else:
        assert report.problems and "tile/entries/002.p/88" in report.problems[0]


def test_a_flipped_upper_tile_hash_is_named(tree: tuple[Path, Ledger]) -> None:
    _flip(tree[0] / "tile/1/000.p/2", 40)
    report = verify_tiles(DirectoryTiles(tree[0]), VERIFIER)
    assert report.problems == ("hash 1 of tile/1/000.p/2 does not match the entries below it",)


def test_a_signed_checkpoint_for_another_root_fails_on_the_root(tree: tuple[Path, Ledger]) -> None:
    other = Ledger(_entries(601)[1:])
    (tree[0] / "checkpoint").write_text(other.signed())
    report = verify_tiles(DirectoryTiles(tree[0]), VERIFIER)
    assert report.problems[-1] == "the entry bundles do not hash to the checkpoint's root hash"


def test_another_key_or_no_signature_is_refused(tree: tuple[Path, Ledger]) -> None:
    stranger = Ed25519Signer.generate(ORIGIN)
    with pytest.raises(VerificationError, match="checkpoint: no signature by a known key$"):
        verify_tiles(DirectoryTiles(tree[0]), Ed25519Verifier.from_vkey(stranger.vkey()))
    ledger = tree[1]
    (tree[0] / "checkpoint").write_text(
        sign_checkpoint(Checkpoint(ORIGIN, 600, ledger.store.read_hashes([0])[0]), [stranger])
    )
    with pytest.raises(VerificationError):
        verify_tiles(DirectoryTiles(tree[0]), VERIFIER)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing", "^tile/0/001 is missing$"),
        ("symlink", "^tile/0/001 cannot be read"),
        ("fifo", "^tile/0/001 is not a regular file$"),
        ("larger", "^tile/0/001 is larger than the 8192 bytes it can hold$"),
    ],
)
def test_missing_linked_special_or_oversized_files_are_refused(
    tree: tuple[Path, Ledger], change: str, message: str
) -> None:
    tile = tree[0] / "tile/0/001"
    data = tile.read_bytes()
    tile.unlink()
    if change == "symlink":
        tile.symlink_to(tree[0] / "tile/0/000")
    elif change == "fifo":
        os.mkfifo(tile)  # would block a reader forever
    elif change == "larger":
        tile.write_bytes(data + b"\0")
    with pytest.raises(LedgerIntegrityError, match=message):
        verify_tiles(DirectoryTiles(tree[0]), VERIFIER)


def test_bundles_parse_strictly() -> None:
    assert parse_bundle(b"\x00\x01a\x00\x00", 2, "b") == [b"a", b""]
    for data, count in [(b"\x00\x02a", 1), (b"\x00", 1), (b"\x00\x01a", 2), (b"\x00\x01ab", 1)]:
        with pytest.raises(LedgerIntegrityError, match="^b: "):
            parse_bundle(data, count, "b")


def test_a_served_tree_verifies_over_http(served: str, tree: tuple[Path, Ledger]) -> None:
    assert isinstance(open_tiles(served), HttpTiles)
    assert verify_tiles(open_tiles(served), VERIFIER).ok
    _flip(tree[0] / "tile/entries/000", 2)
    report = verify_tiles(open_tiles(served), VERIFIER)
    assert report.problems[0] == "entry 0 in tile/entries/000 does not match hash 0 of tile/0/000"
    (tree[0] / "tile/0/001").unlink()
    with pytest.raises(LedgerIntegrityError, match=r"^tile/0/001 is missing \(HTTP 404\)$"):
        verify_tiles(open_tiles(served), VERIFIER)


def test_unreachable_or_unsupported_locations_are_source_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot fetch"):
        verify_tiles(open_tiles("http://127.0.0.1:9/"), VERIFIER)  # discard port: refused
    with pytest.raises(SourceError, match="only http://, https:// or a directory"):
        open_tiles("file:///etc")
    with pytest.raises(SourceError, match="no such directory"):
        open_tiles(str(tmp_path / "none"))


def run(store: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, [*args, "--store", str(store)], env={"NO_COLOR": "1", "COLUMNS": "200"}
    )


def verify_cli(location: str, vkey: str) -> Result:
    return CliRunner().invoke(
        main, ["ledger", "verify-tiles", location, "--vkey", vkey], env={"NO_COLOR": "1"}
    )


def test_cli_exports_verifies_and_names_the_flipped_entry(tmp_path: Path) -> None:
    store = scanned(tmp_path)
    vkey = run(store, "ledger", "vkey").stdout.strip()
    out = tmp_path / "tiles"
    assert run(store, "ledger", "export", "--tiles", str(out)).exit_code == 0
    result = verify_cli(str(out), vkey)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Tiles verified against the checkpoint of stateward.local/"
                                  f"{vkey.split('/')[1].split('+')[0]}.\n")  # fmt: skip
    _flip(out / "tile/entries/000.p/2", 40)
    result = verify_cli(str(out), vkey)
    assert result.exit_code == 3
    assert "Error: tiles verification failed: entry 0 in tile/entries/000.p/2 does not match " \
        "hash 0 of tile/0/000.p/2." in result.stderr  # fmt: skip


def test_cli_export_refuses_an_existing_directory_unless_forced(tmp_path: Path) -> None:
    store = scanned(tmp_path)
    out = tmp_path / "tiles"
    out.mkdir()
    result = run(store, "ledger", "export", "--tiles", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {out}: already exists. Choose another path, or pass --force " \
        "to replace it.\n"  # fmt: skip
    assert list(out.iterdir()) == []
    assert run(store, "ledger", "export", "--tiles", str(out), "--force").exit_code == 0
    vkey = run(store, "ledger", "vkey").stdout.strip()
    assert verify_cli(str(out), vkey).exit_code == 0


class _Trickle(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (stdlib's name)
        self.send_response(200)
        self.send_header("Content-Length", "8192")
        self.end_headers()
        for _ in range(8192):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return  # the client gave up: what the deadline is for
            time.sleep(0.05)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib's name)
        pass


def test_a_trickling_server_is_cut_off_at_the_deadline() -> None:
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle) as server:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started = time.monotonic()
        fetcher = HttpTiles(f"http://127.0.0.1:{server.server_address[1]}", deadline_s=1.0)
        with pytest.raises(SourceError, match="^checkpoint: not fetched within the deadline"):
            verify_tiles(fetcher, VERIFIER)
        assert time.monotonic() - started < 3
        server.shutdown()
