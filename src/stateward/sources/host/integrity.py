"""A file-integrity report between two observations of the same trees, in AIDE's terms
(added, removed, changed with the attributes that changed: https://aide.github.io/doc/).

Only paths under the trees both observations walked are compared: a tree one scan was limited
away from (``--paths``) is not observed, never removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stateward.model.resource import Resource
from stateward.sources.host.resources import file_index, known_directories

__all__ = ["FileChanges", "file_changes", "tree_changes"]


@dataclass(slots=True)
class FileChanges:
    """Paths added, removed and changed (with the names of the attributes that changed)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        """True when anything was added, removed or changed."""
        return bool(self.added or self.removed or self.changed)

    def lines(self) -> list[str]:
        """One line per path, AIDE's order: added, removed, changed."""
        return (
            [f"added    {p}" for p in self.added]
            + [f"removed  {p}" for p in self.removed]
            + [f"changed  {p} ({', '.join(a)})" for p, a in self.changed.items()]
        )


def file_changes(
    before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]
) -> FileChanges:
    """What changed from ``before`` to ``after`` (two :func:`file_index` results)."""
    return _compared(before, after, _tops(before) & _tops(after))


def tree_changes(before: Iterable[Resource], after: Iterable[Resource]) -> FileChanges:
    """:func:`file_changes` of two observations' host trees, read directory by directory: a
    Directory resource with one digest in both holds no change and is never unpacked, so the
    check of an unchanged tree compares a few hundred digests, not every file."""
    old, new = known_directories(before), known_directories(after)
    differ = [p for p in old.keys() | new.keys() if _digest(old, p) != _digest(new, p)]
    if not differ:  # the trees' tops are read from their bodies: not even those, then
        return FileChanges()
    walked = _walked(old) & _walked(new)
    return _compared(
        file_index(old[p] for p in differ if p in old),
        file_index(new[p] for p in differ if p in new),
        walked,
    )


def _compared(
    before: Mapping[str, Mapping[str, Any]],
    after: Mapping[str, Mapping[str, Any]],
    walked: set[str],
) -> FileChanges:
    under = tuple(t.rstrip("/") + "/" for t in walked)  # str.startswith tries each in turn
    out = FileChanges()
    for path in sorted(before.keys() | after.keys()):
        if path not in walked and not path.startswith(under):
            continue
        old, new = before.get(path), after.get(path)
        if old == new:  # most paths of a check: no attribute to name
            continue
        if old is None:
            out.added.append(path)
        elif new is None:
            out.removed.append(path)
        else:
            names = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            if names:
                out.changed[path] = names
    return out


def _tops(index: Mapping[str, Any]) -> set[str]:
    """The walked trees: entries whose parent directory was not itself walked."""
    return {p for p in index if p == "/" or (p.rpartition("/")[0] or "/") not in index}


def _walked(dirs: Mapping[str, Resource]) -> set[str]:
    """:func:`_tops` of the :func:`file_index` of ``dirs``, from the directories alone: the
    entries of each directory that no other lists."""

    def listed(path: str) -> bool:
        if path == "/":  # nothing above the root lists it
            return False
        parent, _, name = path.rpartition("/")
        holder = dirs.get(parent or "/")
        return holder is not None and name in holder.body["entries"]

    return {
        f"{path.rstrip('/')}/{name}"
        for path, directory in dirs.items()
        if not listed(path)
        for name in directory.body["entries"]
    }


def _digest(dirs: Mapping[str, Resource], path: str) -> str | None:
    directory = dirs.get(path)
    return directory.digest if directory is not None else None
