"""Turning an observation's resources into components with resolved contexts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from stateward.contexts.compose import compose_components
from stateward.contexts.effective import FACET as EFFECTIVE
from stateward.contexts.effective import LivePods, effective_contexts
from stateward.contexts.engine import engine_component_builder
from stateward.contexts.host import host_components
from stateward.contexts.index import ResourceIndex
from stateward.contexts.kubernetes import kubernetes_components
from stateward.contexts.normalized import derive_live_view, normalized_view
from stateward.contexts.operators import operator_components
from stateward.model.component import Component
from stateward.model.finding import Finding, Severity
from stateward.model.resource import Resource

__all__ = ["COMPONENT_BUILDERS", "derive_live_view", "resolve_components"]

Builder = Callable[[list[Resource], ResourceIndex], Iterator[tuple[Component, list[Finding]]]]
COMPONENT_BUILDERS: list[Builder] = [
    kubernetes_components,
    operator_components,
    compose_components,
    engine_component_builder,
    host_components,
]
"""Builders run in order; a source kind with components of its own appends one here."""


def resolve_components(
    resources: list[Resource],
    *,
    keep_views: bool = True,
    keep_encoded: bool = False,
    live: LivePods | None = None,
) -> tuple[list[Component], list[Finding]]:
    """Every component the resources describe, with findings (missing refs, unpinned images).
    ``keep_views=False`` when no diff of these resources follows (see :func:`normalized_view`),
    as in a scan, which holds every component to its end: each is then :meth:`packed
    <Component.packed>` as it is built. ``keep_encoded`` when they are recorded next, as a
    watch's are: each keeps its context's bytes (:attr:`Component.fingerprinted`), which
    others would hold for nothing. ``live``: the live pods of ``resources``, read already."""
    # from pods as read: normalizing drops their status
    effective = effective_contexts(live or LivePods(resources))
    resources, findings = normalized_view(resources, keep=keep_views)
    index = ResourceIndex(resources)
    index.memo[EFFECTIVE] = effective
    components: list[Component] = []
    said: dict[str, str] = {}
    for builder in COMPONENT_BUILDERS:
        for component, found in builder(resources, index):
            if not keep_views:
                component = component.packed()
            elif not keep_encoded:
                component.forget_encoded()
            components.append(component)
            findings.extend(found)
            findings.extend(_image_findings(component, said))
    return components, findings


def _image_findings(component: Component, said: dict[str, str]) -> Iterator[Finding]:
    """A finding for each image of ``component`` named by a tag; its message one object with
    the equal ones ``said`` holds (which this adds to): an estate's workloads mostly run a few
    images, and a scan holds every finding to its end (2.8 MiB of copies at 50k objects)."""
    for image in component.images:
        if not image.pinned and not image.ref.startswith("build:"):
            message = f"image {image.ref} is a tag, not a digest: the binary can change under it"
            yield Finding(
                "UNPINNED_IMAGE",
                Severity.LOW,
                said.setdefault(message, message),
                component=component.id,
                resource=component.resource,
                remedy="Pin the image by digest (name@sha256:…).",
            )
