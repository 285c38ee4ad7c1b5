"""Small helpers the normalizers share: reaching into bodies and finding pod specs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.model.resource import ResourceKey

__all__ = [
    "BUILTIN_GROUPS",
    "CONTAINER_LISTS",
    "child",
    "containers",
    "dig",
    "is_builtin",
    "is_kubernetes",
    "pod_spec_path",
    "pod_specs",
    "set_default",
]

BUILTIN_GROUPS = frozenset({"", "apps", "batch", "extensions", "policy", "autoscaling",
                            "networking.k8s.io", "storage.k8s.io",
                            "rbac.authorization.k8s.io", "admissionregistration.k8s.io"})  # fmt: skip
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
# Resource groups of the other sources (ResourceKey): Compose services, engine containers, hosts.
# Kubernetes rules (quantities, server fields, omitempty) do not hold for them.
_NOT_KUBERNETES = frozenset({"compose", "engine", "host"})

# Where each built-in workload keeps its pod spec.
_POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def is_builtin(key: ResourceKey, *kinds: str) -> bool:
    """True for a Kubernetes built-in of one of ``kinds`` (a CRD of the same name is not)."""
    return key.group in BUILTIN_GROUPS and key.kind in kinds


def is_kubernetes(key: ResourceKey) -> bool:
    """True for a Kubernetes object, built-in or custom; False for Compose, engine, host."""
    return key.group not in _NOT_KUBERNETES


def pod_spec_path(key: ResourceKey) -> tuple[str, ...] | None:
    """Path of the pod spec inside a built-in workload, or None."""
    return _POD_SPEC_PATHS.get(key.kind) if key.group in BUILTIN_GROUPS else None


def dig(node: Any, *keys: str) -> Any:
    """``node[k1][k2]…`` or None when any step is missing or not a mapping."""
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def child(node: dict[str, Any], key: str) -> dict[str, Any] | None:
    """``node[key]`` when it is a dict, else None."""
    value = node.get(key)
    return value if isinstance(value, dict) else None


def set_default(node: dict[str, Any], key: str, value: Any) -> None:
    """Set ``node[key]`` when absent or null, as the API server's defaulting functions do."""
    if node.get(key) is None:
        node[key] = value


def pod_specs(key: ResourceKey, body: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The pod spec of a built-in workload (zero or one)."""
    path = pod_spec_path(key)
    spec = dig(body, *path) if path else None
    if isinstance(spec, dict):
        yield spec


def containers(pod_spec: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every container dict of a pod spec: init, regular and ephemeral."""
    for field in CONTAINER_LISTS:
        items = pod_spec.get(field)
        if isinstance(items, list):
            yield from (item for item in items if isinstance(item, dict))
