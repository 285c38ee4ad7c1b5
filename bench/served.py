"""Servers the benchmarks start as processes of their own on a loopback port: ``stateward
serve`` exactly as a user runs it, and what it is compared with. Each is stopped by its own
process id."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

__all__ = ["Server", "answering", "free_port", "stateward"]

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Server:
    """A running ``stateward serve``."""

    url: str
    location: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU the process and its worker processes (``--workers``) have spent so far."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return sum(_cpu_seconds(pid) for pid in [self.pid, *map(int, children)])


def _cpu_seconds(pid: int) -> float:
    """utime and stime, fields 14 and 15 of /proc/<pid>/stat (proc(5)), counted after the
    command name, which may hold spaces."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def stateward(location: str, log: Path, *options: str) -> Iterator[Server]:
    """``stateward serve --store location`` with ``options`` in a process of its own, its
    access log written to ``log``."""
    port = free_port()
    command = [sys.executable, "-m", "stateward", "serve", "--store", location]
    command += ["--port", str(port), *options]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=out, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        answering(url + "/healthz", process)
        yield Server(url, location, process.pid)
    finally:
        process.terminate()  # uvicorn's graceful shutdown
        process.wait(timeout=30)


def answering(url: str, process: subprocess.Popen[bytes]) -> None:
    """Wait until ``url`` answers; RuntimeError when ``process`` exits first or it never does."""
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("nothing answered on " + url)
