"""A job directory bound at its own host path beside the engine's socket is where a service hands
files to the containers it starts (Cortex's analyzers): no state of its own. The same bind
without the socket, at another path, or of a whole home is still the service's. Small
hand-made Compose projects."""

from __future__ import annotations

import pytest

from .conftest import Auditor, effect_of_one

_PROJECT = """
services:
  runner:
    image: example/runner:1
    volumes:
      {socket}
      - "{source}:{target}"
"""
_SOCKET = "- /var/run/docker.sock:/var/run/docker.sock"


def _bind_effect(audit_files: Auditor, source: str, target: str, socket: bool = True) -> str:
    compose = _PROJECT.format(socket=_SOCKET if socket else "", source=source, target=target)
    report = audit_files(**{"compose.yaml": compose})
    return str(effect_of_one(report, "COMPOSE_BIND", f"-> {target} "))


@pytest.mark.parametrize("path", ["/opt/cortex/jobs", "/tmp/cortex-jobs", "/srv/ci/builds"])
def test_a_same_path_job_directory_beside_the_socket_holds_nothing(
    audit_files: Auditor, path: str
) -> None:
    assert _bind_effect(audit_files, path, path) == "context"


@pytest.mark.parametrize(
    ("source", "target", "socket"),
    [
        ("/opt/cortex/jobs", "/opt/cortex/jobs", False),  # no engine to start containers
        ("/srv/cortex/jobs", "/opt/cortex/jobs", True),  # another path: not read by the engine
        ("/var/jenkins_home", "/var/jenkins_home", True),  # a whole home, not its jobs
    ],
)
def test_another_writable_host_directory_stays_durable(
    audit_files: Auditor, source: str, target: str, socket: bool
) -> None:
    assert _bind_effect(audit_files, source, target, socket) == "durable"
