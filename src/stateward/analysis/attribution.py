"""Who set a live field: the field manager whose ``managedFields`` entry owns it (its
``fieldsV1`` set, https://kubernetes.io/docs/reference/using-api/server-side-apply/
#field-management), so drift reads "env LOG_LEVEL … set by kubectl-set (Update) at 10:02"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.model.pointer import split
from stateward.normalize.managed import owned_at
from stateward.sources.kube.attribution import Writer, entries, latest

__all__ = ["field_writer"]


def field_writer(body: Mapping[str, Any], pointer: str) -> Writer | None:
    """The manager owning the field at JSON pointer ``pointer`` of the live ``body`` (the one
    that wrote last when several do), or an ancestor of it whole (an atomic list); None when no
    manager owns it (a default the API server wrote, a removed field, no managedFields)."""
    tokens = split(pointer)
    return latest(
        w for w, fields in entries(body) if owned_at(dict(fields), body, tokens, whole=True)
    )
