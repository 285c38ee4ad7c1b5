"""Then-vs-now: what changed in each component between two observations of one estate.

The comparison is the diff engine's (:func:`stateward.diff.components.diff_components`); this
module pairs components across two observations and names the headline: the snowflake signal,
*same binary, context changed*, per component and facet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from stateward.diff.components import diff_components
from stateward.model.change import Change
from stateward.model.component import Component
from stateward.model.observation import Observation
from stateward.model.secrets import is_secret_digest, secret_remainder

__all__ = ["KEY_ROTATED", "NOT_OBSERVED", "ComponentDelta", "comparable", "component_deltas",
           "digests_only"]  # fmt: skip

NOT_OBSERVED = "not observed"
"""A component a partial observation could not see: no change is known, and it is not removed."""
KEY_ROTATED = "key rotated: not comparable"


@dataclass(frozen=True, slots=True)
class ComponentDelta:
    """How one component differs between two observations."""

    component: str
    status: str
    """``added``, ``removed``, ``binary changed``, ``same binary, context changed``, or
    ``not observed`` (:data:`NOT_OBSERVED`), or :data:`KEY_ROTATED`."""
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


def component_deltas(
    before: Observation | None, after: Observation, *, key_rotated: bool = False
) -> list[ComponentDelta]:
    """Every component that was added, removed or changed, in id order. ``before`` counts as
    its components as last known (with those it did not observe); a component ``after`` did
    not see is removed only when ``after`` is complete, else it is not observed.
    ``key_rotated``: the store's secret key changed between the two
    (``stateward.store.keys.Rotations``), so a secret digest that differs says nothing; such
    changes are left out, and a component with no other change is "key rotated: not
    comparable"."""
    if before is None:
        return []
    old = {c.id: c for c in before.known()}
    new = {c.id: c for c in after.components}
    deltas = []
    for ident in sorted(old.keys() | new.keys()):
        if ident not in new and not after.complete:
            deltas.append(ComponentDelta(ident, NOT_OBSERVED, (), ()))
        elif delta := _delta(old.get(ident), new.get(ident), key_rotated):
            deltas.append(delta)
    return deltas


def _delta(
    old: Component | None, new: Component | None, key_rotated: bool = False
) -> ComponentDelta | None:
    if old is None and new is not None:
        return ComponentDelta(new.id, "added", (), ())
    if new is None and old is not None:
        return ComponentDelta(old.id, "removed", (), ())
    assert old is not None and new is not None, "bad math: a component is on neither side"
    same_binary = old.binary_fingerprint == new.binary_fingerprint
    if same_binary and old.context_fingerprint == new.context_fingerprint:
        return None
    changes = diff_components(old, new)
    if key_rotated:
        changes = comparable(changes, key_rotated)
        if not changes:
            return ComponentDelta(new.id, KEY_ROTATED, (), ())
    facets = tuple(dict.fromkeys(str(c.facet) for c in changes))
    status = "binary changed" if not same_binary else "same binary, context changed"
    return ComponentDelta(new.id, status, facets, tuple(changes))


def comparable(changes: Iterable[Change], key_rotated: bool) -> list[Change]:
    """The ``changes`` that say something changed. Across a rotation of the store's secret key
    (``key_rotated``) two secret digests made under different keys say nothing
    (:data:`KEY_ROTATED`): they are shown as such, but are no change, no drift and no
    difference, so they never decide a verdict or an exit code."""
    return [c for c in changes if not (key_rotated and digests_only(c))]


def digests_only(change: Change) -> bool:
    """A change between two secret digests whose readable rest (a URL's host) is the same."""
    before, after = change.before, change.after
    return (
        is_secret_digest(before)
        and is_secret_digest(after)
        and secret_remainder(before) == secret_remainder(after)
    )
