"""API defaults for data and scaling objects: Secret and HPA.

Sources (commit-pinned): ``pkg/apis/core/v1/defaults.go`` (``SetDefaults_Secret``),
``pkg/apis/autoscaling/v2/defaults.go`` (``SetDefaults_HorizontalPodAutoscaler``,
``GenerateHPAScaleUpRules``/``…ScaleDownRules``) at v1.31.0,
https://github.com/kubernetes/kubernetes/tree/9edcffcde5595e8a5b1a35f88c421764e575afce.
Admission webhooks, whose defaults differ by API version, and volumes and claims, are in the
table of :mod:`stateward.normalize.api_defaults`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from stateward.model.canonical import canonical_json
from stateward.normalize.interface import Body, NormalizeContext
from stateward.normalize.spec import SpecDefaults
from stateward.normalize.step import KindStep
from stateward.normalize.walk import child, set_default

__all__ = ["HpaDefaults", "LimitRangeDefaults", "SecretDefaults"]

_SCALE_UP = {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
             "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                          {"type": "Percent", "value": 100, "periodSeconds": 15}]}  # fmt: skip
_SCALE_DOWN = {"stabilizationWindowSeconds": 300, "selectPolicy": "Max",
               "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}  # fmt: skip
_DEFAULT_CPU_METRIC = {"type": "Resource", "resource": {"name": "cpu", "target": {
    "type": "Utilization", "averageUtilization": 80}}}  # fmt: skip


class SecretDefaults(KindStep):
    """``type: Opaque``, and ``stringData`` folded into ``data`` (gitops-engine's
    ``NormalizeSecret``; Flux does the same).

    Sources digest both fields the same way (a value digests alike from either), so folding is
    a plain merge; ``stringData`` wins on a shared key as it does on write.
    """

    name = "defaults.secret"
    kinds = ("Secret",)

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        set_default(body, "type", "Opaque")
        string_data = body.pop("stringData", None)
        if isinstance(string_data, dict) and string_data:
            data = body.get("data")
            body["data"] = {**(data if isinstance(data, dict) else {}), **string_data}
        return body


class HpaDefaults(SpecDefaults):
    """minReplicas, the default CPU metric, behavior rules, and metrics as a set.

    The controller takes the largest proposal over all metrics, so their order carries no
    meaning; the API nonetheless reorders them (argo-cd #1079, #11328, kubernetes #74099), so
    they are sorted here instead of being compared as an ordered list.
    """

    name = "defaults.hpa"

    kinds = ("HorizontalPodAutoscaler",)

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        set_default(spec, "minReplicas", 1)
        if str(body.get("apiVersion", "")).startswith("autoscaling/v1"):
            return
        if not spec.get("metrics"):
            spec["metrics"] = [copy.deepcopy(_DEFAULT_CPU_METRIC)]
        if isinstance(spec["metrics"], list):
            spec["metrics"] = sorted(spec["metrics"], key=canonical_json)
        behavior = child(spec, "behavior")
        if behavior is not None:
            _rules(behavior, "scaleUp", _SCALE_UP)
            _rules(behavior, "scaleDown", _SCALE_DOWN)


def _rules(behavior: dict[str, Any], field: str, defaults: dict[str, Any]) -> None:
    set_default(behavior, field, {})
    rules = child(behavior, field)
    if rules is not None:
        for name, value in defaults.items():
            set_default(rules, name, [dict(p) for p in value] if isinstance(value, list) else value)


class LimitRangeDefaults(SpecDefaults):
    """A Container limit's ``default`` taken from its ``max``, and its ``defaultRequest`` from
    ``default``, then from ``min``, per resource name (``SetDefaults_LimitRangeItem``,
    https://github.com/kubernetes/kubernetes/blob/9edcffcde5595e8a5b1a35f88c421764e575afce/pkg/apis/core/v1/defaults.go)."""

    name = "defaults.limitrange"
    kinds = ("LimitRange",)

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        for item in spec.get("limits") or ():
            if isinstance(item, dict) and item.get("type") == "Container":
                _copy_missing(item, "default", "max")
                _copy_missing(item, "defaultRequest", "default", "min")


def _copy_missing(item: Body, field: str, *sources: str) -> None:
    """Each resource the ``sources`` maps name, in this order, that ``item[field]`` lacks."""
    target = item.setdefault(field, {})
    if not isinstance(target, dict):
        return
    for source in sources:
        values = item.get(source)
        for name, value in values.items() if isinstance(values, dict) else ():
            target.setdefault(name, value)
