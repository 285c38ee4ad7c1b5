"""Rollout shape: how many pods a platform replaces at once.

Kubernetes Deployment ``RollingUpdate``: ``maxSurge`` (default 25 %) is rounded **up** and
``maxUnavailable`` (default 25 %) rounded **down** against ``replicas``; when both resolve to 0 by
rounding, ``maxUnavailable`` becomes 1 (``ResolveFenceposts``), while both set to 0 explicitly is
rejected by API validation. ``Recreate`` stops every pod first. StatefulSets update one pod at a
time in reverse ordinal order, each after the previous one is Running and Ready. DaemonSets
default to ``maxUnavailable: 1``, ``maxSurge: 0``. A PodDisruptionBudget bounds evictions, not a
controller's rollout; it is read here so the report can say when a rollout goes below it
(percentages round up, as the disruption controller does).
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stateward.errors import InputError

__all__ = ["Shape", "RolloutShape", "resolve_count", "rollout_shape", "pdb_min_available"]

_K8S = "https://github.com/kubernetes/kubernetes/blob/a7264f95ffc8b56377da16e83461aa59467ebb3e"
FENCEPOSTS = f"{_K8S}/pkg/controller/deployment/util/deployment_util.go (ResolveFenceposts)"
_PERCENT = re.compile(r"(0|[1-9][0-9]{0,2})%")
_INT = re.compile(r"0|[1-9][0-9]{0,8}")


class Shape(enum.StrEnum):
    """How replacement proceeds."""

    ROLLING = "rolling"
    """Surge new pods and remove old ones within maxSurge/maxUnavailable."""
    ORDERED = "ordered"
    """One pod at a time, highest ordinal first, each waiting for the previous to be Ready."""
    RECREATE = "recreate"
    """Every old pod or container stops, then the new ones start."""


@dataclass(frozen=True, slots=True)
class RolloutShape:
    """Replicas and the concurrency of their replacement."""

    shape: Shape
    replicas: int
    max_surge: int = 0
    max_unavailable: int = 0
    pull_before: bool = False
    """True when the platform pulls images before it stops anything (``docker compose up``)."""

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "shape": str(self.shape),
            "replicas": self.replicas,
            "max_surge": self.max_surge,
            "max_unavailable": self.max_unavailable,
        }


def resolve_count(value: Any, replicas: int, *, round_up: bool, where: str) -> int:
    """An IntOrString (``3`` or ``"25%"``) as a pod count against ``replicas``."""
    if isinstance(value, bool):
        raise InputError(where, f"expected a count or a percentage, got {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise InputError(where, f"must not be negative, got {value}")
        return value
    if isinstance(value, str):
        text = value.strip()
        found = _PERCENT.fullmatch(text)
        if found:
            scaled = int(found.group(1)) * replicas / 100
            return math.ceil(scaled) if round_up else math.floor(scaled)
        if _INT.fullmatch(text):
            return int(text)
    raise InputError(where, f"expected a count or a percentage like '25%', got {value!r}")


def _replicas(spec: Mapping[str, Any], where: str) -> int:
    value = spec.get("replicas", 1)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(where, f"spec.replicas must be a whole number ≥ 0, got {value!r}")
    return value


def rollout_shape(kind: str, body: Mapping[str, Any], where: str) -> RolloutShape:
    """The rollout shape of a workload object (``where`` names it in errors)."""
    spec = body.get("spec")
    spec = spec if isinstance(spec, Mapping) else {}
    if kind == "ComposeService":
        return _compose(body, where)
    if kind in ("Pod", "Job", "CronJob"):
        return RolloutShape(Shape.RECREATE, 1)
    replicas = _replicas(spec, where) if kind != "DaemonSet" else 1
    if kind == "StatefulSet":
        return RolloutShape(Shape.ORDERED, replicas, 0, 1)
    strategy_key = "updateStrategy" if kind == "DaemonSet" else "strategy"
    strategy = spec.get(strategy_key)
    strategy = strategy if isinstance(strategy, Mapping) else {}
    if strategy.get("type") in ("Recreate", "OnDelete"):
        return RolloutShape(Shape.RECREATE, replicas, 0, replicas)
    rolling = strategy.get("rollingUpdate")
    rolling = rolling if isinstance(rolling, Mapping) else {}
    defaults = (0, 1) if kind == "DaemonSet" else ("25%", "25%")
    return _rolling(replicas, rolling, defaults, f"{where}: spec.{strategy_key}.rollingUpdate")


def _rolling(
    replicas: int, rolling: Mapping[str, Any], defaults: tuple[Any, Any], where: str
) -> RolloutShape:
    surge_raw = rolling.get("maxSurge", defaults[0])
    unavailable_raw = rolling.get("maxUnavailable", defaults[1])
    surge = resolve_count(surge_raw, replicas, round_up=True, where=f"{where}.maxSurge")
    unavailable = resolve_count(
        unavailable_raw, replicas, round_up=False, where=f"{where}.maxUnavailable"
    )
    if _is_zero(surge_raw) and _is_zero(unavailable_raw):
        raise InputError(
            where,
            "maxSurge and maxUnavailable are both 0: the rollout could never replace a pod "
            "(the API server rejects this)",
            remedy="Set maxSurge to at least 1 (no capacity loss) or maxUnavailable to at least 1.",
        )
    if surge == 0 and unavailable == 0:
        unavailable = 1  # rounding made both 0: the controller allows one (FENCEPOSTS)
    return RolloutShape(Shape.ROLLING, replicas, surge, unavailable)


def _is_zero(value: Any) -> bool:
    return value in (0, "0", "0%")


def _compose(body: Mapping[str, Any], where: str) -> RolloutShape:
    """``docker compose up`` pulls first, then stops and recreates each container of a changed
    service; the service is down from the stop until the new container runs."""
    deploy = body.get("deploy")
    deploy = deploy if isinstance(deploy, Mapping) else {}
    replicas = deploy.get("replicas", body.get("scale", 1))
    if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0:
        raise InputError(where, f"replicas/scale must be a whole number ≥ 0, got {replicas!r}")
    return RolloutShape(Shape.RECREATE, replicas, 0, replicas, pull_before=True)


def pdb_min_available(pdb_spec: Mapping[str, Any], replicas: int, where: str) -> int:
    """Pods a PodDisruptionBudget wants available (percentages round up, as the disruption
    controller computes them)."""
    if "minAvailable" in pdb_spec:
        return resolve_count(pdb_spec["minAvailable"], replicas, round_up=True, where=where)
    if "maxUnavailable" in pdb_spec:
        allowed = resolve_count(pdb_spec["maxUnavailable"], replicas, round_up=True, where=where)
        return max(0, replicas - allowed)
    return 0
