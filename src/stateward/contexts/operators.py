"""Components from operator custom resources: a database, queue or metrics store that an operator
runs is declared by one resource (a CloudNativePG ``Cluster``, a ``Prometheus``), so that resource
is the component, under the id the state audit gives it (``k8s:Kind/ns/name``).

:data:`OPERATOR_KINDS` names each kind once, with where its replica count is and the label the
operator puts on its pods (which Services select); the audit's operator families
(``stateward.analysis.audit.operators``) read the same table, and a plugin's family registers
its kind here too. The context: the resource's ``spec`` fields (``config``), its replica count
(``scale``) and the Services that select its pods (``network``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from stateward.contexts.index import ResourceIndex
from stateward.contexts.kubernetes import INLINE_LIMIT
from stateward.contexts.network import network_context, services_selecting
from stateward.model.canonical import digest
from stateward.model.component import Component, parse_image
from stateward.model.finding import Finding
from stateward.model.kubernetes import as_dict, as_list, component_id, dig
from stateward.model.resource import Resource

__all__ = ["OPERATOR_KINDS", "OperatorKind", "operator_components", "register_kind"]

# Where the CRDs name the image they run: Prometheus, RabbitmqCluster, MongoDBCommunity
# (``spec.image``), CloudNativePG (``spec.imageName``), Zalando (``spec.dockerImage``).
_IMAGE_FIELDS = ("image", "imageName", "dockerImage")


@dataclass(frozen=True, slots=True)
class OperatorKind:
    """One operator resource kind: its API group and kind, replicas and pod label."""

    group: str
    kind: str
    replicas: tuple[str, ...]
    """Path of the replica count in the resource; a ``*`` step sums over a list (node sets)."""
    pod_label: str
    """Label key the operator sets on the pods, with the resource's name as its value."""
    named_labels: tuple[str, ...] = ()
    """Further label keys the operator sets to the resource's name."""
    fixed_labels: tuple[tuple[str, str], ...] = ()
    """Labels the operator sets to the same value on the pods of every resource of the kind."""
    given_labels: tuple[str, ...] = ()
    """Path of the labels the resource asks the operator to put on its pods too (the reserved
    ones above win over them)."""

    def pod_labels(self, name: str, body: Mapping[str, Any] | None = None) -> dict[str, str]:
        """The labels the operator puts on the pods of the resource called ``name`` (with its
        ``body``, the labels it asks for as well)."""
        given = dig(body, *self.given_labels) if body is not None and self.given_labels else None
        asked = {str(k): str(v) for k, v in given.items()} if isinstance(given, Mapping) else {}
        return {**asked, self.pod_label: name, **dict.fromkeys(self.named_labels, name),
                **dict(self.fixed_labels)}  # fmt: skip


# The labels the Prometheus Operator reserves on the pods of its three kinds ("The following
# items are reserved and cannot be overridden"), besides the one named for the kind: the
# resource's name as ``app.kubernetes.io/instance`` (and, for a Prometheus,
# ``operator.prometheus.io/name``), ``app.kubernetes.io/managed-by: prometheus-operator`` and
# ``app.kubernetes.io/name`` set to the kind's program; a Service selecting the pods by them
# reaches the resource. The labels of ``spec.podMetadata`` are put on the pods too ("Labels
# and annotations ... propagated to the pods"), so a Service may select them by those
# (kube-prometheus' ``prometheus-k8s`` by ``app.kubernetes.io/component`` and ``part-of``).
# https://github.com/prometheus-operator/prometheus-operator/blob/6adcebc5076c34f4f55f8f5f7b1e528929373ac7/pkg/apis/monitoring/v1/prometheus_types.go
# (podMetadata; alertmanager_types.go and thanos_types.go alike)
def _prometheus_operator(kind: str, label: str, *named: str) -> OperatorKind:
    fixed = (("app.kubernetes.io/managed-by", "prometheus-operator"),
             ("app.kubernetes.io/name", label))  # fmt: skip
    named = ("app.kubernetes.io/instance", *named)
    given = ("spec", "podMetadata", "labels")
    return OperatorKind(
        "monitoring.coreos.com", kind, ("spec", "replicas"), label, named, fixed, given
    )


OPERATOR_KINDS: dict[tuple[str, str], OperatorKind] = {}


def register_kind(kind: OperatorKind) -> OperatorKind:
    """Add (or replace) an operator resource kind."""
    OPERATOR_KINDS[(kind.group, kind.kind)] = kind
    return kind


for _kind in (
    _prometheus_operator("Prometheus", "prometheus", "operator.prometheus.io/name"),
    _prometheus_operator("Alertmanager", "alertmanager"),
    _prometheus_operator("ThanosRuler", "thanos-ruler"),
    OperatorKind("postgresql.cnpg.io", "Cluster", ("spec", "instances"), "cnpg.io/cluster"),
    OperatorKind("postgresql.cnpg.io", "Pooler", ("spec", "instances"), "cnpg.io/poolerName"),
    OperatorKind("acid.zalan.do", "postgresql", ("spec", "numberOfInstances"), "cluster-name"),
    OperatorKind("kafka.strimzi.io", "Kafka", ("spec", "kafka", "replicas"), "strimzi.io/cluster"),
    OperatorKind("kafka.strimzi.io", "KafkaNodePool", ("spec", "replicas"), "strimzi.io/pool-name"),
    OperatorKind("rabbitmq.com", "RabbitmqCluster", ("spec", "replicas"), "app.kubernetes.io/name"),
    OperatorKind("elasticsearch.k8s.elastic.co", "Elasticsearch",
                 ("spec", "nodeSets", "*", "count"), "elasticsearch.k8s.elastic.co/cluster-name"),
    OperatorKind("kibana.k8s.elastic.co", "Kibana", ("spec", "count"), "kibana.k8s.elastic.co/name"),
    OperatorKind("logstash.k8s.elastic.co", "Logstash", ("spec", "count"),
                 "logstash.k8s.elastic.co/name"),
    OperatorKind("beat.k8s.elastic.co", "Beat", ("spec", "deployment", "replicas"),
                 "beat.k8s.elastic.co/name"),
    OperatorKind("mongodbcommunity.mongodb.com", "MongoDBCommunity", ("spec", "members"), "app"),
    OperatorKind("minio.min.io", "Tenant", ("spec", "pools", "*", "servers"), "v1.min.io/tenant"),
    OperatorKind("redis.redis.opstreelabs.in", "Redis", ("spec", "replicas"), "app"),
    OperatorKind("redis.redis.opstreelabs.in", "RedisReplication", ("spec", "clusterSize"), "app"),
    OperatorKind("redis.redis.opstreelabs.in", "RedisCluster", ("spec", "clusterSize"), "app"),
    OperatorKind("redis.redis.opstreelabs.in", "RedisSentinel", ("spec", "clusterSize"), "app"),
    OperatorKind("postgres-operator.crunchydata.com", "PostgresCluster",
                 ("spec", "instances", "*", "replicas"), "postgres-operator.crunchydata.com/cluster"),
    OperatorKind("pxc.percona.com", "PerconaXtraDBCluster", ("spec", "pxc", "size"),
                 "app.kubernetes.io/instance"),
    OperatorKind("psmdb.percona.com", "PerconaServerMongoDB", ("spec", "replsets", "*", "size"),
                 "app.kubernetes.io/instance"),
    OperatorKind("k8s.mariadb.com", "MariaDB", ("spec", "replicas"), "app.kubernetes.io/instance"),
    OperatorKind("mariadb.mmontes.io", "MariaDB", ("spec", "replicas"), "app.kubernetes.io/instance"),
    OperatorKind("mysql.oracle.com", "InnoDBCluster", ("spec", "instances"), "mysql.oracle.com/cluster"),
    OperatorKind("databases.spotahome.com", "RedisFailover", ("spec", "redis", "replicas"),
                 "app.kubernetes.io/name"),
    OperatorKind("dragonflydb.io", "Dragonfly", ("spec", "replicas"), "app"),
    OperatorKind("opensearch.opster.io", "OpenSearchCluster", ("spec", "nodePools", "*", "replicas"),
                 "opster.io/opensearch-cluster"),
    OperatorKind("scylla.scylladb.com", "ScyllaCluster",
                 ("spec", "datacenter", "racks", "*", "members"), "scylla/cluster"),
    # Altinity's operator labels each pod with its installation's name
    # (pkg/model/chi/tags/labeler, pkg/model/chk/tags/labeler/list.go).
    OperatorKind("clickhouse.altinity.com", "ClickHouseInstallation",
                 ("spec", "configuration", "clusters", "*", "layout", "replicasCount"),
                 "clickhouse.altinity.com/chi"),
    OperatorKind("clickhouse-keeper.altinity.com", "ClickHouseKeeperInstallation",
                 ("spec", "configuration", "clusters", "*", "layout", "replicasCount"),
                 "clickhouse-keeper.altinity.com/chk"),
    # k8ssandra-operator labels the pods it makes for a cluster and a Reaper with their names
    # (apis/k8ssandra/v1alpha1/constants.go, apis/reaper/v1alpha1/reaper_types.go).
    OperatorKind("k8ssandra.io", "K8ssandraCluster", ("spec", "cassandra", "datacenters", "*", "size"),
                 "k8ssandra.io/cluster-name"),
    OperatorKind("reaper.k8ssandra.io", "Reaper", ("spec", "replicas"), "k8ssandra.io/reaper"),
    # Apache Solr Operator labels a SolrCloud's pods solr-cloud: <name> and an exporter's
    # solr-prometheus-exporter: <name> (api/v1beta1 SharedLabels).
    OperatorKind("solr.apache.org", "SolrCloud", ("spec", "replicas"), "solr-cloud"),
    OperatorKind("solr.apache.org", "SolrPrometheusExporter", ("spec", "replicas"),
                 "solr-prometheus-exporter"),
    OperatorKind("k8s.mariadb.com", "MaxScale", ("spec", "replicas"), "app.kubernetes.io/instance"),
    # VictoriaMetrics operator: pods labelled app.kubernetes.io/instance: <name>.
    OperatorKind("operator.victoriametrics.com", "VMSingle", ("spec", "replicaCount"),
                 "app.kubernetes.io/instance"),
    OperatorKind("operator.victoriametrics.com", "VMCluster", ("spec", "vmstorage", "replicaCount"),
                 "app.kubernetes.io/instance"),
    OperatorKind("operator.victoriametrics.com", "VMAlertmanager", ("spec", "replicaCount"),
                 "app.kubernetes.io/instance"),
    OperatorKind("jaegertracing.io", "Jaeger", ("spec", "collector", "replicas"),
                 "app.kubernetes.io/instance"),
    OperatorKind("zookeeper.pravega.io", "ZookeeperCluster", ("spec", "replicas"), "app"),
    # TiDB Operator v2: one group resource per TiDB component, its pods labelled with the group.
    *(OperatorKind("core.pingcap.com", kind, ("spec", "replicas"), "pingcap.com/group")
      for kind in ("PDGroup", "TiKVGroup", "TiDBGroup", "TiFlashGroup", "TiProxyGroup",
                   "TiCDCGroup", "DMGroup", "DMWorkerGroup")),
):  # fmt: skip
    register_kind(_kind)


def operator_components(
    resources: list[Resource], index: ResourceIndex
) -> Iterator[tuple[Component, list[Finding]]]:
    """One component per operator resource of a known kind."""
    for resource in resources:
        kind = OPERATOR_KINDS.get((resource.key.group, resource.key.kind))
        if kind is not None:
            yield _component(resource, kind, index), []


def replica_count(node: Any, path: tuple[str, ...]) -> int | None:
    """The integer at ``path``, summed over the items of a list where the path says ``*``."""
    if not path:
        return node if isinstance(node, int) and not isinstance(node, bool) else None
    if path[0] == "*":
        counts = [c for item in as_list(node) if (c := replica_count(item, path[1:])) is not None]
        return sum(counts) if counts else None
    return replica_count(as_dict(node).get(path[0]), path[1:])


def _component(resource: Resource, kind: OperatorKind, index: ResourceIndex) -> Component:
    key = resource.key
    spec = as_dict(resource.body.get("spec"))
    context: dict[str, dict[str, Any]] = {}
    if spec:
        context["config"] = {"spec": {k: _inline(v) for k, v in spec.items()}}
    replicas = replica_count(resource.body, kind.replicas)
    if replicas is not None:
        context["scale"] = {"replicas": replicas}

    def put(facet: str, *path_and_value: Any) -> None:
        *path, value = path_and_value
        node = context.setdefault(facet, {})
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value

    labels = kind.pod_labels(key.name, resource.body)
    network_context(
        put, index, key.namespace, labels, services_selecting(index, key.namespace, labels)
    )
    images = tuple(parse_image(str(spec[f])) for f in _IMAGE_FIELDS if isinstance(spec.get(f), str))
    return Component.of(
        id=component_id(key), kind=key.kind, name=key.name, namespace=key.namespace,
        source=resource.origin.source, images=images, context=context, resource=str(key),
    )  # fmt: skip


def _inline(value: Any) -> Any:
    # Long values (embedded configuration files) are kept as a digest, as ConfigMap values are.
    return digest(value) if isinstance(value, str) and len(value) > INLINE_LIMIT else value
