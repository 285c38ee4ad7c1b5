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
"""

from __future__ import annotations

__all__ = ["kubelet_directory"]

_ROOT = "/var/lib/kubelet"


def kubelet_directory(source: str) -> bool:
    """True for a host path under the kubelet's root directory."""
    path = source.rstrip("/")
    return path == _ROOT or path.startswith(_ROOT + "/")
