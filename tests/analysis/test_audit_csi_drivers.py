"""A CSI driver holds no state of its own: its node plugin's pool directory (named in the
configuration it is given), the kernel's trees, kernel modules and its log directory are the
node's and its consumers'; its controller's sidecars meet the driver on an emptyDir where they
are given its socket. A host directory no configuration names, or a shared volume with no
socket in it, still counts. Small hand-made manifests."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect

from .conftest import Auditor, effect_of_one


def _node(host: str, pool: str) -> str:
    return f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: driver-config, namespace: ns}}
data:
  config.json: |-
    {{"diskSelector": [{{"name": "host", "re": ["{pool}"], "policy": "HOST"}}]}}
---
apiVersion: apps/v1
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
            - {{name: registration-dir, mountPath: /registration}}
        - name: driver
          image: example/csi-driver:1
          volumeMounts:
            - {{name: config, mountPath: /etc/driver}}
            - {{name: host-dir, mountPath: /host-dir}}
      volumes:
        - {{name: registration-dir, hostPath: {{path: /var/lib/kubelet/plugins_registry/}}}}
        - {{name: config, configMap: {{name: driver-config}}}}
        - {{name: host-dir, hostPath: {{path: {host}, type: DirectoryOrCreate}}}}
"""


@pytest.mark.parametrize(
    ("host", "pool"),
    [
        ("/opt/driver-hostpath", "/opt/driver-hostpath"),  # the pool its configuration names
        ("/opt/driver-hostpath/", "/opt/driver-hostpath"),
        ("/sys/block", "/opt/elsewhere"),  # the kernel's
        ("/lib/modules", "/opt/elsewhere"),  # the node's kernel modules
        ("/var/log/driver", "/opt/elsewhere"),  # its logs
    ],
)
def test_the_node_plugins_pool_and_the_nodes_trees_are_no_state_of_its_own(
    audit_files: Auditor, host: str, pool: str
) -> None:
    report = audit_files(**{"node.yaml": _node(host, pool)})
    assert effect_of_one(report, "HOSTPATH", "'host-dir'") is Effect.CONTEXT


@pytest.mark.parametrize(
    ("host", "pool"),
    [
        ("/opt/driver-state", "/opt/driver-hostpath"),  # not the pool it is told of
        ("/opt/driver", "/opt/driver-hostpath"),  # a prefix of it is not it
    ],
)
def test_a_directory_its_configuration_does_not_name_is_its_own(
    audit_files: Auditor, host: str, pool: str
) -> None:
    report = audit_files(**{"node.yaml": _node(host, pool)})
    assert effect_of_one(report, "HOSTPATH", "'host-dir'") is Effect.DURABLE


def _controller(address: str) -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: csi-controller, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: csi-controller}}}}
  template:
    metadata: {{labels: {{app: csi-controller}}}}
    spec:
      containers:
        - name: driver
          image: example/csi-driver:1
          args: [--endpoint=unix://{address}]
          volumeMounts:
            - {{name: shared, mountPath: /csi}}
        - name: csi-provisioner
          image: registry.k8s.io/sig-storage/csi-provisioner:v5.0.0
          args: [--csi-address={address}]
          volumeMounts:
            - {{name: shared, mountPath: /csi}}
      volumes:
        - {{name: shared, emptyDir: {{}}}}
"""


def test_sidecars_given_the_drivers_socket_in_an_emptydir_hold_nothing(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"controller.yaml": _controller("/csi/csi-driver.sock")})
    assert not [f for f in report.findings if f.rule == "SIDECAR_STATEFUL"]


def test_a_shared_emptydir_with_no_socket_in_it_is_a_sidecars_state(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"controller.yaml": _controller("/run/other/csi-driver.sock")})
    assert [f for f in report.findings if f.rule == "SIDECAR_STATEFUL"]
