"""Read the files of a tlog-tiles tree from a directory or over plain HTTP(S), bounded.

https://github.com/C2SP/C2SP/blob/0ad71eb1f1b99acf18deb575978c9205e24860cc/tlog-tiles.md
§Checkpoints and tiles: clients fetch ``<prefix>/checkpoint`` and ``<prefix>/tile/...`` with
GET. Whoever serves the tree is not trusted: every read has a byte limit given by the caller
(a hash tile is at most 8 KiB), a directory read opens only regular files and no symlink, and a
remote read has a total deadline, so a server trickling one byte a second cannot hold us.
"""

from __future__ import annotations

import os
import stat
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Protocol

from stateward.errors import LedgerIntegrityError, SourceError

__all__ = ["DEADLINE_S", "DirectoryTiles", "HttpTiles", "TileFetcher", "open_tiles"]

DEADLINE_S = 30.0  # per file, whole transfer
_SOCKET_TIMEOUT_S = 10.0  # per connect or read
_CHUNK = 1 << 16


class TileFetcher(Protocol):
    """Where a tree is read from; ``fetch`` raises LedgerIntegrityError for a missing or
    oversized file (the tree is incomplete) and SourceError when the place cannot be read."""

    location: str

    def fetch(self, path: str, limit: int) -> bytes: ...


def open_tiles(location: str) -> TileFetcher:
    """An ``http(s)://`` prefix or a local directory."""
    if location.startswith(("http://", "https://")):
        return HttpTiles(location)
    if "://" in location:
        raise SourceError(f"{location}: only http://, https:// or a directory can be verified")
    return DirectoryTiles(Path(location))


def _too_large(path: str, limit: int) -> LedgerIntegrityError:
    return LedgerIntegrityError(f"{path} is larger than the {limit} bytes it can hold")


class DirectoryTiles:
    """A tree exported to a local directory."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise SourceError(f"{root}: no such directory")
        self.root = root
        self.location = str(root)

    def fetch(self, path: str, limit: int) -> bytes:
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # a FIFO cannot block
        try:
            fd = os.open(self.root / path, flags)
        except FileNotFoundError:
            raise LedgerIntegrityError(f"{path} is missing") from None
        except OSError as exc:
            raise LedgerIntegrityError(f"{path} cannot be read: {exc.strerror}") from None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise LedgerIntegrityError(f"{path} is not a regular file")
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise _too_large(path, limit)
        return data


class HttpTiles:
    """A tree served over HTTP(S) under a URL prefix."""

    def __init__(self, prefix: str, deadline_s: float = DEADLINE_S) -> None:
        self.location = prefix.rstrip("/")
        self.deadline_s = deadline_s

    def fetch(self, path: str, limit: int) -> bytes:
        url = f"{self.location}/{path}"
        deadline = time.monotonic() + self.deadline_s
        timeout = min(_SOCKET_TIMEOUT_S, self.deadline_s)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return _read_until(response, path, limit, deadline)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise LedgerIntegrityError(f"{path} is missing (HTTP 404)") from None
            raise SourceError(f"{url}: HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise SourceError(f"{url}: cannot fetch: {reason}") from None


class _Body(Protocol):
    def read1(self, size: int, /) -> bytes: ...


def _read_until(response: _Body, path: str, limit: int, deadline: float) -> bytes:
    """The body, one socket read at a time (``read1``), so the deadline is checked between
    reads; each read is itself bounded by the socket timeout."""
    parts: list[bytes] = []
    size = 0
    while chunk := response.read1(min(_CHUNK, limit + 1 - size)):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(path, limit)
        if time.monotonic() > deadline:
            raise SourceError(f"{path}: not fetched within the deadline; the server is too slow")
    return b"".join(parts)
