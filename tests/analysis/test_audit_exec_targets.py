"""A program that runs its commands in the pods carrying a label, through the Kubernetes API
(:mod:`stateward.analysis.audit.exec_targets`: Heketi's kubernetes executor and the gluster
pods), depends on them; the same pods in another namespace, or another executor, are no edge."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor


def _gluster(name: str, namespace: str, labels: str) -> str:
    return f"""apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  selector: {{matchLabels: {labels}}}
  template:
    metadata: {{labels: {labels}}}
    spec:
      containers: [{{name: glusterfs, image: 'gluster/gluster-centos:latest'}}]
"""


def _heketi(executor: str) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: heketi, namespace: ns}}
spec:
  selector: {{matchLabels: {{name: heketi}}}}
  template:
    metadata: {{labels: {{name: heketi}}}}
    spec:
      containers:
        - name: heketi
          image: 'heketi/heketi:dev'
          env: [{{name: HEKETI_EXECUTOR, value: {executor}}}]
"""


def _depends(report: AuditReport) -> dict[str, set[str]]:
    names = {c.id: c.name for c in report.components}
    return {c.name: {names[d] for d in c.depends_on} for c in report.components}


def _audit(audit_files: Auditor, executor: str) -> dict[str, set[str]]:
    return _depends(audit_files(**{
        "heketi.yaml": _heketi(executor),
        "a.yaml": _gluster("glusterfs", "ns", "{glusterfs-node: daemonset}"),
        "b.yaml": _gluster("by-node", "ns", "{glusterfs-node: node-1}"),
        "c.yaml": _gluster("elsewhere", "other", "{glusterfs-node: daemonset}"),
        "d.yaml": _gluster("unlabelled", "ns", "{app: gluster}"),
    }))  # fmt: skip


def test_heketis_kubernetes_executor_depends_on_the_labelled_pods(audit_files: Auditor) -> None:
    assert _audit(audit_files, "kubernetes")["heketi"] == {"glusterfs", "by-node"}


@pytest.mark.parametrize("executor", ["ssh", "mock"])
def test_another_executor_runs_nothing_in_them(audit_files: Auditor, executor: str) -> None:
    assert _audit(audit_files, executor)["heketi"] == set()
