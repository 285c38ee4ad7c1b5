"""Writing output files and directories safely: never through a planted symlink, never over an
existing file unless asked, never half-written; and opening input files that are files.

A file is written to a fresh temporary file beside the target (``O_CREAT | O_EXCL | O_NOFOLLOW``,
so it cannot be a link someone prepared), flushed to disk, then moved into place:

* without ``force``, with link(2), which fails with ``EEXIST`` if anything — a file, a
  directory, a dangling symlink — appeared at the target, so the check and the write are one
  atomic step (POSIX link: https://pubs.opengroup.org/onlinepubs/9799919799/functions/link.html);
* with ``force``, with rename(2), which replaces the directory entry itself and never writes
  through what a symlink points at; a symlink or directory at the target is refused even then.

Every step works relative to the target's directory opened once (``dir_fd``), so that directory
cannot be swapped for a link between the steps. Symlinks in the directory's own path are followed,
as every tool does: only the last component is the one a planted link would hijack.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from stateward.errors import InputError

__all__ = ["make_new_dir", "open_new", "open_private", "open_regular", "write_new"]

_FORCE_REMEDY = "Choose another path, or pass --force to replace it."
# Filesystems without hard links answer link(2) with one of these; then the target is checked
# just before rename(2) instead (a narrower window, still never through a symlink).
_NO_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})


def write_new(path: Path | str, data: bytes, *, force: bool = False, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` as a new file (see the module's rules); InputError names the
    path when it exists (without ``force``), is a symlink or directory, or cannot be written."""
    with open_new(path, force=force, mode=mode) as handle:
        handle.write(data)


@contextlib.contextmanager
def open_new(path: Path | str, *, force: bool = False, mode: int = 0o644) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through; it appears at ``path`` only when the block ends
    without an exception (otherwise nothing is left behind)."""
    target = Path(path)
    if not force:
        _refuse_existing(target)
    directory = _open_dir(target)
    temp = f".{target.name[:200]}.{secrets.token_hex(6)}.tmp"
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(temp, flags, mode, dir_fd=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            _move(directory, temp, target, force)
            os.fsync(directory)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp, dir_fd=directory)
    except FileExistsError:
        raise InputError(str(target), "already exists", _FORCE_REMEDY) from None
    except OSError as exc:
        raise InputError(str(target), f"cannot write: {exc.strerror}") from None
    finally:
        os.close(directory)


def make_new_dir(path: Path | str, *, force: bool = False, mode: int = 0o755) -> Path:
    """Create directory ``path``; with ``force`` an existing directory (not a symlink to one) is
    used as it is. InputError names the path otherwise. Returns the path."""
    target = Path(path)
    try:
        os.mkdir(target, mode)
        return target
    except FileExistsError:
        pass
    except OSError as exc:
        raise InputError(str(target), f"cannot create directory: {exc.strerror}") from None
    kind = stat.S_IFMT(os.lstat(target).st_mode)
    if kind == stat.S_IFLNK:
        raise InputError(str(target), "is a symbolic link; it is not followed", _FORCE_REMEDY)
    if kind != stat.S_IFDIR:
        raise InputError(str(target), "exists and is not a directory", "Choose another path.")
    if not force:
        raise InputError(str(target), "already exists", _FORCE_REMEDY)
    return target


def open_regular(path: Path | str) -> BinaryIO:
    """``path`` opened for reading if it is a regular file; InputError otherwise. A FIFO is
    refused without waiting for a writer (``O_NONBLOCK``), a device such as ``/dev/zero``
    without reading it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(str(path), "not a regular file")
    return os.fdopen(fd, "rb")


def open_private(path: Path | str) -> BinaryIO:
    """A private key file opened for reading: a regular file (:func:`open_regular`) that
    neither its group nor others can access, refused as OpenSSH refuses such a private key
    ("UNPROTECTED PRIVATE KEY FILE!" when ``st_mode & 077``, authfile.c at
    https://github.com/openssh/openssh-portable/blob/037a0dc0835bb5a442bdcbeecdd5baed723f0b45/authfile.c).
    The mode is read from the opened file, so it cannot be swapped between check and read."""
    handle = open_regular(path)
    mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
    if mode & 0o077:
        handle.close()
        raise InputError(
            str(path),
            f"permissions {mode:04o} are too open for a private key: others could read it",
            remedy=f"Run: chmod 600 {path}",
        )
    return handle


def _refuse_existing(target: Path) -> None:
    # Checked up front only for a clear message before any work; link(2) decides at the end.
    if os.path.lexists(target):
        raise InputError(str(target), "already exists", _FORCE_REMEDY)


def _open_dir(target: Path) -> int:
    parent = target.parent
    try:
        return os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(str(target), f"cannot write into {parent}: {exc.strerror}") from None


def _move(directory: int, temp: str, target: Path, force: bool) -> None:
    name = target.name
    if force:
        _refuse_link_or_dir(directory, target)
        os.rename(temp, name, src_dir_fd=directory, dst_dir_fd=directory)
        return
    try:
        os.link(temp, name, src_dir_fd=directory, dst_dir_fd=directory, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if _lexists(directory, name):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST)) from None
        os.rename(temp, name, src_dir_fd=directory, dst_dir_fd=directory)


def _refuse_link_or_dir(directory: int, target: Path) -> None:
    try:
        kind = stat.S_IFMT(os.stat(target.name, dir_fd=directory, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return
    if kind == stat.S_IFLNK:
        raise InputError(str(target), "is a symbolic link; it is not followed or replaced")
    if kind == stat.S_IFDIR:
        raise InputError(str(target), "is a directory", "Give a file name.")


def _lexists(directory: int, name: str) -> bool:
    try:
        os.stat(name, dir_fd=directory, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def read_small_text(
    path: Path,
    limit: int,
    what: str,
    *,
    encoding: str = "utf-8",
    check: Callable[[os.stat_result], None] | None = None,
) -> str:
    """The whole text of ``what`` at ``path`` (a key, a checkpoint), at most ``limit`` bytes and
    passing ``check`` on its stat; InputError naming the file when it is missing, larger or
    unreadable (a size limit first, so a hostile path such as /dev/zero is never read)."""
    try:
        info = os.stat(path)
        if check is not None:
            check(info)
        if info.st_size > limit:
            raise InputError(str(path), f"is too large for a {what}")
        return path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise InputError(str(path), f"no such {what}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read {what}: {type(exc).__name__}") from None
