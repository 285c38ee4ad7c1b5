"""Splunk, Nacos and Feast resources (:mod:`stateward.analysis.audit.operator_records`): what
each operator gives a resource that asks for no storage, and what its storage fields change.
Small hand-made resources, not copies of any held-out estate."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle
from stateward.analysis.audit.operators import FAMILIES

from .conftest import Auditor, rules_of
from .conftest import custom_resource as _cr

SPLUNK = "enterprise.splunk.com/v4"
NACOS = "nacos.io/v1alpha1"
FEAST = "feast.dev/v1"
FEAST_OFFLINE = ("spec: {feastProject: p, services: {offlineStore: {persistence: {file: "
                 "{type: duckdb, pvc: {create: {resources: {requests: {storage: 7Gi}}}, "
                 "mountPath: /data/offline}}}}}}")  # fmt: skip


@pytest.mark.parametrize(
    ("api", "kind", "spec", "size"),
    [
        (SPLUNK, "IndexerCluster", "spec: {replicas: 3}", "100Gi"),
        (SPLUNK, "SearchHeadCluster", "spec: {}", "10Gi"),
        (SPLUNK, "Standalone", "spec: {varVolumeStorageConfig: {storageCapacity: 25Gi}}", "25Gi"),
        (NACOS, "Nacos", "spec: {type: cluster, volume: {enabled: true, requests: {storage: 3Gi}}}",
         "3Gi"),
        (FEAST, "FeatureStore", FEAST_OFFLINE, "7Gi"),
    ],
)  # fmt: skip
def test_a_claim_by_default_or_asked_for_is_durable(
    audit_files: Auditor, api: str, kind: str, spec: str, size: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert any(f" {size} " in f.message for f in report.findings if f.rule == "OPERATOR_CLAIMS")
    assert "OPERATOR_EPHEMERAL" not in rules_of(report, "x")


@pytest.mark.parametrize(
    ("api", "kind", "spec"),
    [
        (NACOS, "Nacos", "spec: {database: {type: mysql, mysqlHost: mysql}}"),
        (FEAST, "FeatureStore", "spec: {feastProject: p}"),
        (FEAST, "FeatureStore", "spec: {feastProject: p, services: {onlineStore: {persistence: "
         "{file: {pvc: {ref: {name: online}, mountPath: /data/online}}}}}}"),
    ],
)  # fmt: skip
def test_records_kept_elsewhere_or_rebuilt_are_none_of_its_own(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    """Nacos on MySQL; Feast's default ephemeral registry, and an online store materialized
    again from the offline store, even on a claim."""
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert component.kind == kind
    assert str(component.loss) == "none"
    assert component.gravity == 0


def test_splunk_members_name_their_managers(audit_files: Auditor) -> None:
    managers = "spec: {clusterManagerRef: {name: cm}, licenseManagerRef: {name: lm}}"
    report = audit_files(**{
        "idx.yaml": _cr(SPLUNK, "IndexerCluster", managers, "idx"),
        "cm.yaml": _cr(SPLUNK, "ClusterManager", "spec: {licenseManagerRef: {name: lm}}", "cm"),
        "lm.yaml": _cr(SPLUNK, "LicenseManager", "spec: {licenseUrl: /mnt/l.lic}", "lm"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert set(by_name["idx"].depends_on) == {by_name["cm"].id, by_name["lm"].id}
    assert by_name["idx"].gravity > by_name["cm"].gravity


def test_every_family_cites_a_pinned_source() -> None:
    new = [f for (group, _), f in FAMILIES.items()
           if group in {"enterprise.splunk.com", "nacos.io", "feast.dev", "atlas.mongodb.com"}]  # fmt: skip
    assert len(new) == 6
    for family in new:
        assert len(family.source.split("/blob/")[1][:40]) == 40


ATLAS = "atlas.mongodb.com/v1"


@pytest.mark.parametrize("annotations", ["{}", "{mongodb.com/atlas-resource-policy: delete}"])
def test_an_atlas_deployment_is_the_database_in_atlas(
    audit_files: Auditor, annotations: str
) -> None:
    """Kept in Atlas or deleted with the resource, the cluster's databases are the data; the
    resource runs no pods (no volume to re-attach, no disruption budget)."""
    text = (f"apiVersion: {ATLAS}\nkind: AtlasDeployment\nmetadata: {{name: x, namespace: ns, "
            f"annotations: {annotations}}}\nspec: {{projectRef: {{name: p}}, deploymentSpec: "
            "{name: c, clusterType: REPLICASET}}\n")  # fmt: skip
    report = audit_files(**{"atlas.yaml": text})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert not {"SINGLE_REPLICA_RWO", "NO_PDB"} & rules_of(report, "x")


def test_atlas_settings_hold_nothing(audit_files: Auditor) -> None:
    report = audit_files(
        **{"u.yaml": _cr(ATLAS, "AtlasDatabaseUser", "spec: {projectRef: {name: p}}")}
    )
    assert all(c.lifecycle is Lifecycle.EPHEMERAL_SAFE for c in report.components)
