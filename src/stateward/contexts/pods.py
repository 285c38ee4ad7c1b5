"""Reading pod templates out of workload objects."""

from __future__ import annotations

from typing import Any

__all__ = ["WORKLOAD_KINDS", "pod_template", "containers", "as_dict", "as_list"]

WORKLOAD_KINDS = frozenset(
    {
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "ReplicationController",
        "Job",
        "CronJob",
        "Pod",
    }
)


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one (manifests are often partial)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def pod_template(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(pod metadata, pod spec) of a workload object of any of the WORKLOAD_KINDS."""
    kind = body.get("kind")
    spec = as_dict(body.get("spec"))
    if kind == "Pod":
        return as_dict(body.get("metadata")), spec
    if kind == "CronJob":
        spec = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
    template = as_dict(spec.get("template"))
    return as_dict(template.get("metadata")), as_dict(template.get("spec"))


def containers(pod_spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Init containers then containers, each a mapping with a name (unnamed ones get a position)."""
    out: list[dict[str, Any]] = []
    for field in ("initContainers", "containers"):
        for i, container in enumerate(as_list(pod_spec.get(field))):
            if isinstance(container, dict):
                named = dict(container)
                named.setdefault("name", f"{field}[{i}]")
                out.append(named)
    return out
