"""Observation manifests: which objects an observation holds, stored as full snapshots or deltas.

A manifest maps names to object digests in a few named maps (``resources``, ``components``,
``findings``). Recording an estate again stores only a delta, so a re-scan with 1 % of resources
changed costs about 1 % more space. The store picks each delta's parent as Subversion's
skip-deltas do (https://svn.apache.org/repos/asf/subversion/trunk/notes/skip-deltas):
the n-th manifest after a full snapshot is a delta on the one at n with its lowest set bit
cleared, so no chain is longer than ``MAX_DEPTH`` however long an estate is watched, and space
grows with what changed (times a log), not with a full snapshot every few recordings. A delta
holding more than half the entries of the whole is written as a full snapshot instead.

Version 2 names resources by :meth:`ResourceKey.stored_name` (each part quoted, so no two keys
share a name) and adds the ``unseen`` map: the components a partial observation could not see,
as last observed ("not observed", never "removed"). Version 1 documents are still read: their
``group|kind|namespace|name`` names are split as they were written (at the first three ``|``)
and renamed on the way in, so a version 2 delta applies cleanly to a version 1 parent.

Version 3 lets a resource entry, ``[digest, source, location]``, carry a fourth element: the
resource's stamp (:attr:`Resource.stamp <stateward.model.resource.Resource.stamp>`), which the
next scan compares before reading the body. Versions 1 and 2 are read as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from stateward.errors import LedgerIntegrityError
from stateward.model.resource import ResourceKey

__all__ = ["MAPS", "MAX_DEPTH", "Manifest", "encode", "decode", "references"]

VERSION = 3
_READABLE = (1, 2, 3)
MAPS = ("resources", "components", "findings", "unseen")
MAX_DEPTH = 16
"""Longest chain of deltas before the next manifest is written in full: with skip-deltas, the
65,535 manifests after a full snapshot."""


@dataclass(slots=True)
class Manifest:
    """The resolved maps of one observation, plus the plain-list ``errors``."""

    maps: dict[str, dict[str, Any]]
    errors: list[Any]

    def same_as(self, other: Manifest | None) -> bool:
        """True when ``other`` holds exactly the same maps and errors."""
        return other is not None and (self.maps, self.errors) == (other.maps, other.errors)


def encode(
    current: Manifest, parent: Manifest | None, parent_digest: str | None, depth: int
) -> tuple[dict[str, Any], int]:
    """Manifest document for ``current`` and its depth: a delta when a parent is given, the
    chain is short enough and the delta is at most half the whole, else a full snapshot."""
    full = {"v": VERSION, "full": current.maps, "errors": current.errors}
    if parent is None or parent_digest is None or depth >= MAX_DEPTH:
        return full, 0
    delta = {name: _delta(parent.maps.get(name, {}), current.maps[name]) for name in MAPS}
    changed = sum(len(d["set"]) + len(d["del"]) for d in delta.values())
    if 2 * changed > sum(len(entries) for entries in current.maps.values()):
        return full, 0
    return {
        "v": VERSION,
        "parent": parent_digest,
        "delta": delta,
        "errors": current.errors,
    }, depth + 1


def decode(document: Mapping[str, Any], load_parent: Callable[[str], Manifest]) -> Manifest:
    """The resolved manifest; ``load_parent`` resolves the parent of a delta."""
    rename = _renamer(_version(document))
    if "full" in document:
        full = document["full"]
        return Manifest(
            {name: rename(name, full.get(name, {})) for name in MAPS}, document["errors"]
        )
    parent = load_parent(document["parent"])
    maps = {}
    for name in MAPS:
        merged = dict(parent.maps.get(name, {}))
        change = document["delta"].get(name, _NO_CHANGE)
        for key in rename(name, dict.fromkeys(change["del"])):
            merged.pop(key, None)
        merged.update(rename(name, change["set"]))
        maps[name] = merged
    return Manifest(maps, document["errors"])


_NO_CHANGE: dict[str, Any] = {"set": {}, "del": []}


def _version(document: Mapping[str, Any]) -> int:
    version = document.get("v")
    if version not in _READABLE:
        raise LedgerIntegrityError(f"manifest version {version!r} is not supported")
    return int(version)


def _renamer(version: int) -> Callable[[str, Mapping[str, Any]], dict[str, Any]]:
    """How to read a map's names: as written, or (version 1 resources) renamed."""
    if version > 1:
        return lambda _, entries: dict(entries)
    return lambda name, entries: (
        {_rename_v1(k): v for k, v in entries.items()} if name == "resources" else dict(entries)
    )


def _rename_v1(name: str) -> str:
    """A version 1 resource name (parts joined by ``|`` unquoted, the name taking any extra
    ``|``) as version 2 writes it."""
    parts = name.split("|", 3)
    if len(parts) != 4:
        raise LedgerIntegrityError(f"manifest names a resource {name[:80]!r} of no known form")
    return ResourceKey(*parts).stored_name()


def references(document: Mapping[str, Any]) -> list[str]:
    """Every object digest a manifest document names directly: its parent, and the objects of
    its full maps or of the ``set`` side of its deltas (a resource entry is ``[digest, …]``)."""
    _version(document)
    if "full" in document:
        maps = document["full"]
    else:
        maps = {name: document["delta"].get(name, _NO_CHANGE)["set"] for name in MAPS}
    found = [document["parent"]] if "parent" in document else []
    for name in MAPS:
        found.extend(v[0] if isinstance(v, list) else v for v in maps.get(name, {}).values())
    return found


def _delta(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "set": {k: v for k, v in after.items() if before.get(k) != v},
        "del": sorted(k for k in before if k not in after),
    }
