"""Operator custom resources as components: a database, queue or metrics store that an operator
runs is declared by one custom resource, and its storage spec decides what replacing it loses.

One :class:`Family` per CRD: its group and kind, the role of what it runs, where its storage is
declared and what the operator does when it is not, and the labels the operator puts on the pods
(so Services find them). Each cites the CRD's API reference. A family is data, not code: a
plugin adds one with :func:`register_family`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from stateward.analysis.audit.workloads import Mount, Operated, Storage, Workload
from stateward.contexts.operators import OPERATOR_KINDS, OperatorKind, register_kind, replica_count
from stateward.model.kubernetes import as_list, as_map, component_id, dig
from stateward.model.pointer import join
from stateward.model.resource import Resource

__all__ = ["FAMILIES", "Family", "Reference", "operator_workload", "references", "register_family"]


Reader = Callable[[Mapping[str, Any]], list[Storage]]


@dataclass(frozen=True, slots=True)
class Reference:
    """A peer an operator resource names: a Service (its pods' selector decides who) or another
    resource of ``kind``, in ``namespace`` ("" for the resource's own)."""

    kind: str
    name: str
    namespace: str
    where: str


@dataclass(frozen=True, slots=True)
class Family:
    """What the audit knows of one operator's custom resource."""

    operator: OperatorKind
    """The resource kind, where its replica count is and the label on its pods (shared with the
    scan's components, :mod:`stateward.contexts.operators`)."""
    role: str
    """``database``, ``queue``, ``objects``, ``index``, ``monitoring`` or ``alerting``."""
    storage: Reader
    source: str
    """The CRD's API reference."""
    references: Callable[[Mapping[str, Any]], list[Reference]] = lambda body: []
    """What the resource names that its pods will reach."""


FAMILIES: dict[tuple[str, str], Family] = {}


def register_family(family: Family) -> Family:
    """Add (or replace) an operator family; its kind becomes a scan component too."""
    register_kind(family.operator)
    FAMILIES[(family.operator.group, family.operator.kind)] = family
    return family


def operator_workload(resource: Resource, ident: str | None = None) -> Workload | None:
    """The workload view of an operator resource of a known family; None for other objects."""
    family = FAMILIES.get((resource.key.group, resource.key.kind))
    if family is None:
        return None
    declared = family.storage(resource.body)
    replicas = replica_count(resource.body, family.operator.replicas)
    name = resource.key.name
    return Workload(
        ident or component_id(resource.key),
        name,
        resource.key.kind,
        resource.key.namespace,
        "kubernetes",
        resource,
        "/spec",
        (),
        (),
        tuple(_mount(name, s) for s in declared if s.claim is not None),
        {},
        replicas,
        family.operator.pod_labels(name),
        Operated(family.role, tuple(declared), family.source),
    )


def references(workload: Workload) -> list[Reference]:
    """The peers an operator workload's resource names (none for other workloads)."""
    key = workload.resource.key
    family = FAMILIES.get((key.group, key.kind)) if workload.operated else None
    return family.references(workload.body) if family else []


def _mount(name: str, storage: Storage) -> Mount:
    return Mount(
        name, "/data", storage.path, "volumeClaimTemplate", False, storage.path,
        spec={"spec": storage.claim},
    )  # fmt: skip


def _claim(path: str, spec: Any, text: str) -> Storage:
    return Storage(path, as_map(spec), text)


def _sized(path: str, size: Any, text: str) -> Storage:
    return Storage(path, {"resources": {"requests": {"storage": str(size)}}}, text)


def _ephemeral(path: str, text: str) -> Storage:
    return Storage(path, None, text)


# prometheus-operator StorageSpec: "If neither emptyDir nor volumeClaimTemplate is specified, then
# by default an EmptyDir will be used."
# https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.StorageSpec
def _monitoring_storage(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    template = as_map(storage.get("volumeClaimTemplate"))
    if template:
        return [_claim("/spec/storage/volumeClaimTemplate", template.get("spec"), "claim template")]
    return [_ephemeral("/spec/storage", "no claim template: the operator mounts an emptyDir")]


# CloudNativePG: spec.storage (size or pvcTemplate) is a claim per instance.
# https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/#postgresql-cnpg-io-v1-StorageConfiguration
def _cnpg_storage(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    template = as_map(storage.get("pvcTemplate"))
    if template:
        return [_claim("/spec/storage/pvcTemplate", template, "PVC template")]
    return [_sized("/spec/storage", storage.get("size", "?"), "storage")]


# Zalando postgres-operator: spec.volume.size is required; PGDATA is on a claim per instance.
# https://github.com/zalando/postgres-operator/blob/a7aaad0a0b9517bb46077f2925eb80ae8ebe1a0c/docs/reference/cluster_manifest.md#postgres-container-resources
def _zalando_storage(body: Mapping[str, Any]) -> list[Storage]:
    return [_sized("/spec/volume", dig(body, "spec", "volume", "size") or "?", "volume")]


# Strimzi: storage type ephemeral, persistent-claim or jbod (a list of either), on the Kafka
# resource (spec.kafka.storage, spec.zookeeper.storage) or on its KafkaNodePools (spec.storage).
# https://strimzi.io/docs/operators/latest/configuring.html#type-EphemeralStorage-reference
def _strimzi_one(path: str, storage: Mapping[str, Any]) -> list[Storage]:
    kind = storage.get("type")
    if kind == "jbod":
        volumes = as_list(storage.get("volumes"))
        return [
            s for i, v in enumerate(volumes) for s in _strimzi_one(f"{path}/volumes/{i}", as_map(v))
        ]
    if kind == "persistent-claim":
        return [_sized(path, storage.get("size", "?"), "persistent-claim")]
    if kind == "ephemeral":
        return [_ephemeral(path, "ephemeral storage: an emptyDir")]
    return []


def _strimzi_kafka(body: Mapping[str, Any]) -> list[Storage]:
    return [
        s
        for part in ("kafka", "zookeeper")
        for s in _strimzi_one(f"/spec/{part}/storage", as_map(dig(body, "spec", part, "storage")))
    ]


def _strimzi_pool(body: Mapping[str, Any]) -> list[Storage]:
    return _strimzi_one("/spec/storage", as_map(dig(body, "spec", "storage")))


# RabbitmqCluster: spec.persistence.storage defaults to 10Gi, a claim per replica.
# https://www.rabbitmq.com/kubernetes/operator/using-operator#persistence
def _rabbitmq_storage(body: Mapping[str, Any]) -> list[Storage]:
    size = dig(body, "spec", "persistence", "storage") or "10Gi"
    if str(size).rstrip("GgMmKkTtIi") in ("0", ""):
        return [_ephemeral("/spec/persistence/storage", "persistence storage 0: no claim")]
    return [_sized("/spec/persistence", size, "persistence")]


# ECK: each nodeSet gets the claim template elasticsearch-data (1Gi by default) unless its pod
# template replaces that volume with an emptyDir.
# https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-volume-claim-templates.html
def _eck_storage(body: Mapping[str, Any]) -> list[Storage]:
    found: list[Storage] = []
    for i, node_set in enumerate(as_list(dig(body, "spec", "nodeSets"))):
        node_set = as_map(node_set)
        volumes = as_list(dig(node_set, "podTemplate", "spec", "volumes"))
        if any(
            as_map(v).get("name") == "elasticsearch-data" and "emptyDir" in as_map(v)
            for v in volumes
        ):
            found.append(
                _ephemeral(f"/spec/nodeSets/{i}/podTemplate", "elasticsearch-data is an emptyDir")
            )
            continue
        templates = [as_map(t) for t in as_list(node_set.get("volumeClaimTemplates"))]
        data = next(
            (t for t in templates if dig(t, "metadata", "name") == "elasticsearch-data"), None
        )
        if data is not None:
            found.append(
                _claim(
                    f"/spec/nodeSets/{i}/volumeClaimTemplates", data.get("spec"), "claim template"
                )
            )
        else:
            found.append(_sized(f"/spec/nodeSets/{i}", "1Gi", "default claim elasticsearch-data"))
    return found


# MongoDBCommunity: the operator's StatefulSet has claim templates data-volume (10G) and
# logs-volume (2G) unless spec.statefulSet overrides them.
# https://github.com/mongodb/mongodb-kubernetes-operator/blob/f6a53c96128e3e998f4c274964876206ce409305/docs/deploy-configure.md
def _mongodb_storage(body: Mapping[str, Any]) -> list[Storage]:
    path = ("spec", "statefulSet", "spec", "volumeClaimTemplates")
    for i, template in enumerate(as_list(dig(body, *path))):
        if dig(template, "metadata", "name") == "data-volume":
            return [_claim(join([*path, str(i)]), dig(template, "spec"), "claim template")]
    return [_sized("/spec", "10G", "default claim data-volume")]


# MinIO Tenant: every pool has a claim template per server.
# https://min.io/docs/minio/kubernetes/upstream/reference/operator-crd.html#pool
def _minio_storage(body: Mapping[str, Any]) -> list[Storage]:
    return [
        _claim(f"/spec/pools/{i}/volumeClaimTemplate", dig(pool, "volumeClaimTemplate", "spec"),
               "claim template")
        for i, pool in enumerate(as_list(dig(body, "spec", "pools")))
    ]  # fmt: skip


# OT-CONTAINER-KIT redis-operator: spec.storage.volumeClaimTemplate, else no persistence.
# https://github.com/OT-CONTAINER-KIT/redis-operator/blob/5dd04e17419a9a32bd0d220fc9dae5dffbf4f39a/api/v1beta2/common_types.go
def _redis_storage(body: Mapping[str, Any]) -> list[Storage]:
    template = as_map(dig(body, "spec", "storage", "volumeClaimTemplate"))
    if template:
        return [_claim("/spec/storage/volumeClaimTemplate", template.get("spec"), "claim template")]
    return [_ephemeral("/spec/storage", "no claim template: the data is in memory only")]


# Prometheus reaches the Alertmanagers it names by their Service.
# https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.AlertmanagerEndpoints
def _alertmanagers(body: Mapping[str, Any]) -> list[Reference]:
    return [
        Reference("Service", str(as_map(a).get("name")), str(as_map(a).get("namespace") or ""),
                  f"spec.alerting.alertmanagers[{i}]")
        for i, a in enumerate(as_list(dig(body, "spec", "alerting", "alertmanagers")))
        if as_map(a).get("name")
    ]  # fmt: skip


# A CloudNativePG Pooler (PgBouncer) serves the Cluster named in spec.cluster.name.
# https://cloudnative-pg.io/documentation/current/connection_pooling/
def _pooled_cluster(body: Mapping[str, Any]) -> list[Reference]:
    name = dig(body, "spec", "cluster", "name")
    return [Reference("Cluster", str(name), "", "spec.cluster.name")] if name else []


def _no_storage(body: Mapping[str, Any]) -> list[Storage]:
    return []


def _family(
    group: str,
    kind: str,
    role: str,
    storage: Reader,
    source: str,
    refs: Callable[[Mapping[str, Any]], list[Reference]] = lambda body: [],
) -> Family:
    return Family(OPERATOR_KINDS[(group, kind)], role, storage, source, refs)


_MONITORING = "https://prometheus-operator.dev/docs/api-reference/api/"
_STRIMZI = "https://strimzi.io/docs/operators/latest/configuring.html"
_OPSTREE = "https://github.com/OT-CONTAINER-KIT/redis-operator"
for _family_ in (
    _family("monitoring.coreos.com", "Prometheus", "monitoring", _monitoring_storage, _MONITORING,
            _alertmanagers),
    _family("monitoring.coreos.com", "Alertmanager", "alerting", _monitoring_storage, _MONITORING),
    _family("monitoring.coreos.com", "ThanosRuler", "monitoring", _monitoring_storage, _MONITORING),
    _family("postgresql.cnpg.io", "Cluster", "database", _cnpg_storage,
            "https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/"),
    _family("postgresql.cnpg.io", "Pooler", "pooler", _no_storage,
            "https://cloudnative-pg.io/documentation/current/connection_pooling/", _pooled_cluster),
    _family("acid.zalan.do", "postgresql", "database", _zalando_storage,
            "https://github.com/zalando/postgres-operator/blob/a7aaad0a0b9517bb46077f2925eb80ae8ebe1a0c/docs/reference/cluster_manifest.md"),
    _family("kafka.strimzi.io", "Kafka", "queue", _strimzi_kafka, _STRIMZI),
    _family("kafka.strimzi.io", "KafkaNodePool", "queue", _strimzi_pool, _STRIMZI),
    _family("rabbitmq.com", "RabbitmqCluster", "queue", _rabbitmq_storage,
            "https://www.rabbitmq.com/kubernetes/operator/using-operator"),
    _family("elasticsearch.k8s.elastic.co", "Elasticsearch", "index", _eck_storage,
            "https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-elasticsearch-specification.html"),
    _family("mongodbcommunity.mongodb.com", "MongoDBCommunity", "database", _mongodb_storage,
            "https://github.com/mongodb/mongodb-kubernetes-operator/blob/f6a53c96128e3e998f4c274964876206ce409305/docs/deploy-configure.md"),
    _family("minio.min.io", "Tenant", "objects", _minio_storage,
            "https://min.io/docs/minio/kubernetes/upstream/reference/operator-crd.html"),
    _family("redis.redis.opstreelabs.in", "Redis", "database", _redis_storage, _OPSTREE),
    _family("redis.redis.opstreelabs.in", "RedisReplication", "database", _redis_storage, _OPSTREE),
):  # fmt: skip
    register_family(_family_)
