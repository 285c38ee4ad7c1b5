"""Logical databases (:mod:`stateward.analysis.audit.logical_databases`): a resource that is one
database inside a server holds data when deleting it drops the tables, by what it states or by
its operator's documented default. Small hand-made resources, not copies of any held-out
estate."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle
from stateward.analysis.audit.deletion_policies import stated_drop

from .conftest import Auditor, rules_of
from .conftest import custom_resource as _cr

BITPOKE = "mysql.presslabs.org/v1alpha1"
MOVETOKUBE = "db.movetokube.com/v1alpha1"
RETAIN = "mysql-operator.presslabs.org/resourceDeletionPolicy: retain"


def _held(audit_files: Auditor, text: str) -> str:
    """``data`` when the audit rates the resource persistent, else ``none``."""
    (component,) = audit_files(**{"db.yaml": text}).components
    return "data" if component.lifecycle is Lifecycle.PERSISTENT else "none"


def _bitpoke(annotations: str = "{}") -> str:
    return (f"apiVersion: {BITPOKE}\nkind: MysqlDatabase\nmetadata: {{name: x, namespace: ns, "
            f"annotations: {annotations}}}\nspec: {{database: shop, clusterRef: {{name: c}}}}\n")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "loss"),
    [
        (_bitpoke(), "data"),  # dropped with the resource by default
        (_bitpoke("{" + RETAIN + "}"), "none"),
        (_cr(MOVETOKUBE, "Postgres", "spec: {database: shop}"), "none"),  # kept by default
        (_cr(MOVETOKUBE, "Postgres", "spec: {database: shop, dropOnDelete: true}"), "data"),
        (_cr("oceanbase.oceanbase.com/v1alpha1", "OBTenant", "spec: {obcluster: c}"), "none"),
        (_cr("oceanbase.oceanbase.com/v1alpha1", "OBTenant",
             "spec: {obcluster: c, forceDelete: true}"), "data"),
        (_cr("aiven.io/v1alpha1", "Database", "spec: {serviceName: pg}"), "data"),
        (_cr("aiven.io/v1alpha1", "Database", "spec: {serviceName: pg, terminationProtection: true}"),
         "none"),
        (_cr("postgresql.cnpg.io/v1", "Database", "spec: {name: shop, cluster: {name: c}}"), "none"),
        (_cr("postgresql.cnpg.io/v1", "Database",
             "spec: {name: shop, cluster: {name: c}, databaseReclaimPolicy: delete}"), "data"),
        # El Carro's PDB: its finalizer drops the pluggable database with its datafiles
        (_cr("oracle.db.anthosapis.com/v1alpha1", "Database", "spec: {name: pdb1, instance: mydb}"),
         "data"),
    ],
)  # fmt: skip
def test_a_logical_database_holds_data_when_deleting_it_drops_the_tables(
    audit_files: Auditor, text: str, loss: str
) -> None:
    assert _held(audit_files, text) == loss


def test_a_logical_database_has_no_volume_or_pods_of_its_own(audit_files: Auditor) -> None:
    report = audit_files(**{"db.yaml": _bitpoke()})
    assert not {"SINGLE_REPLICA_RWO", "NO_PDB"} & rules_of(report, "x")
    assert "OPERATOR_CLAIMS" in rules_of(report, "x")


def test_a_role_names_the_database_it_is_granted_on(audit_files: Auditor) -> None:
    report = audit_files(**{
        "db.yaml": _cr(MOVETOKUBE, "Postgres", "spec: {database: shop, dropOnDelete: true}", "db"),
        "user.yaml": _cr(MOVETOKUBE, "PostgresUser", "spec: {role: u, database: db}", "user"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert list(by_name["user"].depends_on) == [by_name["db"].id]
    assert by_name["user"].lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert by_name["db"].gravity > by_name["user"].gravity


@pytest.mark.parametrize(
    ("spec", "annotations", "drops"),
    [
        ({"dropOnDelete": False}, {}, False),
        ({"delete": True}, {}, True),
        ({"delete": False, "readOnly": True}, {}, False),
        ({"deletionPolicy": "Delete"}, {}, True),
        ({"reclaimPolicy": "Retain"}, {}, False),
        ({"cleanupPolicy": "Skip"}, {}, False),
        ({"terminationProtection": True, "deletionPolicy": "Delete"}, {}, False),
        ({}, {"example.io/deletion-policy": "retain"}, False),
        ({"deletionPolicy": "sometimes"}, {}, None),
        ({}, {}, None),
    ],
)  # fmt: skip
def test_a_stated_deletion_policy_is_read_whatever_the_operator(
    spec: dict[str, object], annotations: dict[str, str], drops: bool | None
) -> None:
    body = {"metadata": {"annotations": annotations}, "spec": spec}
    assert stated_drop(body) is drops


@pytest.mark.parametrize(
    ("policy", "held"),
    [
        ("deletionPolicy: Delete", "data"),
        ("deletionPolicy: Retain", "none"),
        ("", "none"),
        ("create: true, delete: true", "data"),  # dropped by the operator's finalizer
        ("readOnly: true, create: false, delete: false", "none"),  # a database it never drops
    ],
)
def test_any_operators_database_in_a_cluster_is_read_by_the_policy_it_states(
    audit_files: Auditor, policy: str, held: str
) -> None:
    """An operator of no family: a database named for its kind inside the cluster it names."""
    spec = "spec: {clusterRef: {name: c}, name: shop" + (f", {policy}" if policy else "") + "}"
    assert _held(audit_files, _cr("example.io/v1", "ShopDatabase", spec)) == held


def test_an_el_carro_database_depends_on_the_instance_it_lives_in(audit_files: Auditor) -> None:
    instance = _cr(
        "oracle.db.anthosapis.com/v1alpha1",
        "Instance",
        "spec: {disks: [{name: DataDisk, size: 45Gi}]}",
        "mydb",
    )
    pdb = _cr("oracle.db.anthosapis.com/v1alpha1", "Database", "spec: {instance: mydb}", "pdb1")
    report = audit_files(**{"inst.yaml": instance, "db.yaml": pdb})
    by_name = {c.name: c for c in report.components}
    assert list(by_name["pdb1"].depends_on) == [by_name["mydb"].id]


@pytest.mark.parametrize(
    ("text", "loss"),
    [
        (_cr("com.oracle/v1", "OracleService", "spec: {storage: 1000000000}"), "data"),  # PDB dropped
        (_cr("com.oracle/v1", "OracleService", "spec: {storage: 1000000000, deletionPolicy: Retain}"), "none"),
        (_cr("kci.rocks/v1beta1", "Database", "spec: {instance: i, deletionProtected: false}"), "data"),
        (_cr("kinda.rocks/v1beta1", "Database", "spec: {instance: i, deletionProtected: true}"), "none"),
        (_cr("kinda.rocks/v1beta1", "Database", "spec: {instance: i}"), "none"),  # states nothing
        (_cr("kci.rocks/v1beta1", "DbInstance", "spec: {engine: postgres, google: {instance: sql1}}"), "data"),
        (_cr("kci.rocks/v1beta1", "DbInstance", "spec: {engine: postgres, generic: {host: pg, port: 5432}}"), "none"),
    ],
)  # fmt: skip
def test_databases_an_operator_creates_in_a_server_or_a_cloud(
    audit_files: Auditor, text: str, loss: str
) -> None:
    """oracle-db-operator's OracleService, a PDB dropped with it unless it states otherwise;
    kloeckner-i's db-operator: a Database dropped as it states, a DbInstance holding data when
    the operator creates it in Cloud SQL, none when it only names a server run elsewhere."""
    assert _held(audit_files, text) == loss
