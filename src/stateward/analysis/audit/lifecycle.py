"""Lifecycle class and persistence gravity of a component, from its findings.

Class (ANCHORS §3.3): *persistent* when a finding says the component holds data — durable
(a claim, a host directory, a named volume) or data-bearing but ephemeral (``LOSS``: data on an
emptyDir, a data image without a volume, an in-memory store), which is a blocking finding rather
than a cost; *ephemeral-with-warm-up* when replacement loses nothing but starts cold (download,
seeding, cache, sticky routing); else *ephemeral-safe*.

Persistence gravity, 0-100: how hard the component is to replace::

    gravity = min(100, base + breadth + single + dependents)
    base       = max effect weight: LOSS 60, DURABLE 45, WARM_UP 20, ACCESS 10, CONTEXT 0
    breadth    = 5 per further distinct LOSS/DURABLE rule, at most 10
    single     = 10 when persistent and run as one replica (one copy of the state)
    dependents = 5 per component depending on it, at most 20 (not for ephemeral-safe ones)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stateward.analysis.audit.interface import Effect, Lifecycle
from stateward.model.finding import Finding

__all__ = ["WEIGHTS", "Judgement", "judge"]

WEIGHTS: dict[Effect, int] = {
    Effect.LOSS: 60,
    Effect.DURABLE: 45,
    Effect.WARM_UP: 20,
    Effect.ACCESS: 10,
    Effect.CONTEXT: 0,
}
_STATE = (Effect.LOSS, Effect.DURABLE)


@dataclass(frozen=True, slots=True)
class Judgement:
    """Class, gravity, deciding findings and the sentence that explains them."""

    lifecycle: Lifecycle
    gravity: int
    deciding: tuple[Finding, ...]
    explanation: str


def classify(effects: Sequence[tuple[Finding, Effect]]) -> tuple[Lifecycle, tuple[Finding, ...]]:
    """The class and the findings that decided it (those of the strongest effect)."""
    if not effects:
        return Lifecycle.EPHEMERAL_SAFE, ()
    top = max(WEIGHTS[e] for _, e in effects)
    lifecycle = max((e.lifecycle for _, e in effects), key=lambda c: c.rank)
    deciding = tuple(f for f, e in effects if WEIGHTS[e] == top and top > 0)
    return lifecycle, deciding


def judge(
    effects: Sequence[tuple[Finding, Effect]], replicas: int | None, dependents: Sequence[str]
) -> Judgement:
    """Class, gravity and explanation of one component."""
    lifecycle, deciding = classify(effects)
    base = max((WEIGHTS[e] for _, e in effects), default=0)
    state_rules = {f.rule for f, e in effects if e in _STATE}
    breadth = min(10, 5 * max(0, len(state_rules) - 1))
    persistent = lifecycle is Lifecycle.PERSISTENT
    single = 10 if persistent and (replicas or 1) == 1 else 0
    counted = dependents if lifecycle is not Lifecycle.EPHEMERAL_SAFE else ()
    gravity = min(100, base + breadth + single + min(20, 5 * len(counted)))
    loss = any(e is Effect.LOSS for _, e in effects)
    text = _explain(lifecycle, deciding, single, loss, counted)
    return Judgement(lifecycle, gravity, deciding, text)


def _explain(
    lifecycle: Lifecycle,
    deciding: Sequence[Finding],
    single: int,
    loss: bool,
    dependents: Sequence[str],
) -> str:
    if not deciding:
        parts = ["no state found: replace freely"]
    else:
        parts = [f"{f.rule}: {f.message}" for f in deciding[:2]]
        if len(deciding) > 2:
            parts.append(f"and {len(deciding) - 2} more")
    if single:
        parts.append(
            "one replica: replacement "
            + ("loses this state" if loss else "means downtime while the state moves")
        )
    if dependents:
        names = ", ".join(d.rsplit("/", 1)[-1] for d in dependents[:5])
        parts.append(f"{len(dependents)} component(s) depend on it ({names})")
    return f"{lifecycle}: " + "; ".join(parts)
