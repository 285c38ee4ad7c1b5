"""Cluster API control planes that run on machines of their own, and what names them.

Cluster API's contract for a control-plane provider: its ControlPlane resource "instantiate[s]
a Kubernetes control plane", which contains at least the API server, the controller manager,
the scheduler and "etcd (if not externally managed)"; a Cluster names it in
``spec.controlPlaneRef``
(https://cluster-api.sigs.k8s.io/developer/providers/contracts/control-plane), and its
controller manages "a set of machines that represent a Kubernetes control plane"
(https://cluster-api.sigs.k8s.io/developer/architecture/controllers/control-plane). Those
machines are described by the resource's ``spec.machineTemplate`` (``infrastructureTemplate``
in older Talos control planes). The etcd they run holds every object of the workload cluster:
the control plane is that cluster's database. Its members are replicated and rolled one
machine at a time, so the records outlive one machine's replacement and go with the control
plane: durable, the resource's own. One whose kubeadm configuration names an external etcd
(``clusterConfiguration.etcd.external``) keeps nothing; a cloud's managed control plane is
read in :mod:`.cloud`; one run in pods with no machine template (Kamaji's, whose records are in
a ``DataStore``) is not read here.

The same control plane, written out machine by machine: a ``Machine`` carrying the label
``cluster.x-k8s.io/control-plane``, which control-plane providers put on their machines (the
label the Talos and Hetzner providers' samples set by hand). A ``Cluster`` with a managed
topology (``spec.topology.controlPlane``, a ClusterClass) and no ``controlPlaneRef`` has its
control plane made from the class by the topology controller: the Cluster is the only resource
standing for it.

What runs in a workload cluster or joins it names it by ``spec.clusterName`` (a
MachineDeployment, a worker Machine, an addon provider's HelmRelease): it depends on that
cluster's control plane, the API server its nodes register with.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from stateward.analysis.audit.workloads import Operated, Storage, Workload
from stateward.model.kubernetes import as_map, component_id, dig
from stateward.model.resource import Resource

if TYPE_CHECKING:  # the estate reads the operators, which read this module
    from stateward.analysis.audit.estate import Estate

__all__ = ["cluster_control_planes", "control_plane_workload", "is_cluster_api"]

_CORE = "cluster.x-k8s.io"
_CONTROL_PLANES = "controlplane.cluster.x-k8s.io"
_CONTROL_PLANE_LABEL = "cluster.x-k8s.io/control-plane"
_CLUSTER_LABEL = "cluster.x-k8s.io/cluster-name"
_MACHINE_TEMPLATES = ("machineTemplate", "infrastructureTemplate")
SOURCE = "the Cluster API control-plane contract (the control plane runs the cluster's etcd)"
_HELD = (
    "the workload cluster's etcd, a member on each control-plane machine, rolled one machine "
    "at a time"
)


def is_cluster_api(group: str) -> bool:
    """True for Cluster API's core group and its control-plane group."""
    return group in (_CORE, _CONTROL_PLANES)


def control_plane_workload(resource: Resource, ident: str | None) -> Workload | None:
    """The component of a Cluster API resource that stands for a control plane on machines,
    holding the workload cluster's etcd; None for any other resource."""
    where = _control_plane(resource)
    if not where:
        return None
    key = resource.key
    operated = Operated(
        "cluster", (Storage("/spec", {}, f"{_HELD} ({where})"),), SOURCE, pods=False
    )
    return Workload(
        ident or component_id(key), key.name, key.kind, key.namespace, "kubernetes", resource,
        "/spec", (), (), (), {}, None, {}, operated,
    )  # fmt: skip


def _control_plane(resource: Resource) -> str:
    """Why the resource is a control plane on machines ("" when it is not)."""
    key, body = resource.key, resource.body
    spec = as_map(body.get("spec"))
    if key.group == _CONTROL_PLANES:
        template = next((f for f in _MACHINE_TEMPLATES if spec.get(f)), "")
        external = dig(spec, "kubeadmConfigSpec", "clusterConfiguration", "etcd", "external")
        return f"spec.{template}" if template and not external else ""
    if key.group != _CORE:
        return ""
    if key.kind == "Machine" and _CONTROL_PLANE_LABEL in _labels(body):
        return f"label {_CONTROL_PLANE_LABEL}"
    if key.kind == "Cluster" and dig(spec, "topology", "controlPlane") is not None:
        return "" if spec.get("controlPlaneRef") else "spec.topology.controlPlane of its class"
    return ""


def cluster_control_planes(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The control plane of the Cluster API cluster a resource names by ``spec.clusterName``
    (or its cluster-name label): the Cluster's ``controlPlaneRef``, else its control-plane
    Machines. A control plane names none of itself."""
    body = workload.body
    if not is_cluster_api(workload.resource.key.group) and not dig(body, "spec", "clusterName"):
        return
    if workload.operated is not None and workload.operated.source == SOURCE:
        return
    name = dig(body, "spec", "clusterName") or _labels(body).get(_CLUSTER_LABEL)
    if not isinstance(name, str) or not name:
        return
    cluster = estate.named("Cluster", workload.namespace, name)
    if cluster is not None and cluster.key.group != _CORE:
        cluster = None  # another project's Cluster kind
    ref = as_map(dig(cluster.body, "spec", "controlPlaneRef")) if cluster else {}
    why = f"spec.clusterName {name}"
    if ref.get("name"):
        for other in estate.workloads_named(workload.namespace, str(ref["name"])):
            if other.kind == ref.get("kind"):
                yield other, f"{why}: the Cluster's controlPlaneRef"
        return
    if not estate.declares("Machine", workload.namespace):
        return  # the scan below finds only Machines: none, no pass over the namespace
    for other in estate.in_namespace(workload.namespace):
        labels = _labels(other.body)
        if other.kind == "Machine" and _CONTROL_PLANE_LABEL in labels:
            if labels.get(_CLUSTER_LABEL) == name or dig(other.body, "spec", "clusterName") == name:
                yield other, f"{why}: its control-plane machine"


def _labels(body: Mapping[str, Any]) -> Mapping[str, Any]:
    return as_map(dig(body, "metadata", "labels"))
