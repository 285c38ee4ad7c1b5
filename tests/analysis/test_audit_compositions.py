"""Crossplane composite resources hold what their Composition composes
(:mod:`stateward.analysis.audit.compositions`): a managed Kubernetes cluster or a database among
its bases makes the composite hold those records; IAM roles and node groups make nothing of it.
Managed clusters of the providers' own kinds keep their etcd (:mod:`.cloud`)."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor, rules_of


def _named(report: AuditReport, name: str) -> ComponentAudit:
    return next(c for c in report.components if c.name == name)


_CLASSIC = """
apiVersion: apiextensions.crossplane.io/v1
kind: Composition
metadata: {name: clusters.eks.example.org}
spec:
  compositeTypeRef: {apiVersion: platform.example.org/v1alpha1, kind: %s}
  resources:
    - base: {apiVersion: identity.aws.crossplane.io/v1beta1, kind: IAMRole, spec: {}}
    - base: {apiVersion: %s, kind: %s, spec: {forProvider: {region: us-east-1}}}
"""
_PIPELINE = """
apiVersion: apiextensions.crossplane.io/v1
kind: Composition
metadata: {name: databases.example.org}
spec:
  compositeTypeRef: {apiVersion: platform.example.org/v1alpha1, kind: Database}
  mode: Pipeline
  pipeline:
    - step: patch-and-transform
      functionRef: {name: function-patch-and-transform}
      input:
        apiVersion: pt.fn.crossplane.io/v1beta1
        kind: Resources
        resources:
          - name: instance
            base: {apiVersion: rds.aws.upbound.io/v1beta1, kind: Instance, spec: {}}
"""


def _composite(kind: str, name: str) -> str:
    return (
        f"apiVersion: platform.example.org/v1alpha1\nkind: {kind}\n"
        f"metadata: {{name: {name}}}\nspec: {{nodes: 3, providerRef: {{name: aws}}}}\n"
    )


def test_a_composite_holds_the_records_its_composition_composes(audit_files: Auditor) -> None:
    report = audit_files(**{
        "eks.yaml": _CLASSIC % ("Cluster", "eks.aws.crossplane.io/v1beta1", "Cluster"),
        "db.yaml": _PIPELINE,
        "nodes.yaml": _CLASSIC.replace("clusters.eks", "pools.eks")
        % ("Pool", "eks.aws.crossplane.io/v1alpha1", "NodeGroup"),
        "xr.yaml": "---\n".join(
            _composite(k, n) for k, n in (("Cluster", "c1"), ("Database", "d1"), ("Pool", "p1"))
        ),
    })  # fmt: skip
    for name in ("c1", "d1"):
        assert str(_named(report, name).lifecycle) == "persistent", name
        assert rules_of(report, name) == {"OPERATOR_CLAIMS"}  # no pods: no PDB, no volume
    message = next(f.message for f in report.findings if f.component == _named(report, "c1").id)
    assert "etcd" in message and "Composition clusters.eks.example.org" in message
    assert str(_named(report, "p1").lifecycle) != "persistent"  # a node group keeps nothing


@pytest.mark.parametrize(
    ("api", "kind", "holds"),
    [
        ("eks.services.k8s.aws/v1alpha1", "Cluster", True),
        ("container.cnrm.cloud.google.com/v1beta1", "ContainerCluster", True),
        ("containerservice.azure.com/v1api20231001", "ManagedCluster", True),
        ("eks.services.k8s.aws/v1alpha1", "Nodegroup", False),
        ("container.cnrm.cloud.google.com/v1beta1", "ContainerNodePool", False),
    ],
)
def test_a_managed_kubernetes_cluster_keeps_its_etcd(
    audit_files: Auditor, api: str, kind: str, holds: bool
) -> None:
    doc = f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: k, namespace: ns}}\nspec: {{}}\n"
    report = audit_files(**{"k.yaml": doc})
    assert (str(_named(report, "k").lifecycle) == "persistent") is holds
