"""Image pulls on a real Podman engine from a real registry on loopback, measured.

Images are built from the local busybox test image plus layers of real files (shared libraries of
this machine, so they compress like real binaries), pushed to the registry, and pulled back
through a byte-counting proxy. A replacement is what a kubelet with ``IfNotPresent`` does: pull
if the image is missing, stop the old container, start the new one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.calibration.cpu import EngineCpu

__all__ = ["BASE_IMAGE", "Podman", "Spent", "build_context"]

BASE_IMAGE = "localhost/stateward-test/busybox:1"
CONTAINER = "stateward-bench-cost"
_LIBS = Path("/usr/lib/x86_64-linux-gnu")
_MAX_FILE = 32 << 20


@dataclass(frozen=True, slots=True)
class Spent:
    """Wall seconds of some podman commands and the CPU-seconds the engine spent for them."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0


class Podman:
    """The podman CLI on the test engine's storage (``CONTAINERS_CONF``,
    ``CONTAINERS_STORAGE_CONF`` from ``scripts/services.env``). Local mode, not ``--remote``:
    through the API socket every step is slower and noisier on a shared machine.

    Only the commands a replacement is made of (pull, stop and remove, run) are timed, and the
    CPU the engine spends from the first of them until it is quiet again is counted, every
    process of it (:class:`~bench.calibration.cpu.EngineCpu`); the checks before them (``image
    exists``, ``container exists``) are the kubelet's in-process bookkeeping, not part of what
    the model prices, and each costs a whole podman process (0.12–0.21 s and 0.03–0.04 CPU·s at
    load 11 on 2 cores): counted in the scenarios but not in the restarts the constants come
    from, they made every measured restart look slower than predicted."""

    def __init__(self, cpu: EngineCpu, container: str = CONTAINER) -> None:
        self.env = dict(os.environ)
        self.cpu = cpu
        self.container = container

    def __call__(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            self.cpu.command(["podman", *args]), env=self.env, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
        if check and done.returncode != 0:
            raise RuntimeError(f"podman {' '.join(args)}: {done.stderr.strip()[-400:]}")
        return done.stdout.strip()

    def present(self, ref: str) -> bool:
        """Whether the image is in local storage."""
        return self._exists("image", ref)

    def remove_container(self) -> Spent:
        """Stop (no grace) and remove the bench container (nothing spent when absent)."""
        if not self._exists("container", self.container):
            return Spent()
        return self._spend([self._remove()])

    def replace(self, ref: str) -> Spent:
        """Pull ``ref`` if missing, remove the old container, start the new one."""
        commands: list[tuple[str, ...]] = []
        if not self.present(ref):
            commands.append(("pull", "-q", "--tls-verify=false", ref))
        if self._exists("container", self.container):
            commands.append(self._remove())
        run = ("run", "-d", "--cgroup-parent", self.cpu.parent, "--name", self.container, ref)
        return self._spend([*commands, (*run, "sleep", "600")])

    def remove_images(self, refs: list[str]) -> None:
        """Remove images by reference (missing ones are fine); the base image stays."""
        for ref in refs:
            self("rmi", "-f", ref, check=False)

    def _spend(self, commands: list[tuple[str, ...]]) -> Spent:
        """Wall seconds of the commands, one after another, and the CPU-seconds of every
        process of the engine from the first until it is quiet (what an earlier, unmeasured
        command left running is waited out first)."""
        self.cpu.settle()
        cpu, wall = self.cpu.seconds(), 0.0
        for args in commands:
            started = time.perf_counter()
            self(*args)
            wall += time.perf_counter() - started
        self.cpu.settle()
        return Spent(wall, self.cpu.seconds() - cpu)

    def _remove(self) -> tuple[str, ...]:
        return ("rm", "-f", "-t", "0", self.container)

    def _exists(self, kind: str, name: str) -> bool:
        return not subprocess.run(["podman", kind, "exists", name], env=self.env,
                                  capture_output=True, timeout=60).returncode  # fmt: skip


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
