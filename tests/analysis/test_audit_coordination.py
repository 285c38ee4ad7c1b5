"""A ZooKeeper only Druid uses holds Druid's current cluster state, announced again: no data;
so does one only HDFS and HBase use, through the znodes an operator makes for them.

Synthetic estates shaped like Druid's own Compose quick start, a Kubernetes install with its
properties in a ConfigMap and an operator's ZookeeperCluster with znodes, not copies of any
held-out estate.
"""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, Effect
from stateward.analysis.audit.lifecycle import coordinated

from .conftest import Auditor
from .test_audit_rules import app, docs, service, workload

DRUID = """
services:
  zookeeper:
    image: zookeeper:3.9
  coordinator:
    image: apache/druid:31.0.0
    command: [coordinator]
    environment: [druid_zk_service_host=zookeeper, druid_metadata_storage_type=postgresql]
  broker:
    image: apache/druid:31.0.0
    command: [broker]
    environment: {druid_zk_service_host: "zookeeper:2181"}
"""
KAFKA = """
  kafka:
    image: example/kafka-broker:3
    environment: {KAFKA_ZOOKEEPER_CONNECT: "zookeeper:2181"}
"""


def _effects(report: AuditReport, name: str) -> list[Effect]:
    return [
        report.effect_of(f)
        for f in report.findings
        if f.rule in ("DATA_IMAGE_NO_VOLUME", "DATA_ON_EPHEMERAL", "STS_NO_PERSISTENCE")
        and (f.component or "").endswith("/" + name)
    ]


def test_a_zookeeper_only_druid_names_holds_no_data(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": DRUID})
    assert _effects(report, "zookeeper") == [Effect.CONTEXT]
    assert {c.name: str(c.loss) for c in report.components}["zookeeper"] == "none"


def test_a_zookeeper_another_program_also_uses_may_hold_its_records(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": DRUID + KAFKA})
    assert _effects(report, "zookeeper") == [Effect.LOSS]


def test_druid_properties_in_a_config_map_name_its_zookeeper(audit_files: Auditor) -> None:
    """``druid.zk.service.host`` naming one pod of the ZooKeeper StatefulSet by its stable name."""
    properties = "druid.zk.service.host=zk-0.zk:2181\ndruid.zk.paths.base=/druid\n"
    zookeeper = workload("StatefulSet", "zk", {
        "containers": [app("zookeeper:3.9", volumeMounts=[{"name": "d", "mountPath": "/data"}])],
        "volumes": [{"name": "d", "emptyDir": {}}],
    }, serviceName="zk")  # fmt: skip
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "druid-common"},
              "data": {"common.runtime.properties": properties}}  # fmt: skip
    report = audit_files(**{"m.yaml": docs(zookeeper, service("zk"), config)})
    assert set(_effects(report, "zk")) == {Effect.CONTEXT}
    other = properties.replace("druid.zk.service.host", "druid.zk.service.elsewhere")
    config["data"] = {"common.runtime.properties": other}
    report = audit_files(**{"m.yaml": docs(zookeeper, service("zk"), config)})
    assert Effect.LOSS in set(_effects(report, "zk"))


def test_coordination_weighs_less_than_the_database_its_clients_keep_records_in() -> None:
    """An application's nodes register in ZooKeeper and keep their entities in PostgreSQL: the
    coordination service is held below the database beside it, not only below its dependents."""
    gravity = {"zk": 73, "pg": 68, "node": 0, "cache": 50}
    roles = {"zk": "coordination", "pg": "database", "cache": "cache"}
    dependents = {"zk": ["node"], "pg": ["node"], "cache": ["node"], "node": []}
    held = coordinated(gravity, roles, dependents)
    assert held["zk"] == 67 and held["pg"] == 68 and held["cache"] == 50
    # with no database beside it, nothing to be held below
    alone = coordinated(gravity, roles, {"zk": ["node"], "pg": [], "cache": ["node"]})
    assert alone["zk"] == 73


def _zookeeper_estate(*clients: tuple[str, str, str]) -> str:
    """A ``ZookeeperCluster`` with one znode per client ``(api, kind, name)``, each client
    naming its znode's discovery ConfigMap (the Stackable operators' wiring)."""
    parts = [
        "apiVersion: zookeeper.example.tech/v1alpha1\nkind: ZookeeperCluster\n"
        "metadata: {name: zk, namespace: ns}\n"
        "spec: {servers: {roleGroups: {default: {replicas: 1}}}}\n"
    ]
    for api, kind, name in clients:
        parts.append(
            "apiVersion: zookeeper.example.tech/v1alpha1\nkind: ZookeeperZnode\n"
            f"metadata: {{name: {name}-znode, namespace: ns}}\nspec: {{clusterRef: {{name: zk}}}}\n"
        )
        parts.append(
            f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}, namespace: ns}}\n"
            f"spec: {{clusterConfig: {{zookeeperConfigMapName: {name}-znode}}, "
            "brokers: {roleGroups: {default: {replicas: 1}}}}\n"
        )
    return "---\n".join(parts)


def _lifecycle(report: AuditReport, name: str) -> str:
    return next(str(c.lifecycle) for c in report.components if c.name == name)


def test_a_zookeeper_only_hdfs_and_hbase_use_holds_what_they_announce_again(
    audit_files: Auditor,
) -> None:
    estate = _zookeeper_estate(
        ("hdfs.example.tech/v1alpha1", "HdfsCluster", "files"),
        ("hbase.example.tech/v1alpha1", "HbaseCluster", "tables"),
    )
    report = audit_files(**{"zk.yaml": estate})
    assert _lifecycle(report, "zk") == "ephemeral-with-warm-up"


def test_a_zookeeper_druid_and_hdfs_use_holds_what_they_announce_again(
    audit_files: Auditor,
) -> None:
    """Druid's ZooKeeper operations are leader elections, announcements and task handoff."""
    estate = _zookeeper_estate(
        ("hdfs.example.tech/v1alpha1", "HdfsCluster", "files"),
        ("druid.example.tech/v1alpha1", "DruidCluster", "olap"),
    )
    report = audit_files(**{"zk.yaml": estate})
    assert _lifecycle(report, "zk") == "ephemeral-with-warm-up"
    nifi = _zookeeper_estate(("nifi.example.tech/v1alpha1", "NifiCluster", "flows"))
    assert _lifecycle(audit_files(**{"zk.yaml": nifi}), "zk") == "persistent"


def test_a_zookeeper_kafka_also_uses_or_no_client_uses_keeps_records(
    audit_files: Auditor,
) -> None:
    """Kafka keeps topic configurations in ZooKeeper; a ZooKeeper no client names is read as
    it was (its data)."""
    shared = _zookeeper_estate(
        ("hdfs.example.tech/v1alpha1", "HdfsCluster", "files"),
        ("kafka.example.tech/v1alpha1", "KafkaCluster", "events"),
    )
    assert _lifecycle(audit_files(**{"zk.yaml": shared}), "zk") == "persistent"
    assert _lifecycle(audit_files(**{"zk.yaml": _zookeeper_estate()}), "zk") == "persistent"
