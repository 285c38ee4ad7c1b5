"""Rollout shapes and the simulation: maxSurge/maxUnavailable rounding, StatefulSet order, PDB."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.analysis.cost import PodTiming, RolloutShape, Shape, rollout_shape, simulate
from stateward.analysis.cost.rollout import pdb_min_available, resolve_count
from stateward.errors import InputError


def deployment(replicas: Any = 4, **rolling: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"replicas": replicas}
    if rolling:
        spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": rolling}
    return {"kind": "Deployment", "spec": spec}


@pytest.mark.parametrize(
    ("replicas", "surge", "unavailable"),
    [(1, 1, 0), (2, 1, 0), (3, 1, 0), (4, 1, 1), (5, 2, 1), (8, 2, 2), (10, 3, 2), (0, 0, 1)],
)
def test_default_25_percent_rounds_surge_up_and_unavailable_down(
    replicas: int, surge: int, unavailable: int
) -> None:
    shape = rollout_shape("Deployment", deployment(replicas), "d")
    assert (shape.max_surge, shape.max_unavailable) == (surge, unavailable)


def test_explicit_counts_and_percentages() -> None:
    shape = rollout_shape("Deployment", deployment(10, maxSurge=3, maxUnavailable="10%"), "d")
    assert (shape.shape, shape.max_surge, shape.max_unavailable) == (Shape.ROLLING, 3, 1)


def test_both_zero_is_rejected_with_a_clear_message() -> None:
    with pytest.raises(
        InputError, match=r"d: spec.strategy.rollingUpdate: maxSurge and maxUnavailable are both 0"
    ):
        rollout_shape("Deployment", deployment(3, maxSurge=0, maxUnavailable="0%"), "d")


def test_both_rounding_to_zero_allows_one_unavailable() -> None:
    shape = rollout_shape("Deployment", deployment(3, maxSurge="10%", maxUnavailable="10%"), "d")
    assert (shape.max_surge, shape.max_unavailable) == (1, 0)  # 10 % of 3 rounds up to 1
    shape = rollout_shape("Deployment", deployment(3, maxSurge=0, maxUnavailable="10%"), "d")
    assert (shape.max_surge, shape.max_unavailable) == (0, 1)  # ResolveFenceposts


@pytest.mark.parametrize("bad", ["+1", " 25 %", "25.5%", "1_0", "٣", -1, True, 2.5, None, "1000%x"])
def test_bad_counts_are_rejected(bad: Any) -> None:
    with pytest.raises(InputError, match=r"maxSurge: (expected a count|must not be negative)"):
        rollout_shape("Deployment", deployment(3, maxSurge=bad, maxUnavailable=1), "d")


@pytest.mark.parametrize("bad", [-1, "3", 1.5, True])
def test_bad_replicas_are_rejected(bad: Any) -> None:
    with pytest.raises(InputError, match="spec.replicas must be a whole number"):
        rollout_shape("Deployment", deployment(bad), "d")


def test_statefulset_daemonset_recreate_and_compose_shapes() -> None:
    assert rollout_shape("StatefulSet", {"spec": {"replicas": 3}}, "s").shape is Shape.ORDERED
    daemon = rollout_shape("DaemonSet", {"spec": {}}, "ds")
    assert (daemon.max_surge, daemon.max_unavailable) == (0, 1)
    recreate = rollout_shape(
        "Deployment", {"spec": {"replicas": 2, "strategy": {"type": "Recreate"}}}, "d"
    )
    assert (recreate.shape, recreate.max_unavailable) == (Shape.RECREATE, 2)
    compose = rollout_shape("ComposeService", {"image": "x", "deploy": {"replicas": 3}}, "c")
    assert (compose.shape, compose.replicas, compose.pull_before) == (Shape.RECREATE, 3, True)


def test_pdb_percentages_round_up() -> None:
    assert pdb_min_available({"minAvailable": "50%"}, 3, "p") == 2
    assert pdb_min_available({"maxUnavailable": "34%"}, 3, "p") == 1  # 2 may go: 3 - ceil(1.02)
    assert pdb_min_available({"minAvailable": 1}, 3, "p") == 1
    assert pdb_min_available({}, 3, "p") == 0


@settings(deadline=None)  # timing on a shared machine is not what this property is about
@given(
    replicas=st.integers(1, 30),
    surge=st.integers(0, 5),
    unavailable=st.integers(0, 5),
    up=st.floats(1, 60),
    down=st.floats(0, 30),
)
def test_rolling_stays_within_its_bounds_and_finishes(
    replicas: int, surge: int, unavailable: int, up: float, down: float
) -> None:
    surge, unavailable = (surge, unavailable) if surge or unavailable else (1, 0)
    timeline = simulate(
        RolloutShape(Shape.ROLLING, replicas, surge, unavailable), PodTiming(down, up)
    )
    floor = (replicas - unavailable) / replicas
    ceiling = (replicas + surge) / replicas
    assert all(floor - 1e-9 <= s.capacity <= ceiling + 1e-9 for s in timeline.samples)
    assert timeline.depth <= unavailable / replicas + 1e-9
    assert timeline.samples[-1].capacity == 1.0
    # each wave takes up_s (rounded to ticks of at most 1 s); at most ceil(replicas / wave) waves
    waves = math.ceil(replicas / max(1, min(replicas, surge + unavailable)))
    assert timeline.duration_s <= waves * (up + 1) + 1


def test_surge_only_rollout_never_loses_capacity() -> None:
    timeline = simulate(RolloutShape(Shape.ROLLING, 4, 1, 0), PodTiming(30, 10))
    assert timeline.depth == 0 and timeline.window_s == 0
    assert 40 <= timeline.duration_s <= 44  # four waves of one pod, ten seconds each


def test_statefulset_replaces_one_pod_at_a_time_in_order() -> None:
    timeline = simulate(RolloutShape(Shape.ORDERED, 3, 0, 1), PodTiming(down_s=5, up_s=10))
    assert timeline.depth == pytest.approx(1 / 3)
    assert timeline.duration_s == pytest.approx(3 * (5 + 10), abs=1.5)
    assert timeline.window_s == pytest.approx(3 * 15, abs=1.5)  # always exactly one pod missing
    assert min(s.capacity for s in timeline.samples) == pytest.approx(2 / 3)


def test_recreate_drops_everything_until_the_new_pods_are_ready() -> None:
    timeline = simulate(RolloutShape(Shape.RECREATE, 2), PodTiming(down_s=10, up_s=5))
    assert timeline.depth == 1.0 and timeline.window_s == pytest.approx(15, abs=1)
    assert timeline.pod_minutes_lost == pytest.approx(2 * 15 / 60, abs=0.05)


def test_cold_cache_multiplies_backend_load_by_one_over_one_minus_h() -> None:
    h, tau = 0.9, 60.0
    timeline = simulate(RolloutShape(Shape.RECREATE, 1), PodTiming(0, 0, tau, h))
    assert timeline.backend_peak == pytest.approx(1 / (1 - h), rel=1e-6)
    # ∫ (factor − 1) dt = h·τ/(1 − h) for a pod warming as h·(1 − e^(−t/τ))
    assert timeline.backend_excess_s == pytest.approx(h * tau / (1 - h), rel=0.03)


def test_zero_replicas_cost_nothing() -> None:
    timeline = simulate(RolloutShape(Shape.ROLLING, 0, 1, 0), PodTiming(30, 30, 60, 0.9))
    assert (timeline.duration_s, timeline.depth, timeline.backend_peak) == (0.0, 0.0, 1.0)


def test_resolve_count_rounding_directions() -> None:
    assert resolve_count("30%", 5, round_up=True, where="x") == 2
    assert resolve_count("30%", 5, round_up=False, where="x") == 1
