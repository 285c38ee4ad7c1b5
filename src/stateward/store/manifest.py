"""Observation manifests: which objects an observation holds, stored as full snapshots or deltas.

A manifest maps names to object digests in a few named maps (``resources``, ``components``,
``findings``). Recording an estate again stores only a delta against the previous manifest, so a
re-scan with 1 % of resources changed costs about 1 % more space; every ``MAX_DEPTH`` deltas a full
snapshot bounds the work of reading one back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from stateward.errors import LedgerIntegrityError

__all__ = ["MAPS", "MAX_DEPTH", "Manifest", "encode", "decode", "references"]

VERSION = 1
MAPS = ("resources", "components", "findings")
MAX_DEPTH = 16
"""Longest chain of deltas before the next manifest is written in full."""


@dataclass(slots=True)
class Manifest:
    """The resolved maps of one observation, plus the plain-list ``errors``."""

    maps: dict[str, dict[str, Any]]
    errors: list[Any]


def encode(
    current: Manifest, parent: Manifest | None, parent_digest: str | None, depth: int
) -> tuple[dict[str, Any], int]:
    """Manifest document for ``current`` and its depth: a delta when a parent is given and the
    chain is short enough, else a full snapshot."""
    if parent is None or parent_digest is None or depth >= MAX_DEPTH:
        return {"v": VERSION, "full": current.maps, "errors": current.errors}, 0
    delta = {name: _delta(parent.maps.get(name, {}), current.maps[name]) for name in MAPS}
    return {
        "v": VERSION,
        "parent": parent_digest,
        "delta": delta,
        "errors": current.errors,
    }, depth + 1


def decode(document: Mapping[str, Any], load_parent: Callable[[str], Manifest]) -> Manifest:
    """The resolved manifest; ``load_parent`` resolves the parent of a delta."""
    if document.get("v") != VERSION:
        raise LedgerIntegrityError(f"manifest version {document.get('v')!r} is not supported")
    if "full" in document:
        return Manifest(
            {name: dict(document["full"].get(name, {})) for name in MAPS}, document["errors"]
        )
    parent = load_parent(document["parent"])
    maps = {}
    for name in MAPS:
        merged = dict(parent.maps.get(name, {}))
        change = document["delta"][name]
        for key in change["del"]:
            merged.pop(key, None)
        merged.update(change["set"])
        maps[name] = merged
    return Manifest(maps, document["errors"])


def references(document: Mapping[str, Any]) -> list[str]:
    """Every object digest a manifest document names directly: its parent, and the objects of
    its full maps or of the ``set`` side of its deltas (a resource entry is ``[digest, …]``)."""
    if document.get("v") != VERSION:
        raise LedgerIntegrityError(f"manifest version {document.get('v')!r} is not supported")
    if "full" in document:
        maps = document["full"]
    else:
        maps = {name: document["delta"][name]["set"] for name in MAPS}
    found = [document["parent"]] if "parent" in document else []
    for name in MAPS:
        found.extend(v[0] if isinstance(v, list) else v for v in maps.get(name, {}).values())
    return found


def _delta(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "set": {k: v for k, v in after.items() if before.get(k) != v},
        "del": sorted(k for k in before if k not in after),
    }
