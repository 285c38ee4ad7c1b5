"""Custom resources of no known family read by what their kind, API group and storage mode say:
a kind naming a data system run as a whole holds data where its operator puts it (unknown
unless the family says), a storage mode field picks an emptyDir over the claim templates beside
it, and a kind named for a role that holds nothing (a name server, a proxy, a console) holds
nothing whatever its fields. Hand-made resources of made-up groups: without these readings
each is either no component at all or rated as holding data on claims."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle
from stateward.analysis.audit.data_systems import holds_nothing, named_data_system

from .conftest import Auditor, deployment, rules_of
from .conftest import custom_resource as _cr

API = "things.example.com/v1"

NAMES_A_DATA_SYSTEM = [
    (API, "EtcdCluster", "spec: {version: v3.5.21, size: 3}", "etcd"),
    (API, "MySQLServer", "spec: {version: '8.4'}", "mysql"),
    (API, "MongoDB", "spec: {members: 3}", "mongo"),
    (API, "PostgreSQLCluster", "spec: {instances: 2}", "postgres"),
    (API, "Cassandra", "spec: {nodes: 3}", "cassandra"),
    (API, "ZookeeperEnsemble", "spec: {replicas: 3}", "zookeeper"),
    (API, "PulsarCluster", "spec: {brokers: 2}", "pulsar"),
    (API, "NatsCluster", "spec: {size: 3, jetstream: {enabled: true}}", "nats"),
    ("zookeeper.example.io/v1", "Cluster", "spec: {replicas: 3}", "zookeeper"),
    ("yugabyte.example.io/v1", "YBCluster", "spec: {replicationFactor: 3}", "yugabyte"),
    (API, "ArangoDeployment", "spec: {mode: Cluster}", "arango"),
]


@pytest.mark.parametrize(("api", "kind", "spec", "family"), NAMES_A_DATA_SYSTEM)
def test_a_kind_naming_a_data_system_holds_data_where_its_operator_puts_it(
    audit_files: Auditor, api: str, kind: str, spec: str, family: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert (component.kind, component.lifecycle) == (kind, Lifecycle.PERSISTENT)
    (finding,) = [f for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE"]
    assert family in finding.message.lower()
    assert "default storage is unknown" in finding.message
    assert component.gravity > 0


ACTS_ON_OR_HOLDS_NO_DATA_SYSTEM = [
    ("EtcdBackup", "spec: {etcdEndpoints: [x], storageType: S3}"),
    ("KafkaTopic", "spec: {partitions: 3, replicas: 3}"),
    ("RedisSentinel", "spec: {quorum: 2}"),
    ("Memcached", "spec: {size: 3}"),  # a memory cache: a replacement costs a warm-up
    ("Hazelcast", "spec: {clusterSize: 3}"),  # an in-memory data grid
    ("NatsCluster", "spec: {size: 3}"),  # core NATS stores no message
    ("EtcdCluster", "spec: {}"),  # an empty spec runs nothing
    ("PostgresDatabase", "spec: {clusterRef: {name: main}}"),  # a database inside a cluster
]


@pytest.mark.parametrize(("kind", "spec"), ACTS_ON_OR_HOLDS_NO_DATA_SYSTEM)
def test_a_kind_acting_on_a_data_system_holds_no_data(
    audit_files: Auditor, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(API, kind, spec)})
    assert all(str(c.loss) == "none" for c in report.components)
    assert not rules_of(report) & {"CUSTOM_RESOURCE_STORAGE", "OPERATOR_EPHEMERAL"}


def test_a_whole_system_kind_of_a_group_naming_a_cluster_it_lives_in_is_no_data_system() -> None:
    assert named_data_system("zookeeper.example.io", "Cluster") == ("zookeeper", "coordination")
    assert named_data_system("apps.example.io", "Cluster") is None
    assert named_data_system(API, "RedisEnterpriseProxy") is None
    assert named_data_system(API, "CockroachDB") == ("cockroachdb", "database")
    assert named_data_system("yugabyte.example.io", "YBBackup") is None


BROKER = """spec:
  size: 1
  storageMode: {mode}
  hostPath: /data/broker
  volumeClaimTemplates:
    - metadata: {{name: broker-storage}}
      spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 8Gi}}}}}}
"""


def test_a_storage_mode_picking_an_emptydir_leaves_the_claim_templates_unused(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"b.yaml": _cr(API, "Broker", BROKER.format(mode="EmptyDir"))})
    (component,) = report.components
    assert str(component.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "x")
    assert "CUSTOM_RESOURCE_STORAGE" not in rules_of(report, "x")  # its claims are unused
    (finding,) = [f for f in report.findings if f.rule == "OPERATOR_EPHEMERAL"]
    assert "storageMode EmptyDir" in finding.message and finding.path == "/spec/storageMode"


@pytest.mark.parametrize("mode", ["HostPath", "StorageClass"])
def test_a_storage_mode_picking_a_host_directory_or_claims_is_durable(
    audit_files: Auditor, mode: str
) -> None:
    report = audit_files(**{"b.yaml": _cr(API, "Broker", BROKER.format(mode=mode))})
    (component,) = report.components
    assert "OPERATOR_EPHEMERAL" not in rules_of(report, "x")
    assert "CUSTOM_RESOURCE_STORAGE" in rules_of(report, "x")
    assert str(component.loss) != "data"


def test_persistence_disabled_on_a_named_data_system_is_data_on_an_emptydir(
    audit_files: Auditor,
) -> None:
    spec = "spec: {replicas: 3, persistence: {enabled: false, size: 8Gi}}"
    report = audit_files(**{"e.yaml": _cr(API, "EtcdCluster", spec)})
    (component,) = report.components
    assert str(component.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "x")
    assert "CUSTOM_RESOURCE_STORAGE" not in rules_of(report, "x")


@pytest.mark.parametrize(
    "kind",
    ["NameService", "PulsarProxy", "KafkaConsole", "ProxyGroup", "Coordinator", "KafkaConnect"],
)
def test_a_kind_whose_role_holds_nothing_has_no_data_whatever_its_storage_fields(
    audit_files: Auditor, kind: str
) -> None:
    spec = BROKER.format(mode="StorageClass").replace("size: 1", "nameServiceImage: ns:1")
    report = audit_files(**{"n.yaml": _cr(API, kind, spec)})
    (component,) = report.components  # its pods are still a service its peers reach
    assert component.kind == kind and str(component.loss) == "none"
    assert component.lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert not rules_of(report, "x") & {"CUSTOM_RESOURCE_STORAGE", "OPERATOR_EPHEMERAL"}


def test_role_words_are_whole_words() -> None:
    assert holds_nothing("NameServer") == "nameserver"
    assert holds_nothing("Build") == holds_nothing("Guild") == ""
    assert holds_nothing("ProxySQLCluster") == ""
    assert holds_nothing("KafkaConnect") == holds_nothing("Connect") == "connect"
    assert holds_nothing("KafkaConnector") == ""


@pytest.mark.parametrize(
    "spec", ["spec: {nameserver: {}}", "spec: {proxy: {replicas: 2, image: {repo: r, tag: '1'}}}"]
)
def test_a_spec_configuring_a_member_that_holds_nothing_is_a_component_holding_nothing(
    audit_files: Auditor, spec: str
) -> None:
    # Tailscale's DNSConfig: its operator runs the nameserver the spec configures.
    report = audit_files(**{"d.yaml": _cr(API, "DNSConfig", spec, "dns")})
    (component,) = report.components
    assert component.kind == "DNSConfig" and str(component.loss) == "none"
    assert component.gravity == 0


def test_a_mapping_named_for_a_role_with_settings_of_its_own_runs_no_member(
    audit_files: Auditor,
) -> None:
    # settings of how something is proxied (a route's), not a proxy the operator runs
    report = audit_files(**{"r.yaml": _cr(API, "RouteSettings", "spec: {proxy: {path: /}}")})
    assert report.components == ()


def test_a_managed_kafka_connect_depends_on_the_kafka_it_targets_and_weighs_less(
    audit_files: Auditor,
) -> None:
    # Instaclustr's shape: the target cluster in lists of one, its nodes in Instaclustr's cloud.
    target = "targetCluster: [{managedCluster: [{clusterRef: {name: kafka, clusterKind: Kafka}}]}]"
    nodes = "dataCentres: [{nodesNumber: 3, nodeSize: KCN-DEV-t4g.medium-30}]"
    report = audit_files(**{
        "kafka.yaml": _cr(API, "Kafka", "spec: {replicationFactor: 3, " + nodes + "}", "kafka"),
        "connect.yaml": _cr(API, "KafkaConnect", "spec: {" + target + ", " + nodes + "}", "kc"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    connect, kafka = by_name["kc"], by_name["kafka"]
    assert connect.depends_on == (kafka.id,)
    assert str(connect.loss) == "none" and connect.lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert kafka.gravity > connect.gravity


ETCD_IO = "operator.etcd.io/v1alpha1"
ETCD_COREOS = "etcd.database.coreos.com/v1beta2"


@pytest.mark.parametrize(
    ("api", "spec"),
    [
        (ETCD_IO, "spec: {version: v3.5.21, size: 3}"),
        (ETCD_COREOS, "spec: {version: 3.2.13, size: 3}"),
    ],
)
def test_an_etcd_cluster_without_storage_keeps_its_keys_in_its_pods(
    audit_files: Auditor, api: str, spec: str
) -> None:
    report = audit_files(**{"e.yaml": _cr(api, "EtcdCluster", spec)})
    (component,) = report.components
    assert str(component.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "x")


@pytest.mark.parametrize(
    ("api", "spec", "size"),
    [
        (ETCD_IO, "spec: {size: 3, storageSpec: {volumeSizeRequest: 2Gi}}", "2Gi"),
        (ETCD_COREOS, "spec: {size: 3, pod: {persistentVolumeClaimSpec: {accessModes: "
         "[ReadWriteOnce], resources: {requests: {storage: 5Gi}}}}}", "5Gi"),
    ],
)  # fmt: skip
def test_an_etcd_cluster_with_storage_keeps_its_keys_on_claims(
    audit_files: Auditor, api: str, spec: str, size: str
) -> None:
    report = audit_files(**{"e.yaml": _cr(api, "EtcdCluster", spec)})
    (component,) = report.components
    assert str(component.loss) != "data"
    (finding,) = [f for f in report.findings if f.rule == "OPERATOR_CLAIMS"]
    assert size in finding.message


def test_an_etcd_cluster_is_reached_through_the_service_its_operator_creates(
    audit_files: Auditor,
) -> None:
    client = deployment("api").replace(
        "image: 'busybox:1'", "image: 'busybox:1'\n          env: [{name: ETCD_ENDPOINTS, "
        "value: 'http://main-client:2379'}]",
    )  # fmt: skip
    report = audit_files(**{
        "e.yaml": _cr(ETCD_COREOS, "EtcdCluster", "spec: {size: 3}", "main"), "a.yaml": client,
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["api"].depends_on == (by_name["main"].id,)


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {size: 3, storage: {emptyDir: {medium: Memory}}}",
        "spec: {size: 3, persistent: false}",
        "spec: {size: 3, deploymentPlan: {persistenceEnabled: false}}",
        "spec: {size: 3, dataStorage: {ephemeral: true}}",
        "spec: {size: 3, storage: {type: ephemeral, size: 10Gi}}",
    ],
)
def test_a_named_data_system_switched_to_storage_that_dies_with_its_pods_loses_data(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"e.yaml": _cr(API, "CassandraCluster", spec)})
    (component,) = report.components
    assert str(component.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "x")


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ("spec: {size: 3, persistence: {storageClass: fast}}", "storageClass fast"),
        ("spec: {size: 3, pvc: {accessModes: [ReadWriteOnce]}}", "pvc"),
        # A job's scratch volume beside the claims is no place the records are kept.
        ("spec: {size: 3, restore: {workVolume: {emptyDir: {}}}, volumeClaimTemplates: [{spec: "
         "{resources: {requests: {storage: 1Gi}}}}]}", "1Gi"),
    ],
)  # fmt: skip
def test_claims_of_a_named_data_system_are_durable(
    audit_files: Auditor, spec: str, said: str
) -> None:
    report = audit_files(**{"e.yaml": _cr(API, "CassandraCluster", spec)})
    (component,) = report.components
    assert str(component.loss) != "data"
    assert "OPERATOR_EPHEMERAL" not in rules_of(report, "x")
    (finding,) = [f for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE"]
    assert said in finding.message


@pytest.mark.parametrize(
    ("api", "kind", "said"),
    [(API, "EtcdCluster", "named by its kind"),
     ("yugabyte.example.io/v1", "YBCluster", "named by its API group")],
)  # fmt: skip
def test_the_finding_says_what_named_the_data_system(
    audit_files: Auditor, api: str, kind: str, said: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, "spec: {replicas: 3}")})
    (finding,) = [f for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE"]
    assert said in finding.message


_TEMPLATE_SPEC = "spec: {broker: {resources: {memory: 512Mi, storage: 5Gi}}}"


@pytest.mark.parametrize(
    "kind",
    ["BrokeredInfraConfig", "BrokerConfiguration", "QueueTemplate", "StorePlan", "SizeProfile"],
)
def test_a_kind_named_for_settings_asks_for_storage_on_behalf_of_what_is_made_from_it(
    audit_files: Auditor, kind: str
) -> None:
    report = audit_files(**{"t.yaml": _cr(API, kind, _TEMPLATE_SPEC)})
    assert "CUSTOM_RESOURCE_STORAGE" not in rules_of(report)
    assert all(str(c.loss) == "none" for c in report.components)


@pytest.mark.parametrize("kind", ["BrokerCluster", "Config", "Templated"])
def test_another_kind_asking_for_storage_still_holds_data(audit_files: Auditor, kind: str) -> None:
    # "Config" alone names nothing made from it; "Templated" is no settings word
    report = audit_files(**{"t.yaml": _cr(API, kind, _TEMPLATE_SPEC)})
    assert "CUSTOM_RESOURCE_STORAGE" in rules_of(report)


@pytest.mark.parametrize(("kind", "persistent"), [
    ("Glitchtip", True),  # GlitchTip keeps uploaded source maps and debug files at /code/uploads
    ("Glitchtipper", False),  # a kind named for no catalogued application
])  # fmt: skip
def test_a_resource_named_for_glitchtip_holds_its_uploads(
    audit_files: Auditor, kind: str, persistent: bool
) -> None:
    spec = "spec: {host: errors.example.org, registrationEnabled: false}"
    report = audit_files(**{"cr.yaml": _cr("apps.example.eu/v1alpha1", kind, spec)})
    assert ("CUSTOM_RESOURCE_STORAGE" in rules_of(report)) is persistent
    if persistent:
        (finding,) = [f for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE"]
        assert "glitchtip application named by its kind" in finding.message


@pytest.mark.parametrize(("image", "persistent"), [
    ("ghcr.io/mastodon/mastodon:v4.2.12", True),  # media under /mastodon/public/system
    ("ghcr.io/mastodon/mastodon-streaming:v4.3.17", False),  # the streaming server keeps none
])  # fmt: skip
def test_a_resource_running_mastodon_holds_its_media(
    audit_files: Auditor, image: str, persistent: bool
) -> None:
    spec = f"spec: {{serverName: social.example.org, image: '{image}'}}"
    report = audit_files(**{"cr.yaml": _cr("apps.example.net/v1", "Instance", spec)})
    assert ("CUSTOM_RESOURCE_STORAGE" in rules_of(report)) is persistent
