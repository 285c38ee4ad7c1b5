"""Network file systems a pod mounts inline: where the files live is the file server, which a
replacement of the pod mounts again.

Kubernetes' in-tree volume sources for shared file systems (``nfs``, ``glusterfs``, ``cephfs``,
``azureFile``, ``quobyte``: "an existing NFS share ... the contents of an nfs volume are
preserved and the volume is merely unmounted" when a pod is removed,
https://kubernetes.io/docs/concepts/storage/volumes/#nfs; ``glusterfs: {endpoints, path}``,
core/v1 ``GlusterfsVolumeSource``) keep what the program writes outside the pod. Mounted
read-write where the program keeps its data (a directory named for it: Heketi's database at
``/var/lib/heketi`` on a GlusterFS volume,
https://github.com/gluster/gluster-kubernetes/blob/7246eb4053c8c5336e4da68d86b76124d435eb3e/deploy/kube-templates/heketi-deployment.yaml),
it is that program's durable state, as a claim of its own would be; so is a share the pod's
author calls data, by the volume's name and the exported path's last folder both
(phpMyFAQ's Deployment mounts ``data: {nfs: {path: /mnt/nfs-vol/phpmyfaq-data}}`` read-write
as its web root ``/var/www/html``, where the application writes its attachments and images,
https://github.com/thorsten/phpMyFAQ/blob/f4e006fd91de357f79433475c865f51870d622b9/kubernetes-deploy/01-phpmyfaq-deployment.yaml).
Mounted anywhere else (a provisioner's root of the share, under which it makes other claims'
directories), it says where the program works, not what it keeps.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from stateward.analysis.audit.appdata import named_for_data, names_data
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.interface import Effect, Hit, detector
from stateward.analysis.audit.workloads import Workload, volume_source
from stateward.model.finding import Severity

__all__ = ["network_fs"]

SHARED_FILE_SYSTEMS = ("nfs", "glusterfs", "cephfs", "azureFile", "quobyte")


@detector("NETWORK_FS", Severity.INFO, Effect.DURABLE)
def network_fs(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A network file system (``nfs``, ``glusterfs``, ``cephfs`` …) is mounted inline in the pod.

    Kept on its file server: the program's state where it writes its data there."""
    for name, (path, volume) in workload.volumes.items():
        source = volume_source(volume)
        if source not in SHARED_FILE_SYSTEMS:
            continue
        mounts = [m for m in workload.mounts if m.volume == name]
        called_data = names_data(name) and names_data(_exported(volume.get(source)))
        kept = [m.target for m in mounts if m.writable_store and (called_data or named_for_data(m))]
        where = ", ".join(sorted({f"{m.container}:{m.target}" for m in mounts})) or "not mounted"
        text = f"inline {source} volume {name!r} at {where}"
        if kept:
            yield Hit(f"{path}/{source}", f"{text}: its data, kept on the file server")
        else:
            yield Hit(f"{path}/{source}", f"{text}: a share it works in", effect=Effect.CONTEXT)


def _exported(source: object) -> str:
    """The last folder of the path the share exports (``nfs: {path: /exports/app-data}``)."""
    path = source.get("path") if isinstance(source, Mapping) else None
    return str(path).rstrip("/").rsplit("/", 1)[-1] if path else ""
