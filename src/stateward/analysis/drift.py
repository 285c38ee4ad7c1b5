"""Drift: desired vs live (or baseline vs now), grouped by component and facet.

The comparison itself is the diff engine's (:mod:`stateward.diff`); this module says which
component each changed object belongs to, so a report reads "frontend: env, secret" rather than
a list of object paths. A ConfigMap or Secret that changed is attributed to every component that
uses it — that is where the change lands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from stateward.diff import DiffResult, IgnoreRule, diff_observations
from stateward.model.change import Change
from stateward.model.observation import Observation

__all__ = ["DriftReport", "drift"]


@dataclass(slots=True)
class DriftReport:
    """The diff result and, per component (or bare object), its changes by facet."""

    result: DiffResult
    by_component: dict[str, dict[str, list[Change]]] = field(default_factory=dict)

    @property
    def drifted(self) -> bool:
        """True when live differs from desired."""
        return self.result.drifted

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form (``drift --json``)."""
        grouped = {
            subject: {facet: [c.as_dict() for c in changes] for facet, changes in facets.items()}
            for subject, facets in self.by_component.items()
        }
        return {**self.result.as_dict(), "components": grouped}


def drift(
    desired: Observation,
    live: Observation,
    *,
    mode: str = "strict",
    rules: Iterable[IgnoreRule] = (),
) -> DriftReport:
    """Compare two observations and group the changes by the components they affect."""
    result = diff_observations(desired, live, mode=mode, rules=rules)
    owners = _owners(desired) | _owners(live)
    grouped: dict[str, dict[str, list[Change]]] = defaultdict(lambda: defaultdict(list))
    for change in result.changes:
        for owner in sorted(owners.get(change.subject, {change.subject})):
            grouped[owner][str(change.facet)].append(change)
    return DriftReport(result, {k: dict(v) for k, v in sorted(grouped.items())})


def _owners(observation: Observation) -> dict[str, set[str]]:
    """Resource key -> components built from it or using it (via their context)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for component in observation.components:
        owners[component.resource].add(component.id)
        for name in _referenced(component.context):
            owners[f"{name[0]}/{component.namespace}/{name[1]}"].add(component.id)
    return owners


def _referenced(context: Any) -> Iterable[tuple[str, str]]:
    """(kind, name) of the ConfigMaps, Secrets and claims a context names."""
    if isinstance(context, dict):
        for field_name, kind in (("configMap", "ConfigMap"), ("secret", "Secret"),
                                 ("persistentVolumeClaim", "PersistentVolumeClaim")):  # fmt: skip
            if isinstance(context.get(field_name), str):
                yield kind, context[field_name]
        value = context.get("from")
        if isinstance(value, str) and "/" in value:
            kind, _, name = value.partition("/")
            yield kind, name
        for child in context.values():
            yield from _referenced(child)
