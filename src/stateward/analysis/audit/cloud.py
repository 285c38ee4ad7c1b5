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

Oracle's OCI Service Operator (https://github.com/oracle/oci-service-operator, its CRDs in
``config/crd/bases`` at commit d6bd7256d9f4bc566a44293957cf6db7de970056) names its groups the same
way, ``<service>.oracle.com`` (``objectstorage.oracle.com`` Bucket, ``nosql.oracle.com`` Table,
``streaming.oracle.com`` Stream, ``queue.oracle.com`` Queue, ``filestorage.oracle.com``
FileSystem, ``keymanagement.oracle.com`` Vault, ``mysql.oracle.com`` and ``psql.oracle.com``
DbSystem, ``redis.oracle.com`` RedisCluster). Oracle's in-cluster operators share the domain (the Coherence Operator's
``coherence.oracle.com``, the MySQL Operator's ``mysql.oracle.com`` InnoDBCluster, the Oracle
Database Operator's ``database.oracle.com`` SingleInstanceDatabase, all running pods), so an
``oracle.com`` group is OCI's only for the services of the operator's data CRDs no in-cluster
operator uses, and in a shared group only for the kind the OCI operator defines there.

What holds data is read from the group's first label, the cloud service (a database, storage,
messaging or key management service; not identity, networking or compute), and from the kind's
last word, the thing of that service that keeps records (a server, database, DB system,
instance, cluster, table, dataset, bucket, container, collection, share, account, queue,
subscription, stream, file system, vault): a firewall rule, a configuration, a user or a policy
of a database service holds none. A key vault holds the master keys that data kept elsewhere is
encrypted with, which cannot be made again.
Caches (Azure Cache for Redis, ``cache.azure.com``; Memorystore, ``redis`` and ``memcache`` of
Config Connector and of Crossplane's GCP provider; ElastiCache, ``elasticache``; OCI Cache,
``redis.oracle.com`` ``RedisCluster``, "the amount of memory allocated to the cluster's nodes",
the operator's ``config/crd/bases/redis.oracle.com_redisclusters.yaml`` at the commit above) hold
nothing a replacement loses: their clients fill them again. They are components of role
``cache`` holding nothing, so that what weighs more than them ranks above them. (MemoryDB is no
cache: it keeps a durable transaction log, a database.) The resources run no pods in the
cluster: no disruption budget, no volume to re-attach.

Smaller operators do the same under a group of their own, naming the kind for the cloud service
and its thing: KubeProvisioner's ``compute.cloud.com`` ``S3Bucket`` and ``SQSQueue`` (spec
``bucketName``/``queueName`` and ``region``), whose controller creates the bucket and queue in
AWS and deletes them in its finalizer (https://github.com/1Shubham7/KubeProvisioner,
internal/controller/s3bucket_controller.go and sqs_aws.go at
9bb41a2ac0b194f31762077605fdc0b3e44c44aa). Such a kind is read as that service's only when its
prefix is a service no in-cluster system is named for (S3, SQS, DynamoDB, RDS, Kinesis, BigQuery,
Pub/Sub, Cosmos DB …; not Kafka, MySQL or Storage), the rest is the thing that keeps the records,
and its spec names the cloud ``region`` it is made in: a resource that describes an existing
bucket to its clients (Stackable's ``S3Bucket``, a ``bucketName`` and a ``connection``) names no
region of its own and stays a client.

Cluster API's managed-Kubernetes providers declare a cloud's managed cluster the same way: a
``<Provider>ManagedControlPlane`` of the group ``controlplane.cluster.x-k8s.io``
(``AWSManagedControlPlane`` for EKS, ``AzureManagedControlPlane`` for AKS,
``GCPManagedControlPlane`` for GKE, ``OCIManagedControlPlane`` for OKE) "presents the actual
managed control plane" the provider provisions
(https://github.com/kubernetes-sigs/cluster-api/blob/09c0d3507de82ac62bfc2ce216b5eaa9e1efbe06/docs/proposals/20220725-managed-kubernetes.md).
That control plane's etcd, every object of the workload cluster, is kept by the cloud: deleted
with the cluster when the resource is, a component of role ``cluster`` whose records are
durable. A control plane the cluster runs on machines or pods of its own (``KubeadmControlPlane``,
``KamajiControlPlane``) is no cloud's and is not read here; nor are the managed node pools
(``…ManagedMachinePool``), whose nodes keep nothing of their own. The providers' own
resources for those managed clusters are read the same way, by their group's first label:
EKS's ``Cluster`` (``eks.services.k8s.aws``, ``eks.aws.crossplane.io``), GKE's
``ContainerCluster`` (``container.cnrm.cloud.google.com``) and AKS's ``ManagedCluster``
(``containerservice.azure.com``) keep the cluster's etcd; their node groups and pools do not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.workloads import Operated, Storage, Workload
from stateward.model.kubernetes import as_map, component_id, dig
from stateward.model.resource import Resource

__all__ = ["cloud_service", "cloud_workload", "records_kept"]

# API group suffix -> the provider's project (the group's first label names the service).
_PROVIDERS = {
    ".azure.com": "Azure Service Operator",
    ".cnrm.cloud.google.com": "Config Connector",
    ".services.k8s.aws": "AWS Controllers for Kubernetes",
    ".upbound.io": "a Crossplane provider",
    ".crossplane.io": "a Crossplane provider",
}
_OCI = "the OCI Service Operator"
# Its data services' groups no in-cluster operator shares, and the kinds it defines in those
# it shares (module docstring).
_OCI_SERVICES = frozenset({
    "objectstorage", "filestorage", "nosql", "streaming", "queue", "keymanagement", "psql",
    "redis",
})  # fmt: skip
_OCI_SHARED = {"mysql": frozenset({"DbSystem"})}
# Services that keep records, by the group's first label, across the four projects' group lists
# (cited above), with their role: object and file storage, message queues and streams, and
# relational and document databases and warehouses.
_OBJECTS = frozenset({"storage", "s3", "efs", "filestore", "objectstorage", "filestorage"})
_QUEUES = frozenset({
    "servicebus", "eventhub", "pubsub", "sqs", "kinesis", "mq", "kafka", "streaming", "queue",
})  # fmt: skip
_DATABASES = frozenset({
    "dbforpostgresql", "dbformysql", "dbformariadb", "sql", "documentdb", "cosmosdb", "kusto",
    "synapse", "bigquery", "bigtable", "spanner", "firestore", "alloydb", "rds", "dynamodb",
    "docdb", "memorydb", "keyspaces", "opensearchservice", "database", "nosql", "mysql", "psql",
})  # fmt: skip
_KEYS = frozenset({"keymanagement", "keyvault"})
# Managed Kubernetes services, by the group's first label (module docstring): the cluster's etcd.
_MANAGED_KUBERNETES = frozenset({"eks", "container", "containerservice"})
# Managed caches, by the group's first label (module docstring): components holding nothing.
_CACHES = frozenset({"cache", "redis", "memcache", "elasticache"})
# The kind's last word for a thing of such a service that keeps the records (a backup or
# snapshot keeps a copy of them: the caller says so).
_HOLDING = re.compile(
    r"(Server|Database|Instance|Cluster|Table|Dataset|Bucket|Container|Collection|Share"
    r"|Account|Queue|Subscription|Stream|FileSystem|DbSystem|Keyspace|Domain|Graph|Vault|Backup|Snapshot)s?$"
)
# Services named by a kind's prefix (module docstring): cloud-only names, among those above.
_KIND_SERVICES = frozenset({
    "s3", "sqs", "kinesis", "efs", "dynamodb", "rds", "docdb", "memorydb", "keyspaces",
    "bigquery", "bigtable", "spanner", "firestore", "alloydb", "pubsub", "cosmosdb",
    "servicebus", "eventhub",
})  # fmt: skip
_KIND_PROVIDER = "the operator of the cloud service its kind names"
# Deletion policies that leave the cloud resource when the custom resource is deleted.
_KEPT = {
    "serviceoperator.azure.com/reconcile-policy": {"detach-on-delete", "skip"},
    "cnrm.cloud.google.com/deletion-policy": {"abandon"},
    "services.k8s.aws/deletion-policy": {"retain"},
}
SOURCE = "the cloud provider's resource reference (no pods run in the cluster)"
# Cluster API's managed control planes (module docstring): the group and the kind's last words.
_CAPI_CONTROL_PLANES = "controlplane.cluster.x-k8s.io"
_MANAGED_CONTROL_PLANE = re.compile(r"[A-Za-z0-9]ManagedControlPlane$")
_CAPI_PROVIDER = "a Cluster API managed-Kubernetes provider"
_KUBERNETES = "kubernetes"


def cloud_service(group: str, kind: str, body: Mapping[str, Any] | None = None) -> str:
    """The provider project whose resources the API group declares (of a kind, for a group it
    shares with an in-cluster operator), or the operator of a cloud service its kind names
    (given the ``body`` that names its region), or ""."""
    return _service(group, kind, {} if body is None else body)[0]


def _service(group: str, kind: str, body: Mapping[str, Any]) -> tuple[str, str]:
    """The provider and the cloud service's name, or ("", "")."""
    provider = next((name for suffix, name in _PROVIDERS.items() if group.endswith(suffix)), "")
    if provider or _is_oci(group, kind):
        return provider or _OCI, group.split(".", 1)[0]
    if group == _CAPI_CONTROL_PLANES and _MANAGED_CONTROL_PLANE.search(kind):
        return _CAPI_PROVIDER, _KUBERNETES
    service = _kind_service(kind)  # first: the body of every other resource stays unread
    region = dig(body, "spec", "region") if service else None
    return (_KIND_PROVIDER, service) if isinstance(region, str) and region else ("", "")


def _kind_service(kind: str) -> str:
    """The cloud service a kind's prefix names when the rest is the thing keeping its records
    (``S3Bucket``: ``s3``), else ""."""
    service = next((s for s in _KIND_SERVICES if kind.lower().startswith(s)), "")
    rest = kind[len(service) :]
    return service if service and rest[:1].isupper() and _HOLDING.fullmatch(rest) else ""


def _is_oci(group: str, kind: str) -> bool:
    service, _, domain = group.partition(".")
    if domain != "oracle.com":
        return False
    return service in _OCI_SERVICES or kind in _OCI_SHARED.get(service, ())


def cloud_workload(resource: Resource, ident: str | None, copy: str) -> Workload | None:
    """The component of a cloud provider's resource, with the records it keeps on the
    provider's disks if its service keeps any (``copy`` says why they are a copy, for a
    backup's); None for a resource of no provider."""
    key = resource.key
    provider, service = _service(key.group, key.kind, resource.body)
    if not provider:
        return None
    role, text = _records(provider, service, key.kind, resource.body)
    storage = (Storage("/spec", {}, text),) if role else ()
    role = role or ("cache" if service in _CACHES else "cloud resource")
    operated = Operated(role, storage, SOURCE, copy, pods=False)
    return Workload(
        ident or component_id(key), key.name, key.kind, key.namespace, "kubernetes", resource,
        "/spec", (), (), (), {}, None, {}, operated,
    )  # fmt: skip


def records_kept(group: str, kind: str, body: Mapping[str, Any]) -> tuple[str, str]:
    """(role, what it keeps) of a cloud provider's resource that keeps records, ("", "") for
    any other (a composite resource reads its composed resources' bases so)."""
    provider, service = _service(group, kind, body)
    return _records(provider, service, kind, body) if provider else ("", "")


def _records(provider: str, service: str, kind: str, body: Mapping[str, Any]) -> tuple[str, str]:
    role = _role(service) if _HOLDING.search(kind) or service == _KUBERNETES else ""
    if not role:
        return "", ""
    kept = "kept" if _kept(body) else "deleted"
    held = "the cluster's etcd" if role == "cluster" else f"the {service} records"
    return role, f"{held} {provider} provisions, {kept} with this resource"


def _role(service: str) -> str:
    if service in _OBJECTS:
        return "objects"
    if service in _QUEUES:
        return "queue"
    if service in _KEYS:
        return "keys"
    if service == _KUBERNETES or service in _MANAGED_KUBERNETES:
        return "cluster"  # the managed cluster's etcd
    return "database" if service in _DATABASES else ""


def _kept(body: Mapping[str, Any]) -> bool:
    annotations = as_map(dig(body, "metadata", "annotations"))
    if any(str(annotations.get(key, "")).lower() in values for key, values in _KEPT.items()):
        return True
    return str(dig(body, "spec", "deletionPolicy") or "") == "Orphan"
