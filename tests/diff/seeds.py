"""Seeded drifts: each edits a live object the way an operator or a tool would.

A seed returns the facet its change must be reported under, or None when the object has
nothing to seed (a Deployment has no Secret data to rotate).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stateward.model.change import Facet
from stateward.model.secrets import SECRET_PREFIX

__all__ = ["SEEDS", "LIVE_ONLY_SEEDS"]

Seed = Callable[[str, dict[str, Any]], Facet | None]
_TEMPLATES = (
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
)


def _containers(kind: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    if kind in _TEMPLATES:
        return list(
            body.get("spec", {}).get("template", {}).get("spec", {}).get("containers") or []
        )
    if kind == "Pod":
        return list(body.get("spec", {}).get("containers") or [])
    return []


def _pod_spec(kind: str, body: dict[str, Any]) -> dict[str, Any] | None:
    if kind in _TEMPLATES:
        return body.get("spec", {}).get("template", {}).get("spec")  # type: ignore[no-any-return]
    return body.get("spec") if kind == "Pod" else None


def env_edit(kind: str, body: dict[str, Any]) -> Facet | None:
    for container in _containers(kind, body):
        for var in container.get("env") or []:
            if isinstance(var.get("value"), str):
                secret = var["value"].startswith(SECRET_PREFIX)
                var["value"] = SECRET_PREFIX + "0" * 64 if secret else var["value"] + "-edited"
                return Facet.SECRET if secret else Facet.ENV
    return None


def env_added_in_live(kind: str, body: dict[str, Any]) -> Facet | None:
    # `kubectl set env deploy/x DEBUG=true`: argo-cd #4537
    for container in _containers(kind, body):
        container.setdefault("env", []).append({"name": "STATEWARD_SEEDED_DEBUG", "value": "true"})
        return Facet.ENV
    return None


def secret_rotation(kind: str, body: dict[str, Any]) -> Facet | None:
    data = body.get("data") if kind == "Secret" else None
    if not data:
        return None
    first = sorted(data)[0]
    data[first] = SECRET_PREFIX + "f" * 64
    return Facet.SECRET


def image_change(kind: str, body: dict[str, Any]) -> Facet | None:
    for container in _containers(kind, body):
        container["image"] = container.get("image", "") + "-hotfix"
        return Facet.BINARY
    return None


def mesh_rule_change(kind: str, body: dict[str, Any]) -> Facet | None:
    spec = body.get("spec")
    if kind == "VirtualService" and isinstance(spec, dict):
        routes = spec.get("http") or [{}]
        routes[0]["timeout"] = "0.5s"
        spec["http"] = routes
        return Facet.MESH
    if kind == "DestinationRule" and isinstance(spec, dict):
        spec.setdefault("trafficPolicy", {})["loadBalancer"] = {"simple": "RANDOM"}
        return Facet.MESH
    return None


def added_sidecar(kind: str, body: dict[str, Any]) -> Facet | None:
    spec = _pod_spec(kind, body)
    if not spec or not spec.get("containers"):
        return None
    spec["containers"].append(
        {"name": "debug-shell", "image": "busybox:1.36", "command": ["sleep", "1d"]}
    )
    return Facet.BINARY


def volume_change(kind: str, body: dict[str, Any]) -> Facet | None:
    spec = _pod_spec(kind, body)
    if not spec or not spec.get("containers"):
        return None
    volumes = spec.get("volumes") or []
    if volumes:
        volumes[0] = {
            "name": volumes[0]["name"],
            "hostPath": {"path": "/var/lib/seeded", "type": ""},
        }
    else:
        spec["volumes"] = [{"name": "scratch", "emptyDir": {}}]
    return Facet.STORAGE


def port_added_in_live(kind: str, body: dict[str, Any]) -> Facet | None:
    # A Service port added by hand: argo-cd #16771
    if kind != "Service" or not isinstance(body.get("spec"), dict):
        return None
    body["spec"].setdefault("ports", []).append(
        {"name": "seeded-debug", "port": 9999, "protocol": "TCP", "targetPort": 9999}
    )
    return Facet.NETWORK


SEEDS: dict[str, Seed] = {
    "env edit": env_edit,
    "env added in live only": env_added_in_live,
    "secret rotation": secret_rotation,
    "image change": image_change,
    "mesh rule change": mesh_rule_change,
    "added sidecar": added_sidecar,
    "volume change": volume_change,
    "port added in live only": port_added_in_live,
}
LIVE_ONLY_SEEDS = frozenset({"env added in live only", "port added in live only"})
"""Seeds Argo CD's semantics cannot see (fields or merge-keyed items only in live)."""
