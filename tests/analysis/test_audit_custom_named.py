"""Custom resources name their peers in shapes of no kind: a name field naming a resource of
their own API group (a database declared in a managed service), a reference to the target they
act on (an autoscaler's ``scaleTargetRef``), a reference in a listed mapping (a trigger's
``authenticationRef``); and a database made as a copy of a primary it names holds that copy."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor, custom_resource, deployment

CLOUD = "cloud.example.com/v1"
PG = custom_resource(CLOUD, "PostgreSQL", "spec: {project: p, plan: startup-4}", "pg")


def _named(report: AuditReport) -> dict[str, ComponentAudit]:
    return {f"{c.kind}/{c.name}": c for c in report.components}


def test_a_resource_naming_a_service_of_its_group_is_a_component_depending_on_it(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "pg.yaml": PG,
        "db.yaml": custom_resource(CLOUD, "Database", "spec: {project: p, serviceName: pg}", "db"),
        "user.yaml": custom_resource(CLOUD, "ServiceUser", "spec: {serviceName: pg}", "app"),
        "pool.yaml": custom_resource(
            CLOUD, "ConnectionPool",
            "spec: {serviceName: pg, databaseName: db, username: app, poolSize: 25}", "pool",
        ),
    })  # fmt: skip
    by = _named(report)
    assert by["Database/db"].depends_on == (by["PostgreSQL/pg"].id,)
    assert by["ServiceUser/app"].depends_on == (by["PostgreSQL/pg"].id,)
    assert set(by["ConnectionPool/pool"].depends_on) == {
        by["PostgreSQL/pg"].id, by["Database/db"].id, by["ServiceUser/app"].id,
    }  # fmt: skip
    assert str(by["ConnectionPool/pool"].lifecycle) == "ephemeral-safe"


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {name: pg}",  # its own name for what it declares
        "spec: {secretName: pg}",  # what it mounts
        "spec: {serviceName: other}",  # a name no resource of its group answers
    ],
)
def test_a_name_field_naming_no_sibling_makes_no_component(audit_files: Auditor, spec: str) -> None:
    report = audit_files(**{
        "pg.yaml": PG, "db.yaml": custom_resource(CLOUD, "Database", spec, "db"),
    })  # fmt: skip
    assert "Database/db" not in _named(report)


def test_a_name_field_names_only_a_resource_of_its_own_group(audit_files: Auditor) -> None:
    other = custom_resource("else.example.org/v1", "Store", "spec: {storage: {size: 1Gi}}", "pg")
    report = audit_files(**{
        "pg.yaml": other,
        "db.yaml": custom_resource(CLOUD, "Database", "spec: {serviceName: pg}", "db"),
    })  # fmt: skip
    assert "Database/db" not in _named(report)


SCALER = "autoscale.example.com/v1alpha1"


def _scaled(spec: str) -> dict[str, str]:
    return {
        "app.yaml": deployment("consumer"),
        "scaler.yaml": custom_resource(SCALER, "ScaledObject", spec, "consumer"),
        "auth.yaml": custom_resource(
            SCALER, "TriggerAuthentication",
            "spec: {secretTargetRef: [{parameter: host, name: s, key: k}]}", "auth",
        ),
    }  # fmt: skip


def test_a_scale_target_reference_names_the_workload_it_scales(audit_files: Auditor) -> None:
    spec = "spec: {scaleTargetRef: {name: consumer}, maxReplicaCount: 30}"
    by = _named(audit_files(**_scaled(spec)))
    assert by["ScaledObject/consumer"].depends_on == (by["Deployment/consumer"].id,)


def test_a_reference_of_another_role_does_not_name_a_plain_workload(audit_files: Auditor) -> None:
    by = _named(audit_files(**_scaled("spec: {workloadRef: {name: consumer}}")))
    assert by["Deployment/consumer"].id not in by["ScaledObject/consumer"].depends_on


def test_a_reference_in_a_listed_mapping_makes_its_target_a_component(
    audit_files: Auditor,
) -> None:
    spec = (
        "spec: {scaleTargetRef: {name: consumer}, triggers: [{type: queue, "
        "metadata: {queueName: hello}, authenticationRef: {name: auth}}]}"
    )
    by = _named(audit_files(**_scaled(spec)))
    assert set(by["ScaledObject/consumer"].depends_on) == {
        by["Deployment/consumer"].id, by["TriggerAuthentication/auth"].id,
    }  # fmt: skip
    assert str(by["TriggerAuthentication/auth"].lifecycle) == "ephemeral-safe"


DB = "database.example.com/v4"
PRIMARY = "spec: {sid: ORCL, persistence: {size: 100Gi, storageClass: fast}, replicas: 1}"


@pytest.mark.parametrize(
    "names_its_primary",
    [
        "primaryDatabaseRef: main, createAs: standby",
        "primaryRef: {name: main}",
        "primaryClusterName: main",
    ],
)
def test_a_database_made_as_a_copy_of_the_primary_it_names_holds_a_copy(
    audit_files: Auditor, names_its_primary: str
) -> None:
    copy = PRIMARY.replace("sid: ORCL", f"sid: ORCLS, {names_its_primary}")
    report = audit_files(**{
        "main.yaml": custom_resource(DB, "SingleInstanceDatabase", PRIMARY, "main"),
        "copy.yaml": custom_resource(DB, "SingleInstanceDatabase", copy, "copy"),
    })  # fmt: skip
    by = _named(report)
    main, standby = by["SingleInstanceDatabase/main"], by["SingleInstanceDatabase/copy"]
    assert str(main.lifecycle) == "persistent"
    assert str(standby.lifecycle) == "ephemeral-with-warm-up"
    assert main.gravity > standby.gravity


def test_a_primary_setting_that_names_no_primary_keeps_the_data(audit_files: Auditor) -> None:
    spec = PRIMARY.replace("sid: ORCL", "sid: ORCL, primaryUser: admin, primaryPort: 1521")
    report = audit_files(**{"db.yaml": custom_resource(DB, "SingleInstanceDatabase", spec, "db")})
    assert str(_named(report)["SingleInstanceDatabase/db"].lifecycle) == "persistent"


BROKER = custom_resource(
    "rabbitmq.com/v1beta1", "RabbitmqCluster", "spec: {replicas: 1, image: rabbitmq:3.13}", "mq"
)
TOPOLOGY = "topology.example.com/v1beta1"


@pytest.mark.parametrize(
    ("kind", "spec"),
    [
        ("Queue", "spec: {name: orders, type: quorum, brokerClusterReference: {name: mq}}"),
        ("SuperStream", "spec: {name: orders, partitions: 3, clusterRef: {name: mq}}"),
        ("Mailbox", "spec: {name: orders, durable: true, clusterRef: {name: mq}}"),
    ],
)
def test_a_queue_declared_in_a_broker_keeping_claims_holds_its_messages_there(
    audit_files: Auditor, kind: str, spec: str
) -> None:
    report = audit_files(**{
        "mq.yaml": BROKER, "q.yaml": custom_resource(TOPOLOGY, kind, spec, "orders"),
    })  # fmt: skip
    by = _named(report)
    queue = by[f"{kind}/orders"]
    assert str(queue.lifecycle) == "persistent"
    assert queue.depends_on == (by["RabbitmqCluster/mq"].id,)


@pytest.mark.parametrize(
    ("kind", "spec"),
    [
        # not durable: gone with a restart of the broker
        ("Queue", "spec: {name: orders, durable: false, clusterRef: {name: mq}}"),
        # a topic declared in a cluster: the cluster's configuration
        ("Topic", "spec: {name: orders, partitions: 3, clusterRef: {name: mq}}"),
        # a scheduler's queue naming a quota that keeps nothing
        ("LocalQueue", "spec: {clusterRef: {name: quota}}"),
    ],
)
def test_a_declaration_of_no_durable_queue_in_a_keeping_broker_holds_nothing(
    audit_files: Auditor, kind: str, spec: str
) -> None:
    quota = custom_resource(TOPOLOGY, "ClusterQueue", "spec: {cohort: a}", "quota")
    report = audit_files(**{
        "mq.yaml": BROKER, "quota.yaml": quota,
        "q.yaml": custom_resource(TOPOLOGY, kind, spec, "orders"),
    })  # fmt: skip
    assert str(_named(report)[f"{kind}/orders"].lifecycle) == "ephemeral-safe"


CLAIM = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: files, namespace: ns}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


@pytest.mark.parametrize(
    ("spec", "lifecycle"),
    [
        ("spec: {pvc: files, networking: {targetPort: 8080}}", "persistent"),
        ("spec: {pvc: '', networking: {targetPort: 8080}}", None),  # names no claim
    ],
)
def test_a_claim_field_naming_a_claim_keeps_the_resource_data_on_it(
    audit_files: Auditor, spec: str, lifecycle: str | None
) -> None:
    viewer = custom_resource("viewer.example.org/v1alpha1", "PVCViewer", spec, "viewer")
    by = _named(audit_files(**{"claim.yaml": CLAIM, "viewer.yaml": viewer}))
    found = by.get("PVCViewer/viewer")
    assert (str(found.lifecycle) if found else None) == lifecycle


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        # samba-operator's storage.pvc.name: an existing claim the share serves.
        ("spec: {shareName: s, storage: {pvc: {name: files}}}", "the claim files"),
        # a name beside the claim's spec: the claim the operator creates from that spec.
        ("spec: {storage: {pvc: {name: files, spec: {resources: {requests: {storage: 1Gi}}}}}}",
         "1Gi"),
        # a name in a node called for something else names no claim.
        ("spec: {storage: {bucket: {name: files}}}", None),
    ],
)  # fmt: skip
def test_a_claim_node_naming_an_existing_claim_keeps_the_resource_data_on_it(
    audit_files: Auditor, spec: str, said: str | None
) -> None:
    share = custom_resource("share.example.org/v1alpha1", "Share", spec, "share")
    found = _named(audit_files(**{"claim.yaml": CLAIM, "share.yaml": share})).get("Share/share")
    if said is None:
        assert found is None or str(found.lifecycle) != "persistent"
    else:
        assert found is not None and str(found.lifecycle) == "persistent"
        assert said in found.explanation
