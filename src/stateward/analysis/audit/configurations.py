"""Edges through a custom resource that only configures the resources naming it.

Some operator kinds run no pods: they hold a setting that the pods of the resources naming
them read. Stackable's ``AuthenticationClass`` describes an LDAP server
(``provider.ldap.hostname``) that a cluster naming it in ``clusterConfig.authentication``
authenticates its users against: the operator passes the class's settings to the cluster's
pods, and it is they that authenticate users "against a single LDAP server" ("This requires
setting up an AuthenticationClass for the LDAP server. The AuthenticationClass is then
referenced in the SupersetCluster resource",
https://github.com/stackabletech/superset-operator/blob/34e6185a6fcf0de8fc01dfeef8134c74aec4d723/docs/modules/superset/pages/usage-guide/security.adoc).
A ``TrinoCatalog``
is a catalog a ``TrinoCluster`` selects by label, written into its coordinator's and
workers' configuration; they query the metastore the catalog names
(https://github.com/stackabletech/trino-operator/blob/723b3cd468b954baaeb17ea17cefd1824c0ac77b/docs/modules/trino/pages/usage-guide/catalogs/hive.adoc).

So a workload that names such a resource depends, besides on it, on the servers the resource
gives the address of (a host or URL in its spec, :func:`.custom.spec_hosts`) or names by their
discovery ConfigMap (:func:`.custom.discovery_references`): one step, never back to the
workload. What the resource names otherwise is no server its namer's pods connect to: the
cluster it is made in (a ZooKeeper znode's ensemble), the resources it selects (a log
collector's configuration's outputs), its issuer (a Certificate's). A configuration is a
custom resource read with no storage of its own and holding nothing, whose spec runs no
members (:func:`.custom.runs_members`: no image, no replicas, no Service of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from stateward.analysis.audit.custom import (
    discovery_references,
    is_custom,
    runs_members,
    spec_hosts,
)
from stateward.analysis.audit.dependencies import Edge
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Workload

__all__ = ["configures_only", "through_configurations"]


def configures_only(workload: Workload, estate: Estate) -> bool:
    """True for a custom resource that runs nothing and holds nothing: a setting its namers'
    pods read."""
    operated = workload.operated
    return (
        operated is not None
        and operated.inferred
        and not operated.storage
        and is_custom(workload.resource.key)
        and workload.id not in estate.holders
        and not runs_members(workload.body)
    )


def through_configurations(
    workload: Workload,
    edges: list[Edge],
    by_id: Mapping[str, Workload],
    estate: Estate,
    edges_of: Callable[[Workload], list[Edge]],
) -> list[Edge]:
    """``edges`` and, for each edge to a configuration (``by_id``: the estate's workloads by
    id), the edges out of that configuration as the workload's own (none back to the
    workload, none it has already)."""
    if not edges:
        return edges
    seen = {e.target for e in edges} | {workload.id}
    found = list(edges)
    for edge in edges:
        target = by_id.get(edge.target)
        if target is None or not configures_only(target, estate):
            continue
        addresses = {
            f"{ref.where} names {ref.name}"
            for ref in [*spec_hosts(target.body), *discovery_references(target.body)]
        }
        for onward in edges_of(target):
            if onward.via in addresses and onward.target not in seen:
                seen.add(onward.target)
                found.append(
                    Edge(workload.id, onward.target, f"through {target.name}: {onward.via}")
                )
    return found
