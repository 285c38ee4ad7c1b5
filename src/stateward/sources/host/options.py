"""The ``host:`` section of ``stateward.yaml``: which trees the file-integrity part walks, which
attributes each path keeps (AIDE's selection lines and attribute groups, much reduced:
https://aide.github.io/doc/#config), what is excluded and the per-file hashing budget::

    host:
      paths: [/etc, /usr/local/bin]
      rules:                        # the longest matching path prefix wins
        - path: /etc
          attributes: [type, perm, uid, gid, size, mtime, ctime, inode, sha256]
        - path: /var/log
          attributes: [type, perm, uid, gid]
      exclude: ["/etc/mtab", "*.swp"]  # fnmatch globs over whole paths
      max_file_bytes: 1073741824    # larger files are recorded without a digest, and reported

A rule that keeps ``sha256`` also keeps size, mtime, ctime and inode: the stamp that lets the
next scan trust the previous digest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from stateward.errors import InputError
from stateward.model.resource import Resource
from stateward.sources.host.walk import ALL_ATTRIBUTES

__all__ = ["FileRule", "HostOptions", "parse_options"]

DEFAULT_MAX_FILE_BYTES = 1 << 30
_KEYS = {"paths", "rules", "exclude", "max_file_bytes"}
_NUMBER = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True, slots=True)
class FileRule:
    """Attributes kept for every path under ``path``."""

    path: str
    attributes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HostOptions:
    """What one host scan reads beyond the system facts, and how."""

    paths: tuple[str, ...] = ()
    rules: tuple[FileRule, ...] = ()
    exclude: tuple[str, ...] = ()
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    rehash: bool = False
    """Read every file again instead of trusting an unchanged stamp."""
    known: Mapping[str, Resource] = field(default_factory=dict)
    """Path -> Directory resource of the previous observation (:func:`.known_directories`), for
    the fast path: its stamp is compared first, its body read only where the stamp differs."""

    def with_paths(self, paths: tuple[str, ...]) -> HostOptions:
        """These options limited to ``paths`` (``scan --paths``) when any are given."""
        return replace(self, paths=paths) if paths else self

    def request(self) -> dict[str, Any]:
        """The file part of a probe request."""
        return {
            "paths": list(self.paths),
            "rules": [{"path": r.path, "attributes": list(r.attributes)} for r in self.rules],
            "exclude": list(self.exclude),
            "max_file_bytes": self.max_file_bytes,
            "rehash": self.rehash,
            "known": {} if self.rehash else _Entries(self.known),
            "stamps": {} if self.rehash else {p: r.stamp for p, r in self.known.items() if r.stamp},
        }


class _Entries(Mapping[str, Any]):
    """Path -> recorded entries of the known directories, each body read when first asked for
    (a stored body is decoded then): the walk asks only where a directory's stamp differs. JSON
    (the request sent over SSH) takes it as the dict it stands for."""

    def __init__(self, known: Mapping[str, Resource]) -> None:
        self.known = known

    def __getitem__(self, path: str) -> Any:
        return self.known[path].body["entries"]

    def __iter__(self) -> Iterator[str]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


def parse_options(document: Any, where: str) -> HostOptions:
    """The ``host:`` section of a ``stateward.yaml`` document read from ``where``; defaults when
    the document or the section is absent. InputError names the file and the key that is wrong.
    (Reading the file is the caller's: sources sit below the config reader.)"""
    section = document.get("host") if isinstance(document, dict) else None
    if section is None:
        return HostOptions()
    where = f"{where}: host"
    if not isinstance(section, dict):
        raise InputError(where, "must be a mapping")
    unknown = sorted(set(section) - _KEYS)
    if unknown:
        raise InputError(
            f"{where}.{unknown[0]}", f"unknown key (known: {', '.join(sorted(_KEYS))})"
        )
    rules = _list(section, "rules", where)
    return HostOptions(
        paths=_paths(section.get("paths", []), f"{where}.paths"),
        rules=tuple(_rule(r, f"{where}.rules[{n}]") for n, r in enumerate(rules)),
        exclude=tuple(_strings(section.get("exclude", []), f"{where}.exclude")),
        max_file_bytes=_bytes(section.get("max_file_bytes", DEFAULT_MAX_FILE_BYTES), where),
    )


def _list(section: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = section.get(key, [])
    if not isinstance(value, list):
        raise InputError(f"{where}.{key}", "must be a list")
    return value


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError(where, "must be a list of non-empty strings")
    return list(value)


def _paths(value: Any, where: str) -> tuple[str, ...]:
    paths = _strings(value, where)
    for path in paths:
        if not path.startswith("/"):
            raise InputError(where, f"{path!r} is not an absolute path")
    return tuple(paths)


def _rule(value: Any, where: str) -> FileRule:
    if not isinstance(value, dict) or set(value) != {"path", "attributes"}:
        raise InputError(where, "a rule has exactly two keys: path and attributes")
    (path,) = _paths([value["path"]], f"{where}.path")
    attributes = _strings(value["attributes"], f"{where}.attributes")
    for name in attributes:
        if name not in ALL_ATTRIBUTES:
            raise InputError(
                f"{where}.attributes",
                f"unknown attribute {name!r} (known: {', '.join(ALL_ATTRIBUTES)})",
            )
    return FileRule(path.rstrip("/") or "/", tuple(attributes))


def _bytes(value: Any, where: str) -> int:
    if isinstance(value, bool) or not _NUMBER.fullmatch(str(value)):
        raise InputError(f"{where}.max_file_bytes", "must be a whole number of bytes")
    return int(str(value))
