"""Object stores that hold only backups: copies of data the estate keeps elsewhere.

A backup tool writes its repository to an object store named in its own configuration: K8up's
``Backup``, ``Schedule`` and ``Restore`` name it at ``spec.backend.s3.endpoint``
(https://docs.k8up.io/k8up/2.7/references/object-specifications.html), MOCO's
``BackupPolicy`` at ``spec.jobConfig.bucketConfig.endpointURL`` and a ``MySQLCluster`` restored
from it at ``spec.restore.jobConfig.bucketConfig``
(https://github.com/cybozu-go/moco/blob/main/docs/backup.md), CloudNativePG's ``Cluster`` at
``spec.backup.barmanObjectStore.endpointURL``
(https://cloudnative-pg.io/documentation/current/backup_barmanobjectstore/). When every
client that names an object store does so from such a configuration — a resource whose kind
says backup, restore or snapshot, a field under a ``backup`` or ``restore`` key, or a resource
whose spec configures backups (K8up's ``Schedule`` with its ``backup`` schedule) — apart from
one-shot steps that create its bucket (a Kubernetes ``Job``, a Compose service the project
waits to complete), the store holds those backups: copies of the data its sources keep,
taken again from them (only the history of older snapshots is not). A store any other
workload reaches (an application's uploads, a workflow's artefacts) keeps records.
"""

from __future__ import annotations

import re

from stateward.analysis.audit.custom import spec_hosts
from stateward.analysis.audit.dependencies import hosts_in, resolve_host
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import data_image
from stateward.analysis.audit.steps import one_shot
from stateward.analysis.audit.workloads import Workload
from stateward.model.kubernetes import as_map

__all__ = ["backup_reader", "backup_repository", "learn_backup_clients"]

_OBJECT_STORE = "object store"
_BACKUP_WORDS = re.compile(r"backup|restore|snapshot", re.IGNORECASE)
_SETUP_KINDS = frozenset({"Job"})


def learn_backup_clients(estate: Estate) -> None:
    """Note, for each object store that only backups, restores and setup steps name, the
    backups and restores that do (``Estate.backup_clients``)."""
    stores = {w.id for w in estate.workloads if _object_store(w)}
    if not stores:
        return
    backups: dict[str, set[str]] = {}
    others: set[str] = set()
    for client in estate.workloads:
        for target, backup in _named_stores(client, estate, stores):
            if backup:
                backups.setdefault(target, set()).add(f"{client.kind}/{client.name}")
            elif not _setup_step(client, estate):
                others.add(target)
    for store, names in backups.items():
        if store not in others:
            estate.backup_clients[store] = sorted(names)


def backup_repository(workload: Workload, estate: Estate) -> str:
    """Why an object store holds only backups ('' when it may keep records)."""
    clients = estate.backup_clients.get(workload.id)
    if not clients:
        return ""
    return (
        f"the repository of the backups {', '.join(clients)} write: copies of data kept "
        "elsewhere, taken again"
    )


def backup_reader(workload: Workload) -> str:
    """Why a workload named for backups, or running an image named so, copies what it reads
    ('' when neither name says backup). A claim it only reads (``readOnly``) is the data it
    copies, which its writer keeps: backup-to-s3's ``schedule`` tars, encrypts and uploads its
    ``/data`` to a bucket on a cron schedule, "We mount the pvc read only, so this can not do a
    restore or otherwise corrupt your volume"
    (https://github.com/flickerfly/docker-backup-to-s3/blob/a2bcb73c186ff7428857fb1299a19c39120508cd/README.md)."""
    primary = workload.primary
    image = primary.image.split("@", 1)[0].rsplit("/", 1)[-1].partition(":")[0] if primary else ""
    for word in (workload.name, image):
        if word and _BACKUP.search(word):
            return f"{word} copies what it reads"
    return ""


# "backup" alone: a restore writes what it reads into a service's data, and a snapshot is
# taken by a program that keeps it
_BACKUP = re.compile(r"backup", re.IGNORECASE)


def _object_store(workload: Workload) -> bool:
    primary = workload.primary
    family = data_image(primary.image) if primary is not None else None
    return family is not None and family.role == _OBJECT_STORE


def _named_stores(client: Workload, estate: Estate, stores: set[str]) -> list[tuple[str, bool]]:
    """(store id, named by a backup's configuration) for each object store ``client`` names."""
    found: list[tuple[str, bool]] = []
    kind_says = bool(_BACKUP_WORDS.search(client.kind))
    if client.operated is not None or not client.containers:
        spec = as_map(client.body.get("spec"))
        configures = any(_BACKUP_WORDS.fullmatch(str(key)) for key in spec)
        for ref in spec_hosts(client.body):
            host = f"{ref.name}.{ref.namespace}" if ref.namespace else ref.name
            backup = kind_says or configures or bool(_BACKUP_WORDS.search(ref.where))
            found += [(t.id, backup) for t in resolve_host(host, client, estate) if t.id in stores]
    for container in client.all_containers():
        for name, value in container.env.items():
            for host in hosts_in(name, value):
                found += [(t.id, kind_says) for t in resolve_host(host, client, estate)
                          if t.id in stores and t.id != client.id]  # fmt: skip
    return found


def _setup_step(client: Workload, estate: Estate) -> bool:
    return client.kind in _SETUP_KINDS or one_shot(client, estate)
