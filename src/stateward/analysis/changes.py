"""Then-vs-now: what changed in each component between two observations of one estate.

Contexts are dicts keyed by identity all the way down (see :mod:`stateward.model.component`),
so a plain recursive walk finds every changed path; no list matching is needed here. The
headline is the snowflake signal: *same binary, context changed*, per component and facet.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from stateward.model.change import Change, Facet, Op
from stateward.model.component import Component
from stateward.model.observation import Observation

__all__ = ["ComponentDelta", "component_deltas", "context_changes"]


@dataclass(frozen=True, slots=True)
class ComponentDelta:
    """How one component differs between two observations."""

    component: str
    status: str
    """``added``, ``removed``, ``binary changed``, ``same binary, context changed``."""
    facets: tuple[str, ...]
    changes: tuple[Change, ...]

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "component": self.component,
            "status": self.status,
            "facets": list(self.facets),
            "changes": [c.as_dict() for c in self.changes],
        }


def component_deltas(before: Observation | None, after: Observation) -> list[ComponentDelta]:
    """Every component that was added, removed or changed, in id order."""
    old = {c.id: c for c in before.components} if before else {}
    new = {c.id: c for c in after.components}
    deltas = []
    for ident in sorted(old.keys() | new.keys()):
        delta = _delta(old.get(ident), new.get(ident)) if before else None
        if delta is not None:
            deltas.append(delta)
    return deltas


def _delta(old: Component | None, new: Component | None) -> ComponentDelta | None:
    if old is None and new is not None:
        return ComponentDelta(new.id, "added", (), ())
    if new is None and old is not None:
        return ComponentDelta(old.id, "removed", (), ())
    assert old is not None and new is not None, "bad math: a component is on neither side"
    same_binary = old.binary_fingerprint == new.binary_fingerprint
    if same_binary and old.context_fingerprint == new.context_fingerprint:
        return None
    changes = list(context_changes(new.id, old.context, new.context))
    if not same_binary:
        changes.insert(0, _image_change(old, new))
    facets = tuple(dict.fromkeys(str(c.facet) for c in changes))
    status = "binary changed" if not same_binary else "same binary, context changed"
    return ComponentDelta(new.id, status, facets, tuple(changes))


def _image_change(old: Component, new: Component) -> Change:
    before = [i.ref for i in old.images]
    after = [i.ref for i in new.images]
    return Change(new.id, "/images", Facet.BINARY, Op.CHANGED, before, after)


def context_changes(
    subject: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> Iterator[Change]:
    """Changes between two contexts, the facet taken from the top-level key."""
    for facet in sorted(before.keys() | after.keys()):
        old_value, new_value = before.get(facet, _ABSENT), after.get(facet, _ABSENT)
        kind = _FACETS.get(facet, Facet.CONFIG)
        for path, op, old, new in _walk(old_value, new_value, f"/{facet}"):
            yield Change(subject, path, kind, op, old, new)


_FACETS = {str(f): f for f in Facet} | {"writable_layer": Facet.STORAGE}


def _walk(old: Any, new: Any, path: str) -> Iterator[tuple[str, Op, Any, Any]]:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            yield from _walk(old.get(key, _ABSENT), new.get(key, _ABSENT), f"{path}/{_escape(key)}")
    elif old is _ABSENT:
        yield path, Op.ADDED, None, new
    elif new is _ABSENT:
        yield path, Op.REMOVED, old, None
    else:
        yield path, Op.CHANGED, old, new


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT: Any = _Absent()


def _escape(key: str) -> str:
    """RFC 6901 §3: ``~`` becomes ``~0`` and ``/`` becomes ``~1``."""
    return str(key).replace("~", "~0").replace("/", "~1")
