"""A store restored from a backup: a custom resource whose spec names the backup it is filled
from holds that data, and what is written after it, wherever its operator keeps it.

Operators share the shape: a reference to a backup under the node that says how the resource
starts, or a field named for the backup it is restored from. The ucloud Redis Cluster
operator's ``DistributedRedisCluster`` takes ``init: {backupSource: {name, namespace}}``
("Arguments to the restore job",
https://github.com/ucloud/redis-cluster-operator/blob/d1824cf248b3d68992158c0d7994ba74b4a36a8f/pkg/apis/redis/v1alpha1/distributedrediscluster_types.go);
CloudNativePG's ``Cluster`` takes ``bootstrap: {recovery: {backup: {name}}}``
(https://cloudnative-pg.io/documentation/current/recovery/), and the DocumentDB operator the
same under ``bootstrap.recovery.backup``
(https://github.com/documentdb/documentdb-kubernetes-operator/blob/726440ee978e1af33090f3e2e596fee32a1989c5/operator/src/api/preview/documentdb_types.go).
A backup exists only of a store, so the resource restored from it is one.

Not a resource that acts on a backup (a ``Restore`` naming ``backupName``, a ``BackupSchedule``):
it runs the copy, and holds nothing itself; nor a bare ``backupRef`` at the top of a spec, which
may name where the resource's own backups go (a schedule or a policy to apply).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.custom import custom_references
from stateward.analysis.audit.workloads import Reference, Storage

__all__ = ["restored_from", "restored_storage"]

# A field named for the backup a resource is restored from, wherever it is.
_FROM_BACKUP = re.compile(
    r"^((backup|snapshot|dump)(Source|From)|restoreFrom|recoverFrom|fromBackup|fromSnapshot)$"
)
# A field naming a backup, under a node saying how the resource starts or is restored.
_BACKUP = re.compile(r"^(backup|snapshot|dump)(Ref|Reference|Name)?$")
_STARTS = re.compile(r"^(init|bootstrap|recovery|restore|dataSource|source)$")
# Kinds that act on a backup rather than being restored from one.
_ACTS_ON_BACKUP = re.compile(r"Restore|Recover|Backup|Snapshot|Dump|Schedule|Policy|Job|Task")


def restored_from(kind: str, body: Mapping[str, Any]) -> Reference | None:
    """The backup a resource's spec restores it from (None: it names none, or its kind acts on
    backups)."""
    if _ACTS_ON_BACKUP.search(kind):
        return None
    for ref in custom_references(body):
        *parents, field = ref.where.split(".")
        if _FROM_BACKUP.match(field) or (
            _BACKUP.match(field) and any(_STARTS.match(p) for p in parents[1:])
        ):
            return ref
    return None


def restored_storage(kind: str, body: Mapping[str, Any]) -> list[Storage]:
    """The operator-default storage of a store restored from a backup (none when it is not)."""
    ref = restored_from(kind, body)
    if ref is None:
        return []
    text = f"restored from the backup {ref.name} ({ref.where}): a store"
    where = "/" + ref.where.replace(".", "/")
    return [Storage(where, {}, f"{text}; the operator's default storage is unknown")]


# A resource named for a restore that names the backup it restores (``sourcePvcName``,
# ``backupName``, ``from``) writes a copy of it into the claim it asks for: ForgeRock's
# ``DirectoryRestore`` creates "the PVC to hold the restored data", named after the restore,
# runs a Job restoring ``SourcePVCName`` into it, then snapshots it
# (https://github.com/ForgeRock/ds-operator/blob/f8236b4c27fef3149166e5232a3c219d97c8e44d/controllers/directoryrestore_controller.go).
# Replacing it loses that copy, made again from the backup, which is still there.
_RESTORE_KIND = re.compile(r"Restores?$")
_SOURCE_FIELD = re.compile(r"^(source|from|backup|snapshot)([A-Z]\w*)?$")


def restore_copy(kind: str, body: Mapping[str, Any]) -> str:
    """Why a restore's storage holds a copy made again from the backup it names ('' when the
    kind is no restore or its spec names no source at its top level)."""
    if not _RESTORE_KIND.search(kind):
        return ""
    spec = body.get("spec")
    source = next(
        (k for k, v in (spec.items() if isinstance(spec, Mapping) else ())
         if _SOURCE_FIELD.match(str(k)) and v not in (None, "", {})),
        None,
    )  # fmt: skip
    return f"a restore of the backup its {source} names, made again from it" if source else ""
