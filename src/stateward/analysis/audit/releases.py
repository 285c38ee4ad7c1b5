"""A deployment tool's release of a chart named for a data system runs that system.

A Helm release declared as a custom resource names the chart it installs: Flux's Helm Operator
``HelmRelease`` as ``spec.chart: {repository, name: rabbitmq, version}``
(https://github.com/fluxcd/flux/blob/8292179855e15370fb3d3b03135a61b54f00ae42/site/helm-integration.md),
Flux v2's as ``spec.chart.spec.chart`` ("the name or path the Helm chart is available at",
https://fluxcd.io/flux/components/helm/helmreleases/). A chart named for a data family
(``redis``, ``postgresql``, ``mongodb``) runs that store, whose records are wherever the chart
puts them: its default, unknown here, unless the release's values switch its persistence off
(``persistence: {enabled: false}``), when they are on an emptyDir. The values otherwise describe
the objects the chart renders, which the audit does not read as this resource's own fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.analysis.audit.data_systems import word_family
from stateward.analysis.audit.workloads import Storage
from stateward.model.kubernetes import as_map, dig, is_map

__all__ = ["release_storage"]

_CHART_PATHS = (("chart", "spec", "chart"), ("chart", "name"))
_DEPTH = 4


def release_storage(kind: str, body: Mapping[str, Any]) -> list[Storage]:
    """The store a Helm release of a chart named for a data family runs (none for another, or
    for a resource of another kind: one that only passes a chart's values on describes the
    objects the chart renders, read themselves where the estate has them)."""
    if kind != "HelmRelease":
        return []
    spec = as_map(body.get("spec"))
    found = next(
        ((path, c) for path in _CHART_PATHS if isinstance(c := dig(spec, *path), str) and c),
        None,
    )
    if found is None:
        return []
    path, chart = found
    family = word_family(chart.rstrip("/").rsplit("/", 1)[-1].lower())
    if family is None:
        return []
    where = "/spec/" + "/".join(path)
    what = f"the {chart} chart runs {family[0]} ({family[1]})"
    if any(_persistence_off(as_map(spec.get("values")), 0)):
        return [Storage(where, None, f"{what}; its values turn persistence off: an emptyDir")]
    return [Storage(where, {}, f"{what}; the chart's default storage is unknown")]


def _persistence_off(node: Mapping[str, Any], depth: int) -> Iterator[bool]:
    """Whether a ``persistence: {enabled: false}`` of the values turns the store's off."""
    if depth > _DEPTH:
        return
    persistence = node.get("persistence")
    if is_map(persistence) and persistence.get("enabled") is False:
        yield True
    for value in node.values():
        if is_map(value):
            yield from _persistence_off(value, depth + 1)
