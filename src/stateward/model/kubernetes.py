"""Kubernetes object shapes every layer reads: where workloads keep their pod spec, how to reach
into an untrusted body, and how a component is named.

Bodies come from files and API servers we do not control, so every reader here accepts a value
of any JSON type and answers None or an empty value rather than raising.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from stateward.model.resource import ResourceKey, identity

__all__ = [
    "BUILTIN_GROUPS",
    "CONTAINER_LISTS",
    "POD_SPEC_PATHS",
    "WORKLOAD_KINDS",
    "as_dict",
    "as_list",
    "as_map",
    "is_map",
    "component_id",
    "dig",
    "is_builtin",
    "is_kubernetes",
    "pod_spec_path",
    "pod_spec_pointer",
    "pod_template",
]

BUILTIN_GROUPS = frozenset({"", "apps", "batch", "extensions", "policy", "autoscaling",
                            "networking.k8s.io", "storage.k8s.io",
                            "rbac.authorization.k8s.io", "admissionregistration.k8s.io"})  # fmt: skip
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")

POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
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
"""Where each built-in kind keeps its pod spec (the ``PodTemplateSpec`` fields of
https://github.com/kubernetes/api/blob/v0.31.0/apps/v1/types.go and batch/v1/types.go)."""

WORKLOAD_KINDS = frozenset(POD_SPEC_PATHS) - {"PodTemplate"}
"""Kinds that run pods; a ``PodTemplate`` only describes one."""

# Resource groups of the other sources (ResourceKey): Compose services, engine containers, hosts.
# Kubernetes rules (quantities, server fields, omitempty) do not hold for them.
_NOT_KUBERNETES = frozenset({"compose", "engine", "host"})


def is_builtin(key: ResourceKey, *kinds: str) -> bool:
    """True for a Kubernetes built-in of one of ``kinds`` (a CRD of the same name is not)."""
    return key.group in BUILTIN_GROUPS and key.kind in kinds


def is_kubernetes(key: ResourceKey) -> bool:
    """True for a Kubernetes object, built-in or custom; False for Compose, engine, host."""
    return key.group not in _NOT_KUBERNETES


def pod_spec_path(key: ResourceKey) -> tuple[str, ...] | None:
    """Path of the pod spec inside a built-in workload, or None."""
    return POD_SPEC_PATHS.get(key.kind) if key.group in BUILTIN_GROUPS else None


def pod_spec_pointer(kind: str) -> str | None:
    """JSON pointer (RFC 6901) of the pod spec inside a workload of ``kind``, or None."""
    return "/" + "/".join(POD_SPEC_PATHS[kind]) if kind in WORKLOAD_KINDS else None


def pod_template(body: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(pod metadata, pod spec) of a workload object of any of the WORKLOAD_KINDS."""
    path = POD_SPEC_PATHS.get(str(body.get("kind")), ("spec", "template", "spec"))
    meta_path = ("metadata",) if path == ("spec",) else (*path[:-1], "metadata")
    return as_dict(dig(body, *meta_path)), as_dict(dig(body, *path))


def component_id(key: ResourceKey) -> str:
    """Component id by the model's convention: ``k8s:Kind/ns/name`` (no namespace part for
    cluster-scoped objects), ``compose:project/service``, ``engine:project/container``."""
    if key.group in ("compose", "engine"):
        return f"{key.group}:" + identity(key.namespace, key.name)
    where = (key.namespace,) if key.namespace else ()
    return "k8s:" + identity(key.kind, *where, key.name)


def as_map(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one (manifests are often partial)."""
    # A dict first: a third of the time of the Mapping check through the ABC's hooks, and
    # almost every value read is one (an audit at 20k objects makes a million such checks).
    return value if type(value) is dict or isinstance(value, Mapping) else _EMPTY


# Values of a parsed document that are never mappings: :func:`is_map` skips the ABC's hooks
# for them as for a dict.
_PLAIN = frozenset({str, int, float, bool, list, type(None)})


def is_map(value: Any) -> TypeGuard[Mapping[str, Any]]:
    """True for a mapping; a walk over a spec's every value asks this of each."""
    kind = type(value)
    return kind is dict or (kind not in _PLAIN and isinstance(value, Mapping))


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a dict, else a new empty one (for callers that build on it)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def dig(value: Any, *keys: str) -> Any:
    """``value[k1][k2]…``, or None as soon as a level is not a mapping or lacks the key."""
    for key in keys:
        if type(value) is not dict and (value is None or not isinstance(value, Mapping)):
            return None  # a dict or None first: no ABC check for either (as in as_map)
        value = value.get(key)
    return value


_EMPTY: Mapping[str, Any] = {}
