"""Which facet of a component a change touches, from the object's kind and the change's path.

The facets of :class:`stateward.model.change.Facet`: binary, env, secret, config, mesh, storage,
network, resources, scale, metadata. First match wins, most specific first: the kind of object
(Istio → mesh, Secret data
→ secret), then metadata, then the field names along the path.
"""

from __future__ import annotations

from typing import Any

from stateward.model.canonical import canonical_json
from stateward.model.change import Facet
from stateward.model.resource import ResourceKey
from stateward.model.secrets import SECRET_PREFIX

__all__ = ["facet_for", "object_facet"]

_MESH_GROUPS = frozenset({"networking.istio.io", "security.istio.io", "telemetry.istio.io",
                          "extensions.istio.io", "policy.linkerd.io", "linkerd.io",
                          "split.smi-spec.io"})  # fmt: skip
_NETWORK_KINDS = frozenset({"Service", "Ingress", "IngressClass", "NetworkPolicy", "Endpoints",
                            "EndpointSlice"})  # fmt: skip
_STORAGE_KINDS = frozenset({"PersistentVolumeClaim", "PersistentVolume", "StorageClass"})
_STORAGE_FIELDS = frozenset({"volumes", "volumeMounts", "volumeClaimTemplates", "volumeDevices"})
_MESH_MARKS = ("istio.io", "linkerd.io")
_CONTAINER_LISTS = frozenset({"containers", "initContainers", "ephemeralContainers"})


def object_facet(key: ResourceKey) -> Facet:
    """The facet of a whole object (used for missing and extra objects)."""
    return facet_for(key, [], None, None)


def facet_for(key: ResourceKey, tokens: list[str], before: Any, after: Any) -> Facet:
    """The facet of a change at ``tokens`` (unescaped pointer tokens) inside object ``key``."""
    if key.group in _MESH_GROUPS:
        return Facet.MESH
    top = tokens[0] if tokens else ""
    if key.kind == "Secret" and top in ("data", "stringData"):
        return Facet.SECRET
    if key.kind == "ConfigMap" and top in ("data", "binaryData"):
        return Facet.CONFIG
    names = set(tokens)
    if "labels" in names or "annotations" in names:
        return Facet.MESH if any(m in t for t in tokens for m in _MESH_MARKS) else Facet.METADATA
    if "env" in names or "envFrom" in names:
        return Facet.SECRET if _mentions_secret(names, before, after) else Facet.ENV
    if "image" in names or _whole_container(tokens):
        return Facet.BINARY
    return _by_field(key, names)


def _by_field(key: ResourceKey, names: set[str]) -> Facet:
    if names & _STORAGE_FIELDS or key.kind in _STORAGE_KINDS:
        return Facet.STORAGE
    if "resources" in names or key.kind in ("LimitRange", "ResourceQuota"):
        return Facet.RESOURCES
    if "replicas" in names or key.kind == "HorizontalPodAutoscaler":
        return Facet.SCALE
    if "ports" in names or key.kind in _NETWORK_KINDS or key.group == "gateway.networking.k8s.io":
        return Facet.NETWORK
    return Facet.CONFIG


def _whole_container(tokens: list[str]) -> bool:
    # An added or removed container (a sidecar) changes what runs: the binary facet.
    return len(tokens) >= 2 and tokens[-2] in _CONTAINER_LISTS and tokens[-1].isdigit()


def _mentions_secret(names: set[str], before: Any, after: Any) -> bool:
    if "secretKeyRef" in names or "secretRef" in names:
        return True
    for value in (before, after):
        if isinstance(value, str):
            if value.startswith(SECRET_PREFIX):
                return True
        elif isinstance(value, dict | list):
            text = canonical_json(value).decode()
            if "secretKeyRef" in text or "secretRef" in text or SECRET_PREFIX in text:
                return True
    return False
