"""The cheapest safe way to apply a component's changes.

Candidates, each simulated with the same model as the plan itself:

- **update in place** — when every replacing change has an in-place path (reload a mounted
  ConfigMap instead of env, resize through pods/resize, ``docker update``): nothing restarts;
- **pre-pull** — pull the new layers on every node before the rollout: the bytes are the same, the
  pull leaves the degraded window;
- **stagger** — ``maxUnavailable: 0`` with one surge pod and ``minReadySeconds`` of one warm-up
  time constant: capacity never drops and cold pods join one at a time;
- **pre-pull + stagger**.

A candidate is *safe* when it never goes below the PodDisruptionBudget's minimum and does not
surge a pod that needs a ReadWriteOnce volume still attached elsewhere. The cheapest safe one by
score = degraded pod-minutes + backend excess minutes wins; the plan itself is a candidate too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from stateward.analysis.cost.params import Params
from stateward.analysis.cost.price import Rollout
from stateward.analysis.cost.rollout import RolloutShape, Shape
from stateward.analysis.cost.rules import Mode
from stateward.analysis.cost.simulate import Timeline

__all__ = ["Option", "AS_PLANNED", "options", "cheapest"]

AS_PLANNED = "as planned"


@dataclass(frozen=True, slots=True)
class Option:
    """One way to apply the changes, with its simulated cost."""

    name: str
    how: str
    rollout: Rollout
    timeline: Timeline | None
    safe: bool

    @property
    def score(self) -> float:
        """Capacity-minutes lost plus extra backend minutes (lower is cheaper)."""
        if self.timeline is None:
            return 0.0
        return self.timeline.pod_minutes_lost + self.timeline.backend_excess_s / 60

    def as_dict(self, params: Params) -> dict[str, object]:
        """Stable JSON form."""
        summary = self.timeline.as_dict() if self.timeline else {}
        return {
            "strategy": self.name,
            "how": self.how,
            "safe": self.safe,
            "bytes": self.rollout.bytes(),
            "cpu_s": round(self.rollout.cpu_seconds(params), 2),
            **summary,
        }


def options(plan: Rollout, params: Params, pdb_min: int) -> list[Option]:
    """The plan and every applicable alternative, simulated."""
    found = [_option(AS_PLANNED, "apply the change as written", plan, pdb_min)]
    alternatives = {v.rule.alternative for v in plan.verdicts if v.mode is not Mode.IN_PLACE}
    if plan.mode is Mode.REPLACE and alternatives and "" not in alternatives:
        in_place = replace(plan, mode=Mode.IN_PLACE, shape=None, timing=None, pulling_nodes=0,
                           new_pods=0)  # fmt: skip
        found.append(_option("update in place", "; ".join(sorted(alternatives)), in_place, pdb_min))
    if plan.shape is None or plan.timing is None or plan.shape.replicas == 0:
        return found
    shape, timing = plan.shape, plan.timing
    pull_s = 0.0 if shape.pull_before else plan.pull.seconds(params)
    if pull_s > 0:
        prepulled = replace(timing, up_s=timing.up_s - pull_s)
        found.append(_option("pre-pull", _PRE_PULL, plan.varied(shape, prepulled), pdb_min))
    if shape.shape is Shape.ROLLING and (shape.max_unavailable > 0 or timing.warm_s > 0):
        staggered = RolloutShape(Shape.ROLLING, shape.replicas, max(1, shape.max_surge), 0)
        slow = replace(timing, min_ready_s=timing.warm_s)
        found.append(_option("stagger", _STAGGER, plan.varied(staggered, slow), pdb_min))
        if pull_s > 0:
            both = replace(slow, up_s=timing.up_s - pull_s)
            found.append(
                _option(
                    "pre-pull + stagger",
                    f"{_PRE_PULL}; {_STAGGER}",
                    plan.varied(staggered, both),
                    pdb_min,
                )  # fmt: skip
            )
    return found


_PRE_PULL = "pull the new image on every node before the rollout (image pre-puller DaemonSet)"
_STAGGER = "maxUnavailable: 0, maxSurge ≥ 1, minReadySeconds = one warm-up time constant"


def _option(name: str, how: str, rollout: Rollout, pdb_min: int) -> Option:
    timeline = rollout.timeline()
    return Option(name, how, rollout, timeline, _safe(rollout, timeline, pdb_min))


def _safe(rollout: Rollout, timeline: Timeline | None, pdb_min: int) -> bool:
    if timeline is None or rollout.shape is None:
        return True
    surges = rollout.shape.shape is Shape.ROLLING and rollout.shape.max_surge > 0
    if rollout.rwo and surges:
        return False
    lowest = min((s.capacity for s in timeline.samples), default=1.0) * rollout.shape.replicas
    return lowest + 1e-9 >= pdb_min


def cheapest(found: list[Option]) -> Option:
    """The safe option with the lowest score (the plan when nothing safe beats it)."""
    safe = [o for o in found if o.safe] or found[:1]
    return min(safe, key=lambda o: (round(o.score, 6), o.name != AS_PLANNED))
