"""Custom resources that provision a cloud provider's data service
(:mod:`stateward.analysis.audit.cloud`): Azure Service Operator, Config Connector, ACK,
Crossplane and OCI Service Operator resources whose service keeps records are the records, on the provider's disks;
the rules, configurations and users of such a service, and the resources of other services,
hold none. Their kinds are made up where the test needs no real one."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor, rules_of


def _resource(api: str, kind: str, name: str, spec: str = "{}", annotations: str = "{}") -> str:
    return (
        f"apiVersion: {api}\nkind: {kind}\n"
        f"metadata: {{name: {name}, namespace: ns, annotations: {annotations}}}\nspec: {spec}\n"
    )


def _named(report: AuditReport, name: str) -> ComponentAudit:
    return next(c for c in report.components if c.name == name)


HOLDING = [
    ("dbforpostgresql.azure.com/v20250801", "FlexibleServer"),
    ("dbforpostgresql.azure.com/v20250801", "FlexibleServersDatabase"),
    ("documentdb.azure.com/v1api20231115", "MongodbDatabaseCollection"),
    ("storage.azure.com/v1api20230101", "StorageAccountsBlobServicesContainer"),
    ("sql.cnrm.cloud.google.com/v1beta1", "SQLInstance"),
    ("bigquery.cnrm.cloud.google.com/v1beta1", "BigQueryTable"),
    ("pubsub.cnrm.cloud.google.com/v1beta1", "PubSubSubscription"),
    ("rds.services.k8s.aws/v1alpha1", "DBCluster"),
    ("s3.services.k8s.aws/v1alpha1", "Bucket"),
    ("dynamodb.aws.upbound.io/v1beta1", "Table"),
    ("keyvault.azure.com/v1api20230701", "Vault"),
    ("objectstorage.oracle.com/v1beta1", "Bucket"),
    ("nosql.oracle.com/v1beta1", "Table"),
    ("streaming.oracle.com/v1beta1", "Stream"),
    ("queue.oracle.com/v1beta1", "Queue"),
    ("filestorage.oracle.com/v1beta1", "FileSystem"),
    ("keymanagement.oracle.com/v1beta1", "Vault"),
    ("mysql.oracle.com/v1beta1", "DbSystem"),
    ("psql.oracle.com/v1beta1", "DbSystem"),
    ("controlplane.cluster.x-k8s.io/v1beta2", "AWSManagedControlPlane"),  # EKS's etcd
    ("controlplane.cluster.x-k8s.io/v1beta2", "AliyunManagedControlPlane"),
]


@pytest.mark.parametrize(("api", "kind"), HOLDING)
def test_a_cloud_data_resource_holds_its_records_durably(
    audit_files: Auditor, api: str, kind: str
) -> None:
    report = audit_files(**{"r.yaml": _resource(api, kind, "records")})
    records = _named(report, "records")
    assert str(records.lifecycle) == "persistent"  # on the provider's disks, not in a pod
    assert rules_of(report, "records") == {"OPERATOR_CLAIMS"}  # no pods: no PDB, no volume
    message = next(f.message for f in report.findings if f.component == records.id)
    assert "deleted with this resource" in message


HOLDING_NOTHING = [
    ("dbforpostgresql.azure.com/v20250801", "FlexibleServersFirewallRule"),
    ("dbforpostgresql.azure.com/v20250801", "FlexibleServersConfiguration"),
    ("sql.cnrm.cloud.google.com/v1beta1", "SQLUser"),
    ("pubsub.cnrm.cloud.google.com/v1beta1", "PubSubTopic"),
    ("iam.cnrm.cloud.google.com/v1beta1", "IAMServiceAccount"),  # not a data service
    ("ec2.services.k8s.aws/v1alpha1", "Instance"),  # compute: its disks are a VM's
    ("cache.azure.com/v1api20230801", "Redis"),  # a cache
    ("filestorage.oracle.com/v1beta1", "MountTarget"),  # the file system's network address
    ("keymanagement.oracle.com/v1beta1", "EkmsPrivateEndpoint"),
]


@pytest.mark.parametrize(("api", "kind"), HOLDING_NOTHING)
def test_a_cloud_resource_that_keeps_no_records_is_a_component_holding_nothing(
    audit_files: Auditor, api: str, kind: str
) -> None:
    report = audit_files(**{"r.yaml": _resource(api, kind, "setting")})
    setting = _named(report, "setting")
    assert str(setting.loss) == "none"
    assert str(setting.lifecycle) == "ephemeral-safe"
    assert rules_of(report, "setting") == set()


CACHES = [
    ("redis.oracle.com/v1beta1", "RedisCluster"),  # OCI Cache
    ("redis.cnrm.cloud.google.com/v1beta1", "RedisInstance"),  # Memorystore
    ("memcache.cnrm.cloud.google.com/v1beta1", "MemcacheInstance"),
    ("elasticache.services.k8s.aws/v1alpha1", "ReplicationGroup"),
    ("elasticache.aws.upbound.io/v1beta1", "Cluster"),
    ("cache.azure.com/v1api20230801", "RedisEnterprise"),
]


@pytest.mark.parametrize(("api", "kind"), CACHES)
def test_a_managed_cache_is_a_component_ranked_below_the_database_beside_it(
    audit_files: Auditor, api: str, kind: str
) -> None:
    report = audit_files(**{
        "cache.yaml": _resource(api, kind, "sessions", "{nodeMemoryInGBs: 16}"),
        "db.yaml": _resource("sql.cnrm.cloud.google.com/v1beta1", "SQLInstance", "main"),
    })  # fmt: skip
    cache, database = _named(report, "sessions"), _named(report, "main")
    assert str(cache.loss) == "none"  # its clients fill it again
    assert rules_of(report, "sessions") == set()
    assert database.gravity > cache.gravity


def test_an_oci_cache_is_read_as_the_oci_operators(audit_files: Auditor) -> None:
    report = audit_files(**{"r.yaml": _resource("redis.oracle.com/v1beta1", "RedisCluster", "c")})
    assert [c.kind for c in report.components] == ["RedisCluster"]
    # the in-cluster Redis operator's kind of the same name keeps its data on claims
    claims = "{storage: {volumeClaimTemplate: {spec: {resources: {requests: {storage: 1Gi}}}}}}"
    api = "redis.redis.opstreelabs.in/v1beta2"
    in_cluster = audit_files(**{"r.yaml": _resource(api, "RedisCluster", "c", claims)})
    assert str(_named(in_cluster, "c").lifecycle) == "persistent"


def test_a_cloud_backup_is_a_copy_of_records_still_held(audit_files: Auditor) -> None:
    api = "dbforpostgresql.azure.com/v20250801"
    report = audit_files(**{"b.yaml": _resource(api, "FlexibleServersBackup", "nightly")})
    assert str(_named(report, "nightly").loss) == "rebuildable"


KEPT = [
    ("serviceoperator.azure.com/reconcile-policy: detach-on-delete", "{}"),
    ("cnrm.cloud.google.com/deletion-policy: abandon", "{}"),
    ("services.k8s.aws/deletion-policy: retain", "{}"),
    ("{}", "{deletionPolicy: Orphan}"),
]


@pytest.mark.parametrize(("annotation", "spec"), KEPT)
def test_a_deletion_policy_that_keeps_the_cloud_resource_is_said(
    audit_files: Auditor, annotation: str, spec: str
) -> None:
    annotations = annotation if annotation == "{}" else "{" + annotation + "}"
    api = "rds.aws.upbound.io/v1beta1" if "deletionPolicy" in spec else _API_FOR[annotation]
    report = audit_files(**{"r.yaml": _resource(api, "DBInstance", "kept", spec, annotations)})
    kept = _named(report, "kept")
    assert str(kept.lifecycle) == "persistent"
    message = next(f.message for f in report.findings if f.component == kept.id)
    assert "kept with this resource" in message


_API_FOR = {
    KEPT[0][0]: "dbformysql.azure.com/v1api20231230",
    KEPT[1][0]: "sql.cnrm.cloud.google.com/v1beta1",
    KEPT[2][0]: "rds.services.k8s.aws/v1alpha1",
}


def test_the_resources_an_azure_server_owns_depend_on_it_and_weigh_less(
    audit_files: Auditor,
) -> None:
    api = "dbforpostgresql.azure.com/v20250801"
    owned = "{owner: {name: pg}}"
    report = audit_files(**{
        "server.yaml": _resource(api, "FlexibleServer", "pg", "{storage: {storageSizeGB: 128}}"),
        "db.yaml": _resource(api, "FlexibleServersDatabase", "app", owned),
        "rule.yaml": _resource(api, "FlexibleServersFirewallRule", "office", owned),
    })  # fmt: skip
    server, db, rule = (_named(report, n) for n in ("pg", "app", "office"))
    assert db.depends_on == (server.id,)
    assert rule.depends_on == (server.id,)
    assert server.gravity > rule.gravity


def test_a_kind_of_no_cloud_provider_is_not_read_as_a_cloud_resource(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"r.yaml": _resource("forge.example.com/v1", "Bucket", "b")})
    assert "OPERATOR_CLAIMS" not in rules_of(report, "b")


@pytest.mark.parametrize(
    ("api", "kind"),
    [
        ("mysql.oracle.com/v2", "InnoDBCluster"),  # the MySQL Operator's, in the OCI group
        ("database.oracle.com/v4", "SingleInstanceDatabase"),  # the Oracle Database Operator's
        ("coherence.oracle.com/v1", "Coherence"),
    ],
)
def test_an_in_cluster_oracle_operator_kind_is_not_read_as_a_cloud_resource(
    audit_files: Auditor, api: str, kind: str
) -> None:
    spec = "{volumeClaimTemplates: [{spec: {resources: {requests: {storage: 1Gi}}}}]}"
    report = audit_files(**{"r.yaml": _resource(api, kind, "pods", spec)})
    pods = _named(report, "pods")
    message = " ".join(f.message for f in report.findings if f.component == pods.id)
    assert "provisions" not in message  # not "the … records OCI provisions"


@pytest.mark.parametrize(
    ("kind", "spec", "held"),
    [
        ("S3Bucket", "{bucketName: assets, region: us-east-1}", "persistent"),
        ("SQSQueue", "{queueName: jobs, region: us-east-1}", "persistent"),
        ("DynamoDBTable", "{tableName: orders, region: eu-west-1}", "persistent"),
        # a bucket described to its clients, not made: no region of its own
        ("S3Bucket", "{bucketName: assets, connection: {reference: minio}}", "ephemeral-safe"),
        ("S3BucketPolicy", "{bucket: assets, region: us-east-1}", "ephemeral-safe"),
        ("StorageTable", "{region: us-east-1}", "ephemeral-safe"),  # no cloud-only service
        # a bucket by its kind's last word (store_kinds), whatever the service
        ("StorageBucket", "{region: us-east-1}", "persistent"),
    ],
)
def test_a_kind_named_for_a_cloud_service_made_in_a_region_holds_its_records(
    audit_files: Auditor, kind: str, spec: str, held: str
) -> None:
    """An operator of its own group (no provider project's) that makes the cloud thing its kind
    names, in the region its spec names."""
    report = audit_files(**{"r.yaml": _resource("compute.example.com/v1", kind, "r", spec)})
    rated = [str(c.lifecycle) for c in report.components if c.name == "r"]
    assert rated in ([held], [] if held == "ephemeral-safe" else [held])


CLUSTER_API_NOT_MANAGED = [
    ("controlplane.cluster.x-k8s.io/v1beta1", "KubeadmControlPlane"),  # etcd on its own machines
    ("infrastructure.cluster.x-k8s.io/v1beta2", "AWSManagedMachinePool"),  # nodes keep nothing
    ("infrastructure.cluster.x-k8s.io/v1beta2", "AzureManagedCluster"),  # the pass-through kind
]


@pytest.mark.parametrize(("api", "kind"), CLUSTER_API_NOT_MANAGED)
def test_only_a_cluster_api_managed_control_plane_is_read_as_the_clouds_cluster(
    audit_files: Auditor, api: str, kind: str
) -> None:
    spec = "{region: eu-west-1, version: v1.31.0}"
    report = audit_files(**{
        "other.yaml": _resource(api, kind, "other", spec),
        "eks.yaml": _resource(
            "controlplane.cluster.x-k8s.io/v1beta2", "AWSManagedControlPlane", "eks", spec
        ),
    })  # fmt: skip
    assert str(_named(report, "eks").lifecycle) == "persistent"  # EKS keeps the cluster's etcd
    assert rules_of(report, "eks") == {"OPERATOR_CLAIMS"}
    others = [str(c.lifecycle) for c in report.components if c.name == "other"]
    assert "persistent" not in others
