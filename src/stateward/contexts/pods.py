"""Reading the containers of a pod spec as contexts name them."""

from __future__ import annotations

from typing import Any

from stateward.model.kubernetes import as_list

__all__ = ["containers"]


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
