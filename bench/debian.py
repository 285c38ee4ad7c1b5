"""Debian tools the benchmarks drive (nginx, wrk): found on the path, or installed with
apt-get when they are missing and it can."""

from __future__ import annotations

import shutil
import subprocess

__all__ = ["tool"]


def tool(command: str, package: str) -> str | None:
    """``command``'s path, installing Debian's ``package`` when apt-get can; None when neither
    works (the benchmark then says what it skipped)."""
    found = shutil.which(command) or shutil.which(command, path="/usr/sbin")
    if found is None and shutil.which("apt-get"):
        install = ["apt-get", "install", "-y", "-q", package]
        subprocess.run(install, capture_output=True, check=False)
        found = shutil.which(command) or shutil.which(command, path="/usr/sbin")
    return found
