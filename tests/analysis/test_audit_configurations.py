"""A resource that only configures the resources naming it (an authentication class, a query
engine's catalog) runs no pods: its namer's pods reach what it names
(:mod:`stateward.analysis.audit.configurations`), and a catalog names the cluster whose
discovery ConfigMap it gives by name (``configMap: simple-hive``). The kinds and groups are
made up: no family is registered for them."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor, deployment
from .conftest import custom_resource as _cr

AUTH = "auth.example.io/v1"
APP = "dash.example.io/v1"

LDAP_SERVICE = """apiVersion: v1
kind: Service
metadata: {name: ldap, namespace: ns}
spec: {selector: {app: ldap}, ports: [{port: 636}]}
"""


def _by_name(report: AuditReport) -> dict[str, ComponentAudit]:
    return {c.name: c for c in report.components}


@pytest.mark.parametrize(
    ("auth_spec", "through"),
    [
        # a class that only says where the LDAP server is: the dashboard's pods bind to it
        ("spec: {provider: {ldap: {hostname: ldap.ns.svc.cluster.local, port: 636}}}", True),
        # a resource running pods of its own reaches the server itself
        ("spec: {image: 'acme/proxy:1', replicas: 2, upstream: {hostname: "
         "ldap.ns.svc.cluster.local}}", False),
    ],
)  # fmt: skip
def test_a_resource_naming_a_configuration_reaches_what_it_names(
    audit_files: Auditor, auth_spec: str, through: bool
) -> None:
    report = audit_files(**{
        "ldap.yaml": deployment("ldap") + "---\n" + LDAP_SERVICE,
        "auth.yaml": _cr(AUTH, "AuthenticationClass", auth_spec, "corp"),
        "dash.yaml": _cr(APP, "DashboardCluster",
                         "spec: {image: {productVersion: '4.0.2'}, nodes: {roleGroups: {default: "
                         "{replicas: 1}}}, clusterConfig: {authentication: "
                         "[{authenticationClass: corp}]}}", "dash"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["corp"].id in by_name["dash"].depends_on
    assert by_name["ldap"].id in by_name["corp"].depends_on
    assert (by_name["ldap"].id in by_name["dash"].depends_on) is through


@pytest.mark.parametrize(("name", "edge"), [("meta", True), ("hand-written", False)])
def test_a_catalog_naming_a_discovery_config_map_reaches_that_cluster(
    audit_files: Auditor, name: str, edge: bool
) -> None:
    """The catalog's ``configMap`` is the name of the metastore's cluster; a name no resource
    of the estate answers (a ConfigMap written by hand for a server outside) makes no edge."""
    report = audit_files(**{
        "hive.yaml": _cr("hive.example.io/v1", "MetastoreCluster",
                         "spec: {metastore: {roleGroups: {default: {replicas: 1}}}}", "meta"),
        "cat.yaml": "apiVersion: query.example.io/v1\nkind: QueryCatalog\n"
                    "metadata: {name: hive, namespace: ns, labels: {q: one}}\n"
                    f"spec: {{connector: {{hive: {{metastore: {{configMap: {name}}}}}}}}}\n",
        "engine.yaml": _cr("query.example.io/v1", "QueryCluster",
                           "spec: {image: {productVersion: '455'}, clusterConfig: "
                           "{catalogLabelSelector: {matchLabels: "
                           "{q: one}}}, coordinators: {roleGroups: {default: {replicas: 1}}}}",
                           "engine"),
    })  # fmt: skip
    by_name = _by_name(report)
    meta = by_name["meta"].id if "meta" in by_name else "none"
    assert (meta in by_name["hive"].depends_on) is edge
    # the engine selecting the catalog queries that metastore through it
    assert (meta in by_name["engine"].depends_on) is edge
