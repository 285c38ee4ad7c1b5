"""What a custom resource declaring a database inside a server says of deleting it: whether its
operator drops the database's tables with the resource (:mod:`.logical_databases`).

Operators state it in a few shapes, read whatever the operator: a flag asking to drop it
(ext-postgres-operator's ``dropOnDelete``, ob-operator's ``forceDelete``, sunsided/db-operator's
``delete``, "Whether to delete the database when removing the resource", false by default:
its CRD in yaml/deployment.yaml at 07b647ea17e2fb68d0629582b87f9611a725b189), a policy field
(``deletionPolicy`` as Crossplane's managed resources, ``reclaimPolicy`` as a StorageClass's,
CloudNativePG's ``databaseReclaimPolicy``, mariadb-operator's ``cleanupPolicy``: ``Delete``
drops it; ``Retain``, ``Orphan``, ``Skip`` keep it), a protection (Aiven's
``terminationProtection: true``), or an annotation naming a deletion policy (Bitpoke's
``mysql-operator.presslabs.org/resourceDeletionPolicy: retain``, Config Connector's
``cnrm.cloud.google.com/deletion-policy: abandon``), or a protection turned off (kloeckner-i's
db-operator ``deletionProtected: false``, "Protection to not delete database when custom
resource is deleted": https://github.com/kloeckner-i/db-operator/blob/0918636426de564f3696f3baa1fe87f54d7b7f5e/docs/creatingdatabases.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.workloads import Storage
from stateward.model.kubernetes import as_map, dig

__all__ = ["dropped_on_delete", "stated_drop"]

_DROP_FLAGS = ("dropOnDelete", "forceDelete", "delete")
_POLICY_FIELDS = ("deletionPolicy", "reclaimPolicy", "databaseReclaimPolicy", "cleanupPolicy")
_DROPS = frozenset({"delete", "drop"})
_KEEPS = frozenset({"retain", "orphan", "skip", "keep", "abandon"})
_ANNOTATIONS = ("deletionpolicy", "deletion-policy")


def stated_drop(body: Mapping[str, Any]) -> bool | None:
    """Whether the resource says deleting it drops its database: True, False, or None when it
    states no deletion policy."""
    spec = as_map(body.get("spec"))
    if spec.get("terminationProtection") is True:
        return False
    if isinstance(spec.get("deletionProtected"), bool):
        return not spec["deletionProtected"]
    for flag in _DROP_FLAGS:
        if isinstance(spec.get(flag), bool):
            return bool(spec[flag])
    annotations = as_map(dig(body, "metadata", "annotations"))
    named = [v for k, v in annotations.items() if str(k).lower().endswith(_ANNOTATIONS)]
    said = (_said(spec.get(field)) for field in _POLICY_FIELDS)
    return next((s for s in (*said, *map(_said, named)) if s is not None), None)


def _said(value: Any) -> bool | None:
    """True for a policy word that drops, False for one that keeps, else None."""
    policy = str(value or "").lower()
    return policy in _DROPS if policy in _DROPS | _KEEPS else None


def dropped_on_delete(body: Mapping[str, Any], default: bool) -> list[Storage]:
    """The storage of a logical database: its tables in the server, when deleting the resource
    drops them (by what it states, else by its operator's ``default``); none otherwise."""
    stated = stated_drop(body)
    if not (default if stated is None else stated):
        return []
    how = "as it states" if stated is not None else "by its operator's default"
    text = f"its tables in the server it lives in, dropped with the resource ({how})"
    return [Storage("/spec", {}, text)]
