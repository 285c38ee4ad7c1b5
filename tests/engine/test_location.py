"""``engine://`` locations and an engine that is not there (no engine needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stateward.errors import SourceError
from stateward.model.secrets import SecretKeeper
from stateward.sources.engine.client import DEFAULT_SOCKET, connect, engine_url
from stateward.sources.engine.source import EngineSource


def test_default_socket_is_docker_host_then_podman() -> None:
    assert engine_url("engine://", environ={}) == DEFAULT_SOCKET == "unix:///run/podman/podman.sock"
    docker_host = {"DOCKER_HOST": "unix:///var/run/docker.sock"}
    assert engine_url("engine://", environ=docker_host) == "unix:///var/run/docker.sock"


def test_a_path_names_a_unix_socket() -> None:
    assert engine_url("engine:///tmp/x/podman.sock", environ={}) == "unix:///tmp/x/podman.sock"


def test_a_host_is_refused_with_the_forms_that_work() -> None:
    with pytest.raises(SourceError, match=r"'engine://host:2375' is not an engine socket") as err:
        engine_url("engine://host:2375", environ={})
    assert "engine:///path/to.sock" in err.value.diagnostics()


def test_an_absent_engine_is_one_clear_error(tmp_path: Path) -> None:
    sock = tmp_path / "absent.sock"
    with pytest.raises(SourceError, match=rf"container engine at unix://{sock} does not answer"):
        connect(f"unix://{sock}")
    with pytest.raises(SourceError) as err:
        EngineSource().observe(f"engine://{sock}", SecretKeeper(b"k" * 32))
    assert "\n" not in err.value.diagnostics()
    assert "Start the engine" in err.value.diagnostics()
