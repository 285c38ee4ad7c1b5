"""The further operator families (:mod:`stateward.analysis.audit.operator_catalog`): what each
operator does when its resource asks for no storage, and what it names. Small hand-made
resources; without the families, the defaults are invisible (no storage field to read) and the
references are not edges."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle
from stateward.analysis.audit.operators import FAMILIES

from .conftest import Auditor, rules_of
from .conftest import custom_resource as _cr

VM = "operator.victoriametrics.com/v1beta1"
THANOS = "monitoring.thanos.io/v1alpha1"
AIRFLOW = "airflow.k8s.io/v1alpha1"
# The operator's default when nothing asks for storage: an emptyDir, a tmpfs, memory.
EPHEMERAL = [
    (VM, "VMSingle", "spec: {retentionPeriod: '1'}"),
    (VM, "VMCluster", "spec: {vmstorage: {replicaCount: 2}, vmselect: {replicaCount: 2}}"),
    (VM, "VMCluster", "spec: {vmstorage: {replicaCount: 2, storage: {emptyDir: {}}}}"),
    (VM, "VMAlertmanager", "spec: {replicaCount: 2}"),
    ("tempo.grafana.com/v1alpha1", "TempoMonolithic", "spec: {}"),
    ("tempo.grafana.com/v1alpha1", "TempoMonolithic", "spec: {storage: {traces: {backend: memory}}}"),
    ("jaegertracing.io/v1", "Jaeger", "spec: {strategy: allInOne}"),
    ("jaegertracing.io/v1", "Jaeger", "spec: {storage: {type: badger}}"),
    ("zookeeper.pravega.io/v1beta1", "ZookeeperCluster", "spec: {replicas: 3, storageType: ephemeral}"),
    ("kubedb.com/v1", "Postgres", "spec: {replicas: 3, storageType: Ephemeral}"),
    ("apps.emqx.io/v2beta1", "EMQX", "spec: {coreTemplate: {spec: {replicas: 3}}}"),
    (AIRFLOW, "AirflowBase", "spec: {postgres: {operator: false}, storage: {version: ''}}"),
    (AIRFLOW, "AirflowBase", "spec: {mysql: {operator: false}}"),
    # 3scale's SaaS RedisShard: /data on an emptyDir whatever the spec
    ("saas.3scale.net/v1alpha1", "RedisShard", "spec: {slaveCount: 1}"),
]  # fmt: skip
# A claim, asked for or the operator's own default.
DURABLE = [
    (VM, "VMSingle", "spec: {storage: {resources: {requests: {storage: 30Gi}}}}", "30Gi"),
    (VM, "VMCluster", "spec: {vmstorage: {replicaCount: 2, storage: {volumeClaimTemplate: "
     "{spec: {resources: {requests: {storage: 10Gi}}}}}}}", "10Gi"),
    (VM, "VMAlertmanager", "spec: {storage: {volumeClaimTemplate: {spec: {resources: "
     "{requests: {storage: 1Gi}}}}}}", "1Gi"),
    ("tempo.grafana.com/v1alpha1", "TempoMonolithic", "spec: {storage: {traces: {backend: pv}}}",
     "10Gi"),
    ("jaegertracing.io/v1", "Jaeger", "spec: {storage: {type: badger, options: {badger: "
     "{ephemeral: false}}}, volumes: [{name: d, persistentVolumeClaim: {claimName: j}}]}", ""),
    ("zookeeper.pravega.io/v1beta1", "ZookeeperCluster", "spec: {replicas: 3}", "20Gi"),
    ("kubedb.com/v1", "Postgres", "spec: {replicas: 3, storage: {resources: {requests: "
     "{storage: 5Gi}}}}", "5Gi"),
    ("kubedb.com/v1", "MongoDB", "spec: {shardTopology: {shard: {shards: 2, storage: {resources: "
     "{requests: {storage: 7Gi}}}}}}", "7Gi"),
    ("kubedb.com/v1", "Redis", "spec: {replicas: 3}", "?"),
    ("apps.emqx.io/v2beta1", "EMQX", "spec: {coreTemplate: {spec: {replicas: 3, volumeClaimTemplates: "
     "{resources: {requests: {storage: 2Gi}}}}}}", "2Gi"),
    ("crdb.cockroachlabs.com/v1alpha1", "CrdbCluster", "spec: {nodes: 3, dataStore: {pvc: {spec: "
     "{resources: {requests: {storage: 60Gi}}}}}}", "60Gi"),
    ("pgv2.percona.com/v2", "PerconaPGCluster", "spec: {instances: [{replicas: 3, "
     "dataVolumeClaimSpec: {resources: {requests: {storage: 4Gi}}}}]}", "4Gi"),
    (THANOS, "ThanosReceive", "spec: {ingesterSpec: {hashrings: [{name: a, replicas: 1, "
     "storage: {size: 100Mi}}, {name: b, replicas: 3, storage: {size: 100Mi}}]}}", "100Mi"),
    (THANOS, "ThanosRuler", "spec: {replicas: 1, storage: {size: 1Gi}}", "1Gi"),
    (AIRFLOW, "AirflowBase", "spec: {postgres: {volumeClaimTemplate: {spec: {resources: "
     "{requests: {storage: 3Gi}}}}}}", "3Gi"),
    ("postgresql.dev4devs.com/v1alpha1", "Database", "spec: {databaseName: example}", "1Gi"),
    ("postgresql.dev4devs.com/v1alpha1", "Database", "spec: {databaseStorageRequest: 4Gi}", "4Gi"),
    ("ipfs.kotal.io/v1alpha1", "Peer", "spec: {api: true}", "10Gi"),
    ("ipfs.kotal.io/v1alpha1", "ClusterPeer", "spec: {resources: {storage: 25Gi}}", "25Gi"),
    ("ethereum2.kotal.io/v1alpha1", "Validator", "spec: {client: lighthouse}", "200Gi"),
    # no storage field at all: the controller's claim template
    ("mc.k8s.lex.la/v1beta1", "PaperMCServer", "spec: {updateStrategy: latest}", "10Gi"),
]  # fmt: skip


@pytest.mark.parametrize(("api", "kind", "spec"), EPHEMERAL)
def test_an_operator_default_of_an_emptydir_or_memory_is_data_lost(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert component.kind == kind
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "x")
    assert "CUSTOM_RESOURCE_STORAGE" not in rules_of(report, "x")
    assert str(component.loss) == "data"


@pytest.mark.parametrize(("api", "kind", "spec", "size"), DURABLE)
def test_an_operator_claim_asked_for_or_by_default_is_durable(
    audit_files: Auditor, api: str, kind: str, spec: str, size: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert "OPERATOR_EPHEMERAL" not in rules_of(report, "x")
    (claims,) = {f.message for f in report.findings if f.rule == "OPERATOR_CLAIMS"}
    # "": a claim that exists, whose size and modes the estate does not give
    assert f" {size} " in claims if size else "per replica" not in claims
    assert str(component.loss) != "data"


@pytest.mark.parametrize(
    ("api", "kind", "spec"),
    [
        ("tempo.grafana.com/v1alpha1", "TempoMonolithic", "spec: {storage: {traces: {backend: s3}}}"),
        ("jaegertracing.io/v1", "Jaeger", "spec: {strategy: production, storage: {type: elasticsearch}}"),
        ("kafka.strimzi.io/v1beta2", "KafkaConnect", "spec: {replicas: 2}"),
        ("flink.apache.org/v1beta1", "FlinkDeployment", "spec: {jobManager: {replicas: 1}}"),
        ("k8s.keycloak.org/v2alpha1", "Keycloak", "spec: {instances: 2}"),
        (THANOS, "ThanosQuery", "spec: {replicas: 1, queryFrontend: {replicas: 2}}"),
        (AIRFLOW, "AirflowBase", "spec: {sqlproxy: {project: p, region: r, instance: i}}"),
        (AIRFLOW, "AirflowCluster", "spec: {executor: Celery, airflowbase: {name: base}}"),
        ("postgresql.dev4devs.com/v1alpha1", "Backup", "spec: {schedule: '0 0 * * *'}"),
    ],
)  # fmt: skip
def test_a_resource_whose_store_is_elsewhere_keeps_nothing_of_its_own(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert component.kind == kind
    assert str(component.loss) == "none"
    assert not {"OPERATOR_EPHEMERAL", "OPERATOR_CLAIMS"} & rules_of(report, "x")


def test_every_new_family_cites_a_pinned_source_or_the_operator_documentation() -> None:
    groups = {"operator.victoriametrics.com", "tempo.grafana.com", "jaegertracing.io",
              "zookeeper.pravega.io", "kubedb.com", "apps.emqx.io", "crdb.cockroachlabs.com",
              "pgv2.percona.com", "flink.apache.org", "k8s.keycloak.org",
              "monitoring.thanos.io", "airflow.k8s.io", "ironic.openstack.org",
              "designate.openstack.org", "uniffle.apache.org",
              "postgresql.dev4devs.com", "ipfs.kotal.io", "ethereum2.kotal.io",
              "mc.k8s.lex.la", "redisoperator.k8s.io"}  # fmt: skip
    new = [f for (group, _), f in FAMILIES.items() if group in groups]
    assert len(new) >= 30
    for family in new:
        assert family.source.startswith("https://")
        assert "/blob/" not in family.source or len(family.source.split("/blob/")[1][:40]) == 40


@pytest.mark.parametrize("kind", ["ThanosStore", "ThanosCompact"])
def test_a_thanos_claim_read_again_from_the_bucket_weighs_less_than_unuploaded_samples(
    audit_files: Auditor, kind: str
) -> None:
    receive = "spec: {ingesterSpec: {hashrings: [{name: a, replicas: 1, storage: {size: 1Gi}}]}}"
    report = audit_files(**{
        "copy.yaml": _cr(THANOS, kind, "spec: {storage: {size: 1Gi}}", "copy"),
        "receive.yaml": _cr(THANOS, "ThanosReceive", receive, "receive"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert str(by_name["copy"].loss) == "rebuildable"
    assert by_name["copy"].lifecycle is Lifecycle.EPHEMERAL_WITH_WARM_UP
    assert by_name["receive"].lifecycle is Lifecycle.PERSISTENT
    assert by_name["receive"].gravity > by_name["copy"].gravity


JAVA_APP = """
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
            - {name: METRICS_URL, value: "http://vmsingle-metrics:8429"}
            - {name: MQTT_HOST, value: "broker-listeners"}
"""


def test_clients_and_named_clusters_become_edges(audit_files: Auditor) -> None:
    """Kafka Connect reaches its cluster through the bootstrap Service Strimzi creates; a Flink
    session job runs in the deployment it names; Keycloak keeps its realms in the database at
    spec.db.host; Jaeger ships spans to the Elasticsearch of its options; clients reach a
    VMSingle and an EMQX through the Services their operators create."""
    kafka = "spec: {kafka: {replicas: 3, storage: {type: persistent-claim, size: 10Gi}}}"
    report = audit_files(**{
        "kafka.yaml": _cr("kafka.strimzi.io/v1beta2", "Kafka", kafka, "events"),
        "connect.yaml": _cr("kafka.strimzi.io/v1beta2", "KafkaConnect",
                            "spec: {bootstrapServers: 'events-kafka-bootstrap:9093'}", "connect"),
        "flink.yaml": _cr("flink.apache.org/v1beta1", "FlinkDeployment", "spec: {}", "session"),
        "job.yaml": _cr("flink.apache.org/v1beta1", "FlinkSessionJob",
                        "spec: {deploymentName: session}", "job"),
        "db.yaml": _cr("postgresql.cnpg.io/v1", "Cluster", "spec: {storage: {size: 1Gi}}", "kcdb"),
        "kc.yaml": _cr("k8s.keycloak.org/v2alpha1", "Keycloak",
                       "spec: {db: {vendor: postgres, host: kcdb-rw}}", "sso"),
        "es.yaml": _cr("elasticsearch.k8s.elastic.co/v1", "Elasticsearch",
                       "spec: {nodeSets: [{name: d, count: 1}]}", "traces"),
        "jaeger.yaml": _cr("jaegertracing.io/v1", "Jaeger",
                           "spec: {strategy: production, storage: {type: elasticsearch, options: "
                           "{es: {server-urls: 'https://traces-es-http:9200'}}}}", "tracing"),
        "vm.yaml": _cr(VM, "VMSingle", "spec: {storage: {resources: {requests: {storage: 1Gi}}}}",
                       "metrics"),
        "emqx.yaml": _cr("apps.emqx.io/v2beta1", "EMQX", "spec: {}", "broker"),
        "app.yaml": JAVA_APP,
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["connect"].depends_on == (by_name["events"].id,)
    assert by_name["job"].depends_on == (by_name["session"].id,)
    assert by_name["sso"].depends_on == (by_name["kcdb"].id,)
    assert by_name["tracing"].depends_on == (by_name["traces"].id,)
    assert set(by_name["app"].depends_on) == {by_name["metrics"].id, by_name["broker"].id}
    assert by_name["kcdb"].gravity > by_name["sso"].gravity


def test_an_airflow_cluster_runs_on_the_base_it_names(audit_files: Auditor) -> None:
    """The AirflowCluster's scheduler and workers read the metadata database of the AirflowBase
    in spec.airflowbase, which weighs more than the cluster that keeps nothing of its own."""
    report = audit_files(**{
        "base.yaml": _cr(AIRFLOW, "AirflowBase", "spec: {postgres: {operator: false}}", "base"),
        "cluster.yaml": _cr(AIRFLOW, "AirflowCluster", "spec: {airflowbase: {name: base}}", "af"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["af"].depends_on == (by_name["base"].id,)
    assert by_name["base"].gravity > by_name["af"].gravity


# Claims holding what is made again from elsewhere: an OpenStack service's records stay in its
# MariaDB, a shuffle server's files are recomputed by the job's engine.
REMADE = [
    ("ironic.openstack.org/v1beta1", "Ironic",
     "spec: {databaseInstance: openstack, storageClass: local, ironicConductors: "
     "[{storageRequest: 10G}]}", "10G"),
    ("designate.openstack.org/v1beta1", "Designate",
     "spec: {databaseInstance: openstack, designateBackendbind9: {replicas: 1, "
     "storageRequest: 5G, storageClass: local}}", "5G"),
    ("uniffle.apache.org/v1alpha1", "RemoteShuffleService",
     "spec: {shuffleServer: {replicas: 2, volumeClaimTemplates: [{volumeNameTemplate: v, "
     "spec: {resources: {requests: {storage: 7Gi}}}}]}}", "7Gi"),
]  # fmt: skip


@pytest.mark.parametrize(("api", "kind", "spec", "size"), REMADE)
def test_a_claim_holding_what_is_made_again_elsewhere_is_rebuildable(
    audit_files: Auditor, api: str, kind: str, spec: str, size: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert str(component.loss) == "rebuildable"
    assert "CUSTOM_RESOURCE_STORAGE" not in rules_of(report, "x")
    (claims,) = {f.message for f in report.findings if f.rule == "OPERATOR_CLAIMS"}
    assert f" {size} " in claims


@pytest.mark.parametrize(
    ("api", "kind", "spec"),
    [
        ("ironic.openstack.org/v1beta1", "Ironic", "spec: {databaseInstance: openstack}"),
        ("designate.openstack.org/v1beta1", "Designate", "spec: {designateBackendbind9: {replicas: 1}}"),
        ("uniffle.apache.org/v1alpha1", "RemoteShuffleService", "spec: {shuffleServer: {replicas: 2}}"),
    ],
)  # fmt: skip
def test_the_same_resources_asking_for_no_claim_keep_nothing(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert str(component.loss) == "none"
    assert not {"OPERATOR_CLAIMS", "OPERATOR_EPHEMERAL"} & rules_of(report, "x")


@pytest.mark.parametrize(
    ("spec", "target"), [("spec: {}", "database"), ("spec: {databaseCRName: pg}", "pg")]
)
def test_a_dev4devs_backup_dumps_the_database_it_names_or_the_default_one(
    audit_files: Auditor, spec: str, target: str
) -> None:
    api = "postgresql.dev4devs.com/v1alpha1"
    report = audit_files(**{
        "db.yaml": _cr(api, "Database", "spec: {}", target),
        "other.yaml": _cr(api, "Database", "spec: {}", "other"),
        "backup.yaml": _cr(api, "Backup", spec, "backup"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["backup"].depends_on == (by_name[target].id,)
    assert by_name[target].gravity > by_name["backup"].gravity


def test_kotal_nodes_reach_the_peers_their_multiaddresses_and_urls_name(
    audit_files: Auditor,
) -> None:
    """A ClusterPeer pins through the IPFS Peer of its ``peerEndpoint`` (a multiaddress,
    ``/dns4/host/tcp/5001``) and a Validator signs for the beacon nodes of its
    ``beaconEndpoints`` (URLs); Kotal reaches each node at a Service of the node's own name. Each
    keeps what no peer gives back (blocks, a pinset, a slashing-protection record) on its claim."""
    ipfs, eth2 = "ipfs.kotal.io/v1alpha1", "ethereum2.kotal.io/v1alpha1"
    report = audit_files(**{
        "peer.yaml": _cr(ipfs, "Peer", "spec: {api: true}", "peer"),
        "cluster.yaml": _cr(ipfs, "ClusterPeer",
                            "spec: {peerEndpoint: /dns4/peer/tcp/5001}", "cluster"),
        "beacon.yaml": _cr(eth2, "Validator", "spec: {}", "beacon"),
        "validator.yaml": _cr(eth2, "Validator",
                              "spec: {beaconEndpoints: ['http://beacon:8888']}", "validator"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["cluster"].depends_on == (by_name["peer"].id,)
    assert by_name["validator"].depends_on == (by_name["beacon"].id,)
    assert {c.lifecycle for c in report.components} == {Lifecycle.PERSISTENT}


def test_a_papermc_plugin_runs_no_pod_and_is_no_component(audit_files: Auditor) -> None:
    """The minecraft operator downloads a Plugin into the servers it selects; only the
    PaperMCServer beside it is a component, holding its world on the controller's claim."""
    report = audit_files(**{
        "server.yaml": _cr("mc.k8s.lex.la/v1beta1", "PaperMCServer", "spec: {}", "world"),
        "plugin.yaml": _cr("mc.k8s.lex.la/v1beta1", "Plugin", "spec: {source: {type: hangar}}",
                           "perms"),
    })  # fmt: skip
    assert [(c.kind, c.name) for c in report.components] == [("PaperMCServer", "world")]
    assert report.components[0].lifecycle is Lifecycle.PERSISTENT


AMADEUS_NODE = """spec:
  numberOfMaster: 3
  podTemplate:
    spec:
      volumes: [{name: data, %s}]
      containers:
        - name: redis
          image: %s
          volumeMounts: [{name: data, mountPath: /redis-data}]
"""


@pytest.mark.parametrize(
    ("image", "volume", "lost"),
    [
        ("redisoperator/redisnode:latest", "emptyDir: {}", True),
        # the node image saves nothing, so a claim under it holds no copy either
        ("redisoperator/redisnode:1.0", "persistentVolumeClaim: {claimName: d}", True),
        # an image of one's own may save to the claim the template mounts
        ("example/redis-node:7", "persistentVolumeClaim: {claimName: d}", False),
    ],
)
def test_an_amadeus_redis_cluster_keeps_its_keys_in_memory_with_the_operators_node_image(
    audit_files: Auditor, image: str, volume: str, lost: bool
) -> None:
    spec = AMADEUS_NODE % (volume, image)
    report = audit_files(**{"cr.yaml": _cr("redisoperator.k8s.io/v1alpha1", "RedisCluster", spec)})
    (component,) = report.components
    assert ("OPERATOR_EPHEMERAL" in rules_of(report, "x")) is lost
    assert (str(component.loss) == "data") is lost
