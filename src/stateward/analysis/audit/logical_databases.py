"""Logical databases: a custom resource that is one database (or tenant) inside a server holds
data when deleting or replacing the resource drops the database's tables, as its operator's
documented deletion policy says; otherwise none (the tables are the server's, and stay with it).

What the resource states comes first (:mod:`.deletion_policies`, read for any operator's
resource named for a database). Failing that, the operator's documented default decides, for the
families registered here:

- Bitpoke's ``MysqlDatabase``: dropped with the resource unless annotated
  ``mysql-operator.presslabs.org/resourceDeletionPolicy: retain``
  (pkg/controller/mysqldatabase/db_controller.go ``deleteDatabase``: ``mysql.DropDatabase``;
  pkg/apis/mysql/v1alpha1/common_types.go);
- Aiven's ``Database``: deleted with the resource unless ``terminationProtection`` is set, which
  "prevents the database from being deleted by Kubernetes" (docs/docs/resources/database.md);
- ext-postgres-operator's ``Postgres``: kept, ``dropOnDelete`` being false unless set ("Set to
  true if you want the operator to drop the database and role when this CR is deleted",
  config/samples/db_v1alpha1_postgres.yaml; api/v1alpha1/postgres_types.go);
- CloudNativePG's ``Database``: kept, ``databaseReclaimPolicy`` being ``retain`` by default
  (api/v1/database_types.go);
- ob-operator's ``OBTenant``: dropped at once with ``forceDelete: true``; not forced by default
  (docsite 100.create-tenant.md, ``forceDelete``), so kept here;
- El Carro's ``Database``, a pluggable database (PDB) inside the Oracle ``Instance`` its
  ``spec.instance`` names: its finalizer runs ``drop pluggable database … including datafiles``
  when the resource is deleted (oracle/controllers/databasecontroller/database_controller.go,
  oracle/controllers/config_agent_helpers.go ``DeleteDatabase``).

- malagoli's oracle-db-operator ``OracleService`` (API group ``com.oracle``): the operator creates
  a pluggable database of ``spec.storage`` bytes through ORDS in the Oracle database it serves,
  and ``onDelete`` deletes that PDB (src/main/java/com/oracle/DbOperator.java: ``createPdb``,
  ``deletePdb``);
- kloeckner-i's db-operator ``Database`` (API group ``kci.rocks``, later ``kinda.rocks``): "the
  operator creates the actual database in the ``DbInstance`` which is referred in the
  ``spec.instance``"; dropped with the resource only as its ``deletionProtected: false`` states
  (docs/howitworks.md, docs/creatingdatabases.md). Its ``DbInstance`` of type ``google`` is a
  Google Cloud SQL instance the operator creates, the server itself, kept on Google's disks; one
  of type ``generic`` only names a server running elsewhere, which "the DB Operator will then
  only verify" is reachable: it holds nothing of its own.

A role in such a server (ext-postgres-operator's ``PostgresUser``, whose ``database`` names the
``Postgres`` it is granted on) holds nothing: its password is generated again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from stateward.analysis.audit.custom import custom_references
from stateward.analysis.audit.deletion_policies import dropped_on_delete
from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Reference, Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import dig

__all__: list[str] = []


def _policy(default: bool) -> Callable[[Mapping[str, Any]], list[Storage]]:
    return lambda body: dropped_on_delete(body, default)


def _named(kind: str, *path: str) -> Callable[[Mapping[str, Any]], list[Reference]]:
    """References to the ``kind`` resource (any kind for "") named at ``spec.<path>``."""

    def refs(body: Mapping[str, Any]) -> list[Reference]:
        name = dig(body, "spec", *path)
        where = "spec." + ".".join(path)
        return [Reference(kind, name, "", where)] if isinstance(name, str) and name else []

    return refs


_BITPOKE = "https://github.com/bitpoke/mysql-operator/blob/37c64109855691ab227130cf2d011effdd48690b/pkg/controller/mysqldatabase/db_controller.go"
_AIVEN = "https://aiven.github.io/aiven-operator/resources/database.html"
_MOVETOKUBE = "https://github.com/movetokube/postgres-operator/blob/d11ec0760c2421ea1f3e4ccce4484d249c1af870/config/samples/db_v1alpha1_postgres.yaml"
_CNPG = "https://cloudnative-pg.io/documentation/current/declarative_database_management/"
_OCEANBASE = "https://github.com/oceanbase/ob-operator/blob/9f1ab81d62fd06e947ef867cfe7af503c010beeb/docsite/docs/manual/500.ob-operator-user-guide/200.tenant-management-of-ob-operator/100.create-tenant.md"
_ELCARRO = "https://github.com/GoogleCloudPlatform/elcarro-oracle-operator/blob/0c8c9a643716f7e91f7eddc5db998f95e5a70cba/oracle/controllers/config_agent_helpers.go"
_MALAGOLI = "https://github.com/malagoli/oracle-db-operator/blob/1e0bf2b283a74a1dce79468b39cbef2e3aae5c8b/src/main/java/com/oracle/DbOperator.java"
_KLOECKNER = "https://github.com/kloeckner-i/db-operator/blob/212c739072944945132ab500b68fb35d2c41c52b/docs/howitworks.md"
_LABEL = "app.kubernetes.io/instance"


def _kept(body: Mapping[str, Any]) -> list[Storage]:
    return []  # a role: its password is generated again


def _cloud_instance(body: Mapping[str, Any]) -> list[Storage]:
    """A db-operator ``DbInstance`` of type ``google``: the Cloud SQL instance it creates."""
    name = dig(body, "spec", "google", "instance")
    if not name:
        return []  # ``generic``: a server run elsewhere, only checked for reachability
    return [
        Storage("/spec/google", {}, f"the Google Cloud SQL instance {name} its operator creates")
    ]


def _nothing(body: Mapping[str, Any]) -> list[Reference]:
    return []  # its server is named only in the operator's Secret


for _family in (
    Family(OperatorKind(group, kind, (), _LABEL), role, storage, source, refs, pods=False)
    for group, kind, role, storage, source, refs in (
        ("mysql.presslabs.org", "MysqlDatabase", "database", _policy(True), _BITPOKE,
         custom_references),
        ("aiven.io", "Database", "database", _policy(True), _AIVEN,
         _named("", "serviceName")),
        ("db.movetokube.com", "Postgres", "database", _policy(False), _MOVETOKUBE, _nothing),
        ("db.movetokube.com", "PostgresUser", "credentials", _kept, _MOVETOKUBE,
         _named("Postgres", "database")),
        ("postgresql.cnpg.io", "Database", "database", _policy(False), _CNPG,
         _named("Cluster", "cluster", "name")),
        ("oceanbase.oceanbase.com", "OBTenant", "database", _policy(False), _OCEANBASE,
         _named("OBCluster", "obcluster")),
        ("oracle.db.anthosapis.com", "Database", "database", _policy(True), _ELCARRO,
         _named("Instance", "instance")),
        ("com.oracle", "OracleService", "database", _policy(True), _MALAGOLI, _nothing),
        *(
            entry
            for group in ("kci.rocks", "kinda.rocks")
            for entry in (
                (group, "Database", "database", _policy(False), _KLOECKNER,
                 _named("DbInstance", "instance")),
                (group, "DbInstance", "database", _cloud_instance, _KLOECKNER, _nothing),
            )
        ),
    )
):  # fmt: skip
    register_family(_family)
