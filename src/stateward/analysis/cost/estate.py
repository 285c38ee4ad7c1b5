"""Pricing every changed component of an estate: the ``stateward cost`` report.

``price(before, after, …)`` takes two observations (then and now, or live and a plan), finds the
changed components (:func:`stateward.analysis.changes.component_deltas`), prices each one
(:mod:`.price`), picks its cheapest safe strategy (:mod:`.strategy`) and totals per deploy and per
month. A component whose rollout settings are impossible is reported as an error and the others
are still priced.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from stateward.analysis.audit.lifecycle import Loss
from stateward.analysis.changes import ComponentDelta, component_deltas
from stateward.analysis.cost.layers import LayerCatalog
from stateward.analysis.cost.lifecycle import LifecycleOf
from stateward.analysis.cost.params import Params
from stateward.analysis.cost.price import Rollout, pod_pull, rollout_plan
from stateward.analysis.cost.rollout import pdb_min_available
from stateward.analysis.cost.rules import Mode
from stateward.analysis.cost.strategy import Option, cheapest, options
from stateward.errors import InputError
from stateward.model.component import Component
from stateward.model.observation import Observation
from stateward.model.resource import Resource
from stateward.sources.interface import Progress

__all__ = ["ComponentCost", "CostReport", "price", "DAYS_PER_MONTH", "FORMAT_VERSION"]

FORMAT_VERSION = 1
DAYS_PER_MONTH = 30


@dataclass(frozen=True, slots=True)
class ComponentCost:
    """One changed component: how it is applied, what that costs, and the cheapest safe way."""

    plan: Option
    best: Option
    alternatives: tuple[Option, ...]
    pdb_min: int
    loss: Loss = Loss.NONE
    """What replacing the component destroys (the audit's loss on replace)."""

    @property
    def rollout(self) -> Rollout:
        """The plan's rollout."""
        return self.plan.rollout

    def as_dict(self, params: Params) -> dict[str, Any]:
        """Stable JSON form."""
        rollout = self.rollout
        timeline = self.plan.timeline
        return {
            "component": rollout.component,
            "mode": str(rollout.mode),
            "lifecycle": str(rollout.lifecycle),
            "loss": str(self.loss),
            "rollout": rollout.shape.as_dict() if rollout.shape else None,
            "pdb_min_available": self.pdb_min,
            "changes": [v.as_dict() for v in rollout.verdicts],
            "bytes": rollout.bytes(),
            "bytes_estimated": rollout.pull.estimated,
            "size_sources": list(rollout.pull.sources),
            "cpu_s": round(rollout.cpu_seconds(params), 2),
            "per_pod": _per_pod(rollout, params),
            **(timeline.as_dict() if timeline else _ZERO),
            "notes": list(rollout.notes),
            "cheapest": self.best.as_dict(params),
            "strategies": [o.as_dict(params) for o in self.alternatives],
        }


def _per_pod(rollout: Rollout, params: Params) -> dict[str, float] | None:
    """Phase times of one replaced pod (seconds), or None when nothing is replaced."""
    timing = rollout.timing
    if timing is None:
        return None
    pull_s = 0.0 if rollout.shape and rollout.shape.pull_before else rollout.pull.seconds(params)
    return {
        "pull_s": round(pull_s, 3),
        "up_s": round(timing.up_s, 3),
        "down_s": round(timing.down_s, 3),
        "warm_up_tau_s": round(timing.warm_s, 3),
    }


_ZERO = {
    "duration_s": 0.0,
    "degraded_window_s": 0.0,
    "degraded_depth": 0.0,
    "degraded_pod_minutes": 0.0,
    "backend_load_peak": 1.0,
    "backend_excess_s": 0.0,
}


@dataclass(frozen=True, slots=True)
class CostReport:
    """Every changed component's price, totals, and the components that could not be priced."""

    components: tuple[ComponentCost, ...]
    params: Params
    deploys_per_day: float
    errors: tuple[InputError, ...] = field(default=())

    def totals(self, best: bool = False) -> dict[str, float]:
        """Per deploy: bytes, CPU-seconds, degraded minutes and pod-minutes, backend peak."""
        chosen = [c.best if best else c.plan for c in self.components]
        lines = [(o.rollout, o.timeline) for o in chosen]
        return {
            "bytes": sum(r.bytes() for r, _ in lines),
            "cpu_s": round(sum(r.cpu_seconds(self.params) for r, _ in lines), 2),
            "degraded_minutes": round(sum(t.window_s for _, t in lines if t) / 60, 3),
            "degraded_pod_minutes": round(sum(t.pod_minutes_lost for _, t in lines if t), 3),
            "backend_load_peak": round(max((t.backend_peak for _, t in lines if t), default=1), 3),
            "backend_excess_s": round(sum(t.backend_excess_s for _, t in lines if t), 2),
        }

    def monthly(self, best: bool = False) -> dict[str, float]:
        """Totals × deploys per day × 30 (the peak is not summed)."""
        factor = self.deploys_per_day * DAYS_PER_MONTH
        return {
            k: (v if k == "backend_load_peak" else round(v * factor, 2))
            for k, v in self.totals(best).items()
        }

    def as_dict(self) -> dict[str, Any]:
        """The ``stateward cost --json`` document."""
        return {
            "format": FORMAT_VERSION,
            "deploys_per_day": self.deploys_per_day,
            "components": [c.as_dict(self.params) for c in self.components],
            "per_deploy": self.totals(),
            "per_month": self.monthly(),
            "cheapest_per_deploy": self.totals(best=True),
            "cheapest_per_month": self.monthly(best=True),
            "params": self.params.as_dict(),
            "errors": [{"location": e.location, "message": e.reason} for e in self.errors],
        }


def price(
    before: Observation,
    after: Observation,
    *,
    params: Params,
    catalogs: Sequence[LayerCatalog],
    lifecycle_of: LifecycleOf,
    deploys_per_day: float = 1.0,
    loss_of: Callable[[Component], Loss] | None = None,
    progress: Progress | None = None,
) -> CostReport:
    """Price applying ``after`` over ``before``.

    ``loss_of`` tells what a replacement destroys; a replacement that destroys data is said so
    first, and no other strategy is offered as cheaper: none of them keeps the data.
    ``progress`` hears the components priced so far (each may ask a registry) and how many."""
    priced: list[ComponentCost] = []
    errors: list[InputError] = []
    pricer = _Pricer(_Index(before), _Index(after), params, catalogs, lifecycle_of, loss_of)
    deltas = list(component_deltas(before, after))
    for done, delta in enumerate(deltas):
        if progress is not None:
            progress(done, len(deltas))
        try:
            cost = pricer.cost(delta)
        except InputError as error:
            errors.append(error)
            continue
        if cost is not None:
            priced.append(cost)
    if progress is not None:
        progress(len(deltas), len(deltas))
    return CostReport(tuple(priced), params, deploys_per_day, tuple(errors))


@dataclass(frozen=True, slots=True)
class _Pricer:
    """What pricing one component's delta needs: both sides indexed, and the model's inputs."""

    old: _Index
    new: _Index
    params: Params
    catalogs: Sequence[LayerCatalog]
    lifecycle_of: LifecycleOf
    loss_of: Callable[[Component], Loss] | None

    def cost(self, delta: ComponentDelta) -> ComponentCost | None:
        """The delta's cost and strategies; None for an added or removed component (a creation
        or a deletion, not a replacement). InputError when its spec cannot be priced."""
        new = self.new.components.get(delta.component)
        old = self.old.components.get(delta.component)
        if new is None or old is None:
            return None
        resource = self.new.resources.get(new.resource) or self.old.resources.get(old.resource)
        body = resource.body if resource else {}
        where = f"{resource.origin} {resource.key}" if resource else new.id
        pull = pod_pull(old, new, self.catalogs, self.params)
        plan = rollout_plan(delta, old, new, body, self.lifecycle_of(new), pull, self.params, where)
        pdb_min = _pdb_min(self.new.budgets, resource, plan)
        loss = self.loss_of(new) if self.loss_of else Loss.NONE
        if loss is Loss.DATA and plan.mode is Mode.REPLACE:
            plan = replace(plan, notes=(_DESTROYS, *plan.notes))
            only = options(plan, self.params, pdb_min)[:1]
            return ComponentCost(only[0], only[0], tuple(only), pdb_min, loss)
        found = options(plan, self.params, pdb_min)
        return ComponentCost(found[0], cheapest(found), tuple(found), pdb_min, loss)


_DESTROYS = (
    "replacing it destroys data: its data lives where a replacement loses it (audit loss: "
    "data); give the data a volume before applying this, no rollout strategy keeps it"
)


class _Index:
    """One observation's components by id, resources by key, and its disruption budgets, so a
    large estate is priced in one pass."""

    def __init__(self, observation: Observation) -> None:
        # as last known: a component a partial observation missed is priced from its last state
        self.components: dict[str, Component] = {c.id: c for c in observation.known()}
        self.resources: dict[str, Resource] = {str(r.key): r for r in observation.resources}
        self.budgets = [r for r in observation.resources if r.key.kind == "PodDisruptionBudget"]


def _pdb_min(budgets: list[Resource], resource: Resource | None, plan: Rollout) -> int:
    """Largest minAvailable of the PodDisruptionBudgets selecting the component's pods."""
    if resource is None or plan.shape is None:
        return 0
    labels = _pod_labels(resource.body)
    best = 0
    for pdb in budgets:
        if pdb.key.namespace != resource.key.namespace:
            continue
        spec = pdb.body.get("spec")
        spec = spec if isinstance(spec, Mapping) else {}
        if _selects(spec.get("selector"), labels):
            where = f"{pdb.origin}: PodDisruptionBudget {pdb.key.name}"
            best = max(best, pdb_min_available(spec, plan.shape.replicas, where))
    return best


def _pod_labels(body: Mapping[str, Any]) -> dict[str, Any]:
    spec = body.get("spec")
    template = spec.get("template") if isinstance(spec, Mapping) else None
    metadata = template.get("metadata") if isinstance(template, Mapping) else None
    labels = metadata.get("labels") if isinstance(metadata, Mapping) else None
    return dict(labels) if isinstance(labels, Mapping) else {}


def _selects(selector: Any, labels: Mapping[str, Any]) -> bool:
    """matchLabels only; a selector with expressions counts when its matchLabels match."""
    if not isinstance(selector, Mapping):
        return False
    match = selector.get("matchLabels")
    if not isinstance(match, Mapping) or not match:
        return False
    return all(labels.get(k) == v for k, v in match.items())
