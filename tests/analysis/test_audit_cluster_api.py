"""Cluster API control planes on machines (:mod:`stateward.analysis.audit.cluster_api`): a
control plane with a machine template, a Machine labelled for the control plane and a Cluster
whose class makes its control plane hold the workload cluster's etcd; what names the cluster by
``clusterName`` depends on its control plane. Each beside the case that stays unchanged."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor, rules_of

_CP = "controlplane.cluster.x-k8s.io/v1beta1"
_CORE = "cluster.x-k8s.io/v1beta1"


def _named(report: AuditReport, name: str) -> ComponentAudit:
    return next(c for c in report.components if c.name == name)


def _doc(api: str, kind: str, name: str, spec: str, labels: str = "{}") -> str:
    return (
        f"apiVersion: {api}\nkind: {kind}\n"
        f"metadata: {{name: {name}, namespace: ns, labels: {labels}}}\nspec: {spec}\n"
    )


_TEMPLATE = "{machineTemplate: {infrastructureRef: {kind: OpenStackMachineTemplate, name: t}}"


def test_a_control_plane_on_machines_holds_the_cluster_etcd(audit_files: Auditor) -> None:
    local = (
        _TEMPLATE + ", replicas: 3, kubeadmConfigSpec: {clusterConfiguration: {etcd: {local: {}}}}}"
    )
    external = (
        _TEMPLATE + ", kubeadmConfigSpec: {clusterConfiguration: {etcd: {external: "
        "{endpoints: ['https://etcd:2379']}}}}}"
    )
    report = audit_files(**{
        "local.yaml": _doc(_CP, "KubeadmControlPlane", "local", local),
        "external.yaml": _doc(_CP, "KubeadmControlPlane", "external", external),
        "hosted.yaml": _doc(_CP, "KamajiControlPlane", "hosted", "{dataStoreName: default}"),
    })  # fmt: skip
    assert str(_named(report, "local").lifecycle) == "persistent"
    assert rules_of(report, "local") == {"OPERATOR_CLAIMS"}  # no pods of its own: no PDB
    message = next(f.message for f in report.findings if f.component == _named(report, "local").id)
    assert "etcd" in message
    # an external etcd keeps the records; a control plane in pods names no machines
    for name in ("external", "hosted"):
        assert str(_named(report, name).lifecycle) != "persistent"


def test_a_machine_labelled_for_the_control_plane_holds_an_etcd_member(
    audit_files: Auditor,
) -> None:
    labels = "{cluster.x-k8s.io/cluster-name: c1, cluster.x-k8s.io/control-plane: ''}"
    report = audit_files(**{
        "cp.yaml": _doc(_CORE, "Machine", "cp", "{clusterName: c1}", labels),
        "worker.yaml": _doc(
            _CORE, "Machine", "worker", "{clusterName: c1}", "{cluster.x-k8s.io/cluster-name: c1}"
        ),
        "cluster.yaml": _doc(_CORE, "Cluster", "c1", "{clusterNetwork: {}}"),
    })  # fmt: skip
    assert str(_named(report, "cp").lifecycle) == "persistent"
    worker = _named(report, "worker")
    assert str(worker.lifecycle) == "ephemeral-safe"
    assert _named(report, "cp").id in worker.depends_on  # it joins the control plane's API


def test_a_cluster_names_its_control_plane_for_what_joins_it(audit_files: Auditor) -> None:
    ref = "{controlPlaneRef: {apiVersion: " + _CP + ", kind: KubeadmControlPlane, name: plane}}"
    report = audit_files(**{
        "cluster.yaml": _doc(_CORE, "Cluster", "c1", ref),
        "plane.yaml": _doc(_CP, "KubeadmControlPlane", "plane", _TEMPLATE + "}"),
        "md.yaml": _doc(_CORE, "MachineDeployment", "md", "{clusterName: c1, replicas: 2}"),
        "other.yaml": _doc(_CORE, "MachineDeployment", "other", "{clusterName: c2}"),
    })  # fmt: skip
    plane = _named(report, "plane").id
    assert plane in _named(report, "md").depends_on
    assert plane not in _named(report, "other").depends_on  # another cluster's
    assert str(_named(report, "c1").lifecycle) != "persistent"  # its control plane holds it


def test_a_cluster_whose_class_makes_its_control_plane_holds_the_etcd(
    audit_files: Auditor,
) -> None:
    topology = "{topology: {classRef: {name: k}, version: 1.34.0, controlPlane: {replicas: 1}}}"
    referenced = (
        "{topology: {controlPlane: {replicas: 1}}, controlPlaneRef: {kind: KubeadmControlPlane, "
        "name: p}}"
    )
    report = audit_files(**{
        "classy.yaml": _doc(_CORE, "Cluster", "classy", topology),
        "referenced.yaml": _doc(_CORE, "Cluster", "referenced", referenced),
    })  # fmt: skip
    assert str(_named(report, "classy").lifecycle) == "persistent"
    assert str(_named(report, "referenced").lifecycle) != "persistent"
