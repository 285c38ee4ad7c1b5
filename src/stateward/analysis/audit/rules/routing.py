"""Sticky routing: requests pinned to one pod, so replacing it moves (and may lose) sessions.

Read from the objects where the behaviour is configured, not from ``spec`` alone: a Service's
``sessionAffinity: ClientIP`` (``None`` is the default and is not affinity); an Istio
DestinationRule's ``loadBalancer.consistentHash`` at the top level, per port, or per subset
(istio.io networking/destination-rule reference); ingress-nginx annotations ``affinity: cookie``
and ``upstream-hash-by`` (ingress-nginx docs, annotations). Only those kinds are read, so a
``consistentHash`` inside a CustomResourceDefinition's schema is never mistaken for a rule.

A Service's or an Ingress's pinning of a workload that signs its sessions and reaches one
shared key-value store is context: its sessions are in that store, so any pod serves any client
(:mod:`~stateward.analysis.audit.session_stores`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.analysis.audit.estate import Estate, ids_or_none
from stateward.analysis.audit.interface import Effect, Hit, Scope, detector
from stateward.analysis.audit.session_stores import session_store
from stateward.analysis.audit.workloads import Workload, pointer
from stateward.model.finding import Severity
from stateward.model.kubernetes import as_list, as_map, dig
from stateward.model.resource import Resource

__all__: list[str] = []

_NGINX = "nginx.ingress.kubernetes.io/"
_CLUSTER_SUFFIX = ".svc.cluster.local"


def _spec(resource: Resource) -> Mapping[str, Any]:
    spec = resource.body.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def _each_user(users: list[Workload], path: str, message: str) -> Iterator[Hit]:
    for user in ids_or_none(users):
        yield Hit(path, message, component=user)


@detector(
    "SESSION_AFFINITY",
    Severity.MEDIUM,
    Effect.WARM_UP,
    scope=Scope.OBJECT,
    kinds=("Service",),
    remedy="Keep sessions in a shared store so any pod can serve any client.",
)
def session_affinity(resource: Resource, estate: Estate) -> Iterator[Hit]:
    """Service ``sessionAffinity: ClientIP``: each client sticks to one pod."""
    spec = _spec(resource)
    if spec.get("sessionAffinity") != "ClientIP":
        return
    timeout = dig(spec, "sessionAffinityConfig", "clientIP", "timeoutSeconds") or 10800
    users = estate.selected(resource.key.namespace, as_map(spec.get("selector")))
    message = f"Service {resource.key.name} pins each client IP to one pod for {timeout} s"
    yield from _pinned(users, estate, "/spec/sessionAffinity", message)


def _hash_policies(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(pointer, subset name or '', consistentHash) wherever a DestinationRule can hold one."""
    places: list[tuple[str, str, Any]] = [("/spec/trafficPolicy", "", spec.get("trafficPolicy"))]
    for i, subset in enumerate(as_list(spec.get("subsets"))):
        if isinstance(subset, Mapping):
            path = pointer("spec", "subsets", i, "trafficPolicy")
            places.append((path, str(subset.get("name", i)), subset.get("trafficPolicy")))
    for path, subset, policy in places:
        if not isinstance(policy, Mapping):
            continue
        balancers = [(path + "/loadBalancer", policy.get("loadBalancer"))]
        for j, port in enumerate(as_list(policy.get("portLevelSettings"))):
            if isinstance(port, Mapping):
                balancers.append(
                    (path + f"/portLevelSettings/{j}/loadBalancer", port.get("loadBalancer"))
                )
        for where, balancer in balancers:
            if isinstance(balancer, Mapping) and isinstance(
                balancer.get("consistentHash"), Mapping
            ):
                yield where + "/consistentHash", subset, balancer["consistentHash"]


def _rule_users(resource: Resource, estate: Estate, subset: str) -> list[Workload]:
    spec = _spec(resource)
    host = str(spec.get("host", "")).removesuffix(_CLUSTER_SUFFIX)
    name, _, namespace = host.partition(".")
    namespace = namespace or resource.key.namespace
    users = estate.behind_service(namespace, name)
    for entry in as_list(spec.get("subsets")):
        if isinstance(entry, Mapping) and entry.get("name") == subset:
            labels = {str(k): str(v) for k, v in as_map(entry.get("labels")).items()}
            users = [w for w in users if labels.items() <= w.labels.items()]
    return users


@detector(
    "MESH_CONSISTENT_HASH",
    Severity.MEDIUM,
    Effect.WARM_UP,
    scope=Scope.OBJECT,
    kinds=("DestinationRule",),
    remedy="Make the hashed state shareable, or expect remapped keys on every replace.",
)
def mesh_consistent_hash(resource: Resource, estate: Estate) -> Iterator[Hit]:
    """Istio DestinationRule ``consistentHash`` (top level, per port or per subset)."""
    if resource.key.group not in ("networking.istio.io", ""):
        return
    for path, subset, policy in _hash_policies(_spec(resource)):
        scope = f"subset {subset}" if subset else "all traffic"
        message = f"DestinationRule {resource.key.name}: {scope} hashed by {sorted(policy)}"
        yield from _each_user(_rule_users(resource, estate, subset), path, message)


def _ingress_users(resource: Resource, estate: Estate) -> list[Workload]:
    spec = _spec(resource)
    names: set[str] = set()
    backends = [spec.get("defaultBackend"), spec.get("backend")]
    for rule in as_list(spec.get("rules")):
        backends += [dig(item, "backend") for item in as_list(dig(rule, "http", "paths"))]
    for backend in backends:
        if isinstance(backend, Mapping):
            service = backend.get("service")
            name = (
                service.get("name") if isinstance(service, Mapping) else backend.get("serviceName")
            )
            if name:
                names.add(str(name))
    return [w for n in sorted(names) for w in estate.behind_service(resource.key.namespace, n)]


def _annotation(resource: Resource, name: str) -> str | None:
    metadata = resource.body.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
    value = annotations.get(_NGINX + name) if isinstance(annotations, Mapping) else None
    return None if value is None else str(value)


@detector(
    "INGRESS_COOKIE_AFFINITY",
    Severity.MEDIUM,
    Effect.WARM_UP,
    scope=Scope.OBJECT,
    kinds=("Ingress",),
    remedy="Keep sessions in a shared store so any pod can serve any client.",
)
def ingress_cookie_affinity(resource: Resource, estate: Estate) -> Iterator[Hit]:
    """ingress-nginx ``affinity: cookie``: each browser sticks to one pod."""
    if _annotation(resource, "affinity") != "cookie":
        return
    cookie = _annotation(resource, "session-cookie-name") or "INGRESSCOOKIE"
    age = _annotation(resource, "session-cookie-max-age") or _annotation(
        resource, "session-cookie-expires"
    )
    message = f"Ingress {resource.key.name}: cookie {cookie} pins clients" + (
        f" for {age} s" if age else ""
    )
    path = pointer("metadata", "annotations", _NGINX + "affinity")
    yield from _pinned(_ingress_users(resource, estate), estate, path, message)


def _pinned(users: list[Workload], estate: Estate, path: str, message: str) -> Iterator[Hit]:
    """:func:`_each_user`, but context for a user that keeps its signed sessions in the one
    shared store it reaches (:mod:`~stateward.analysis.audit.session_stores`): any pod of it
    serves any client, so the pinning keeps nothing a replacement loses."""
    for user in users:
        if store := session_store(user, estate):
            text = f"{message}; its sessions are in the shared store {store}"
            yield Hit(path, text, component=user.id, effect=Effect.CONTEXT, severity=Severity.INFO)
        else:
            yield from _each_user([user], path, message)
    if not users:
        yield from _each_user(users, path, message)


@detector(
    "INGRESS_HASH_BY", Severity.MEDIUM, Effect.WARM_UP, scope=Scope.OBJECT, kinds=("Ingress",)
)
def ingress_hash_by(resource: Resource, estate: Estate) -> Iterator[Hit]:
    """ingress-nginx ``upstream-hash-by``: requests hashed to pods by a key."""
    key = _annotation(resource, "upstream-hash-by")
    if key is None:
        return
    subset = _annotation(resource, "upstream-hash-by-subset") == "true"
    message = f"Ingress {resource.key.name}: requests hashed by {key}" + (
        f" onto subsets of {_annotation(resource, 'upstream-hash-by-subset-size') or 3}"
        if subset
        else ""
    )
    path = pointer("metadata", "annotations", _NGINX + "upstream-hash-by")
    yield from _each_user(_ingress_users(resource, estate), path, message)
