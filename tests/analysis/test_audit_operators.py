"""Operator custom resources are components whose storage spec decides their class."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle
from stateward.analysis.audit.operators import FAMILIES

from .conftest import Auditor, rules_of

EPHEMERAL = [
    ("monitoring.coreos.com/v1", "Prometheus", "spec: {replicas: 2}"),
    ("monitoring.coreos.com/v1", "Alertmanager", "spec: {storage: {emptyDir: {medium: Memory}}}"),
    ("kafka.strimzi.io/v1beta2", "KafkaNodePool", "spec: {replicas: 3, storage: {type: ephemeral}}"),
    ("kafka.strimzi.io/v1beta2", "Kafka", "spec: {kafka: {replicas: 3, storage: {type: ephemeral}}}"),
    ("redis.redis.opstreelabs.in/v1beta2", "Redis", "spec: {kubernetesConfig: {image: r}}"),
    ("redis.redis.opstreelabs.in/v1beta2", "RedisCluster", "spec: {clusterSize: 3}"),
    ("rabbitmq.com/v1beta1", "RabbitmqCluster", "spec: {persistence: {storage: 0Gi}}"),
    ("elasticsearch.k8s.elastic.co/v1", "Elasticsearch",
     "spec: {nodeSets: [{name: d, count: 1, podTemplate: {spec: {volumes: "
     "[{name: elasticsearch-data, emptyDir: {}}]}}}]}"),
    ("pxc.percona.com/v1", "PerconaXtraDBCluster", "spec: {pxc: {size: 3, volumeSpec: {emptyDir: {}}}}"),
    ("psmdb.percona.com/v1", "PerconaServerMongoDB",
     "spec: {replsets: [{name: rs0, size: 3, volumeSpec: {emptyDir: {}}}]}"),
    ("k8s.mariadb.com/v1alpha1", "MariaDB", "spec: {replicas: 3, storage: {ephemeral: true}}"),
    ("databases.spotahome.com/v1", "RedisFailover", "spec: {redis: {replicas: 3}}"),
    ("dragonflydb.io/v1alpha1", "Dragonfly", "spec: {replicas: 2}"),
    ("opensearch.opster.io/v1", "OpenSearchCluster",
     "spec: {nodePools: [{component: nodes, replicas: 3, persistence: {emptyDir: {}}}]}"),
]  # fmt: skip
DURABLE = [
    ("monitoring.coreos.com/v1", "Prometheus",
     "spec: {storage: {volumeClaimTemplate: {spec: {resources: {requests: {storage: 40Gi}}}}}}", 40),
    ("postgresql.cnpg.io/v1", "Cluster", "spec: {instances: 3, storage: {size: 2Gi}}", 2),
    ("acid.zalan.do/v1", "postgresql", "spec: {numberOfInstances: 2, volume: {size: 5Gi}}", 5),
    ("kafka.strimzi.io/v1beta2", "KafkaNodePool",
     "spec: {replicas: 3, storage: {type: jbod, volumes: [{id: 0, type: persistent-claim, size: 100Gi}]}}", 100),
    ("rabbitmq.com/v1beta1", "RabbitmqCluster", "spec: {}", 10),
    ("elasticsearch.k8s.elastic.co/v1", "Elasticsearch", "spec: {nodeSets: [{name: d, count: 1}]}", 1),
    ("mongodbcommunity.mongodb.com/v1", "MongoDBCommunity", "spec: {members: 3}", 10),
    ("minio.min.io/v2", "Tenant",
     "spec: {pools: [{servers: 4, volumeClaimTemplate: {spec: {resources: {requests: {storage: 1Ti}}}}}]}", "1Ti"),
    ("logstash.k8s.elastic.co/v1alpha1", "Logstash", "spec: {count: 2}", "1.5Gi"),
    ("postgres-operator.crunchydata.com/v1beta1", "PostgresCluster",
     "spec: {instances: [{replicas: 2, dataVolumeClaimSpec: {accessModes: [ReadWriteOnce], "
     "resources: {requests: {storage: 20Gi}}}}]}", 20),
    ("pxc.percona.com/v1", "PerconaXtraDBCluster",
     "spec: {pxc: {size: 3, volumeSpec: {persistentVolumeClaim: {resources: {requests: {storage: 6G}}}}}}", "6G"),
    ("k8s.mariadb.com/v1alpha1", "MariaDB", "spec: {replicas: 3, storage: {size: 3Gi}}", 3),
    ("dragonflydb.io/v1alpha1", "Dragonfly",
     "spec: {replicas: 2, snapshot: {persistentVolumeClaimSpec: {resources: {requests: {storage: 4Gi}}}}}", 4),
    ("redis.redis.opstreelabs.in/v1beta2", "RedisCluster",
     "spec: {clusterSize: 3, storage: {volumeClaimTemplate: {spec: {resources: {requests: {storage: 8Gi}}}}}}", 8),
    ("scylla.scylladb.com/v1", "ScyllaCluster",
     "spec: {datacenter: {name: dc, racks: [{name: a, members: 3, storage: {capacity: 50Gi}}]}}", 50),
]  # fmt: skip


def _cr(api: str, kind: str, spec: str, name: str = "x") -> str:
    return f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}, namespace: ns}}\n{spec}\n"


@pytest.mark.parametrize(("api", "kind", "spec"), EPHEMERAL)
def test_operator_data_on_an_emptydir_or_in_memory_is_lost(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert (component.kind, component.lifecycle) == (kind, Lifecycle.PERSISTENT)
    assert rules_of(report, "x") - {"NO_PDB"} == {"OPERATOR_EPHEMERAL"}  # replicas, no PDB
    assert str(component.loss) == "data"


@pytest.mark.parametrize(("api", "kind", "spec", "size"), DURABLE)
def test_operator_claims_are_durable_and_weigh_their_size(
    audit_files: Auditor, api: str, kind: str, spec: str, size: object
) -> None:
    small = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = small.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    # One replica on a ReadWriteOnce claim (the operators' default) is a finding of its own.
    assert rules_of(small, "x") - {"NO_PDB", "SINGLE_REPLICA_RWO"} == {"OPERATOR_CLAIMS"}
    single = "SINGLE_REPLICA_RWO" in rules_of(small, "x")
    assert single == (component.kind in ("Prometheus", "RabbitmqCluster", "Elasticsearch"))
    assert str(component.loss) != "data"  # the claims survive a replacement
    assert any(str(size) in f.message for f in small.findings if f.rule == "OPERATOR_CLAIMS")


def test_every_family_cites_its_api_reference_and_a_crd_of_another_group_is_no_component(
    audit_files: Auditor,
) -> None:
    assert all(f.source.startswith("https://") for f in FAMILIES.values())
    report = audit_files(**{"cr.yaml": _cr("example.com/v1", "Prometheus", "spec: {}")})
    assert report.components == ()


def test_references_become_edges_prometheus_to_alertmanager_and_pooler_to_cluster(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "am.yaml": _cr("monitoring.coreos.com/v1", "Alertmanager", "spec: {}", "main"),
        "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: am, namespace: ns}\n"
                    "spec: {selector: {alertmanager: main}, ports: [{port: 9093}]}\n",
        "prom.yaml": _cr("monitoring.coreos.com/v1", "Prometheus",
                         "spec: {alerting: {alertmanagers: [{name: am, port: web}]}}", "p"),
        "db.yaml": _cr("postgresql.cnpg.io/v1", "Cluster", "spec: {storage: {size: 1Gi}}", "db"),
        "pool.yaml": _cr("postgresql.cnpg.io/v1", "Pooler", "spec: {cluster: {name: db}}", "rw"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["p"].depends_on == (by_name["main"].id,)
    assert by_name["rw"].depends_on == (by_name["db"].id,)
    assert by_name["rw"].lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert by_name["db"].gravity > by_name["rw"].gravity


def test_a_redis_sentinel_holds_nothing_and_depends_on_the_replication_it_watches(
    audit_files: Auditor,
) -> None:
    api = "redis.redis.opstreelabs.in/v1beta2"
    claim = "storage: {volumeClaimTemplate: {spec: {resources: {requests: {storage: 1Gi}}}}}"
    report = audit_files(**{
        "rep.yaml": _cr(api, "RedisReplication", f"spec: {{clusterSize: 3, {claim}}}", "store"),
        "sentinel.yaml": _cr(api, "RedisSentinel",
                             "spec: {clusterSize: 3, redisSentinelConfig: "
                             "{redisReplicationName: store}}", "watch"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["watch"].depends_on == (by_name["store"].id,)
    assert (by_name["watch"].lifecycle, by_name["watch"].gravity) == (Lifecycle.EPHEMERAL_SAFE, 0)
    assert by_name["store"].gravity > by_name["watch"].gravity


APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop, namespace: ns}
spec:
  template:
    spec:
      containers:
        - name: shop
          image: example/shop:1
          env:
            - {name: DB_HOST, value: orders-rw}
            - {name: SEARCH_URL, value: "https://logs-es-http:9200"}
"""


def test_clients_reach_an_operator_resource_through_the_services_its_operator_creates(
    audit_files: Auditor,
) -> None:
    """``orders-rw`` is the CloudNativePG Cluster's read-write Service and ``logs-es-http`` the
    ECK Elasticsearch's: neither is in the files, the operator creates them."""
    report = audit_files(**{
        "app.yaml": APP,
        "db.yaml": _cr("postgresql.cnpg.io/v1", "Cluster", "spec: {storage: {size: 1Gi}}",
                       "orders"),
        "es.yaml": _cr("elasticsearch.k8s.elastic.co/v1", "Elasticsearch",
                       "spec: {nodeSets: [{name: d, count: 1}]}", "logs"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert set(by_name["shop"].depends_on) == {by_name["orders"].id, by_name["logs"].id}
    assert by_name["orders"].dependents == (by_name["shop"].id,)


SECRET_CLIENTS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: sso, namespace: auth}
spec:
  template:
    spec:
      containers:
        - name: sso
          image: example/sso:1
          env:
            - {name: DB_HOST, valueFrom: {secretKeyRef: {name: idp-pguser-idp, key: host}}}
        - name: mailer
          image: example/mailer:1
          envFrom: [{secretRef: {name: queue-default-user}}]
"""


def test_clients_reach_an_operator_resource_through_the_secret_its_operator_writes(
    audit_files: Auditor,
) -> None:
    """PGO writes ``<cluster>-pguser-<user>`` and the RabbitMQ operator ``<name>-default-user``
    with the host to connect to: a client that takes its environment from one depends on the
    resource. A manifest with no namespace is applied into the client's (``kubectl -n``)."""
    pgo = ("apiVersion: postgres-operator.crunchydata.com/v1beta1\nkind: PostgresCluster\n"
           "metadata: {name: idp}\nspec: {instances: [{dataVolumeClaimSpec: {}}]}\n")
    report = audit_files(**{
        "sso.yaml": SECRET_CLIENTS,
        "pgo.yaml": pgo,
        "mq.yaml": _cr("rabbitmq.com/v1beta1", "RabbitmqCluster", "spec: {}", "queue")
        .replace("namespace: ns", "namespace: auth"),
        "other.yaml": _cr("rabbitmq.com/v1beta1", "RabbitmqCluster", "spec: {}", "other"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert set(by_name["sso"].depends_on) == {by_name["idp"].id, by_name["queue"].id}
    assert by_name["other"].dependents == ()


ELASTIC = {
    "es.yaml": _cr("elasticsearch.k8s.elastic.co/v1", "Elasticsearch",
                   "spec: {nodeSets: [{name: d, count: 1}]}", "es"),
    "kb.yaml": _cr("kibana.k8s.elastic.co/v1", "Kibana",
                   "spec: {count: 1, elasticsearchRef: {name: es}}", "kb"),
    "ls.yaml": _cr("logstash.k8s.elastic.co/v1alpha1", "Logstash",
                   "spec: {count: 1, config: {queue.type: persisted}, elasticsearchRefs: "
                   "[{name: es, clusterName: c}], services: [{name: beats}]}", "ls"),
    "beat.yaml": _cr("beat.k8s.elastic.co/v1beta1", "Beat",
                     "spec: {type: filebeat, config: {output.logstash: "
                     "{hosts: ['ls-ls-beats:5044']}}}", "fb"),
}  # fmt: skip


def test_eck_associations_are_edges_and_a_persisted_queue_is_on_a_claim(
    audit_files: Auditor,
) -> None:
    """Kibana and Logstash name their Elasticsearch (``elasticsearchRef(s)``); a Beat's output
    names the Service ECK creates for a Logstash service (``<name>-ls-<service>``). Kibana keeps
    its saved objects in Elasticsearch, so it holds nothing; Logstash keeps its queue on the
    default logstash-data claim."""
    report = audit_files(**ELASTIC)
    by_name = {c.name: c for c in report.components}
    assert by_name["kb"].depends_on == by_name["ls"].depends_on == (by_name["es"].id,)
    assert by_name["fb"].depends_on == (by_name["ls"].id,)
    assert by_name["kb"].lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert by_name["ls"].lifecycle is Lifecycle.PERSISTENT
    claims = [f.message for f in report.findings_for(by_name["ls"].id) if f.rule == "OPERATOR_CLAIMS"]
    assert claims and "persisted queue" in claims[0]
    assert by_name["es"].gravity > by_name["kb"].gravity
