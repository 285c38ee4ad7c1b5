"""Operator kinds that name no data system but manage one (:mod:`stateward.analysis.audit.managed`),
stores kept in memory, replicas of a source kept elsewhere, references in snake case and lists,
and peer addresses. Kinds of an API group no rule knows (``Forge`` of ``forge.example.com``):
what they hold is read from the spec's field names alone."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor, rules_of
from .conftest import custom_resource as _cr

API = "forge.example.com/v1"


def _forge(report: AuditReport, name: str = "forge") -> ComponentAudit | None:
    return next((c for c in report.components if c.name == name), None)


RUNS_A_DATABASE = [
    "spec: {postgres_storage_class: fast, web_replicas: 2}",
    "spec: {postgres_resource_requirements: {requests: {cpu: 100m, memory: 1Gi}}}",
    "spec: {mongodbImage: 'mongo:7', webImage: 'forge:1'}",
    "spec: {mysql: {}}",
    "spec: {database: {resources: {requests: {cpu: 1}}}}",
    "spec: {externalDatabase: {enabled: false}, instances: 1}",
    "spec: {postgresVersion: '16', instances: 2}",
    # A configuration file beside fields that tune the member still runs one.
    "spec: {postgresVersion: '16', postgresStorage: 5Gi, postgresql.conf: {work_mem: 8MB}}",
    # a member deployed by a switch one level down (the pipelines operator's objectStorage)
    "spec: {objectStorage: {minio: {deploy: true, image: minio}}}",
    # the instance the operator provisions, described (NDB's databaseInstance)
    "spec: {databaseInstance: {type: postgres, size: 10, databaseNames: [one]}}",
    # a metrics system tuned as a member (beside the scrape settings below, which run none)
    "spec: {prometheus: {retention: 15d, storage: 10Gi}}",
]


@pytest.mark.parametrize("spec", RUNS_A_DATABASE)
def test_a_kind_whose_fields_tune_a_database_member_holds_data(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"forge.yaml": _cr(API, "Forge", spec, "forge")})
    forge = _forge(report)
    assert forge is not None
    assert str(forge.lifecycle) == "persistent"
    assert forge.gravity >= 40
    assert "CUSTOM_RESOURCE_STORAGE" in rules_of(report, "forge")


def test_the_size_a_managed_member_asks_for_is_its_claim(audit_files: Auditor) -> None:
    spec = "spec: {postgres_storage_requirements: {requests: {storage: 300Gi}}, postgres_image: pg}"
    small = "spec: {postgres_image: pg}"
    report = audit_files(**{
        "big.yaml": _cr(API, "Forge", spec, "big"), "small.yaml": _cr(API, "Forge", small, "small"),
    })  # fmt: skip
    big, unknown = _forge(report, "big"), _forge(report, "small")
    assert big is not None and unknown is not None
    assert big.gravity > unknown.gravity  # 300Gi weighs more than a claim of unknown size
    message = next(f.message for f in report.findings if f.component == big.id)
    assert "300Gi" in message


KEPT_ELSEWHERE = [
    "spec: {postgres_configuration_secret: forge-db, postgres_image: pg}",
    "spec: {database: {host: db.example.com, port: 5432}}",
    "spec: {postgresql: {enabled: false}}",
    "spec: {database: {external: true, resources: {}}}",
    "spec: {databaseName: forge, web_replicas: 2}",
    "spec: {externalDatabase: {enabled: true}, postgresImage: pg}",
    "spec: {redis_resource_requirements: {requests: {cpu: 50m}}}",  # a cache
    "spec: {web_resource_requirements: {requests: {cpu: 50m}}}",
    "spec: {objectStorage: {minio: {deploy: false}, externalStorage: {host: s3}}}",
    "spec: {objectStorage: {minio: {image: minio}}}",  # no switch said it is deployed
    "spec: {databaseInstance: openstack, web_replicas: 2}",  # a server's name: run elsewhere
    # how Prometheus scrapes the resource's own pods (Naiserator's Application)
    "spec: {image: app, prometheus: {enabled: true, path: /metrics}}",
]


@pytest.mark.parametrize("spec", KEPT_ELSEWHERE)
def test_a_database_kept_elsewhere_or_a_cache_is_no_data_of_the_resource(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"forge.yaml": _cr(API, "Forge", spec, "forge")})
    forge = _forge(report)
    assert forge is None or str(forge.lifecycle) != "persistent"


IN_MEMORY = [
    "spec: {metaStore: {memory: true}, stateStore: {memory: true}, image: rw}",
    "spec: {storage: {type: memory}}",
    "spec: {stateStore: {inMemory: true}}",
]


@pytest.mark.parametrize("spec", IN_MEMORY)
def test_a_store_of_its_own_kept_in_memory_is_lost_on_replacement(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"forge.yaml": _cr(API, "Stream", spec, "forge")})
    forge = _forge(report)
    assert forge is not None
    assert str(forge.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "forge")


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {metaStore: {memory: false, postgresql: {host: pg}}, image: rw}",
        "spec: {persistence: {enabled: false}, image: rw}",  # an app's, not a store's
    ],
)
def test_stores_kept_elsewhere_or_switched_off_persistence_lose_nothing(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"forge.yaml": _cr(API, "Stream", spec, "forge")})
    forge = _forge(report)
    assert forge is None or str(forge.loss) != "data"


LAKE = _cr("lake.example.com/v1", "Lake", "spec: {datanode: {replicas: 3}}", "lake")

REACHES_THE_LAKE = [
    "spec: {deployment_name: lake}",  # an Ansible-based operator's snake case
    "spec: {backup_name: lake}",
    "spec: {cluster_ref: {name: lake}}",
    "spec: {image: f, localLakeRefs: [lake]}",  # a list of references, the kind qualified
    "spec: {image: f, lakeRefs: [{name: lake}]}",
    "spec: {gcsFaultToleranceOptions: {redisAddress: 'lake:6379'}}",
    "spec: {database: {host: lake.ns.svc, port: 5432}}",  # the store its program keeps data in
    "spec: {cache: {redisConfig: {hosts: ['lake:6379']}}}",
    "spec: {type: redis, dbHost: lake, dbPort: 6379}",  # a host field named for a store
    "spec: {redisHosts: [lake]}",
]


@pytest.mark.parametrize("spec", REACHES_THE_LAKE)
def test_snake_case_fields_reference_lists_and_addresses_name_the_peer(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"lake.yaml": LAKE, "f.yaml": _cr(API, "Forge", spec, "forge")})
    lake, forge = _forge(report, "lake"), _forge(report)
    assert lake is not None and forge is not None
    assert forge.depends_on == (lake.id,)


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {metricsBindAddress: 'lake:8080'}",  # its own address
        "spec: {emailAddresses: [ops@lake.ns]}",  # a mailbox, no host
        "spec: {secret_name: lake}",  # what it mounts
        "spec: {host: lake, port: 8080}",  # a bare host may be a name it answers to
        "spec: {webHost: lake, webPort: 8080}",  # a host named for no data system
        # a parameter handed to the program it configures (a Dapr Component's metadata)
        "spec: {type: state.redis, metadata: [{name: redisHost, value: 'lake:6379'}]}",
    ],
)
def test_own_addresses_and_mounted_names_name_no_peer(audit_files: Auditor, spec: str) -> None:
    report = audit_files(**{"lake.yaml": LAKE, "f.yaml": _cr(API, "Forge", spec, "forge")})
    assert _forge(report) is None


REPLICAS = [
    ("moco.example.com/v1", "MySQLCluster", "replicationSourceSecretName: donor, "
     "volumeClaimTemplates: [{metadata: {name: data}, spec: {resources: {requests: {storage: 1Gi}}}}]"),
    ("postgresql.cnpg.io/v1", "Cluster", "replica: {enabled: true, source: origin}, "
     "storage: {size: 1Gi}"),
]  # fmt: skip


@pytest.mark.parametrize(("api", "kind", "fields"), REPLICAS)
def test_a_replica_of_a_source_kept_elsewhere_holds_a_copy(
    audit_files: Auditor, api: str, kind: str, fields: str
) -> None:
    primary = fields.replace("replicationSourceSecretName: donor, ", "").replace(
        "replica: {enabled: true, source: origin}, ", ""
    )
    report = audit_files(**{
        "replica.yaml": _cr(api, kind, f"spec: {{instances: 3, {fields}}}", "replica"),
        "primary.yaml": _cr(api, kind, f"spec: {{instances: 3, {primary}}}", "primary"),
    })  # fmt: skip
    replica, kept = _forge(report, "replica"), _forge(report, "primary")
    assert replica is not None and kept is not None
    assert str(replica.lifecycle) == "ephemeral-with-warm-up"
    assert str(kept.lifecycle) == "persistent"
    assert kept.gravity > replica.gravity


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {postgresVersion: '14', postgresql.conf: {shared_buffers: 3GB}}",
        "spec: {mysqlVersion: '8.0', my.cnf: {max_connections: '400'}}",
    ],
)
def test_a_configuration_for_an_engine_version_runs_no_member(
    audit_files: Auditor, spec: str
) -> None:
    """A version beside the engine's configuration file by name (StackGres' SGPostgresConfig)
    says which version the settings are for: the kind holds nothing."""
    report = audit_files(**{"forge.yaml": _cr(API, "Forge", spec, "forge")})
    forge = _forge(report)
    assert forge is None or str(forge.loss) == "none" and str(forge.lifecycle) != "persistent"
    assert "CUSTOM_RESOURCE_STORAGE" not in rules_of(report, "forge")
