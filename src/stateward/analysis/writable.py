"""Rule WRITABLE_LAYER_DRIFT: the image is immutable, the container is not.

A container whose writable layer holds added, changed or deleted files outside every declared
mount has state that the image does not carry and no volume keeps: it is lost on replacement,
and it differs from what was tested. Directories are not counted (a directory shows as changed
whenever anything under it does), only what sits in them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stateward.model.component import Component
from stateward.model.filepaths import at_or_under
from stateward.model.finding import Finding, Severity
from stateward.model.pointer import join

__all__ = ["RULE", "undeclared_changes", "writable_layer_findings"]

RULE = "WRITABLE_LAYER_DRIFT"
_SHOWN = 10  # paths named in the message; all of them are in the evidence


def writable_layer_findings(components: Iterable[Component]) -> list[Finding]:
    """One finding per container whose writable layer changed outside its declared mounts."""
    findings = []
    for component in components:
        if "writable_layer" not in component.context:
            continue  # asked without decoding a packed context (PackedContext.facets)
        context = component.read_context()
        layer = context.get("writable_layer")
        if not isinstance(layer, Mapping):
            continue
        mounts = list(context.get("storage") or {})
        paths = undeclared_changes(layer, mounts)
        if paths:
            findings.append(_finding(component, paths))
    return findings


def undeclared_changes(layer: Mapping[str, Any], mounts: Iterable[str]) -> list[str]:
    """Paths of the layer, directories excepted, not under any mount destination."""
    roots = [m for m in mounts if m]  # a destination left empty is no mount, not the root
    return [
        path
        for path, entry in sorted(layer.items())
        if entry.get("type") != "dir" and not any(at_or_under(path, r) for r in roots)
    ]


def _finding(component: Component, paths: list[str]) -> Finding:
    shown = ", ".join(repr(p) for p in paths[:_SHOWN])
    more = f" and {len(paths) - _SHOWN} more" if len(paths) > _SHOWN else ""
    return Finding(
        rule=RULE,
        severity=Severity.MEDIUM,
        message=(
            f"container {component.name} changed {len(paths)} path(s) in its writable layer "
            f"outside any declared volume: {shown}{more}; the image is immutable, "
            "the container is not"
        ),
        component=component.id,
        resource=component.resource or None,
        path="/writable_layer",
        remedy=(
            "Declare a volume for data that must survive, run with a read-only root filesystem "
            "(--read-only, readOnlyRootFilesystem), or rebuild the image if the change belongs "
            "in it."
        ),
        evidence=tuple(join(["writable_layer", p]) for p in paths),
    )
