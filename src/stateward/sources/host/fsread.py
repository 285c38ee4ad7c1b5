"""Reading a machine's files for the probe: bounded text, directory listings, and a file's
SHA-256 taken only if it stayed the same file, unchanged, while it was read.

Standard library only, like every module the probe ships (:mod:`.probe`)."""

from __future__ import annotations

import hashlib
import os
import stat

__all__ = ["CHUNK", "TYPES", "hash_file", "listdir", "read_text"]

CHUNK = 1 << 20
TYPES = {
    stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "link", stat.S_IFIFO: "fifo",
    stat.S_IFSOCK: "socket", stat.S_IFCHR: "char", stat.S_IFBLK: "block",
}  # fmt: skip
_KEY_MARKER = b"PRIVATE KEY"  # PEM (RFC 7468 §10), OpenSSH and PGP private key blocks


def hash_file(path: str, st: os.stat_result) -> tuple[str, bool] | str:
    """``(hex, looks like a private key)``, or ``"reason:detail"`` when the file could not be
    read whole and still (permission, swapped for another file, written to meanwhile)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return f"unreadable:{exc.strerror or exc}"
    try:
        sha = hashlib.sha256()
        # a small file in one read of its size + 1 (EOF seen next): no large buffer per file
        want = min(CHUNK, st.st_size + 1)
        first = os.read(fd, want)
        chunk = first
        while chunk:
            sha.update(chunk)
            chunk = os.read(fd, CHUNK)
        after = os.fstat(fd)
    except OSError as exc:
        return f"unreadable:{exc.strerror or exc}"
    finally:
        os.close(fd)
    if (after.st_ino, after.st_dev) != (st.st_ino, st.st_dev):
        return "changing:replaced during the scan; its digest is not recorded"
    if (after.st_size, after.st_mtime_ns, after.st_ctime_ns) != (
        st.st_size, st.st_mtime_ns, st.st_ctime_ns,
    ):  # fmt: skip
        return "changing:written to during the scan; its digest is not recorded"
    return sha.hexdigest(), first.find(_KEY_MARKER, 0, 4096) >= 0


def read_text(path: str, limit: int = 1 << 20) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read(limit).decode("utf-8", "replace")
    except OSError:
        return ""


def listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []
