"""Gateway API routes: the Gateway they attach to and the Services they send traffic to.

An ``HTTPRoute`` (or ``GRPCRoute``) holds routing rules only, no state, but it is how traffic
reaches the workloads behind it. Its ``spec.parentRefs`` name "the resources (usually
Gateways) that a Route wants to be attached to" (``kind`` defaulting to ``Gateway``), and each
rule's ``backendRefs`` name "the backend(s) where matching requests should be sent"
(``kind`` defaulting to ``Service``, ``namespace`` to the route's own): the Gateway API's
types at a pinned commit,
https://github.com/kubernetes-sigs/gateway-api/blob/8a587c3a4ddc918ddb1cd13c146ebc5ab7fd82d6/apis/v1/shared_types.go
(``ParentReference``) and
https://github.com/kubernetes-sigs/gateway-api/blob/8a587c3a4ddc918ddb1cd13c146ebc5ab7fd82d6/apis/v1/httproute_types.go
(``HTTPBackendRef``, ``BackendObjectReference``). The route is a component for those edges: to
the workloads the backend Service selects. (The Gateway it attaches to is of a Kubernetes API
group, ``*.k8s.io``, which the audit reads as no custom resource: no component, so no edge to
it yet.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Reference, Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_list, as_map, dig

__all__: list[str] = []

_GROUP = "gateway.networking.k8s.io"
_SOURCE = "https://github.com/kubernetes-sigs/gateway-api/blob/8a587c3a4ddc918ddb1cd13c146ebc5ab7fd82d6/apis/v1/httproute_types.go"
# A route's references: (list path, default kind) for its parents and, per rule, its backends.
_PARENTS = ("parentRefs", "Gateway")
_BACKENDS = ("backendRefs", "Service")


def _no_storage(body: Mapping[str, Any]) -> list[Storage]:
    return []


def _route_refs(body: Mapping[str, Any]) -> list[Reference]:
    spec = as_map(body.get("spec"))
    found = _refs(spec, *_PARENTS, "spec.parentRefs")
    for rule in as_list(spec.get("rules")):
        found += _refs(as_map(rule), *_BACKENDS, "spec.rules.backendRefs")
    return found


def _refs(node: Mapping[str, Any], field: str, kind: str, where: str) -> list[Reference]:
    refs = []
    for item in as_list(node.get(field)):
        name = dig(item, "name")
        if isinstance(name, str) and name:
            named_kind = str(dig(item, "kind") or kind)
            refs.append(Reference(named_kind, name, str(dig(item, "namespace") or ""), where))
    return refs


for _kind in ("HTTPRoute", "GRPCRoute"):
    register_family(
        Family(
            OperatorKind(_GROUP, _kind, (), ""),
            "routing",
            _no_storage,
            _SOURCE,
            _route_refs,
            pods=False,
        )
    )
