"""A rollout simulated over time: serving capacity and backend load, tick by tick.

Every new pod is created, becomes Ready ``up_s`` later (schedule, volume attach, pull, start) and
then warms up: its cache hit ratio rises as ``h·(1 − e^(−age/τ))`` toward the steady ``h``. Its
misses go to the backend, so the backend load relative to steady state is the mean, over the
serving pods, of ``(1 − h_i)/(1 − h)`` — ``1/(1 − h)`` for a pod that is completely cold: at hit
ratio ``h`` the backend sees a ``1 − h`` share of requests, a cold pod sends all of them.
Traffic is assumed balanced evenly over the serving pods.
When nothing serves a component that warms up, clients go straight to the backend (cache-aside
bypass), which is the same ``1/(1 − h)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from stateward.analysis.cost.rollout import RolloutShape, Shape

__all__ = ["PodTiming", "Sample", "Timeline", "simulate"]

_MAX_TICKS = 100_000
_TARGET_TICKS = 4_000
_WARM_TAIL = 5.0
"""Warm-up time constants simulated after the last pod is Ready (e^−5 ≈ 0.7 % still cold)."""


@dataclass(frozen=True, slots=True)
class PodTiming:
    """How long one pod replacement takes, per phase."""

    down_s: float
    """From the stop signal until the old pod is gone (grace period; volume released)."""
    up_s: float
    """From creation until Ready (schedule, volume attach, pull, start)."""
    warm_s: float = 0.0
    """Warm-up time constant τ after Ready; 0 means no warm-up."""
    hit_ratio: float = 0.0
    min_ready_s: float = 0.0
    """Seconds a Ready pod must stay Ready before the controller counts it available."""


@dataclass(frozen=True, slots=True)
class Sample:
    """Capacity (serving pods / replicas) and backend load factor at one instant."""

    t: float
    capacity: float
    backend: float


@dataclass(frozen=True, slots=True)
class Timeline:
    """The simulated rollout and its summary figures."""

    replicas: int
    samples: tuple[Sample, ...]
    duration_s: float
    """Until the last new pod is Ready."""
    window_s: float
    """Time with capacity below 100 %."""
    depth: float
    """Largest capacity loss, 0..1."""
    pod_minutes_lost: float
    backend_peak: float
    backend_excess_s: float
    """∫(load − 1) dt: seconds of one extra steady backend load."""

    def as_dict(self) -> dict[str, float]:
        """Summary figures (samples are for charts)."""
        return {
            "duration_s": round(self.duration_s, 2),
            "degraded_window_s": round(self.window_s, 2),
            "degraded_depth": round(self.depth, 4),
            "degraded_pod_minutes": round(self.pod_minutes_lost, 3),
            "backend_load_peak": round(self.backend_peak, 3),
            "backend_excess_s": round(self.backend_excess_s, 2),
        }


@dataclass(slots=True)
class _Pod:
    new: bool
    ready_at: float
    stopped_at: float = math.inf


@dataclass(slots=True)
class _Run:
    shape: RolloutShape
    timing: PodTiming
    pods: list[_Pod] = field(default_factory=list)
    next_ordinal_at: float = 0.0
    replaced: int = 0

    def serving(self, t: float) -> list[_Pod]:
        return [p for p in self.pods if p.ready_at <= t < p.stopped_at]

    def done(self, t: float) -> bool:
        new = [p for p in self.pods if p.new]
        return (
            len(new) == self.shape.replicas
            and all(p.ready_at <= t for p in new)
            and not any(not p.new and p.stopped_at > t for p in self.pods)
        )


def simulate(shape: RolloutShape, timing: PodTiming) -> Timeline:
    """Simulate replacing every replica of one component."""
    replicas = shape.replicas
    if replicas == 0:
        return Timeline(0, (), 0.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    dt = _tick(shape, timing)
    run = _Run(shape, timing, [_Pod(False, -math.inf) for _ in range(replicas)])
    samples: list[Sample] = []
    finished = math.inf
    for tick in range(_MAX_TICKS):
        t = tick * dt  # not a running sum: no drift over many ticks
        _STEP[shape.shape](run, t)
        serving = run.serving(t)
        samples.append(Sample(t, len(serving) / replicas, _backend(serving, t, timing)))
        if finished == math.inf and run.done(t):
            finished = t
        if t >= finished + _WARM_TAIL * timing.warm_s:
            break
    return _summary(replicas, samples, finished, dt)


def _tick(shape: RolloutShape, timing: PodTiming) -> float:
    """A fifth of the shortest phase (at most 1 s), coarsened so that the whole rollout and its
    warm-up tail fit in about :data:`_TARGET_TICKS` ticks."""
    phases = [x for x in (timing.down_s, timing.up_s, timing.warm_s) if x > 0]
    fine = min(1.0, max(0.05, min(phases, default=1.0) / 5))
    waves = shape.replicas if shape.shape is not Shape.RECREATE else 1
    horizon = (
        waves * (timing.down_s + timing.up_s + timing.min_ready_s) + _WARM_TAIL * timing.warm_s
    )
    return max(fine, horizon / _TARGET_TICKS)


def _rolling(run: _Run, t: float) -> None:
    """One sync of the Deployment controller: scale the new ReplicaSet up within maxSurge, the
    old one down within maxUnavailable, and up again into the room that made."""
    _scale_up(run, t)
    _scale_down(run, t)
    _scale_up(run, t)


def _scale_up(run: _Run, t: float) -> None:
    shape = run.shape
    alive = sum(1 for p in run.pods if p.new or p.stopped_at == math.inf)
    new = sum(1 for p in run.pods if p.new)
    while alive < shape.replicas + shape.max_surge and new < shape.replicas:
        run.pods.append(_Pod(True, t + run.timing.up_s))
        alive, new = alive + 1, new + 1


def _scale_down(run: _Run, t: float) -> None:
    shape, timing = run.shape, run.timing
    old = [p for p in run.pods if not p.new and p.stopped_at == math.inf]
    ready = sum(1 for p in run.pods if p.new and p.ready_at + timing.min_ready_s <= t)
    available = len(old) + ready
    while old and available - 1 >= shape.replicas - shape.max_unavailable:
        old.pop().stopped_at = t
        available -= 1


def _ordered(run: _Run, t: float) -> None:
    """StatefulSet: stop the highest remaining ordinal, create its successor when it is gone,
    and move on only when that successor is Ready (and available)."""
    if run.replaced >= run.shape.replicas or t < run.next_ordinal_at:
        return
    timing = run.timing
    old = next(p for p in reversed(run.pods) if not p.new and p.stopped_at == math.inf)
    old.stopped_at = t
    ready = t + timing.down_s + timing.up_s
    run.pods.append(_Pod(True, ready))
    run.replaced += 1
    run.next_ordinal_at = ready + timing.min_ready_s


def _recreate(run: _Run, t: float) -> None:
    if run.replaced:
        return
    for pod in run.pods:
        pod.stopped_at = t
    ready = t + run.timing.down_s + run.timing.up_s
    run.pods.extend(_Pod(True, ready) for _ in range(run.shape.replicas))
    run.replaced = run.shape.replicas


_STEP = {Shape.ROLLING: _rolling, Shape.ORDERED: _ordered, Shape.RECREATE: _recreate}


def _backend(serving: list[_Pod], t: float, timing: PodTiming) -> float:
    h, tau = timing.hit_ratio, timing.warm_s
    if tau <= 0 or h <= 0:
        return 1.0
    if not serving:
        return 1 / (1 - h)  # clients bypass the missing cache
    misses = 0.0
    for pod in serving:
        warmth = 1.0 if not pod.new else 1 - math.exp(-(t - pod.ready_at) / tau)
        misses += 1 - h * warmth  # 1 − h_i
    return misses / len(serving) / (1 - h)


def _summary(replicas: int, samples: list[Sample], finished: float, dt: float) -> Timeline:
    degraded = [s for s in samples if s.capacity < 1 - 1e-9]
    return Timeline(
        replicas,
        tuple(samples),
        finished if finished != math.inf else samples[-1].t,
        len(degraded) * dt,
        max((1 - s.capacity for s in degraded), default=0.0),
        sum((1 - s.capacity) * replicas for s in degraded) * dt / 60,
        max(s.backend for s in samples),
        sum(s.backend - 1 for s in samples) * dt,
    )
