"""The kubelet's own directories on a node, which a node agent mounts to serve the kubelet.

A CSI node plugin mounts the kubelet's directories as host paths: the plugin registry the
kubelet watches (``/var/lib/kubelet/plugins_registry/<driver>-reg.sock``, written by the
node-driver-registrar), the driver's socket the kubelet calls (``/var/lib/kubelet/plugins/
<driver>/csi.sock``) and the directories where the kubelet has volumes mounted into pods
(``/var/lib/kubelet/pods``, with ``mountPropagation: Bidirectional``)
(https://github.com/kubernetes-csi/node-driver-registrar/blob/be7678e75e23b5419624ae3983b66957c0991073/README.md).
All lie under the kubelet's root directory (its ``--root-dir``, "Directory path for managing
kubelet files (volume mounts, etc)", default ``/var/lib/kubelet``,
https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/): sockets the
kubelet and the plugin make again at each start, and other pods' volumes, whose data is their
owners'. Replacing the agent loses nothing of its own there.

A workload that mounts the kubelet's plugin registry is a CSI node plugin: "the node component
[…] consists of the CSI driver that implements the CSI Node service and the node-driver-registrar
sidecar", which registers the driver through ``/var/lib/kubelet/plugins_registry``, and "needs
direct access to the host for making block devices and/or filesystem mounts available to the
Kubernetes kubelet"
(https://github.com/kubernetes-csi/docs/blob/78138317e3e579d1825ec9979085055792d7fc82/book/src/deploying.md,
"Node Plugin"). A host directory its own configuration names (a local-disk driver's pool:
Carina's ``diskSelector`` entry ``{"re": ["/opt/carina-hostpath"], "policy": "HOST"}``) is one it
carves volumes out of for the pods that claim them: their data, counted with their claims, not
the plugin's. A directory no configuration of it names may be its own (driver state, a cache).
"""

from __future__ import annotations

from stateward.analysis.audit.workloads import Workload
from stateward.model.filepaths import at_or_under

__all__ = ["csi_node_plugin", "kubelet_directory"]

_ROOT = "/var/lib/kubelet"
_REGISTRY = _ROOT + "/plugins_registry"


def kubelet_directory(source: str) -> bool:
    """True for a host path under the kubelet's root directory."""
    return at_or_under(source, _ROOT)


def csi_node_plugin(workload: Workload) -> bool:
    """True for a workload that mounts the kubelet's plugin registry as a host path."""
    return any(m.kind == "hostPath" and at_or_under(m.source, _REGISTRY) for m in workload.mounts)
