"""Small helpers the normalizers share: defaulting fields and walking pod specs
(the shapes themselves are in :mod:`stateward.model.kubernetes`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.model.kubernetes import CONTAINER_LISTS, dig, pod_spec_path
from stateward.model.resource import ResourceKey

__all__ = ["child", "containers", "pod_specs", "set_default"]


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
