"""An object store its clients locate from a Secret, read by the name of what they take.

A client that keeps its object store's configuration in a Secret hides the endpoint from the
audit: a Secret's values are digested as they are read (README, "Security model"), and a
configuration file in one is digested whole, host and keys together. Thanos takes its bucket's
configuration as YAML in ``--objstore.config`` ("Each Thanos component reads a single object
store bucket from ``--objstore.config``",
https://github.com/thanos-io/thanos/blob/e103a81bd5943697394afcb4fb592b6ffa806c30/docs/storage.md),
which kube-thanos fills from the Secret ``thanos-objectstorage`` as the variable
``OBJSTORE_CONFIG``; Huly's services take ``STORAGE_CONFIG``
(``minio|minio?accessKey=…``: the object store's kind and host,
https://github.com/hcengineering/huly-selfhost/blob/865584594cc582d9e0f7013be66c22f153df1176/ARCHITECTURE_OVERVIEW.md).

A variable taken from a Secret (``secretKeyRef``, or a key of a Secret of the estate that
``envFrom`` hands over whole) whose name locates object storage (``OBJSTORE``, ``OBJECT_STORE``,
``S3``, ``MINIO``, ``BUCKET``, ``BLOB`` or ``STORAGE``, followed by ``CONFIG``, ``URL``, ``URI``,
``ENDPOINT``, ``ADDRESS`` or ``HOST``) reaches the object store of its namespace when there is
exactly one; with none the bucket is outside the estate, and with several which one is meant
is not known. A credential (``S3_ACCESS_KEY``) locates nothing and is not read so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import data_image
from stateward.analysis.audit.workloads import Workload
from stateward.model.kubernetes import as_list, as_map, dig

__all__ = ["hidden_object_stores"]

_LOCATES_OBJECTS = re.compile(
    r"(?:^|_)(?:OBJSTORE|OBJECT_?STORE|S3|MINIO|BUCKET|BLOB|STORAGE)_"
    r"(?:CONFIG|CONFIGURATION|URL|URI|ENDPOINT|ADDRESS|HOST)$",
    re.IGNORECASE,
)
# The roles that make a workload an object store: a data image's (MinIO) and an operator
# family's (a MinIO ``Tenant``, a ``CephCluster``, NooBaa).
_OBJECT_ROLES = frozenset({"object store", "objects"})


def hidden_object_stores(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The one object store of the workload's namespace, when a variable it takes from a
    Secret locates object storage; with the evidence."""
    where = next(_hidden_locators(workload, estate), "")
    if not where:
        return
    stores = [w for w in estate.in_namespace(workload.namespace) if _is_object_store(w)]
    if len(stores) == 1 and stores[0].id != workload.id:
        yield stores[0], f"{where}, hidden in a Secret: the one object store of its namespace"


def _hidden_locators(workload: Workload, estate: Estate) -> Iterator[str]:
    for container in workload.all_containers():
        for entry in as_list(container.body.get("env")):
            name = str(dig(entry, "name") or "")
            secret = dig(entry, "valueFrom", "secretKeyRef", "name")
            if secret and _LOCATES_OBJECTS.search(name):
                yield f"{name} from Secret {secret}"
        for entry in as_list(container.body.get("envFrom")):
            secret = str(dig(entry, "secretRef", "name") or "")
            found = estate.named("Secret", workload.namespace, secret) if secret else None
            keys = (
                [*as_map(found.body.get("data")), *as_map(found.body.get("stringData"))]
                if found
                else []
            )
            for key in keys:
                if _LOCATES_OBJECTS.search(str(key)):
                    yield f"{key} from Secret {secret}"


def _is_object_store(workload: Workload) -> bool:
    if workload.operated is not None:
        return workload.operated.role in _OBJECT_ROLES
    return any(
        (family := data_image(c.image)) is not None and family.role in _OBJECT_ROLES
        for c in workload.containers
    )
