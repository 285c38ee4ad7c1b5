"""CPU-seconds an engine spends, every process of it, counted by the kernel's cpuacct controller.

``getrusage(RUSAGE_CHILDREN)`` on the bench sees the podman CLI and the children it waits for,
and no more. A container's conmon is not among them: it detaches from the CLI that starts it and
runs the runtime's ``create``; when the container exits it runs the exit command, ``podman
container cleanup``, and waits for it (conmon v2.1.6 ``do_exit_command``,
https://github.com/containers/conmon/blob/158b5421dbac6bda96b1457955cf2e3c34af29bc/src/ctr_exit.c).
That cleanup races the ``podman rm`` that stopped the container: ``Container.stop`` unlocks the
container while the runtime stops it, and whichever process locks it first tears the network
down (four CNI plugins, a dozen iptables calls, ``runc delete``), the other finds nothing left
(Podman v4.3.1 ``libpod/container_internal.go``, ``stop`` and ``cleanup``,
https://github.com/containers/podman/blob/814b7b003cc630bf6ab188274706c383f9fb9915/libpod/container_internal.go).
Counted by rusage, ``podman rm -f`` of a busybox container spent 0.05 CPU·s in 7 of 24 restarts
and 0.12–0.15 in the others: a two-valued draw at the heart of the restart rows.

So the bench's podman processes run in a cpuacct cgroup of their own (``cli``), and its
containers get that cgroup's parent as ``--cgroup-parent``, under which Podman puts each
container's conmon (``<parent>/conmon``, ``moveConmonToCgroupAndSignal`` in
https://github.com/containers/podman/blob/814b7b003cc630bf6ab188274706c383f9fb9915/libpod/oci_conmon_linux.go)
and the container itself (``<parent>/libpod-<id>``). cpuacct charges a task's CPU time to its
cgroup and every ancestor, in nanoseconds, and keeps it when a child cgroup is removed
(https://docs.kernel.org/admin-guide/cgroup-v1/cpuacct.html). A measurement ends when the engine
is quiet: no podman CLI left, and no conmon but those of running containers (an exiting
container's conmon lives until its cleanup is done).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

__all__ = ["EngineCpu"]

_V1 = Path("/sys/fs/cgroup")
_QUIET_WITHIN_S = 120.0
_POLL_S = 0.02


class EngineCpu:
    """A cpuacct cgroup tree holding the bench's podman CLI processes and containers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.root = _V1 / "cpuacct" / name
        self.cli = self.root / "cli"
        self.cli.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def available() -> str:
        """Why this machine cannot count an engine's CPU this way, or "" when it can."""
        if not (_V1 / "cpuacct" / "cpuacct.usage").exists():
            return "no cgroup v1 cpuacct hierarchy at /sys/fs/cgroup/cpuacct"
        if not os.access(_V1 / "cpuacct", os.W_OK):
            return "/sys/fs/cgroup/cpuacct is not writable (run as root)"
        return ""

    @property
    def parent(self) -> str:
        """The ``--cgroup-parent`` for containers (cgroupfs manager: a path from the root)."""
        return f"/{self.name}"

    def command(self, argv: list[str]) -> list[str]:
        """``argv`` run as a process that first moves itself into the CLI cgroup (writing 0 to
        ``cgroup.procs`` moves the writer), then becomes ``argv`` in place."""
        procs = self.cli / "cgroup.procs"
        return ["sh", "-c", 'echo 0 > "$0" && exec "$@"', str(procs), *argv]

    def seconds(self) -> float:
        """CPU-seconds the tree's processes have used so far, the removed ones' included."""
        return int((self.root / "cpuacct.usage").read_text(encoding="ascii")) / 1e9

    def settle(self) -> None:
        """Wait until the engine is quiet: the CLI cgroup empty and as many conmons left as
        running containers."""
        deadline = time.monotonic() + _QUIET_WITHIN_S
        while not self._quiet():
            if time.monotonic() > deadline:
                raise RuntimeError(f"bad bench: the engine under {self.root} is not quiet")
            time.sleep(_POLL_S)

    def close(self) -> None:
        """Remove the tree from every hierarchy Podman created it in, once the engine is quiet
        (no container may be left in it)."""
        self.settle()
        for top in _V1.glob(f"*/{self.name}"):
            for folder, _, _ in os.walk(top, topdown=False):  # the leaves first
                os.rmdir(folder)

    def _quiet(self) -> bool:
        if _procs(self.cli):
            return False
        others = [d for d in self.root.iterdir() if d.is_dir() and d.name not in ("cli", "conmon")]
        running = sum(1 for d in others if _procs(d))  # the containers' own cgroups
        return len(_procs(self.root / "conmon")) <= running


def _procs(cgroup: Path) -> list[str]:
    """The processes in one cgroup (none when it does not exist yet or any more)."""
    try:
        return (cgroup / "cgroup.procs").read_text(encoding="ascii").split()
    except FileNotFoundError:
        return []
