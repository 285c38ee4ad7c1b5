"""Health checks of the real services the tests use, shared by every conftest."""

from __future__ import annotations

from typing import NoReturn

import docker
import pytest

TEST_IMAGE = "localhost/stateward-test/busybox:1"


def engine_problem(url: str) -> str | None:
    """Why the engine at ``url`` cannot run a container, or None when it can.

    Answering ``_ping`` is not enough: an engine whose working directory was deleted still
    answers while every container start fails. So the check is a container's whole life.
    """
    try:
        client = docker.DockerClient(base_url=url, timeout=60)
    except docker.errors.DockerException as exc:
        return f"no client for {url}: {exc}"
    try:
        client.ping()
        # detached, then waited for and removed: the way the tests run theirs (a non-detached
        # run attaches first, which a fresh Podman may not answer within the timeout)
        box = client.containers.run(
            TEST_IMAGE, ["true"], detach=True, labels={"stateward.test": "1"}
        )
        try:
            box.wait(timeout=60)
        finally:
            box.remove(force=True)
    except (docker.errors.DockerException, OSError) as exc:
        return f"a test container does not run on {url}: {exc}"
    finally:
        client.close()
    return None


def service_down(what: str, problem: str) -> NoReturn:
    """Skip the running test: its service broke (the message says which and why)."""
    pytest.skip(f"SERVICE DOWN: {what}: {problem}; run `make services` to restart it")
