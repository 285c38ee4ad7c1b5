"""The JSON round trip every body takes first: a checked deep copy.

gitops-engine re-marshals both objects through JSON (``remarshal``,
https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/gitops-engine/pkg/diff/diff.go#L1230),
so ``3.0`` and ``3`` become one number;
so does this copy. It is also the one place untrusted bodies are walked before anything else:
YAML anchors can build cyclic structures and a hostile document can nest deeply enough to
exhaust the interpreter's stack, and either must end in a clear input error, not a crash or a
hang. Every later step recurses freely because this
copy has proved the body is a finite tree of JSON types within limits.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from stateward.errors import InputError
from stateward.normalize.empties import MEANINGFUL, dropped

__all__ = ["MAX_DEPTH", "MapRewrite", "clone", "round_trip"]

MAX_DEPTH = 100
"""Deeper than any Kubernetes object we know (pod templates inside CronJobs reach ~20)."""


class _TooDeep(Exception):
    pass


@dataclass(frozen=True, slots=True)
class MapRewrite:
    """A change the copy makes to each copied map holding one of ``keys``, in the same walk:
    a step that would otherwise walk the whole tree again right after the copy (quantities)."""

    keys: frozenset[str]
    apply: Callable[[dict[str, Any]], None]
    """Called with the copied map (its values copied already); may change it in place."""


def round_trip(
    value: Any,
    location: object,
    rewrite: MapRewrite | None = None,
    empties: list[str] | None = None,
) -> Any:
    """A fresh copy of ``value`` as a JSON encode/decode would give it, with ``rewrite``
    applied to the copied maps it names.

    ``empties``, when given, receives the key of each value in the copy's maps that
    :func:`stateward.normalize.empties.drop_empties` would drop (and of some it would keep: a
    float zero): when it stays empty, that pass would change nothing in the copy, and a
    pipeline whose steps are all tidy can leave it out (see :func:`stateward.normalize.normalize`).

    Integral floats become ints, tuples become lists, dates become ISO strings (YAML parses
    unquoted timestamps), non-string keys become strings, and a null ``creationTimestamp`` in
    any ``metadata`` (pod and claim templates in live dumps) is omitted, as Go's typed
    re-marshal omits it (gitops-engine ``remarshal``). InputError on a cycle, on nesting
    deeper than :data:`MAX_DEPTH`, or on a value JSON cannot hold; ``location`` names the
    value there (as ``str(location)``: a resource key is spelled only when it is needed).
    """
    try:
        return _copy(value, 0, rewrite, [] if empties is None else empties)
    except _TooDeep:
        reason = "the document refers to itself (a cycle)" if _cyclic(value, set()) else (
            f"nested deeper than {MAX_DEPTH} levels"
        )  # fmt: skip
        raise InputError(str(location), reason) from None
    except TypeError as exc:
        raise InputError(str(location), str(exc)) from None


def clone(node: Any) -> Any:
    """A deep copy of a tree that took the JSON round trip (only dicts, lists and scalars)."""
    kind = type(node)
    if kind is dict:
        return {k: clone(v) if type(v) is dict or type(v) is list else v for k, v in node.items()}
    if kind is list:
        return [clone(v) if type(v) is dict or type(v) is list else v for v in node]
    return node


def _copy(value: Any, depth: int, rewrite: MapRewrite | None, empties: list[str]) -> Any:
    # Exact type checks first: this runs on every node of every body, so the common JSON
    # types take the shortest path; subclasses and YAML extras fall through to _other.
    # Containers first: the copies of maps and lists call this for their other values only.
    # Loops, not comprehensions: most maps hold two or three items, and a comprehension is a
    # function made and called per map (Python 3.11).
    kind = type(value)
    if kind is dict:
        if depth >= MAX_DEPTH:
            raise _TooDeep
        copied = {}
        for k, v in value.items():
            key = k if type(k) is str else _key(k)
            # Most values are leaves of these types: kept as they are, without a call each.
            if type(v) in _KEPT:
                copied[key] = v
            elif v is None:
                copied[key] = None
                empties.append(key)
            else:
                found = copied[key] = _copy(v, depth + 1, rewrite, empties)
                if not found and key not in MEANINGFUL:  # an empty map or list (or 0.0)
                    empties.append(key)
        if "metadata" in copied:  # a test, not a call, for the many maps without one
            meta = copied["metadata"]
            if type(meta) is dict and meta.get("creationTimestamp", 0) is None:
                del meta["creationTimestamp"]  # Go's remarshal omits a nil ObjectMeta timestamp
                empties.remove("creationTimestamp")  # noted by the copy of ``meta``
                if not meta:
                    empties.append("metadata")
        if rewrite is not None and not rewrite.keys.isdisjoint(copied):
            rewrite.apply(copied)
        return copied
    if kind is list:
        if depth >= MAX_DEPTH:
            raise _TooDeep
        items = []
        for v in value:
            kept = type(v) in _KEPT or v is None  # a null in a list is no empty value to drop
            items.append(v if kept else _copy(v, depth + 1, rewrite, empties))  # noqa: PERF401
        return items
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return int(value) if value.is_integer() else value
    if depth >= MAX_DEPTH:
        raise _TooDeep
    return _other(value, depth, rewrite, empties)


_KEPT = frozenset({str, int, bool})
"""Leaf types a JSON round trip gives back unchanged (a float may become an int; a null is
noted by the maps that hold one)."""


def _other(value: Any, depth: int, rewrite: MapRewrite | None, empties: list[str]) -> Any:
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Mapping):
        copied = {_key(k): _copy(v, depth + 1, rewrite, empties) for k, v in value.items()}
        empties.extend(k for k, v in copied.items() if dropped(k, v))
        if rewrite is not None and not rewrite.keys.isdisjoint(copied):
            rewrite.apply(copied)
        return copied
    if isinstance(value, list | tuple):
        return [_copy(v, depth + 1, rewrite, empties) for v in value]
    if isinstance(value, float):
        return _copy(float(value), depth, rewrite, empties)
    raise TypeError(f"a {type(value).__name__} is not a JSON value")


def _key(key: Any) -> str:
    return key if isinstance(key, str) else str(key)


def _cyclic(value: Any, active: set[int]) -> bool:
    # Only run once the depth limit was hit, to tell a cycle from honest deep nesting.
    if not isinstance(value, Mapping | list | tuple):
        return False
    if id(value) in active:
        return True
    if len(active) >= MAX_DEPTH + 1:
        return False
    active.add(id(value))
    children = value.values() if isinstance(value, Mapping) else value
    found = any(_cyclic(child, active) for child in children)
    active.discard(id(value))
    return found
