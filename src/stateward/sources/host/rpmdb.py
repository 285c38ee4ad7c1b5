"""Installed packages from rpm's SQLite database (rpm >= 4.16, the default of Fedora 33+, RHEL 9,
openSUSE and Debian's rpm): each row of ``Packages`` is one package's header blob.

The blob is a header without its 8-byte lead: two big-endian 32-bit counts (index entries, data
bytes), the index entries of 16 bytes each (tag, type, offset, count) and the data store
(https://rpm-software-management.github.io/rpm/manual/format_v4.html, "Header structure"; the
tags and types are rpm's ``include/rpm/rpmtag.h`` at rpm-4.18.0). Standard library only
(:mod:`.probe`); older BerkeleyDB and ndb databases are named as unread, not guessed at.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

__all__ = ["rpm_packages"]

_DATABASES = ("/usr/lib/sysimage/rpm", "/var/lib/rpm")
"""Where rpm keeps its database: the newer place first (Fedora 36+ links the older one to it)."""
_NAME, _VERSION, _RELEASE, _EPOCH, _ARCH = 1000, 1001, 1002, 1003, 1022
_FILEFLAGS, _DIRINDEXES, _BASENAMES, _DIRNAMES = 1037, 1116, 1117, 1118
_INT32, _STRING, _STRING_ARRAY, _I18NSTRING = 4, 6, 8, 9
_CONFIG = 1  # RPMFILE_CONFIG, the %config files: rpm's counterpart of dpkg's conffiles


def rpm_packages(r: str) -> dict[str, Any] | None:
    """``{"packages": {name: {version, arch, conffiles}}, "owners": {path: name},
    "problems": [...]}`` from the database under root ``r``; None when the machine has none."""
    for folder in _DATABASES:
        path = f"{r}{folder}/rpmdb.sqlite"
        if os.path.isfile(path):
            return _read(path, folder + "/rpmdb.sqlite")
    for folder in _DATABASES:
        for old in ("Packages", "Packages.db"):
            if os.path.isfile(f"{r}{folder}/{old}"):
                why = "an rpm database older than rpm 4.16 (BerkeleyDB or ndb): not read"
                return _nothing([f"{folder}/{old}", "unreadable", why])
    return None


def _read(path: str, shown: str) -> dict[str, Any]:
    out = _nothing()
    try:
        rows = list(_rows(path))
    except Exception as exc:  # sqlite3 missing on the target, a locked or corrupt file
        return _nothing([shown, "unreadable", str(exc) or type(exc).__name__])
    for hnum, blob in rows:
        try:
            package = _package(_header(bytes(blob)))
        except (struct.error, ValueError, KeyError, UnicodeDecodeError) as exc:
            out["problems"].append([f"{shown}#{hnum}", "unreadable", f"malformed header: {exc!r}"])
            continue
        name = package.pop("name")
        out["owners"].update(dict.fromkeys(package.pop("files"), name))
        out["packages"][name] = package
    return out


def _nothing(*problems: list[str]) -> dict[str, Any]:
    return {"packages": {}, "owners": {}, "problems": list(problems)}


def _rows(path: str) -> Iterator[tuple[int, bytes]]:
    import sqlite3  # not every Python on a target has it: a problem, never a crash

    # read-only, and never a writer's lock; a database still in WAL mode is read with its log
    db = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
    try:
        yield from db.execute("SELECT hnum, blob FROM Packages ORDER BY hnum")
    finally:
        db.close()


def _header(blob: bytes) -> dict[int, Any]:
    """The tags of one header blob this module reads, decoded by their types."""
    entries, size = struct.unpack_from(">II", blob)
    store = 8 + 16 * entries
    if store + size > len(blob):
        raise ValueError(f"{entries} entries and {size} data bytes overrun a {len(blob)}-byte blob")
    wanted = {_NAME, _VERSION, _RELEASE, _EPOCH, _ARCH, _FILEFLAGS, _DIRINDEXES, _BASENAMES,
              _DIRNAMES}  # fmt: skip
    tags: dict[int, Any] = {}
    for n in range(entries):
        tag, kind, offset, count = struct.unpack_from(">IIiI", blob, 8 + 16 * n)
        if tag in wanted:
            if not 0 <= offset < size:
                raise ValueError(f"tag {tag} points outside the data store")
            tags[tag] = _value(blob, store + offset, store + size, kind, count)
    return tags


def _value(blob: bytes, at: int, end: int, kind: int, count: int) -> Any:
    if kind == _INT32:
        if at + 4 * count > end:
            raise ValueError("an integer array overruns the data store")
        return list(struct.unpack_from(f">{count}i", blob, at))
    if kind in (_STRING, _STRING_ARRAY, _I18NSTRING):
        strings = []
        for _ in range(1 if kind == _STRING else count):
            stop = blob.index(b"\0", at, end)
            strings.append(blob[at:stop].decode("utf-8", "replace"))
            at = stop + 1
        return strings[0] if kind == _STRING else strings
    raise ValueError(f"type {kind} where a string or an integer was expected")


def _package(tags: dict[int, Any]) -> dict[str, Any]:
    """rpm's own ``[EPOCH:]VERSION-RELEASE``, the arch, and the files with the %config ones."""
    epoch = tags.get(_EPOCH, [None])[0]
    version = f"{tags.get(_VERSION, '')}-{tags.get(_RELEASE, '')}"
    names = tags.get(_BASENAMES, [])
    dirs, index = tags.get(_DIRNAMES, []), tags.get(_DIRINDEXES, [])
    if len(index) != len(names) or any(not 0 <= i < len(dirs) for i in index):
        raise ValueError("file names and their directory indexes disagree")
    files = [dirs[i] + name for i, name in zip(index, names, strict=True)]
    flags = tags.get(_FILEFLAGS, [0] * len(files))
    return {
        "name": tags[_NAME],
        "version": version if epoch is None else f"{epoch}:{version}",
        "arch": tags.get(_ARCH, ""),
        "conffiles": [f for f, flag in zip(files, flags, strict=False) if flag & _CONFIG],
        "files": files,
    }
