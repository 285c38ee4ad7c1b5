"""A checked deep copy: the one place untrusted bodies are walked before anything else does.

YAML anchors can build shared or cyclic structures and a hostile document can nest deeply
enough to exhaust the interpreter's stack (issue 3 §7). Every later step recurses freely
because this copy has already proved the body is a finite tree of JSON types within limits.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from stateward.errors import InputError

__all__ = ["MAX_DEPTH", "checked_copy"]

MAX_DEPTH = 100
"""Deeper than any Kubernetes object we know (pod templates inside CronJobs reach ~20)."""

_SCALARS = (str, int, float, bool, type(None))


def checked_copy(value: Any, location: str) -> Any:
    """A fresh copy of ``value`` made only of dict/list/str/int/float/bool/None.

    Tuples become lists, dates become ISO strings (YAML parses unquoted timestamps), other
    key types become strings, as a JSON round trip would make them. InputError on a cycle,
    on nesting deeper than :data:`MAX_DEPTH`, or on a value JSON cannot hold.
    """
    return _copy(value, location, 0, set())


def _copy(value: Any, location: str, depth: int, active: set[int]) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat().replace("+00:00", "Z")
    if depth >= MAX_DEPTH:
        raise InputError(location, f"nested deeper than {MAX_DEPTH} levels")
    ident = id(value)
    if ident in active:
        raise InputError(location, "the document refers to itself (a cycle)")
    active.add(ident)
    try:
        if isinstance(value, Mapping):
            return {
                k if isinstance(k, str) else str(k): _copy(v, location, depth + 1, active)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [_copy(v, location, depth + 1, active) for v in value]
    finally:
        active.discard(ident)
    raise InputError(location, f"a {type(value).__name__} is not a JSON value")
