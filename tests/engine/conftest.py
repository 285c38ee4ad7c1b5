"""Containers on the real test engine, made per test and removed after it."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import pytest
from docker.models.containers import Container
from pyrage import x25519
from tests.services import TEST_IMAGE, engine_problem, service_down

from stateward.forensics.sealing import Identities, Recipients, load_identities
from stateward.model.secrets import SecretKeeper

IMAGE = TEST_IMAGE
TEST_LABEL = "stateward.test"

Make = Callable[..., Container]
LEFTOVER_AGE_S = 15 * 60


def _remove_leftovers(client: docker.DockerClient) -> None:
    # The low-level list: ``containers.list`` inspects every container it lists, and one that
    # another test session removes meanwhile fails that inspection (Podman answers 500, not 404).
    for leftover in client.api.containers(all=True, filters={"label": TEST_LABEL}):
        if time.time() - float(leftover.get("Created", 0)) <= LEFTOVER_AGE_S:
            continue
        try:
            client.api.remove_container(leftover["Id"], force=True)
        except docker.errors.APIError:
            pass  # another session removed it first


def unique(name: str) -> str:
    """``name`` made unique to this call: concurrent test runs share one engine, and a fixed
    volume name, project or published port would collide between them (409, address in use)."""
    return f"{name}{uuid.uuid4().hex[:8]}"


def free_port() -> int:
    """A TCP port nothing on this host listens on now, to publish a container port on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def engine(engine_url: str) -> Iterator[docker.DockerClient]:
    """A client of the test engine, with containers left by an interrupted run removed first
    (only old ones: another test session may be using the same engine right now)."""
    client = docker.DockerClient(base_url=engine_url, timeout=60)
    _remove_leftovers(client)
    yield client
    client.close()


@pytest.fixture
def make_container(engine: docker.DockerClient, engine_url: str) -> Iterator[Make]:
    """``make_container(name, command, wait=True, start=True, **run_kwargs)`` runs (or only
    creates) a container of the test image named ``sw-<random>-<name>``; with ``wait`` it waits
    for the container to exit."""
    made: list[Container] = []
    volumes: list[str] = []

    def make(
        name: str,
        command: list[str] | None = None,
        wait: bool = True,
        start: bool = True,
        **kw: Any,
    ) -> Container:
        kw["labels"] = {TEST_LABEL: "1", **kw.get("labels", {})}
        kw["name"] = f"sw-{uuid.uuid4().hex[:8]}-{name}"
        try:
            if start:
                container = engine.containers.run(IMAGE, command, detach=True, **kw)
            else:
                container = engine.containers.create(IMAGE, command, **kw)
        except docker.errors.APIError:
            # A test's container may fail for the test's own reasons; only an engine that
            # cannot run even the plainest container is a broken service.
            problem = engine_problem(engine_url)
            if problem:
                service_down("container engine", problem)
            raise
        made.append(container)
        volumes.extend(v for v in kw.get("volumes", {}) if not v.startswith("/"))
        if wait and start:
            container.wait(timeout=60)
        container.reload()
        return container

    yield make
    for container in made:
        try:
            container.remove(force=True, v=True)
        except docker.errors.NotFound:
            pass  # the test removed it itself
    for volume in volumes:
        try:
            engine.volumes.get(volume).remove(force=True)
        except docker.errors.NotFound:
            pass


@pytest.fixture
def keeper() -> SecretKeeper:
    """A secret keeper with a fixed key, so digests can be recomputed in assertions."""
    return SecretKeeper(b"k" * 32)


@dataclass(frozen=True)
class AgeKey:
    """A responder's age key pair: the identity file, and the parsed keys."""

    identity_file: Path
    public: str
    recipients: Recipients
    identities: Identities


@pytest.fixture(scope="session")
def age_key(tmp_path_factory: pytest.TempPathFactory) -> AgeKey:
    """A fresh X25519 key pair written as age-keygen writes it (comments, then the key)."""
    secret = x25519.Identity.generate()
    public = str(secret.to_public())
    path = tmp_path_factory.mktemp("age") / "responder.key"
    path.write_text(f"# created: test\n# public key: {public}\n{secret}\n", encoding="ascii")
    path.chmod(0o600)
    return AgeKey(path, public, Recipients.parse([public], "test"), load_identities(path))
