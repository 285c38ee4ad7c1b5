"""Image pulls on a real Podman engine from a real registry on loopback, measured.

Images are built from the local busybox test image plus layers of real files (shared libraries of
this machine, so they compress like real binaries), pushed to the registry, and pulled back
through a byte-counting proxy. A replacement is what a kubelet with ``IfNotPresent`` does: pull
if the image is missing, stop the old container, start the new one.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BASE_IMAGE", "Podman", "Spent", "build_context"]

BASE_IMAGE = "localhost/stateward-test/busybox:1"
CONTAINER = "stateward-bench-cost"
_LIBS = Path("/usr/lib/x86_64-linux-gnu")
_MAX_FILE = 32 << 20


@dataclass(frozen=True, slots=True)
class Spent:
    """Wall seconds of some podman commands and the CPU-seconds their processes used."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def __add__(self, other: Spent) -> Spent:
        return Spent(self.seconds + other.seconds, self.cpu_seconds + other.cpu_seconds)


class Podman:
    """The podman CLI on the test engine's storage (``CONTAINERS_CONF``,
    ``CONTAINERS_STORAGE_CONF`` from ``scripts/services.env``). Local mode, not ``--remote``:
    through the API socket every step is slower and noisier on a shared machine.

    Only the commands a replacement is made of (pull, stop and remove, run) are timed and
    counted; the checks before them (``image exists``, ``container exists``) are the kubelet's
    in-process bookkeeping, not part of what the model prices, and each costs a whole podman
    process (0.12–0.21 s and 0.03–0.04 CPU·s at load 11 on 2 cores): counted in the scenarios
    but not in the restarts the constants come from, they made every measured restart look
    slower than predicted."""

    def __init__(self) -> None:
        self.env = dict(os.environ)
        self.base = ["podman"]

    def __call__(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [*self.base, *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"podman {' '.join(args)}: {done.stderr.strip()[-400:]}")
        return done.stdout.strip()

    def timed(self, *args: str) -> Spent:
        """Wall and CPU time of one podman command."""
        cpu, started = _children_cpu(), time.perf_counter()
        self(*args)
        return Spent(time.perf_counter() - started, _children_cpu() - cpu)

    def present(self, ref: str) -> bool:
        """Whether the image is in local storage."""
        return self._exists("image", ref)

    def remove_container(self) -> Spent:
        """Stop (no grace) and remove the bench container (nothing spent when absent)."""
        if not self._exists("container", CONTAINER):
            return Spent()
        return self.timed("rm", "-f", "-t", "0", CONTAINER)

    def start(self, ref: str) -> Spent:
        """Run the bench container from ``ref``, until the engine reports it started."""
        return self.timed("run", "-d", "--name", CONTAINER, ref, "sleep", "600")

    def replace(self, ref: str) -> Spent:
        """Pull ``ref`` if missing, remove the old container, start the new one."""
        pulled = Spent()
        if not self.present(ref):
            pulled = self.timed("pull", "-q", "--tls-verify=false", ref)
        return pulled + self.remove_container() + self.start(ref)

    def remove_images(self, refs: list[str]) -> None:
        """Remove images by reference (missing ones are fine); the base image stays."""
        for ref in refs:
            self("rmi", "-f", ref, check=False)

    def _exists(self, kind: str, name: str) -> bool:
        return not subprocess.run([*self.base, kind, "exists", name], env=self.env,
                                  capture_output=True, timeout=60).returncode  # fmt: skip


def _children_cpu() -> float:
    """CPU-seconds of this process's finished children (the podman CLI runs the pull)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_context(root: Path, layers: dict[str, int]) -> dict[str, Path]:
    """Directories of real files, one per layer name, each about the given size in MiB, with
    no file shared between two layers (so no two layers are equal)."""
    files = sorted(
        p for p in _LIBS.iterdir() if p.is_file() and not p.is_symlink()
        and 0 < p.stat().st_size <= _MAX_FILE
    )  # fmt: skip
    out: dict[str, Path] = {}
    index = 0
    for name, mib in layers.items():
        folder = root / name
        folder.mkdir(parents=True)
        total = 0
        while total < mib << 20 and index < len(files):
            shutil.copy2(files[index], folder / files[index].name)
            total += files[index].stat().st_size
            index += 1
        out[name] = folder
    return out
