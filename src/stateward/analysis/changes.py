"""Then-vs-now: what changed in each component between two observations of one estate.

The comparison is the diff engine's (:func:`stateward.diff.components.diff_components`); this
module pairs components across two observations and names the headline: the snowflake signal,
*same binary, context changed*, per component and facet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stateward.diff.components import diff_components
from stateward.model.change import Change
from stateward.model.component import Component
from stateward.model.observation import Observation

__all__ = ["NOT_OBSERVED", "ComponentDelta", "component_deltas"]

NOT_OBSERVED = "not observed"
"""A component a partial observation could not see: no change is known, and it is not removed."""


@dataclass(frozen=True, slots=True)
class ComponentDelta:
    """How one component differs between two observations."""

    component: str
    status: str
    """``added``, ``removed``, ``binary changed``, ``same binary, context changed``, or
    ``not observed`` (:data:`NOT_OBSERVED`)."""
    facets: tuple[str, ...]
    changes: tuple[Change, ...]

    @property
    def changed(self) -> bool:
        """False for a component that was only not observed."""
        return self.status != NOT_OBSERVED

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "component": self.component,
            "status": self.status,
            "facets": list(self.facets),
            "changes": [c.as_dict() for c in self.changes],
        }


def component_deltas(before: Observation | None, after: Observation) -> list[ComponentDelta]:
    """Every component that was added, removed or changed, in id order. ``before`` counts as
    its components as last known (with those it did not observe); a component ``after`` did
    not see is removed only when ``after`` is complete, else it is not observed."""
    if before is None:
        return []
    old = {c.id: c for c in before.known()}
    new = {c.id: c for c in after.components}
    deltas = []
    for ident in sorted(old.keys() | new.keys()):
        if ident not in new and not after.complete:
            deltas.append(ComponentDelta(ident, NOT_OBSERVED, (), ()))
        elif delta := _delta(old.get(ident), new.get(ident)):
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
    changes = diff_components(old, new)
    facets = tuple(dict.fromkeys(str(c.facet) for c in changes))
    status = "binary changed" if not same_binary else "same binary, context changed"
    return ComponentDelta(new.id, status, facets, tuple(changes))
