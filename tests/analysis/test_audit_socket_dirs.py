"""A directory named for Unix sockets holds rendezvous files its server makes again at each
bind, where the pod's other containers connect (the CSI sidecars' ``socket-dir``): no data of
the pod, on an emptyDir or shared. The same volume at a directory of the program's own state
still counts."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor


def _controller(driver_at: str) -> str:
    return f"""apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: csi-controller, namespace: ns}}
spec:
  serviceName: csi-controller
  selector: {{matchLabels: {{app: csi-controller}}}}
  template:
    metadata: {{labels: {{app: csi-controller}}}}
    spec:
      containers:
        - name: plugin
          image: example/csi-driver:1
          args: [--endpoint=unix://{driver_at}/csi.sock]
          volumeMounts:
            - {{name: socket-dir, mountPath: {driver_at}}}
        - name: csi-provisioner
          image: registry.k8s.io/sig-storage/csi-provisioner:v5.0.1
          args: [--csi-address=$(ADDRESS)]
          env: [{{name: ADDRESS, value: {driver_at}/csi.sock}}]
          volumeMounts:
            - {{name: socket-dir, mountPath: {driver_at}}}
        - name: liveness-probe
          image: registry.k8s.io/sig-storage/livenessprobe:v2.13.0
          volumeMounts:
            - {{name: socket-dir, mountPath: /csi}}
      volumes:
        - {{name: socket-dir, emptyDir: {{}}}}
"""


def _lost(report: AuditReport) -> set[str]:
    return {f.rule for f in report.findings if report.effect_of(f) is Effect.LOSS}


def test_a_shared_socket_directory_on_an_emptydir_is_no_state(audit_files: Auditor) -> None:
    report = audit_files(**{"sts.yaml": _controller("/var/lib/csi/sockets/pluginproxy")})
    assert not {"DATA_ON_EPHEMERAL", "SIDECAR_STATEFUL"} & _lost(report)
    (component,) = report.components
    assert str(component.loss) != "data"


@pytest.mark.parametrize("driver_at", ["/var/lib/driver", "/data"])
def test_the_same_volume_at_a_state_directory_is_state(
    audit_files: Auditor, driver_at: str
) -> None:
    report = audit_files(**{"sts.yaml": _controller(driver_at)})
    assert {"DATA_ON_EPHEMERAL", "SIDECAR_STATEFUL"} & _lost(report)
