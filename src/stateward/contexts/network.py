"""The network and mesh side of a component's context.

Services select pods by label; Istio DestinationRules and VirtualServices name *hosts*, which
resolve to Services (short name in the rule's namespace, ``name.ns``, or ``name.ns.svc.<domain>``);
PeerAuthentication and NetworkPolicy select pods by label (an empty selector selects every pod
of the namespace; a PeerAuthentication in ``istio-system`` applies mesh-wide).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from stateward.contexts.index import ResourceIndex, selector_matches
from stateward.model.kubernetes import as_dict, as_list
from stateward.model.resource import Resource

__all__ = ["network_context", "services_selecting", "host_to_service"]

MESH_ROOT_NAMESPACE = "istio-system"
Put = Callable[..., None]


def services_selecting(
    index: ResourceIndex, namespace: str, labels: Mapping[str, Any]
) -> list[Resource]:
    """Services of ``namespace`` whose selector matches the pod labels."""
    by_label = _services_by_label(index)
    candidates = {
        id(s): s
        for label, value in labels.items()
        for s in by_label.get((namespace, str(label), str(value)), ())
    }
    return [
        s
        for s in candidates.values()
        if selector_matches({"matchLabels": as_dict(s.body.get("spec")).get("selector")}, labels)
    ]


def _services_by_label(index: ResourceIndex) -> dict[tuple[str, str, str], list[Resource]]:
    """(namespace, label, value) -> Services whose selector requires it; built once per index.

    Each Service is filed under one of its selector's pairs: a pod can only match a Service
    whose every pair it carries, so looking up the pod's own pairs finds every candidate.
    """
    memo: dict[tuple[str, str, str], list[Resource]] | None = index.memo.get("services")
    if memo is None:
        memo = {}
        for service in index.of_kind("Service"):
            selector = as_dict(service.body.get("spec")).get("selector")
            if isinstance(selector, dict) and selector:
                label, value = min((str(k), str(v)) for k, v in selector.items())
                memo.setdefault((service.key.namespace, label, value), []).append(service)
        index.memo["services"] = memo
    return memo


def host_to_service(host: str, namespace: str) -> tuple[str, str]:
    """(namespace, name) of the Service an Istio host names, relative to the rule's namespace."""
    parts = host.split(".")
    if len(parts) == 1:
        return namespace, parts[0]
    return parts[1], parts[0]


def network_context(
    put: Put,
    index: ResourceIndex,
    namespace: str,
    labels: Mapping[str, Any],
    services: list[Resource],
) -> None:
    """Put Services, NetworkPolicies and Istio rules that apply to the pods into the context."""
    names = {(s.key.namespace, s.key.name) for s in services}
    for service in services:
        put("network", "services", service.key.name, service.body.get("spec"))
    for policy in index.of_kind("NetworkPolicy", namespace):
        if selector_matches(as_dict(policy.body.get("spec")).get("podSelector") or {}, labels):
            put("network", "networkPolicies", policy.key.name, policy.body.get("spec"))
    targeting = _rules_by_target(index)
    for name in sorted(names):
        for rule in targeting.get(name, ()):
            put(
                "mesh",
                f"{rule.key.kind}/{rule.key.namespace}/{rule.key.name}",
                rule.body.get("spec"),
            )
    for kind in ("PeerAuthentication", "AuthorizationPolicy", "Sidecar", "RequestAuthentication"):
        for rule in index.of_kind(kind):
            if _selects(rule, namespace, labels):
                put("mesh", f"{kind}/{rule.key.namespace}/{rule.key.name}", rule.body.get("spec"))


def _rules_by_target(index: ResourceIndex) -> dict[tuple[str, str], list[Resource]]:
    """(namespace, service) -> the host-addressed mesh rules naming it; built once per index."""
    memo: dict[tuple[str, str], list[Resource]] | None = index.memo.get("mesh-targets")
    if memo is None:
        memo = {}
        for kind in ("DestinationRule", "VirtualService", "ServiceEntry"):
            for rule in index.of_kind(kind):
                for target in sorted(_rule_targets(rule)):
                    memo.setdefault(target, []).append(rule)
        index.memo["mesh-targets"] = memo
    return memo


def _rule_targets(rule: Resource) -> set[tuple[str, str]]:
    spec = as_dict(rule.body.get("spec"))
    hosts = [spec.get("host")] + as_list(spec.get("hosts"))
    for section in ("http", "tcp", "tls", "grpc"):
        for route in as_list(spec.get(section)):
            for dest in as_list(as_dict(route).get("route")):
                hosts.append(as_dict(as_dict(dest).get("destination")).get("host"))
    return {host_to_service(h, rule.key.namespace) for h in hosts if isinstance(h, str) and h}


def _selects(rule: Resource, namespace: str, labels: Mapping[str, Any]) -> bool:
    if rule.key.namespace not in (namespace, MESH_ROOT_NAMESPACE):
        return False
    selector = as_dict(rule.body.get("spec")).get("selector")
    if not selector:
        return True  # namespace-wide (or mesh-wide from the root namespace)
    return selector_matches(selector, labels)
