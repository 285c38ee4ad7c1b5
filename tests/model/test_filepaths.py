"""``at_or_under``: a path inside an observed container or host is at or under a directory by
its components, as ``PurePosixPath.is_relative_to`` says, without any file system; and the
scratch and log trees the state audit reads by place."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.model.filepaths import LOG_TREES, SCRATCH_TREES, at_or_under, under_any

# Few, overlapping names, so that prefixes that are not parents ("dat" of "data") come up often.
_NAMES = st.sampled_from(["dat", "data", "data.d", "d", "a b", "x"])
# Normalized absolute paths: no ".", "..", doubled or trailing slash; "/" for no component.
absolute = st.lists(_NAMES, max_size=4).map(lambda parts: "/" + "/".join(parts))


def _slashed(path: str, trailing: bool) -> str:
    return path + "/" if trailing else path


@given(absolute, absolute, st.booleans(), st.booleans())
def test_agrees_with_pure_posix_paths(path: str, directory: str, a: bool, b: bool) -> None:
    expected = PurePosixPath(path).is_relative_to(directory)
    assert at_or_under(_slashed(path, a), _slashed(directory, b)) is expected


@given(absolute)
def test_the_root_holds_everything_and_each_path_itself(path: str) -> None:
    assert at_or_under(path, "/")
    assert at_or_under(path, path)
    assert at_or_under(path + "/", path)
    assert not at_or_under("/", path) or path == "/"


@given(absolute, absolute)
def test_two_paths_under_each_other_are_the_same(path: str, other: str) -> None:
    both = at_or_under(path, other) and at_or_under(other, path)
    assert both == (path == other)


def test_a_name_that_only_begins_alike_is_not_a_parent() -> None:
    assert not at_or_under("/data", "/dat")
    assert not at_or_under("/dat", "/data")
    assert not at_or_under("/database/x", "/data")
    assert at_or_under("/data/base", "/data")


def test_relative_and_absolute_paths_never_hold_each_other() -> None:
    assert not at_or_under("data/x", "/data")
    assert not at_or_under("/data/x", "data")
    assert not at_or_under("data", "/")
    assert at_or_under("db/app.sqlite3", "db")


@given(absolute, st.lists(absolute, max_size=3))
def test_under_any_is_under_one_of_them(path: str, trees: list[str]) -> None:
    expected = any(PurePosixPath(path).is_relative_to(tree) for tree in trees)
    assert under_any(path, tuple(trees)) is expected


@pytest.mark.parametrize(
    "path", ["/tmp", "/tmp/x.log", "/run/app.sock", "/var/run/app/app.pid", "/run/user/1000/"]
)
def test_run_time_and_temporary_files_are_scratch(path: str) -> None:
    assert under_any(path, SCRATCH_TREES)


@pytest.mark.parametrize(
    "path",
    [
        "/var/tmp/upload",  # persistent temporary files: kept over a restart
        "/var/cache/app",  # a persistent cache
        "/var/log/app/out.log",  # a log: LOG_TREES, kept apart
        "/tmpdata",  # only begins like /tmp
        "/srv/tmp",  # scratch by its name, not by its place
    ],
)
def test_what_outlives_a_restart_or_only_looks_alike_is_not_scratch(path: str) -> None:
    assert not under_any(path, SCRATCH_TREES)


def test_logs_and_scratch_are_apart() -> None:
    assert under_any("/var/log/app", LOG_TREES)
    assert not any(under_any(tree, SCRATCH_TREES) for tree in LOG_TREES)
    assert not any(under_any(tree, LOG_TREES) for tree in SCRATCH_TREES)
