"""Whose state a directory of a shared claim is, when each workload mounts its own ``subPath``.

One ``ReadWriteMany`` claim is often carved into folders, one per component: a ``subPath``
mounts "a sub-path inside the referenced volume instead of its root", so one volume serves
several uses (https://kubernetes.io/docs/concepts/storage/volumes/#using-subpath). The claim's
access mode says many pods can mount it
(https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes), not that they
share what is in each folder: a folder that one long-running workload alone writes, no other
workload mounting it, a folder above or below it, or the claim's root read-write, is that
workload's state, as a claim of its own would be (Mailu's manifests: Dovecot's ``mailstate``,
Roundcube's ``webmail``, Radicale's ``dav`` on one ``mail-storage`` claim). A folder several
workloads write (Mailu's ``maildata``, which the admin, Postfix, Dovecot and fetchmail all
mount) stays context, as does one at a configuration path (``/etc``) or named by an expression
(``subPathExpr``: each pod may get a folder of its own, unknown from the files).
"""

from __future__ import annotations

from stateward.analysis.audit.appdata import configuration
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.steps import runs_to_completion
from stateward.analysis.audit.workloads import Mount, Workload


def _folder(mount: Mount) -> str:
    return mount.sub_path.strip("/")


def _overlap(one: str, other: str) -> bool:
    """Two folders of one volume overlap: the same, or one inside the other ('' is the root)."""
    return not one or not other or one == other or f"{one}/".startswith(f"{other}/") or (
        f"{other}/".startswith(f"{one}/"))  # fmt: skip


def _writes_folder(workload: Workload, claim: str, folder: str) -> bool:
    return any(
        m.kind == "persistentVolumeClaim"
        and m.source == claim
        and not m.read_only
        and _overlap(_folder(m), folder)
        for m in workload.mounts
    )


def own_folder(workload: Workload, mounts: list[Mount], estate: Estate) -> str:
    """Why one of ``mounts`` (one claim's, of ``workload``) is a folder of the claim this
    workload alone writes, running on ('' when none is)."""
    if runs_to_completion(workload):
        return ""
    for mount in mounts:
        folder = _folder(mount)
        if not folder or "$(" in folder or mount.read_only or configuration(mount.target):
            continue
        others = estate.claim_users(workload.namespace, mount.source)
        if not any(o is not workload and _writes_folder(o, mount.source, folder) for o in others):
            return f"subPath {folder} written by this workload alone"
    return ""
