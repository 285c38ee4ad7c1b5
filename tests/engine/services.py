"""A second Podman API service for tests that stop and start the engine under a watch."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import docker


def until(done: Callable[[], bool], what: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class SecondService:
    """A second Podman API service over the test engine's storage, on its own socket: one
    this test can stop and start again while the shared one serves the other tests."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            ["podman", "system", "service", "--time=0", self.url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        until(self._answers, "the second API service", limit=30)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)
            self.process = None

    def _answers(self) -> bool:
        try:  # the client asks the service its API version as it is made
            client = docker.DockerClient(base_url=self.url, timeout=5)
        except (docker.errors.DockerException, OSError):
            return False
        try:
            return bool(client.ping())
        except (docker.errors.DockerException, OSError):
            return False
        finally:
            client.close()
