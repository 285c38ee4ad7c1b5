"""Operator custom resources are components whose storage spec decides their class."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle
from stateward.analysis.audit.operators import FAMILIES

from .conftest import Auditor, rules_of
from .conftest import custom_resource as _cr

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
    # No claim template: the tables are in each pod's container filesystem.
    ("clickhouse.altinity.com/v1", "ClickHouseInstallation",
     "spec: {configuration: {clusters: [{name: c, layout: {replicasCount: 2}}]}}"),
    ("clickhouse.altinity.com/v1", "ClickHouseInstallation",
     "spec: {templates: {podTemplates: [{name: p, spec: {containers: [{name: ch, volumeMounts: "
     "[{name: v, mountPath: /var/lib/clickhouse}]}], volumes: [{name: v, emptyDir: {}}]}}]}}"),
    ("clickhouse-keeper.altinity.com/v1", "ClickHouseKeeperInstallation",
     "spec: {configuration: {clusters: [{name: k, layout: {replicasCount: 3}}]}}"),
    # No dataStorage: Solr's cores are on an emptyDir by default.
    ("solr.apache.org/v1beta1", "SolrCloud", "spec: {replicas: 3, solrImage: {tag: '9.10.0'}}"),
    # VictoriaMetrics: no storage, an emptyDir by default; Jaeger: memory by default.
    ("operator.victoriametrics.com/v1beta1", "VMSingle", "spec: {retentionPeriod: '1'}"),
    ("operator.victoriametrics.com/v1beta1", "VMCluster", "spec: {vmstorage: {replicaCount: 2}}"),
    ("jaegertracing.io/v1", "Jaeger", "spec: {strategy: allInOne}"),
    ("jaegertracing.io/v1", "Jaeger", "spec: {storage: {type: badger, options: {badger: "
     "{ephemeral: true}}}}"),
    ("zookeeper.pravega.io/v1beta1", "ZookeeperCluster", "spec: {replicas: 3, storageType: ephemeral}"),
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
    ("clickhouse.altinity.com/v1", "ClickHouseInstallation",
     "spec: {defaults: {templates: {dataVolumeClaimTemplate: d}}, templates: {volumeClaimTemplates: "
     "[{name: d, spec: {resources: {requests: {storage: 7Gi}}}}]}}", 7),
    ("k8ssandra.io/v1alpha1", "K8ssandraCluster",
     "spec: {cassandra: {datacenters: [{metadata: {name: dc1}, size: 2, storageConfig: "
     "{cassandraDataVolumeClaimSpec: {resources: {requests: {storage: 5Gi}}}}}]}}", 5),
    ("reaper.k8ssandra.io/v1alpha1", "Reaper",
     "spec: {storageType: local, storageConfig: {resources: {requests: {storage: 256Mi}}}}", "256Mi"),
    ("core.pingcap.com/v1alpha1", "TiKVGroup",
     "spec: {cluster: {name: c}, replicas: 3, template: {spec: {volumes: "
     "[{name: data, mounts: [{type: data}], storage: 100Gi}]}}}", 100),
    ("core.pingcap.com/v1alpha1", "DMGroup",
     "spec: {cluster: {name: c}, template: {spec: {dataVolume: {name: data, storage: 10Gi}}}}", 10),
    ("redis.redis.opstreelabs.in/v1beta2", "RedisCluster",
     "spec: {clusterSize: 3, storage: {volumeClaimTemplate: {spec: {resources: {requests: "
     "{storage: 2Gi}}}}}}", 2),
    ("solr.apache.org/v1beta1", "SolrCloud",
     "spec: {replicas: 3, dataStorage: {persistent: {pvcTemplate: {spec: {resources: {requests: "
     "{storage: 20Gi}}}}}}}", 20),
    ("operator.victoriametrics.com/v1beta1", "VMSingle",
     "spec: {storage: {resources: {requests: {storage: 30Gi}}}}", 30),
    ("operator.victoriametrics.com/v1beta1", "VMCluster",
     "spec: {vmstorage: {replicaCount: 2, storage: {volumeClaimTemplate: {spec: {resources: "
     "{requests: {storage: 60Gi}}}}}}}", 60),
    ("zookeeper.pravega.io/v1beta1", "ZookeeperCluster", "spec: {replicas: 3}", "20Gi"),
]  # fmt: skip


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
    one = ("Prometheus", "RabbitmqCluster", "Elasticsearch", "ClickHouseInstallation", "Reaper",
           "DMGroup", "VMSingle")  # fmt: skip
    assert single == (component.kind in one)
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


PROMETHEUS_SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: metrics, namespace: ns}
spec:
  selector: {app.kubernetes.io/name: prometheus, app.kubernetes.io/instance: main}
  ports: [{port: 9090}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: dash, namespace: ns}
spec:
  template:
    spec:
      containers:
        - name: dash
          image: example/dash:1
          ports: [{containerPort: 3000}]
          env: [{name: METRICS_URL, value: "http://metrics:9090"}]
"""


@pytest.mark.parametrize(("name", "reached"), [("main", True), ("other", False)])
def test_a_service_selecting_the_labels_the_prometheus_operator_reserves_reaches_the_resource(
    audit_files: Auditor, name: str, reached: bool
) -> None:
    """The operator sets ``app.kubernetes.io/name: prometheus`` and the resource's name as
    ``app.kubernetes.io/instance`` on its pods: a Service selecting them reaches that
    Prometheus, not another one."""
    report = audit_files(**{
        "svc.yaml": PROMETHEUS_SERVICE,
        "prom.yaml": _cr("monitoring.coreos.com/v1", "Prometheus", "spec: {replicas: 1}", name),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert (by_name[name].id in by_name["dash"].depends_on) is reached


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
    pgo = (
        "apiVersion: postgres-operator.crunchydata.com/v1beta1\nkind: PostgresCluster\n"
        "metadata: {name: idp}\nspec: {instances: [{dataVolumeClaimSpec: {}}]}\n"
    )
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
    claims = [
        f.message for f in report.findings_for(by_name["ls"].id) if f.rule == "OPERATOR_CLAIMS"
    ]
    assert claims and "persisted queue" in claims[0]
    assert by_name["es"].gravity > by_name["kb"].gravity


def test_clickhouse_reaches_its_zookeeper_and_keeper_by_host_even_in_a_namespace_chosen_at_apply(
    audit_files: Auditor,
) -> None:
    """``configuration.zookeeper.nodes[].host`` names the Keeper's Service (``keeper-<name>``,
    created by the operator) or a ZooKeeper Service whose manifest names no namespace and is
    applied into the one the host says (``zookeeper.zoo1ns``)."""
    zookeeper = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: zookeeper}\n"
        "spec: {selector: {app: zk}, ports: [{port: 2181}]}\n---\n"
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: zk}\nspec:\n  replicas: 1\n"
        "  template:\n    metadata: {labels: {app: zk}}\n"
        "    spec: {containers: [{name: zk, image: 'zookeeper:3.8'}]}\n"
    )
    chi = "apiVersion: clickhouse.altinity.com/v1\nkind: ClickHouseInstallation\nmetadata: {name: %s}\n"
    report = audit_files(**{
        "zk.yaml": zookeeper,
        "chk.yaml": "apiVersion: clickhouse-keeper.altinity.com/v1\n"
                    "kind: ClickHouseKeeperInstallation\nmetadata: {name: k1}\nspec: {}\n",
        "a.yaml": chi % "a" + "spec: {configuration: {zookeeper: {nodes: [{host: keeper-k1}]}}}\n",
        "b.yaml": chi % "b" + "spec: {configuration: {zookeeper: {nodes: [{host: zookeeper.zoo1ns}]}}}\n",
        "c.yaml": chi % "c" + "spec: {configuration: {zookeeper: {nodes: [{host: zookeeper.other}]}}}\n"
                "---\napiVersion: v1\nkind: Service\nmetadata: {name: zookeeper, namespace: other}\n"
                "spec: {selector: {app: none}}\n",
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["a"].depends_on == (by_name["k1"].id,)
    assert by_name["b"].depends_on == (by_name["zk"].id,)
    assert by_name["c"].depends_on == ()  # that namespace has its own Service: no fallback


TIDB = "apiVersion: core.pingcap.com/v1alpha1\nkind: %s\nmetadata: {name: %s, namespace: ns}\nspec: %s\n"


def test_members_of_one_tidb_cluster_and_named_references_are_edges(audit_files: Auditor) -> None:
    """TiDB v2 groups join a cluster by ``spec.cluster.name``: TiDB reaches that cluster's PD and
    TiKV, TiKV its PD, not another cluster's; a DM worker names its master group
    (``dmGroupRef``) and a K8ssandraCluster its Reaper (``reaperRef``)."""
    volume = "template: {spec: {volumes: [{name: data, storage: 20Gi}]}}"

    def member(cluster: str) -> str:
        return "{cluster: {name: " + cluster + "}, " + volume + "}"

    report = audit_files(**{
        "pd.yaml": TIDB % ("PDGroup", "pd", member("basic")),
        "pd2.yaml": TIDB % ("PDGroup", "pd2", member("other")),
        "kv.yaml": TIDB % ("TiKVGroup", "kv", member("basic")),
        "db.yaml": TIDB % ("TiDBGroup", "db", "{cluster: {name: basic}, replicas: 2}"),
        "dm.yaml": TIDB % ("DMGroup", "dm", "{cluster: {name: basic}}"),
        "dw.yaml": TIDB % ("DMWorkerGroup", "dw", "{cluster: {name: basic}, dmGroupRef: {name: dm}}"),
        "k8c.yaml": _cr("k8ssandra.io/v1alpha1", "K8ssandraCluster",
                        "spec: {reaper: {reaperRef: {name: r}}, cassandra: {datacenters: [{size: 1}]}}",
                        "cass"),
        "reaper.yaml": _cr("reaper.k8ssandra.io/v1alpha1", "Reaper", "spec: {}", "r"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    ids = {name: c.id for name, c in by_name.items()}
    assert set(by_name["db"].depends_on) == {ids["pd"], ids["kv"]}
    assert by_name["kv"].depends_on == (ids["pd"],)
    assert by_name["dw"].depends_on == (ids["dm"],)
    assert by_name["cass"].depends_on == (ids["r"],)
    assert by_name["db"].lifecycle is Lifecycle.EPHEMERAL_SAFE  # stateless SQL layer
    # storageType cassandra (the default): its schedules are in the cluster it repairs.
    assert by_name["r"].lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert by_name["kv"].gravity > by_name["db"].gravity


def test_a_redis_sentinel_watches_the_replication_it_names_and_holds_nothing(
    audit_files: Auditor,
) -> None:
    api = "redis.redis.opstreelabs.in/v1beta2"
    claim = "storage: {volumeClaimTemplate: {spec: {resources: {requests: {storage: 1Gi}}}}}"
    report = audit_files(**{
        "r.yaml": _cr(api, "RedisReplication", f"spec: {{clusterSize: 3, {claim}}}", "repl"),
        "s.yaml": _cr(api, "RedisSentinel",
                      "spec: {clusterSize: 3, redisSentinelConfig: {redisReplicationName: repl}}",
                      "watch"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["watch"].depends_on == (by_name["repl"].id,)
    assert by_name["watch"].lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert by_name["repl"].gravity > by_name["watch"].gravity


def test_an_operator_storage_holding_a_copy_is_a_warm_up(audit_files: Auditor) -> None:
    """TiFlash's columnar replicas are learners of TiKV's regions: its claims hold a copy that
    is replicated again, so replacing it starts cold and loses nothing; TiKV's are the data."""
    volume = "template: {spec: {volumes: [{name: data, storage: 100Gi}]}}"
    report = audit_files(**{
        "kv.yaml": TIDB % ("TiKVGroup", "kv", "{cluster: {name: c}, replicas: 3, " + volume + "}"),
        "flash.yaml": TIDB % ("TiFlashGroup", "flash", "{cluster: {name: c}, " + volume + "}"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["flash"].lifecycle is Lifecycle.EPHEMERAL_WITH_WARM_UP
    assert str(by_name["flash"].loss) == "rebuildable"
    assert by_name["kv"].lifecycle is Lifecycle.PERSISTENT
    (claims,) = [f for f in report.findings_for(by_name["flash"].id) if f.rule == "OPERATOR_CLAIMS"]
    assert "a copy" in claims.message
    assert by_name["kv"].gravity > by_name["flash"].gravity


def test_an_exporter_and_a_proxy_depend_on_the_resource_they_name_and_hold_nothing_of_their_own(
    audit_files: Auditor,
) -> None:
    """A SolrPrometheusExporter scrapes the SolrCloud of solrReference.cloud; a MaxScale routes
    to the MariaDB of mariaDbRef and keeps only a configuration the operator writes again."""
    report = audit_files(**{
        "solr.yaml": _cr("solr.apache.org/v1beta1", "SolrCloud", "spec: {replicas: 3, "
                         "dataStorage: {persistent: {reclaimPolicy: Delete}}}", "search"),
        "exp.yaml": _cr("solr.apache.org/v1beta1", "SolrPrometheusExporter",
                        "spec: {solrReference: {cloud: {name: search}}}", "metrics"),
        "db.yaml": _cr("k8s.mariadb.com/v1alpha1", "MariaDB", "spec: {storage: {size: 1Gi}}", "db"),
        "mxs.yaml": _cr("k8s.mariadb.com/v1alpha1", "MaxScale",
                        "spec: {replicas: 2, mariaDbRef: {name: db}}", "proxy"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["metrics"].depends_on == (by_name["search"].id,)
    assert by_name["proxy"].depends_on == (by_name["db"].id,)
    assert "5Gi" in " ".join(f.message for f in report.findings_for(by_name["search"].id))
    assert (by_name["metrics"].lifecycle, by_name["metrics"].gravity) == (
        Lifecycle.EPHEMERAL_SAFE,
        0,
    )
    assert str(by_name["proxy"].loss) == "rebuildable"
    assert by_name["db"].gravity > by_name["proxy"].gravity
    assert by_name["search"].gravity > by_name["metrics"].gravity


def test_a_jaeger_keeping_its_spans_in_elasticsearch_holds_nothing_and_depends_on_it(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "es.yaml": _cr("elasticsearch.k8s.elastic.co/v1", "Elasticsearch",
                       "spec: {nodeSets: [{name: d, count: 3}]}", "traces"),
        "jaeger.yaml": _cr("jaegertracing.io/v1", "Jaeger",
                           "spec: {strategy: production, storage: {type: elasticsearch, options: "
                           "{es: {server-urls: 'https://traces-es-http:9200'}}}}", "tracing"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["tracing"].depends_on == (by_name["traces"].id,)
    assert (by_name["tracing"].lifecycle, by_name["tracing"].gravity) == (
        Lifecycle.EPHEMERAL_SAFE,
        0,
    )


def test_a_client_reaches_the_resource_whose_connection_secret_it_reads(
    audit_files: Auditor,
) -> None:
    """PGO writes ``<cluster>-pguser-<user>`` (a user named after the cluster by default),
    CloudNativePG ``<cluster>-app``, RabbitMQ ``<name>-default-user``; a client taking its
    environment from one depends on that resource, here or, for a manifest naming no
    namespace, in the namespace chosen when it is applied. An unrelated Secret says nothing."""
    pgo = "apiVersion: postgres-operator.crunchydata.com/v1beta1\nkind: PostgresCluster\n"
    app = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: ns}
spec:
  template:
    spec:
      containers:
        - name: app
          image: example/app:1
          env:
            - {name: DB_HOST, valueFrom: {secretKeyRef: {name: kc-pguser-kc, key: host}}}
            - {name: OTHER, valueFrom: {secretKeyRef: {name: unrelated, key: x}}}
          envFrom: [{secretRef: {name: pg-app}}, {secretRef: {name: mq-default-user}}]
"""
    report = audit_files(**{
        "app.yaml": app,
        "kc.yaml": pgo + "metadata: {name: kc}\nspec: {instances: [{replicas: 1}]}\n",
        "pg.yaml": _cr("postgresql.cnpg.io/v1", "Cluster", "spec: {storage: {size: 1Gi}}", "pg"),
        "mq.yaml": _cr("rabbitmq.com/v1beta1", "RabbitmqCluster", "spec: {}", "mq"),
        "far.yaml": pgo + "metadata: {name: far, namespace: elsewhere}\n"
                    "spec: {users: [{name: far}], instances: [{replicas: 1}]}\n",
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    wanted = {by_name[n].id for n in ("kc", "pg", "mq")}
    assert set(by_name["app"].depends_on) == wanted


def test_a_dragonfly_snapshotting_to_a_claim_that_exists_keeps_its_data(
    audit_files: Auditor,
) -> None:
    # dragonfly-operator's own sample (config/samples/v1alpha1_dragonfly_existing_pvc.yaml)
    spec = (
        "spec: {replicas: 2, snapshot: {existingPersistentVolumeClaimName: snaps, "
        "cron: '0 */6 * * *'}}"
    )
    report = audit_files(**{"d.yaml": _cr("dragonflydb.io/v1alpha1", "Dragonfly", spec)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert "OPERATOR_EPHEMERAL" not in rules_of(report, "x")
    (claims,) = [f for f in report.findings if f.rule == "OPERATOR_CLAIMS"]
    # one claim that exists, of a size and modes this estate does not say
    assert claims.message.endswith("snapshots on the existing claim snaps"), claims.message


SEARCH_POOLS = [
    # A dedicated cluster-manager pool on an emptyDir beside data pools on claims.
    ("opensearch.opster.io/v1", "OpenSearchCluster",
     "spec: {nodePools: [{component: m, replicas: 3, roles: [cluster_manager], persistence: "
     "{emptyDir: {}}}, {component: d, replicas: 3, diskSize: 30Gi, roles: [data, ingest]}]}"),
    ("elasticsearch.k8s.elastic.co/v1", "Elasticsearch",
     "spec: {nodeSets: [{name: m, count: 3, config: {node.roles: [master]}, podTemplate: {spec: "
     "{volumes: [{name: elasticsearch-data, emptyDir: {}}]}}}, {name: d, count: 3, config: "
     "{node: {roles: [data_hot, ingest]}}}]}"),
]  # fmt: skip


@pytest.mark.parametrize(("api", "kind", "spec"), SEARCH_POOLS)
def test_a_search_node_pool_that_holds_no_shards_loses_no_data_on_an_emptydir(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert "OPERATOR_EPHEMERAL" not in rules_of(report, "x")
    assert "OPERATOR_CLAIMS" in rules_of(report, "x")
    assert str(component.loss) != "data"


@pytest.mark.parametrize(
    ("roles", "lost"), [("[data]", True), ("[search]", True), ("[ingest]", False)]
)
def test_a_search_node_pool_with_a_data_role_on_an_emptydir_loses_its_shards(
    audit_files: Auditor, roles: str, lost: bool
) -> None:
    spec = (
        f"spec: {{nodePools: [{{component: a, replicas: 3, roles: {roles}, persistence: "
        "{emptyDir: {}}}, {component: b, replicas: 3, diskSize: 5Gi, roles: [data]}]}"
    )
    report = audit_files(**{"cr.yaml": _cr("opensearch.opster.io/v1", "OpenSearchCluster", spec)})
    (component,) = report.components
    assert ("OPERATOR_EPHEMERAL" in rules_of(report, "x")) is lost
    assert (str(component.loss) == "data") is lost


SPINNAKER = "spinnaker.io/v1alpha2"
S3 = "persistentStorage: {persistentStoreType: s3, s3: {bucket: b}}"


def test_spinnakers_own_redis_without_a_volume_loses_the_pipeline_executions(
    audit_files: Auditor,
) -> None:
    spec = f"spec: {{spinnakerConfig: {{config: {{version: 1.28.1, {S3}}}}}}}"
    report = audit_files(**{"cr.yaml": _cr(SPINNAKER, "SpinnakerService", spec, "spinnaker")})
    (component,) = report.components
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "spinnaker")
    assert str(component.loss) == "data"


@pytest.mark.parametrize(
    "settings",
    [
        "service-settings: {redis: {overrideBaseUrl: 'redis://cache.example.com:6379', "
        "skipLifeCycleManagement: true}}",
        "profiles: {orca: {sql: {enabled: true}}}",
        "service-settings: {redis: {kubernetes: {volumes: [{id: data, type: persistentVolumeClaim}]}}}",
    ],
)
def test_spinnaker_with_an_external_redis_or_orca_on_sql_loses_no_executions(
    audit_files: Auditor, settings: str
) -> None:
    spec = f"spec: {{spinnakerConfig: {{config: {{{S3}}}, {settings}}}}}"
    report = audit_files(**{"cr.yaml": _cr(SPINNAKER, "SpinnakerService", spec, "spinnaker")})
    assert "OPERATOR_EPHEMERAL" not in rules_of(report, "spinnaker")
    assert all(str(c.loss) != "data" for c in report.components)


def test_clients_reach_spinnaker_through_the_services_halyard_names(audit_files: Auditor) -> None:
    client = APP.replace("orders-rw", "spin-gate")
    spec = f"spec: {{spinnakerConfig: {{config: {{{S3}}}}}}}"
    report = audit_files(**{
        "app.yaml": client,
        "cr.yaml": _cr(SPINNAKER, "SpinnakerService", spec, "spinnaker"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["spinnaker"].id in by_name["shop"].depends_on


def test_a_client_of_pgo_s_older_default_user_secret_reaches_its_cluster(
    audit_files: Auditor,
) -> None:
    """Before ``spec.users``, PGO's default user Secret was ``<cluster>-pguser``; a cluster
    listing its users writes only ``<cluster>-pguser-<user>``. The cluster's manifest names no
    namespace: it is applied in the client's (PGO's Keycloak example, a Deployment serving
    on a port, called as the cluster is)."""
    pgo = "apiVersion: postgres-operator.crunchydata.com/v1beta1\nkind: PostgresCluster\n"
    client = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: kc, namespace: postgres-operator}
spec:
  template:
    spec:
      containers:
        - name: c
          image: example/app:1
          env: [{name: DB_ADDR, valueFrom: {secretKeyRef: {name: kc-pguser, key: host}}}]
          ports: [{containerPort: 8080}]
"""
    spec = "spec: {instances: [{replicas: 1}]}"
    for users, reached in (("", True), (", users: [{name: app}]", False)):
        cluster = pgo + "metadata: {name: kc}\n" + spec.replace("]}", "]" + users + "}", 1)
        report = audit_files(**{"kc.yaml": cluster, "a.yaml": client})
        (app,) = [c for c in report.components if c.kind == "Deployment"]
        (pg,) = [c for c in report.components if c.kind == "PostgresCluster"]
        assert (pg.id in app.depends_on) is reached
