"""Custom resources that provision a cloud provider's data service.

Four projects let a cluster declare cloud resources as custom resources, one API group per cloud
service: Azure Service Operator v2 (``dbforpostgresql.azure.com``,
https://azure.github.io/azure-service-operator/reference/), Google's Config Connector
(``sql.cnrm.cloud.google.com``,
https://cloud.google.com/config-connector/docs/reference/overview), AWS Controllers for
Kubernetes (``rds.services.k8s.aws``,
https://aws-controllers-k8s.github.io/community/docs/community/services/) and Crossplane's
providers (``rds.aws.upbound.io``,
https://docs.crossplane.io/latest/managed-resources/managed-resources/). Each reconciles the
resource into the cloud resource it describes, and by default deletes the cloud resource when
the custom resource is deleted: a database server, a bucket or a table declared this way is the
data itself, kept on the provider's disks (durable), lost with the resource unless its deletion
policy keeps it:

- Azure Service Operator: annotation ``serviceoperator.azure.com/reconcile-policy``, ``manage``
  by default; ``detach-on-delete`` or ``skip`` leave the Azure resource
  (https://azure.github.io/azure-service-operator/guide/annotations/);
- Config Connector: annotation ``cnrm.cloud.google.com/deletion-policy: abandon``
  (https://cloud.google.com/config-connector/docs/how-to/managing-deleting-resources);
- ACK: annotation ``services.k8s.aws/deletion-policy: retain``
  (https://aws-controllers-k8s.github.io/community/docs/user-docs/deletion-policy/);
- Crossplane: ``spec.deletionPolicy: Orphan`` (``Delete`` by default).

What holds data is read from the group's first label, the cloud service (a database, storage or
messaging service; not identity, networking or compute), and from the kind's last word, the
thing of that service that keeps records (a server, database, instance, cluster, table,
dataset, bucket, container, collection, share, account, queue, subscription, stream, file
system): a firewall rule, a configuration, a user or a policy of a database service holds none.
Caches (Azure Cache for Redis, Memorystore, ElastiCache) hold nothing a replacement loses. The
resources run no pods in the cluster: no disruption budget, no volume to re-attach.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.workloads import Operated, Storage, Workload
from stateward.model.kubernetes import as_map, component_id, dig
from stateward.model.resource import Resource

__all__ = ["cloud_service", "cloud_workload"]

# API group suffix -> the provider's project (the group's first label names the service).
_PROVIDERS = {
    ".azure.com": "Azure Service Operator",
    ".cnrm.cloud.google.com": "Config Connector",
    ".services.k8s.aws": "AWS Controllers for Kubernetes",
    ".upbound.io": "a Crossplane provider",
    ".crossplane.io": "a Crossplane provider",
}
# Services that keep records, by the group's first label, across the four projects' group lists
# (cited above), with their role: object and file storage, message queues and streams, and
# relational and document databases and warehouses.
_OBJECTS = frozenset({"storage", "s3", "efs", "filestore"})
_QUEUES = frozenset({"servicebus", "eventhub", "pubsub", "sqs", "kinesis", "mq", "kafka"})
_DATABASES = frozenset({
    "dbforpostgresql", "dbformysql", "dbformariadb", "sql", "documentdb", "cosmosdb", "kusto",
    "synapse", "bigquery", "bigtable", "spanner", "firestore", "alloydb", "rds", "dynamodb",
    "docdb", "memorydb", "keyspaces", "opensearchservice", "database",
})  # fmt: skip
# The kind's last word for a thing of such a service that keeps the records (a backup or
# snapshot keeps a copy of them: the caller says so).
_HOLDING = re.compile(
    r"(Server|Database|Instance|Cluster|Table|Dataset|Bucket|Container|Collection|Share"
    r"|Account|Queue|Subscription|Stream|FileSystem|Keyspace|Domain|Graph|Backup|Snapshot)s?$"
)
# Deletion policies that leave the cloud resource when the custom resource is deleted.
_KEPT = {
    "serviceoperator.azure.com/reconcile-policy": {"detach-on-delete", "skip"},
    "cnrm.cloud.google.com/deletion-policy": {"abandon"},
    "services.k8s.aws/deletion-policy": {"retain"},
}
SOURCE = "the cloud provider's resource reference (no pods run in the cluster)"


def cloud_service(group: str) -> str:
    """The provider project whose resources the API group declares, or ""."""
    return next((name for suffix, name in _PROVIDERS.items() if group.endswith(suffix)), "")


def cloud_workload(resource: Resource, ident: str | None, copy: str) -> Workload | None:
    """The component of a cloud provider's resource, with the records it keeps on the
    provider's disks if its service keeps any (``copy`` says why they are a copy, for a
    backup's); None for a resource of no provider."""
    key = resource.key
    provider = cloud_service(key.group)
    if not provider:
        return None
    service = key.group.split(".", 1)[0]
    role = _role(service) if _HOLDING.search(key.kind) else ""
    storage: tuple[Storage, ...] = ()
    if role:
        kept = "kept" if _kept(resource.body) else "deleted"
        text = f"the {service} records {provider} provisions, {kept} with this resource"
        storage = (Storage("/spec", {}, text),)
    operated = Operated(role or "cloud resource", storage, SOURCE, copy, pods=False)
    return Workload(
        ident or component_id(key), key.name, key.kind, key.namespace, "kubernetes", resource,
        "/spec", (), (), (), {}, None, {}, operated,
    )  # fmt: skip


def _role(service: str) -> str:
    if service in _OBJECTS:
        return "objects"
    if service in _QUEUES:
        return "queue"
    return "database" if service in _DATABASES else ""


def _kept(body: Mapping[str, Any]) -> bool:
    annotations = as_map(dig(body, "metadata", "annotations"))
    if any(str(annotations.get(key, "")).lower() in values for key, values in _KEPT.items()):
        return True
    return str(dig(body, "spec", "deletionPolicy") or "") == "Orphan"
