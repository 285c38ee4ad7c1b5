"""The upstreams of the Envoy proxies MARIN3R configures from its ``EnvoyConfig`` resources.

MARIN3R's discovery service sends the Envoy resources of an ``EnvoyConfig`` (listeners, routes,
clusters, endpoints) "to any envoy client that identifies itself with that nodeID" (the kind's
own comment, ``apis/marin3r/v1alpha1/envoyconfig_types.go``). Two kinds of proxy do:

- the Envoy sidecar MARIN3R's webhook injects "in any Pod annotated with
  ``marin3r.3scale.net/node-id``" (README, "Sidecar injection configuration"): the pods of a
  workload so annotated load the ``EnvoyConfig`` whose ``spec.nodeID`` is that value ("loaded
  by any Envoy proxy in the namespace that matches the ``nodeID`` field", the TLS-offloading
  walkthrough);
- the Envoy pods of an ``EnvoyDeployment``, whose ``envoyConfigRef`` "points to an EnvoyConfig
  in the same namespace" (``apis/operator.marin3r/v1alpha1/envoydeployment_types.go``).

So the workload reaches the upstreams of that configuration's clusters: the hosts of their
``socket_address`` (a ``STRICT_DNS`` cluster's Service name; a loopback or wildcard address is
the pod itself), and the Service whose EndpointSlices an ``endpoint`` resource is generated from
(``generateFromEndpointSlices.selector`` on ``kubernetes.io/service-name``, the label the
EndpointSlice controller sets to the Service's name,
https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#ownership). A
resource's ``value`` is an object, or a string in the config's ``serialization`` (JSON unless
``yaml``; YAML reads both). Sources at
https://github.com/3scale-ops/marin3r/tree/a7983d515107ed7b2c9ae521b798d6e3dabb2f9c (README.md,
docs/walkthroughs/tls-offloading-sidecars.md and the two API types named above).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from stateward.analysis.audit.config_trees import yaml_tree
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Workload
from stateward.model.kubernetes import as_list, as_map, dig, is_map
from stateward.model.resource import Resource

__all__ = ["envoy_upstreams"]

_GROUP = "marin3r.3scale.net"
_OPERATOR_GROUP = "operator.marin3r.3scale.net"
_NODE_ID = "marin3r.3scale.net/node-id"
_SERVICE_NAME = "kubernetes.io/service-name"
_UPSTREAM_TYPES = ("cluster", "endpoint")
_DEPTH = 12  # a cluster's load_assignment.endpoints[].lb_endpoints[].endpoint.address…
_MOST = 64

Resolve = Callable[[str, Workload, Estate], list[Workload]]


def envoy_upstreams(
    workload: Workload, estate: Estate, resolve: Resolve
) -> Iterator[tuple[Workload, str]]:
    """(upstream, why) for each workload the Envoy configuration ``workload`` loads sends
    traffic to (``resolve``: a host's workloads, as seen from ``workload``)."""
    if workload.platform != "kubernetes":
        return
    for config, how in _loaded(workload, estate):
        for host, where in _upstream_hosts(config.body):
            for target in resolve(host, workload, estate):
                yield target, f"{how}: EnvoyConfig {config.key.name} {where} names {host}"


def _loaded(workload: Workload, estate: Estate) -> Iterator[tuple[Resource, str]]:
    configs = [
        r for r in estate.by_kind.get("EnvoyConfig", ())
        if r.key.group == _GROUP and r.key.namespace == workload.namespace
    ]  # fmt: skip
    if not configs:
        return
    key, body = workload.resource.key, workload.resource.body
    if key.group == _OPERATOR_GROUP and key.kind == "EnvoyDeployment":
        ref = dig(body, "spec", "envoyConfigRef")
        yield from ((c, f"spec.envoyConfigRef {ref}") for c in configs if c.key.name == ref)
    pod = body if key.kind == "Pod" else as_map(dig(body, "spec", "template"))
    node = as_map(dig(pod, "metadata", "annotations")).get(_NODE_ID)
    if isinstance(node, str) and node:
        how = f"annotation {_NODE_ID}: {node}"
        yield from ((c, how) for c in configs if dig(c.body, "spec", "nodeID") == node)


def _upstream_hosts(body: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(host, where) for the upstreams of an EnvoyConfig's clusters and endpoints."""
    spec = as_map(body.get("spec"))
    legacy = as_map(spec.get("envoyResources"))
    for kind in ("clusters", "endpoints"):
        for i, item in enumerate(as_list(legacy.get(kind))[:_MOST]):
            where = f"spec.envoyResources.{kind}[{i}]"
            yield from ((h, where) for h in _addresses(_parsed(as_map(item).get("value")), 0))
    for i, item in enumerate(as_list(spec.get("resources"))[:_MOST]):
        item = as_map(item)
        if item.get("type") not in _UPSTREAM_TYPES:
            continue
        where = f"spec.resources[{i}]"
        yield from ((h, where) for h in _addresses(_parsed(item.get("value")), 0))
        labels = as_map(dig(item, "generateFromEndpointSlices", "selector", "matchLabels"))
        if isinstance(service := labels.get(_SERVICE_NAME), str) and service:
            yield service, f"{where}.generateFromEndpointSlices"


def _parsed(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return yaml_tree(value)


def _addresses(node: Any, depth: int) -> Iterator[str]:
    """The host names under ``socket_address: {address: …}``, not a loopback or wildcard IP."""
    if depth > _DEPTH:
        return
    if is_map(node):
        address = as_map(node.get("socket_address")).get("address")
        if isinstance(address, str) and _a_host(address):
            yield address
        for value in node.values():
            yield from _addresses(value, depth + 1)
    elif isinstance(node, list):
        for item in node[:_MOST]:
            yield from _addresses(item, depth + 1)


def _a_host(address: str) -> bool:
    if address.lower() == "localhost":
        return False
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return True
    return False
