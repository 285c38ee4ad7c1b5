"""Bounded reads of local files: regular files only, never more than a limit.

A scanned folder or a Compose ``env_file`` can name anything: ``/dev/zero`` (endless), a FIFO (an
``open`` that blocks forever), a file that grows while read. Each is opened ``O_NONBLOCK`` (so a
FIFO opens at once), checked with ``fstat`` on the open descriptor (no race with a swap of the
path), and read to at most ``limit`` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["ReadRefused", "read_bounded", "within"]

_KINDS = (
    (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
)  # fmt: skip
_CHUNK = 1 << 20


class ReadRefused(Exception):
    """A path that was not read; ``unseen`` when what it holds is unknown (unreadable or not a
    regular file), as opposed to read and found too large; ``missing`` when it does not exist."""

    def __init__(self, reason: str, *, unseen: bool, missing: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unseen = unseen
        self.missing = missing


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``; ReadRefused past ``limit`` bytes or for any
    other kind of file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise ReadRefused(f"cannot read: {exc.strerror}", unseen=True) from None
    try:
        info = os.fstat(fd)
        kind = next((name for test, name in _KINDS if test(info.st_mode)), None)
        if kind is not None or not stat.S_ISREG(info.st_mode):
            raise ReadRefused(
                f"not a regular file ({kind or 'special file'}); skipped", unseen=True
            )
        if info.st_size > limit:
            raise ReadRefused(_too_large(info.st_size, limit), unseen=False)
        return _read_at_most(fd, limit)
    except OSError as exc:
        raise ReadRefused(f"cannot read: {exc.strerror}", unseen=True) from None
    finally:
        os.close(fd)


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := os.read(fd, min(_CHUNK, limit + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise ReadRefused(_too_large(total, limit) + " (it grew while read)", unseen=False)
    return b"".join(chunks)


def _too_large(size: int, limit: int) -> str:
    return f"file is {size / 1e6:.1f} MB, over the {limit >> 20} MiB limit"


def within(path: Path, root: Path) -> bool:
    """Whether ``path``, symlinks resolved, lies under the directory ``root``."""
    return path.resolve().is_relative_to(root.resolve())
