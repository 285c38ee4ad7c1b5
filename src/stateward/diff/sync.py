"""What the next sync removes: live-only fields an applier owns (server-side apply semantics).

An apply with a manifest that no longer holds a field the applier owns deletes it from live
(https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management), so argo
mode, which otherwise ignores live-only fields, must report such fields.
"""

from __future__ import annotations

from typing import Any

from stateward.diff.engine import diff_documents
from stateward.model.change import Change, Op
from stateward.model.pointer import split
from stateward.model.resource import ResourceKey
from stateward.normalize.managed import applied_fields, owned_at

__all__ = ["removed_on_sync"]


def removed_on_sync(before: Any, after: Any, managed_fields: Any, key: ResourceKey) -> list[Change]:
    """Fields only ``after`` (live) holds that an applier owns: the next apply of ``before``
    removes them, so argo mode, which otherwise ignores live-only fields, reports them."""
    applied = applied_fields(managed_fields)
    if not applied:
        return []
    every, _ = diff_documents(before, after, key=key, mode="strict")
    return [
        change
        for change in every
        if change.op is Op.ADDED and owned_at(applied, after, split(change.path))
    ]
