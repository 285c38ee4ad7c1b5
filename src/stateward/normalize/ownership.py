"""Fields another controller owns in live: ``spec.replicas`` under an HorizontalPodAutoscaler,
the ``rules`` of an aggregated ClusterRole.

Argo CD asks users to add an ignoreDifferences rule for these by hand (or an option,
``ignoreAggregatedRoles``); we see
the owner in the observation or the object and leave the field out, with a note saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stateward.model.kubernetes import dig, is_builtin, is_kubernetes
from stateward.model.resource import Resource, ResourceKey
from stateward.normalize.empties import dropped
from stateward.normalize.interface import Body, NormalizeContext, Side
from stateward.normalize.step import KindStep
from stateward.normalize.walk import child

__all__ = ["AggregatedRules", "HpaReplicas", "hpa_targets"]


def hpa_targets(resources: Iterable[Resource]) -> frozenset[ResourceKey]:
    """Keys of the workloads an HPA among ``resources`` scales (``spec.scaleTargetRef``)."""
    targets = set()
    for resource in resources:
        # the kind first: a test, not a call, for the many objects of other kinds
        if resource.key.kind != "HorizontalPodAutoscaler" or not is_builtin(
            resource.key, "HorizontalPodAutoscaler"
        ):
            continue
        ref = dig(resource.body, "spec", "scaleTargetRef")
        if not isinstance(ref, Mapping):
            continue
        kind, name = ref.get("kind"), ref.get("name")
        if isinstance(kind, str) and isinstance(name, str):
            group = str(ref.get("apiVersion", "")).rpartition("/")[0]
            targets.add(ResourceKey(group, kind, resource.key.namespace, name))
    return frozenset(targets)


class HpaReplicas:
    """``spec.replicas`` of a workload an HPA scales is the HPA's, not the manifest's."""

    name = "hpa-replicas"
    pairwise: tuple[Side, ...] = ("desired", "live")
    tidy = True

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        # Most diffs hold no HPA: the empty set answers without hashing the key.
        return bool(ctx.hpa_targets) and ctx.key in ctx.hpa_targets and is_kubernetes(ctx.key)

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        spec = child(body, "spec")
        if ctx.key in ctx.hpa_targets and spec is not None and "replicas" in spec:
            del spec["replicas"]
            if dropped("spec", spec):
                del body["spec"]
            if ctx.side == "live":
                ctx.note_explained(
                    "/spec/replicas", "replicas are owned by a HorizontalPodAutoscaler"
                )
        return body


class AggregatedRules(KindStep):
    """A ClusterRole with an ``aggregationRule`` gets its ``rules`` from the aggregation
    controller, which overwrites whatever the manifest lists; gitops-engine nulls them under an
    option (``normalizeRole``,
    https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/gitops-engine/pkg/diff/diff.go#L1038)."""

    name = "aggregated-rules"
    pairwise: tuple[Side, ...] = ("desired", "live")
    tidy = True  # only the root loses a field
    kinds = ("ClusterRole",)

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        aggregated = body.get("aggregationRule") or dig(desired, "aggregationRule")
        if aggregated and "rules" in body:
            del body["rules"]
            if ctx.side == "live":
                ctx.note_explained("/rules", "rules are filled in by the ClusterRole aggregation")
        return body
