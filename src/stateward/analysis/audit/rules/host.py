"""Access to host state: the container engine's socket, the host's filesystem, network, devices.

The same checks the security linters make (kube-linter ``docker-sock`` and
``sensitive-host-mounts``, Checkov CKV_K8S_27, Polaris ``hostPathSet``), read here as *where
state is*: a component with the engine socket controls every other container of the host.

DOCKER_SOCKET, HOST_FS and PRIVILEGED are **high** on what the manifest itself grants: the
mount of the engine's socket or of a system directory of the host (its host path, read from the
file), or ``privileged: true``. Unlike a loss, which the audit infers (a family, a data
directory, a missing mount), the access is the file's literal setting, not a reading of it,
so no second signal is asked for; a read-only mount of a system directory is low.

Sources:
https://github.com/stackrox/kube-linter/blob/8d689190b7dcd63a8bbb50d05e1739273dbc1e9a/docs/generated/checks.md
and
https://github.com/bridgecrewio/checkov/blob/89d1b46f67dd6dfb73f4ecb59056668009adfcb4/checkov/kubernetes/checks/resource/k8s/DockerSocketVolume.py
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.interface import Effect, Hit, detector
from stateward.analysis.audit.workloads import Mount, Workload
from stateward.model.finding import Severity
from stateward.model.kubernetes import as_list

__all__ = ["holds_socket", "host_access"]

_SOCKET = re.compile(r"/(docker|containerd|crio|podman|cri-dockerd)\.sock$")
# Host directories whose contents are the host's own state, not an application's data.
_HOST_DIRS = frozenset(
    {
        "/",
        "/proc",
        "/sys",
        "/dev",
        "/etc",
        "/boot",
        "/root",
        "/var",
        "/run",
        "/var/run",
        "/var/lib/docker",
        "/var/lib/containerd",
        "/var/lib/kubelet",
        "/var/log",
        # The host's users' homes, as root's: a bind of the whole home (``~:/root``, a web
        # file manager's; ``$HOME`` is interpolated before it is read) hands the program the
        # user's own files (keys, dotfiles, documents), not a folder of the program's. Compose reads ``~`` as the user's home on the host
        # (the Compose file reference's ``~/configs:/etc/configs/:ro``, "User-relative path",
        # https://docs.docker.com/reference/compose-file/services/#volumes); a folder under it
        # (``~/app/data``) stays a bind.
        "~",
        "/home",
    }
)


def host_access(mount: Mount) -> str | None:
    """``DOCKER_SOCKET`` or ``HOST_FS`` for a host mount that reaches host state, else None."""
    if mount.kind not in ("bind", "hostPath") or not mount.source:
        return None
    source = mount.source.rstrip("/") or "/"
    if _SOCKET.search(source):
        return "DOCKER_SOCKET"
    return "HOST_FS" if source in _HOST_DIRS else None


def _host_mounts(workload: Workload, wanted: str) -> Iterator[Hit]:
    seen: set[str] = set()
    for mount in workload.mounts:
        if host_access(mount) == wanted and mount.volume + mount.target not in seen:
            seen.add(mount.volume + mount.target)
            mode = "read-only view" if mount.read_only else "read-write"
            # Reading /proc or /sys (a node exporter) is not writing the host's state.
            low = Severity.LOW if mount.read_only and wanted == "HOST_FS" else None
            yield Hit(mount.path, f"host {mount.source} at {mount.target} ({mode})", severity=low)


def holds_socket(workload: Workload) -> bool:
    """The workload mounts the container engine's socket."""
    return any(host_access(m) == "DOCKER_SOCKET" for m in workload.mounts)


@detector(
    "DOCKER_SOCKET",
    Severity.HIGH,
    Effect.ACCESS,
    remedy="Drop the socket, or use a read-only API proxy limited to what is needed.",
)
def docker_socket(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """The container engine's socket is mounted: the component controls the host's containers."""
    yield from _host_mounts(workload, "DOCKER_SOCKET")


@detector(
    "HOST_FS",
    Severity.HIGH,
    Effect.ACCESS,
    remedy="Mount only the host paths the component needs, read-only.",
)
def host_fs(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A host system directory (``/``, ``/proc``, ``/var/lib/docker`` …) is mounted."""
    yield from _host_mounts(workload, "HOST_FS")


@detector(
    "HOST_NETWORK",
    Severity.MEDIUM,
    Effect.ACCESS,
    remedy="Use the pod/container network and publish ports instead.",
)
def host_network(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """The component shares the host's network (``hostNetwork``, ``network_mode: host``)."""
    if workload.platform == "compose":
        if workload.body.get("network_mode") == "host":
            yield Hit("/network_mode", "network_mode: host")
    elif workload.pod.get("hostNetwork") is True:
        yield Hit(workload.pod_path + "/hostNetwork", "hostNetwork: true")


@detector(
    "PRIVILEGED",
    Severity.HIGH,
    Effect.ACCESS,
    remedy="Drop privileged; add only the capabilities needed.",
)
def privileged(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A container runs privileged: full access to the host's devices and kernel."""
    if workload.platform == "compose":
        if workload.body.get("privileged") is True:
            yield Hit("/privileged", "privileged: true")
        return
    for container in workload.all_containers():
        context = container.body.get("securityContext")
        if isinstance(context, Mapping) and context.get("privileged") is True:
            yield Hit(
                container.path + "/securityContext/privileged",
                f"container {container.name!r} is privileged",
            )


@detector(
    "HOSTPORT",
    Severity.MEDIUM,
    Effect.CONTEXT,
    remedy="Expose through a Service; a hostPort allows one such pod per node.",
)
def host_port(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A container binds a ``hostPort``: one pod per node and port; surge pods cannot co-locate."""
    if workload.platform != "kubernetes":
        return
    for container in workload.all_containers():
        for i, port in enumerate(as_list(container.body.get("ports"))):
            if isinstance(port, Mapping) and port.get("hostPort"):
                yield Hit(
                    container.path + f"/ports/{i}/hostPort",
                    f"container {container.name!r} binds hostPort {port['hostPort']}",
                )
