"""Kubernetes pod volumes and PersistentVolumes: where a pod's files live, and for how long.

Kubernetes semantics (https://kubernetes.io/docs/concepts/storage/volumes/): an ``emptyDir``
lives as long as the pod, so it survives a container restart but not a replacement;
``medium: Memory`` makes it a tmpfs that counts against the container's memory; a volume with
no source is defaulted to ``emptyDir`` by the API server; a ``hostPath`` is one node's
directory; a ReadWriteOnce claim is attached to one node at a time, so moving its pod means
detach and attach (access modes:
https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from stateward.analysis.audit.appdata import configuration, kernel_interface, runtime_directory
from stateward.analysis.audit.backups import backup_reader
from stateward.analysis.audit.dependencies import config_files
from stateward.analysis.audit.estate import Estate, ids_or_none
from stateward.analysis.audit.interface import Effect, Hit, Scope, detector
from stateward.analysis.audit.kubelet import csi_node_plugin, kubelet_directory
from stateward.analysis.audit.readers import pulled_replica
from stateward.analysis.audit.regenerated import volume_written_again
from stateward.analysis.audit.rules.data import data_mounts, rebuilt_index
from stateward.analysis.audit.rules.host import host_access
from stateward.analysis.audit.sharing import read_from_writer, served_claim, sole_writer
from stateward.analysis.audit.sub_paths import own_folder
from stateward.analysis.audit.workloads import Mount, Workload, volume_source
from stateward.model.finding import Severity
from stateward.model.kubernetes import as_list, as_map, dig
from stateward.model.resource import Resource

__all__ = ["access_modes", "claim_effect", "INLINE_DISKS"]

INLINE_DISKS = frozenset(
    {
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "cinder",
        "azureDisk",
        "vsphereVolume",
        "portworxVolume",
        "rbd",
        "iscsi",
        "fc",
    }
)
_SHORT = {
    "ReadWriteOnce": "RWO",
    "ReadOnlyMany": "ROX",
    "ReadWriteMany": "RWX",
    "ReadWriteOncePod": "RWOP",
}


def _volumes(workload: Workload, source: str) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    for name, (path, volume) in workload.volumes.items():
        if volume_source(volume) == source:
            spec = volume.get(source)
            yield name, path, spec if isinstance(spec, Mapping) else {}


def _used_at(workload: Workload, volume: str) -> str:
    targets = sorted({f"{m.container}:{m.target}" for m in workload.mounts if m.volume == volume})
    return f"mounted at {', '.join(targets)}" if targets else "not mounted"


def unused_claim(workload: Workload, volume: str) -> bool:
    """True when no container of the pod mounts the claim ``volume`` nor attaches it as a raw
    block device: a pod's volumes are only "accessible to containers in the pod" through a
    container's ``volumeMounts`` (or ``volumeDevices`` for a ``Block`` claim),
    https://kubernetes.io/docs/concepts/storage/volumes/ and
    https://kubernetes.io/docs/concepts/storage/persistent-volumes/#raw-block-volume-support;
    a claim template or claim declared and mounted nowhere is provisioned and attached, but
    holds nothing the workload writes (ThingsBoard's transports' ``logs`` templates; Kubernetes
    only binds it)."""
    if workload.platform != "kubernetes" or workload.operated is not None:
        return False
    if any(m.volume == volume for m in workload.mounts):
        return False
    pod = workload.pod
    containers = [*as_list(pod.get("containers")), *as_list(pod.get("initContainers"))]
    return not any(
        as_map(d).get("name") == volume
        for c in containers
        for d in as_list(as_map(c).get("volumeDevices"))
    )


_UNUSED = "mounted by no container: holds nothing the workload writes"


@detector(
    "EMPTYDIR",
    Severity.LOW,
    Effect.CONTEXT,
    remedy="Keep only scratch data here; put data that must outlive the pod on a PVC.",
)
def emptydir(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Pod volume ``emptyDir`` on disk: survives a container restart, not a pod replacement."""
    for name, path, spec in _volumes(workload, "emptyDir"):
        if path and name in _explicit(workload) and spec.get("medium") != "Memory":
            yield Hit(path, f"emptyDir {name!r} {_used_at(workload, name)}; discarded on replace")


@detector(
    "EMPTYDIR_MEMORY",
    Severity.LOW,
    Effect.CONTEXT,
    remedy="Size the container's memory limit for it; nothing here outlives the pod.",
)
def emptydir_memory(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """``emptyDir`` with ``medium: Memory``: a tmpfs counted against memory, lost on replace."""
    for name, path, spec in _volumes(workload, "emptyDir"):
        if spec.get("medium") == "Memory":
            yield Hit(path + "/emptyDir/medium", f"tmpfs {name!r} {_used_at(workload, name)}")


@detector(
    "EMPTYDIR_DEFAULTED",
    Severity.MEDIUM,
    Effect.CONTEXT,
    remedy="Say what the volume is: a PVC for data, an explicit emptyDir for scratch.",
)
def emptydir_defaulted(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Pod volume with no source: the API server defaults it to ``emptyDir``."""
    for name in workload.volumes:
        if name not in _explicit(workload):
            path = workload.volumes[name][0]
            yield Hit(
                path,
                f"volume {name!r} has no source, so it is an emptyDir; {_used_at(workload, name)}",
            )


def _explicit(workload: Workload) -> set[str]:
    return {n for n, (_, v) in workload.volumes.items() if any(k != "name" for k in v)}


@detector(
    "HOSTPATH",
    Severity.MEDIUM,
    Effect.DURABLE,
    remedy="Use a PersistentVolumeClaim; a hostPath ties the data to one node.",
)
def host_path(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Pod volume ``hostPath``: a node's directory; data stays on that node only.

    Mounted read-only only, or a host system directory or socket (``/proc``, ``/sys``, ``/``,
    the engine's socket, which ``HOST_FS``/``DOCKER_SOCKET`` report as access), it is a view of
    the node, not state the component writes: a node exporter holds nothing. A node's run-time
    directory (``/run/spire/sockets``, ``/var/run/app``) holds sockets and PID files that the
    node clears at every boot: a place to meet the node's other programs, not a store; so is a
    directory of the kubelet's (a CSI node plugin's sockets and the pods' volumes it mounts,
    :mod:`~stateward.analysis.audit.kubelet`), and a CSI node plugin's pool, the directory its
    configuration tells it to make other pods' volumes in (the same module). So is a directory
    of one of the kernel's virtual filesystems (``/sys/block``, ``/sys/fs/cgroup``:
    :func:`~stateward.analysis.audit.appdata.kernel_interface`), the node's kernel modules
    (``/lib/modules``, "loadable kernel modules", installed with the kernel: FHS 3.0 §3.9 ``/lib``,
    https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch03s09.html) and a log directory
    (``/var/log/<program>``, "miscellaneous log files", FHS 3.0 §5.10,
    https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05s10.html): written, read by nobody
    back. A hostPath no container mounts holds nothing the pod writes, as an unmounted claim
    (:func:`unused_claim`), and one mounted only at configuration paths (``/app/.env``,
    :func:`~stateward.analysis.audit.appdata.configuration`) is configuration the node gives it,
    as a Compose bind there is (DevLake's ``/var/lib/devlake/env``, ``type: FileOrCreate``, at
    ``/app/.env``); so is one mounted only where code lives (:func:`_source_tree`): a checkout
    of the program's sources on the node, which it runs. One only init containers mount is what
    they install for the node's other programs (kube-router's ``install-cni`` copying CNI
    plug-ins into the host's ``/opt``), which the pod's program never reads back: a
    replacement's init installs them again."""
    pools = _pools(workload, estate) if csi_node_plugin(workload) else ""
    for name, path, spec in _volumes(workload, "hostPath"):
        mounts = [m for m in workload.mounts if m.volume == name]
        view = bool(mounts) and all(m.read_only or host_access(m) for m in mounts)
        source = str(spec.get("path", ""))
        kubelet = kubelet_directory(source)
        pool = bool(pools) and _named_in(source, pools)
        what = (
            "a view of the node" if view or kernel_interface(source) or _modules(source)
            else "the kubelet's directory" if kubelet
            else "a log directory" if _words(source)[:2] == ["var", "log"]
            else "the node's run-time directory" if runtime_directory(source)
            else "the pool its CSI configuration makes other pods' volumes in" if pool
            else "mounted by no container" if unused_claim(workload, name)
            else "configuration it reads" if mounts and all(configuration(m.target) for m in mounts)
            else "source code it runs" if mounts and all(_source_tree(m.target) for m in mounts)
            else "what its init containers install on the node" if _init_only(workload, mounts)
            else ""
        )  # fmt: skip
        passing = bool(what)
        yield Hit(
            path + "/hostPath",
            f"hostPath {spec.get('path')!r} as {name!r}, {_used_at(workload, name)}; "
            + (f"{what}, nothing of its own" if passing else "survives only on that node"),
            effect=Effect.CONTEXT if passing else None,
            severity=Severity.LOW if passing else None,
        )


def _init_only(workload: Workload, mounts: list[Mount]) -> bool:
    """Every mount of the volume is an init container's: its program never reads it."""
    inits = [m for c in workload.init_containers for m in workload.mounts_of(c)]
    return bool(mounts) and all(m in inits for m in mounts)


def _words(source: str) -> list[str]:
    return [w for w in source.split("/") if w]


# Folders of code: a node's checkout mounted where the program runs it from. ``/usr/src`` holds
# "source code" (FHS 3.0 §4.12, https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch04s12.html),
# so a project's tree is ``/usr/src/<project>``; a folder deeper in it (``/usr/src/app/upload``,
# Immich's uploads) may be where the program writes, unless named for code (``…/src``). Outside
# ``/usr/src`` a folder named ``src`` says nothing (Mage's project, pipelines and database, at
# ``/home/src``).
_CODE_NAMES = frozenset({"src", "source", "sources", "node_modules"})


def _source_tree(target: str) -> bool:
    words = _words(target)
    return words[:2] == ["usr", "src"] and (len(words) == 3 or words[-1] in _CODE_NAMES)


def _modules(source: str) -> bool:
    words = _words(source)
    return words[:2] == ["lib", "modules"] or words[:3] == ["usr", "lib", "modules"]


def _pools(workload: Workload, estate: Estate) -> str:
    """The configuration files a workload's containers are given, as one text."""
    return "\n".join(
        text for c in workload.containers for _, text, _ in config_files(workload, c, estate)
    )


def _named_in(source: str, text: str) -> bool:
    path = source.rstrip("/")
    return bool(path) and re.search(rf"[\"'\s\[]{re.escape(path)}/?[\"'\s,\]]", text) is not None


def access_modes(spec: Mapping[str, Any]) -> list[str]:
    """Short access modes (RWO, ROX, RWX, RWOP) of a claim or volume spec."""
    modes = spec.get("accessModes")
    return [_SHORT.get(str(m), str(m)) for m in modes] if isinstance(modes, list) else []


def claim_effect(modes: list[str], read_only: bool) -> Effect:
    """RWO (or unknown) claims tie data to the pod; shared or read-only claims do not. A claim
    that is ``ReadOnlyMany`` only, "mounted as read-only by many nodes"
    (https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes), is written
    by no pod: it holds what was put on the volume before any used it (TensorFlow Serving's
    model), none of theirs."""
    if modes and set(modes) <= {"ROX"}:
        return Effect.CONTEXT
    if read_only:
        return Effect.WARM_UP
    if "RWX" in modes:
        return Effect.CONTEXT
    return Effect.DURABLE


def _storage(spec: Mapping[str, Any]) -> str:
    resources = spec.get("resources")
    requests = resources.get("requests") if isinstance(resources, Mapping) else None
    return str(requests.get("storage", "?")) if isinstance(requests, Mapping) else "?"


@detector("PVC", Severity.INFO, Effect.DURABLE)
def pvc(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Pod volume ``persistentVolumeClaim``, with the claim's access mode and size.

    A web server (the official nginx or httpd image, with its own command) mounting a claim
    another workload writes serves what that one keeps: the claim is not its state
    (:func:`~stateward.analysis.audit.sharing.served_claim`); a claim no container mounts holds
    nothing it writes (:func:`unused_claim`). A ``ReadWriteMany`` claim is context (many pods
    can write it), except where one long-running workload alone writes it: that one keeps its
    state there (:func:`~stateward.analysis.audit.sharing.sole_writer`). A backup reading a
    claim read-only copies its writer's data (:func:`~.backups.backup_reader`): context; so is
    any claim mounted read-only that a long-running workload of the estate writes
    (:func:`~stateward.analysis.audit.sharing.read_from_writer`). So is
    a claim the estate does not declare that an operator made for a custom resource of its name
    (:func:`_claim_maker`)."""
    for name, path, spec in _volumes(workload, "persistentVolumeClaim"):
        claim_name = str(spec.get("claimName", ""))
        claim = estate.named("PersistentVolumeClaim", workload.namespace, claim_name)
        claim_spec = claim.body.get("spec") if claim is not None else None
        cspec = claim_spec if isinstance(claim_spec, Mapping) else {}
        modes = access_modes(cspec)
        mounts = [m for m in workload.mounts if m.volume == name]
        read_only = bool(spec.get("readOnly")) or (
            bool(mounts) and all(m.read_only for m in mounts)
        )
        shown = "/".join(modes) or "access mode unknown (claim not in the estate)"
        effect, shared = _shared_claim(workload, mounts, modes, read_only, estate)
        effect, index = _indexed(workload, estate, name, effect)
        index = index or shared
        if mounts and (served := served_claim(workload, mounts[0], estate)):
            effect, index = Effect.CONTEXT, f" ({served})"
        elif read_only and (copier := backup_reader(workload)):
            effect, index = Effect.CONTEXT, f" (read-only: {copier}, its writer keeps it)"
        elif read_only and mounts and (writer := read_from_writer(workload, mounts[0], estate)):
            effect, index = Effect.CONTEXT, f" ({writer})"
        elif unused_claim(workload, name):
            effect, index = Effect.CONTEXT, f" ({_UNUSED})"
        elif claim is None and (maker := _claim_maker(workload, estate, claim_name)):
            effect, index = Effect.CONTEXT, f" ({maker})"
        yield Hit(
            path + "/persistentVolumeClaim",
            f"PVC {claim_name} {_storage(cspec)} {shown}, {_used_at(workload, name)}{index}",
            (f"PersistentVolumeClaim/{workload.namespace}/{claim_name}",),
            effect=effect,
        )


def _claim_maker(workload: Workload, estate: Estate, claim: str) -> str:
    """Why a claim the estate does not declare is another resource's: it is named as a custom
    resource of the workload's namespace, whose operator made it for that resource (Fluid makes
    the claim ``demo`` for the ``Dataset`` ``demo``, :mod:`~stateward.analysis.audit.links`).
    What it holds is that resource's, counted there ('' when none is)."""
    maker = estate.links.claim_maker(workload.namespace, claim) if estate.links else None
    if maker is None:
        return ""
    return f"the claim made for {maker.key.kind} {maker.key.name}: what it holds is that one's"


def _shared_claim(
    workload: Workload, mounts: list[Mount], modes: list[str], read_only: bool, estate: Estate
) -> tuple[Effect, str]:
    """The claim's effect by its access mode (:func:`claim_effect`), except a ``ReadWriteMany``
    claim this workload alone writes, which keeps its state as a claim of its own does
    (:func:`~stateward.analysis.audit.sharing.sole_writer`), or a folder of it (``subPath``)
    this workload alone writes (:func:`~stateward.analysis.audit.sub_paths.own_folder`). A
    claim only read (``ReadOnlyMany``) has no writer to keep it."""
    effect = claim_effect(modes, read_only)
    if effect is not Effect.CONTEXT or "RWX" not in modes or not mounts:
        return effect, ""
    if sole := sole_writer(workload, mounts[0], estate) or own_folder(workload, mounts, estate):
        return Effect.DURABLE, f" ({sole})"
    return effect, ""


def _indexed(workload: Workload, estate: Estate, volume: str, effect: Effect) -> tuple[Effect, str]:
    """A durable claim holding a search index's data directory is rebuilt from the records its
    clients keep (:func:`~stateward.analysis.audit.rules.data.rebuilt_index`): a warm-up; so is
    one at a directory named for a cache, or where the program keeps only what it fetches or
    computes again (:func:`~stateward.analysis.audit.regenerated.written_again`), or a reader's
    copy of its writers' files (:func:`~stateward.analysis.audit.readers.pulled_replica`)."""
    if effect is not Effect.DURABLE:
        return effect, ""
    if again := volume_written_again(workload, volume) or pulled_replica(workload, estate):
        return Effect.WARM_UP, f" ({again})"
    index = rebuilt_index(workload, estate)
    if not index:
        return effect, ""
    held = [m for c in workload.containers for m in data_mounts(workload, c) if m.volume == volume]
    return (Effect.WARM_UP, f" ({index})") if held else (effect, "")


@detector("STS_VCT", Severity.INFO, Effect.DURABLE)
def sts_vct(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """StatefulSet ``volumeClaimTemplates``: each ordinal keeps its own claim across replaces.

    A template no container mounts holds nothing the workload writes (:func:`unused_claim`):
    context, not durable state."""
    if workload.kind != "StatefulSet":
        return
    spec = workload.body.get("spec")
    templates = spec.get("volumeClaimTemplates") if isinstance(spec, Mapping) else None
    for i, template in enumerate(templates if isinstance(templates, list) else []):
        tspec = template.get("spec") if isinstance(template, Mapping) else None
        tspec = tspec if isinstance(tspec, Mapping) else {}
        name = str(dig(template, "metadata", "name") or i)
        modes = access_modes(tspec)
        effect, index = _indexed(workload, estate, name, claim_effect(modes, False))
        if unused_claim(workload, name):
            effect, index = Effect.CONTEXT, f" ({_UNUSED})"
        yield Hit(
            f"/spec/volumeClaimTemplates/{i}",
            f"claim template {name} {_storage(tspec)} {'/'.join(modes) or 'RWO?'}, "
            f"{_used_at(workload, name)}{index}",
            effect=effect,
        )


@detector(
    "INLINE_CLOUD_DISK",
    Severity.MEDIUM,
    Effect.DURABLE,
    remedy="Use a PVC with a StorageClass; the in-tree inline disk bypasses claims.",
)
def inline_cloud_disk(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """In-tree disk inline in the pod spec (``cinder``, ``gcePersistentDisk`` …)."""
    for disk in sorted(INLINE_DISKS):
        for name, path, _spec in _volumes(workload, disk):
            yield Hit(
                path + "/" + disk,
                f"inline {disk} {name!r}, {_used_at(workload, name)}; "
                "replace means detach and attach",
            )


def _pv_hits(pv: Resource, estate: Estate, source: str, message: str) -> Iterator[Hit]:
    spec = pv.body.get("spec")
    spec = spec if isinstance(spec, Mapping) else {}
    backend = spec.get(source)
    if not isinstance(backend, Mapping):
        return
    modes = access_modes(spec)
    # fields by name, not in the body's order: a body decoded from canonical bytes has its keys
    # sorted, one parsed from the file has the file's order, and both must read the same
    fields = ", ".join(f"{key}={backend[key]}" for key in sorted(backend, key=str))
    detail = f"PersistentVolume {pv.key.name}: {message} {fields} ({'/'.join(modes)})"
    users = estate.pv_users(pv)
    effect = claim_effect(modes, False) if source == "hostPath" else Effect.CONTEXT
    for user in ids_or_none(users):
        yield Hit(f"/spec/{source}", detail, component=user, effect=effect)


@detector(
    "PV_HOSTPATH",
    Severity.MEDIUM,
    Effect.DURABLE,
    scope=Scope.OBJECT,
    kinds=("PersistentVolume",),
    remedy="Use a networked or CSI volume, or pin the pods to the nodes holding the path.",
)
def pv_hostpath(resource: Resource, estate: Estate) -> Iterator[Hit]:
    """PersistentVolume backed by ``hostPath``: the data exists only on nodes with that path."""
    yield from _pv_hits(resource, estate, "hostPath", "host directory")


@detector("PV_NFS", Severity.INFO, Effect.CONTEXT, scope=Scope.OBJECT, kinds=("PersistentVolume",))
def pv_nfs(resource: Resource, estate: Estate) -> Iterator[Hit]:
    """PersistentVolume backed by NFS: shared, no attach cost, depends on the NFS server."""
    yield from _pv_hits(resource, estate, "nfs", "NFS export")
