"""Which lists are matched by identity, and by what key.

Strategic-merge and server-side-apply list-map keys of the Kubernetes API: containers, env,
volumes … by name, volume mounts by mount path, container ports by ``(containerPort,
protocol)``, Service ports by ``(port, protocol)`` (the SSA composite keys, which tell TCP 53
from UDP 53). A list is matched by identity only when every item has the key; otherwise, and
for lists without a key (``args``, HPA ``metrics``), items are compared by position.

Sources: the ``patchMergeKey`` and ``listMapKey`` markers of the API types (v1.31.0),
https://github.com/kubernetes/kubernetes/blob/9edcffcde5595e8a5b1a35f88c421764e575afce/staging/src/k8s.io/api/core/v1/types.go,
and https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["Identity", "identity_for"]

Identity = Callable[[Mapping[str, Any]], Any]
"""Maps one list item to its key; returns None when the item lacks the key fields."""


def _fields(*names: str, defaults: Mapping[str, Any] | None = None) -> Identity:
    fill = dict(defaults or {})
    first = names[0]
    if len(names) == 1:

        def single(item: Mapping[str, Any]) -> Any:
            # Most lists are keyed by one field (a name): its value, without building a tuple.
            return item[first] if first in item else None

        return single

    fallback = [fill.get(n) for n in names]

    def identity(item: Mapping[str, Any]) -> Any:
        # map() calls item.get(name, default) for each field in C: no generator per item.
        return tuple(map(item.get, names, fallback)) if first in item else None

    return identity


def _env_from(item: Mapping[str, Any]) -> Any:
    for ref in ("configMapRef", "secretRef"):
        source = item.get(ref)
        if isinstance(source, Mapping):
            return (ref, source.get("name"), item.get("prefix", ""))
    return None


def _claim_template(item: Mapping[str, Any]) -> Any:
    metadata = item.get("metadata")
    return metadata.get("name") if isinstance(metadata, Mapping) else None


_BY_NAME = _fields("name")
_IDENTITIES: dict[str, Identity] = {
    "containers": _BY_NAME,
    "initContainers": _BY_NAME,
    "ephemeralContainers": _BY_NAME,
    "env": _BY_NAME,
    "volumes": _BY_NAME,
    "imagePullSecrets": _BY_NAME,
    "resourceClaims": _BY_NAME,
    "webhooks": _BY_NAME,
    "volumeMounts": _fields("mountPath"),
    "volumeDevices": _fields("devicePath"),
    "envFrom": _env_from,
    "tolerations": _fields("key", "operator", "effect"),
    "conditions": _fields("type"),
    "hostAliases": _fields("ip"),
    "topologySpreadConstraints": _fields("topologyKey", "whenUnsatisfiable"),
    "volumeClaimTemplates": _claim_template,
}
_CONTAINER_PORT = _fields("containerPort", "protocol", defaults={"protocol": "TCP"})
_SERVICE_PORT = _fields("port", "protocol", defaults={"protocol": "TCP"})


def identity_for(field: str, items: list[Any], kind: str = "") -> Identity | None:
    """The identity of the list under ``field`` of a ``kind`` object, or None for by-position."""
    identity = _IDENTITIES.get(field)
    if identity is None and field == "ports" and items and isinstance(items[0], Mapping):
        # A Service's only port list is spec.ports; container ports carry containerPort; other
        # port lists (NetworkPolicy, Istio) have no list-map key.
        if kind == "Service":
            identity = _SERVICE_PORT
        elif "containerPort" in items[0]:
            identity = _CONTAINER_PORT
    return identity
