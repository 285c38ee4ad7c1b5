"""A CSI node plugin mounts the kubelet's directories (the plugin registry, its socket, the pods'
volumes): the kubelet's, not state of its own; and a log volume one container writes and
another tails holds no state. A directory of its own on the node, or a volume two containers
share elsewhere, still counts."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect, Lifecycle

from .conftest import Auditor


def _node_plugin(host: str, shared_at: str = "/var/log/driver") -> str:
    return f"""apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: csi-node, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: csi-node}}}}
  template:
    metadata: {{labels: {{app: csi-node}}}}
    spec:
      containers:
        - name: registrar
          image: registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.10.0
          volumeMounts:
            - {{name: socket-dir, mountPath: /csi}}
            - {{name: registration-dir, mountPath: /registration}}
        - name: driver
          image: example/csi-driver:1
          volumeMounts:
            - {{name: socket-dir, mountPath: /csi}}
            - {{name: host-dir, mountPath: /host, mountPropagation: Bidirectional}}
            - {{name: shared, mountPath: {shared_at}}}
        - name: tail
          image: busybox:1
          command: [sh, -c, 'tail -F {shared_at}/*.log']
          volumeMounts:
            - {{name: shared, mountPath: {shared_at}}}
      volumes:
        - {{name: socket-dir, hostPath: {{path: /var/lib/kubelet/plugins/driver.example.com, type: DirectoryOrCreate}}}}
        - {{name: registration-dir, hostPath: {{path: /var/lib/kubelet/plugins_registry/, type: Directory}}}}
        - {{name: host-dir, hostPath: {{path: {host}, type: Directory}}}}
        - {{name: shared, emptyDir: {{}}}}
"""


def test_the_kubelets_directories_and_a_tailed_log_volume_are_no_state_of_the_plugin(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"ds.yaml": _node_plugin("/var/lib/kubelet/pods")})
    (component,) = report.components
    assert component.lifecycle == Lifecycle.EPHEMERAL_SAFE
    hostpaths = [f for f in report.findings if f.rule == "HOSTPATH"]
    assert len(hostpaths) == 3
    assert all(report.effect_of(f) is Effect.CONTEXT for f in hostpaths)
    assert all("the kubelet's directory" in f.message for f in hostpaths)
    assert not [f for f in report.findings if f.rule == "SIDECAR_STATEFUL"]


@pytest.mark.parametrize(
    ("host", "shared_at", "rules"),
    [
        ("/var/lib/driver", "/var/log/driver", {"HOSTPATH"}),  # a directory of its own
        ("/var/lib/kubeletx", "/var/log/driver", {"HOSTPATH"}),  # not under the kubelet's root
        ("/var/lib/kubelet/pods", "/data", {"SIDECAR_STATEFUL"}),  # a shared data volume
    ],
)
def test_a_directory_of_its_own_or_a_shared_data_volume_is_state(
    audit_files: Auditor, host: str, shared_at: str, rules: set[str]
) -> None:
    report = audit_files(**{"ds.yaml": _node_plugin(host, shared_at)})
    stateful = {
        f.rule for f in report.findings
        if report.effect_of(f) in (Effect.DURABLE, Effect.LOSS)
    }  # fmt: skip
    assert rules <= stateful
