"""Pods a program runs its commands in through the Kubernetes API, found by a label.

A manager of storage that lives in other pods may work by ``exec``: it lists the pods of its
namespace that carry a label and runs its commands in them. It names none of them by host, yet
nothing it manages can be made or changed while they are down: it depends on them.

- Heketi, given ``HEKETI_EXECUTOR=kubernetes``, runs every gluster and LVM command in the pods of
  its namespace with the label key ``glusterfs-node``: the one on the node in question when
  ``HEKETI_KUBE_GLUSTER_DAEMONSET`` is set, the one whose value is the node's name otherwise
  (``KubeGlusterFSPodLabelKey``, ``getPodNameFromDaemonSet``, ``getPodNameByLabel``:
  https://github.com/heketi/heketi/blob/34cd18e8df04610110f2a0df68d55df40473d34b/executors/kubeexec/kubeexec.go).
"""

from __future__ import annotations

from collections.abc import Iterator

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Workload

__all__ = ["exec_targets"]

# (variable, its value, the label key of the pods the program runs its commands in)
_EXECUTORS = (("HEKETI_EXECUTOR", "kubernetes", "glusterfs-node"),)


def exec_targets(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The workloads whose pods ``workload`` runs commands in, and why."""
    if workload.platform != "kubernetes":
        return
    for container in workload.containers:
        for variable, value, key in _EXECUTORS:
            if container.env.get(variable, "").strip().lower() != value:
                continue
            for other in estate.in_namespace(workload.namespace):
                if other is not workload and key in other.labels:
                    yield (
                        other,
                        (
                            f"{container.name}: {variable}={value} runs its commands in the pods "
                            f"labelled {key}"
                        ),
                    )
