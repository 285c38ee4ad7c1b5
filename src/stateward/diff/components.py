"""Component against component: binary and context, the basis of parity.

A component's context is keyed by facet and, inside, by identity (container, variable, volume
names), never by list position (see :mod:`stateward.model.component`), so the plain tree diff
applies and the facet of a change is the context's top-level key. Secrets are keyed digests in
contexts, so "same" or "different" is all a change can say about them.
"""

from __future__ import annotations

import dataclasses

from stateward.diff.engine import check_mode, diff_documents
from stateward.model.change import Change, Facet, Op
from stateward.model.component import Component

__all__ = ["diff_components"]

_FACETS = {str(facet): facet for facet in Facet} | {"writable_layer": Facet.STORAGE}
"""Context keys are facet names; an engine container's writable layer is where it stores."""


def diff_components(before: Component, after: Component, *, mode: str = "strict") -> list[Change]:
    """Changes from ``before`` to ``after``: a ``/images`` change when the binary fingerprint
    differs, then one change per context difference, its facet taken from the context key."""
    changes: list[Change] = []
    if before.binary_fingerprint != after.binary_fingerprint:
        images = ([i.as_dict() for i in before.images], [i.as_dict() for i in after.images])
        changes.append(Change(after.id, "/images", Facet.BINARY, Op.CHANGED, *images))
    found, _ = diff_documents(dict(before.context), dict(after.context), mode=check_mode(mode))
    for change in found:
        top = change.path.split("/", 2)[1] if change.path else ""
        facet = _FACETS.get(top, Facet.CONFIG)
        changes.append(dataclasses.replace(change, subject=after.id, facet=facet))
    return changes
