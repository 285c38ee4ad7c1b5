"""Safe output writing: no write through a planted symlink, no clobbering without force, nothing
half-written, on the real filesystem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.errors import InputError
from stateward.fsutil import make_new_dir, open_new, open_regular, write_new


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_a_new_file_with_its_mode(tmp_path: Path) -> None:
    write_new(tmp_path / "out", b"data", mode=0o600)
    assert (tmp_path / "out").read_bytes() == b"data"
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o600 & ~_umask()
    assert _listing(tmp_path) == ["out"]


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_bytes(b"old")
    with pytest.raises(InputError, match="out: already exists") as refused:
        write_new(target, b"new")
    assert refused.value.remedy == "Choose another path, or pass --force to replace it."
    assert target.read_bytes() == b"old"
    write_new(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert _listing(tmp_path) == ["out"]


@pytest.mark.parametrize("force", [False, True])
def test_a_planted_symlink_is_never_followed(tmp_path: Path, force: bool) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    (tmp_path / "out").symlink_to(victim)
    with pytest.raises(InputError, match="out: (already exists|is a symbolic link)"):
        write_new(tmp_path / "out", b"attack", force=force)
    assert victim.read_bytes() == b"precious"
    assert (tmp_path / "out").is_symlink()
    assert _listing(tmp_path) == ["out", "victim"]


def test_a_dangling_symlink_is_not_followed_to_create_its_target(tmp_path: Path) -> None:
    (tmp_path / "out").symlink_to(tmp_path / "created-through-link")
    with pytest.raises(InputError, match="already exists"):
        write_new(tmp_path / "out", b"attack")
    assert not (tmp_path / "created-through-link").exists()


def test_a_file_planted_while_writing_is_not_overwritten(tmp_path: Path) -> None:
    # The up-front check passes; the file appears before the move: link(2) still refuses.
    target = tmp_path / "out"
    with pytest.raises(InputError, match="already exists"), open_new(target) as handle:
        handle.write(b"new")
        target.write_bytes(b"planted")
    assert target.read_bytes() == b"planted"
    assert _listing(tmp_path) == ["out"]


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="boom"), open_new(tmp_path / "out") as handle:
        handle.write(b"half")
        raise RuntimeError("boom")
    assert _listing(tmp_path) == []


def test_a_directory_target_and_a_missing_parent_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(InputError, match="dir: is a directory"):
        write_new(tmp_path / "dir", b"x", force=True)
    with pytest.raises(InputError, match="nope/out: cannot write into .*nope: No such file"):
        write_new(tmp_path / "nope" / "out", b"x")


def test_make_new_dir_refuses_links_files_and_existing_dirs_unless_forced(tmp_path: Path) -> None:
    made = make_new_dir(tmp_path / "tiles")
    assert made.is_dir()
    with pytest.raises(InputError, match="tiles: already exists"):
        make_new_dir(tmp_path / "tiles")
    assert make_new_dir(tmp_path / "tiles", force=True) == tmp_path / "tiles"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere)
    with pytest.raises(InputError, match="link: is a symbolic link"):
        make_new_dir(tmp_path / "link", force=True)
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(InputError, match="file: exists and is not a directory"):
        make_new_dir(tmp_path / "file", force=True)


def test_open_regular_reads_files_and_refuses_fifos_and_devices(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"data")
    with open_regular(tmp_path / "file") as handle:
        assert handle.read() == b"data"
    os.mkfifo(tmp_path / "fifo")  # no writer: a plain open would wait forever
    with pytest.raises(InputError, match="fifo: not a regular file"):
        open_regular(tmp_path / "fifo")
    with pytest.raises(InputError, match="^/dev/zero: not a regular file"):
        open_regular("/dev/zero")
    with pytest.raises(InputError, match="missing: cannot read: No such file"):
        open_regular(tmp_path / "missing")


@settings(max_examples=50, deadline=None)
@given(
    data=st.binary(max_size=4096),
    name=st.text(
        st.characters(codec="ascii", exclude_characters="/\0"), min_size=1, max_size=300
    ).filter(lambda n: n not in (".", "..")),
)
def test_what_is_written_is_read_back(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str
) -> None:
    folder = tmp_path_factory.mktemp("w")
    target = folder / name[:255]
    write_new(target, data)
    assert target.read_bytes() == data
    assert _listing(folder) == [target.name]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
