"""A claim that no container of the pod mounts (nor attaches as a block device) holds nothing
the workload writes: a StatefulSet's claim template or a pod's claim declared and left unused."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor

STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: transport}}
spec:
  replicas: 1
  serviceName: transport
  selector: {{matchLabels: {{app: transport}}}}
  template:
    metadata: {{labels: {{app: transport}}}}
    spec:
      containers:
        - name: transport
          image: example/transport:1
{uses}
  volumeClaimTemplates:
    - metadata: {{name: logs}}
      spec:
        accessModes: [ReadWriteOnce]
{block}        resources: {{requests: {{storage: 1Gi}}}}
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
        - name: web
          image: example/web:1
{uses}
      volumes:
        - name: files
          persistentVolumeClaim: {{claimName: files}}
"""

MOUNTED = "          volumeMounts: [{name: logs, mountPath: /logs}]"
ATTACHED = "          volumeDevices: [{name: logs, devicePath: /dev/xvda}]"


@pytest.mark.parametrize(
    ("uses", "block", "kept"),
    [
        ("", "", False),  # declared, mounted by no container
        (MOUNTED, "", True),
        (ATTACHED, "        volumeMode: Block\n", True),  # a raw block device is written too
    ],
)
def test_a_claim_template_no_container_uses_holds_nothing(
    audit_files: Auditor, uses: str, block: str, kept: bool
) -> None:
    report = audit_files(**{"sts.yaml": STATEFULSET.format(uses=uses, block=block)})
    (component,) = report.components
    assert (component.lifecycle == Lifecycle.PERSISTENT) is kept
    (finding,) = [f for f in report.findings if f.rule == "STS_VCT"]
    assert ("mounted by no container" in finding.message) is not kept
    if not block:  # a mounted claim on one replica: replacing it waits for the detach
        assert any(f.rule == "SINGLE_REPLICA_RWO" for f in report.findings) is kept


@pytest.mark.parametrize(
    ("uses", "kept"),
    [("", False), ("          volumeMounts: [{name: files, mountPath: /srv}]", True)],
)
def test_a_claim_no_container_mounts_holds_nothing(
    audit_files: Auditor, uses: str, kept: bool
) -> None:
    report = audit_files(**{"web.yaml": DEPLOYMENT.format(uses=uses)})
    (component,) = report.components
    assert (component.lifecycle == Lifecycle.PERSISTENT) is kept
    (finding,) = [f for f in report.findings if f.rule == "PVC"]
    assert ("mounted by no container" in finding.message) is not kept
