"""Where ``engine://`` leads, the way the docker CLI decides it (no engine needed), and an engine
that is not there."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from stateward.errors import SourceError
from stateward.model.secrets import SecretKeeper
from stateward.sources.engine.client import connect
from stateward.sources.engine.endpoint import (
    DOCKER_SOCKET,
    PODMAN_ROOTFUL,
    Endpoint,
    TLSFiles,
    accepts,
    default_sockets,
    locate,
)
from stateward.sources.engine.source import EngineSource

SYSTEM_SOCKETS = [p for p in (DOCKER_SOCKET, PODMAN_ROOTFUL) if Path(p).exists()]


def _context(config: Path, name: str, host: str, skip_verify: bool = False) -> Path:
    """A context as `docker context create` stores it; returns its TLS folder."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = config / "contexts" / "meta" / digest
    meta.mkdir(parents=True)
    endpoint = {"Host": host, "SkipTLSVerify": skip_verify}
    (meta / "meta.json").write_text(
        json.dumps({"Name": name, "Metadata": {}, "Endpoints": {"docker": endpoint}})
    )
    return config / "contexts" / "tls" / digest / "docker"


def _pems(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("ca.pem", "cert.pem", "key.pem"):
        (folder / name).write_text("pem")


def test_the_default_order_is_docker_then_podman_rootful_then_rootless() -> None:
    assert default_sockets({"XDG_RUNTIME_DIR": "/run/user/7"}) == (
        "/var/run/docker.sock", "/run/podman/podman.sock", "/run/user/7/podman/podman.sock"
    )  # fmt: skip


@pytest.mark.skipif(bool(SYSTEM_SOCKETS), reason=f"this machine has {SYSTEM_SOCKETS}")
def test_the_first_socket_that_exists_is_taken(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path / "run")}
    assert locate("engine://", env) == Endpoint(
        "unix:///var/run/docker.sock", None, "the default socket"
    )
    (tmp_path / "run" / "podman").mkdir(parents=True)
    (tmp_path / "run" / "podman" / "podman.sock").touch()
    assert locate("engine://", env).url == f"unix://{tmp_path}/run/podman/podman.sock"


@pytest.mark.parametrize(
    "host", ["unix:///var/run/docker.sock", "tcp://10.0.0.5:2375", "ssh://ops@build-host"]
)
def test_docker_host_in_every_form(host: str, tmp_path: Path) -> None:
    assert locate("engine://", {"DOCKER_HOST": host, "HOME": str(tmp_path)}) == Endpoint(
        host, None, "DOCKER_HOST"
    )


def test_docker_host_of_an_unknown_form_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"DOCKER_HOST 'fd://' is not an engine address") as err:
        locate("engine://", {"DOCKER_HOST": "fd://", "HOME": str(tmp_path)})
    assert "tcp://host:port" in err.value.diagnostics()


def test_tls_from_the_environment(tmp_path: Path) -> None:
    _pems(tmp_path / "certs")
    env = {
        "DOCKER_HOST": "tcp://h:2376",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(tmp_path / "certs"),
    }
    pems = tmp_path / "certs"
    assert locate("engine://", env).tls == TLSFiles(
        True, str(pems / "ca.pem"), (str(pems / "cert.pem"), str(pems / "key.pem"))
    )
    unverified = {"DOCKER_HOST": "tcp://h:2376", "DOCKER_TLS": "1", "HOME": str(tmp_path)}
    assert locate("engine://", unverified).tls == TLSFiles(False)  # ~/.docker has no PEM files
    _pems(tmp_path / ".docker")
    assert locate("engine://", unverified).tls == TLSFiles(
        False,
        f"{tmp_path}/.docker/ca.pem",
        (f"{tmp_path}/.docker/cert.pem", f"{tmp_path}/.docker/key.pem"),
    )
    assert locate("engine://", {"DOCKER_HOST": "tcp://h:2375", "HOME": str(tmp_path)}).tls is None
    assert locate("engine://", {"DOCKER_HOST": "unix:///s", "DOCKER_TLS_VERIFY": "1"}).tls is None


def test_the_current_context_of_the_docker_config(tmp_path: Path) -> None:
    config = tmp_path / ".docker"
    _pems(_context(config, "remote", "tcp://build:2376"))
    _context(config, "other", "ssh://ops@other")
    (config / "config.json").write_text(json.dumps({"currentContext": "remote"}))
    found = locate("engine://", {"HOME": str(tmp_path)})
    assert (found.url, found.origin) == ("tcp://build:2376", "Docker context 'remote'")
    assert (
        found.tls is not None
        and found.tls.verify
        and found.tls.ca
        and found.tls.ca.endswith("/docker/ca.pem")
    )
    # DOCKER_CONTEXT names another; DOCKER_HOST wins over both (docker/cli resolveContextName)
    assert (
        locate("engine://", {"HOME": str(tmp_path), "DOCKER_CONTEXT": "other"}).url
        == "ssh://ops@other"
    )
    both = {"HOME": str(tmp_path), "DOCKER_CONTEXT": "other", "DOCKER_HOST": "unix:///x.sock"}
    assert locate("engine://", both).url == "unix:///x.sock"
    moved = tmp_path / "elsewhere"
    config.rename(moved)
    assert (
        locate("engine://", {"HOME": "/nonexistent", "DOCKER_CONFIG": str(moved)}).url
        == "tcp://build:2376"
    )


@pytest.mark.skipif(bool(SYSTEM_SOCKETS), reason=f"this machine has {SYSTEM_SOCKETS}")
def test_the_default_context_means_the_default_sockets(tmp_path: Path) -> None:
    (tmp_path / ".docker").mkdir()
    (tmp_path / ".docker" / "config.json").write_text(json.dumps({"currentContext": "default"}))
    assert (
        locate("engine://", {"HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path)}).url
        == "unix:///var/run/docker.sock"
    )


def test_a_missing_or_broken_context_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"Docker context 'gone' has no engine endpoint"):
        locate("engine://", {"HOME": str(tmp_path), "DOCKER_CONTEXT": "gone"})
    (tmp_path / ".docker").mkdir()
    (tmp_path / ".docker" / "config.json").write_text("{not json")
    with pytest.raises(SourceError, match=r"config.json: Docker config is not a JSON object"):
        locate("engine://", {"HOME": str(tmp_path)})


def test_a_path_names_a_unix_socket_and_unix_urls_are_accepted() -> None:
    assert locate("engine:///tmp/x/podman.sock", {}).url == "unix:///tmp/x/podman.sock"
    assert locate("unix:///var/run/docker.sock", {}).url == "unix:///var/run/docker.sock"
    assert (
        accepts("unix:///var/run/docker.sock") and accepts("engine://") and not accepts("tcp://h:1")
    )
    assert EngineSource().accepts("unix:///var/run/docker.sock")


def test_a_host_is_refused_with_the_forms_that_work() -> None:
    with pytest.raises(SourceError, match=r"'engine://host:2375' is not an engine socket") as err:
        locate("engine://host:2375", {})
    assert "engine:///path/to.sock" in err.value.diagnostics()


def test_an_absent_engine_is_one_clear_error(tmp_path: Path) -> None:
    sock = tmp_path / "absent.sock"
    with pytest.raises(SourceError, match=rf"container engine at unix://{sock} does not answer"):
        connect(f"unix://{sock}")
    with pytest.raises(SourceError) as err:
        EngineSource().observe(f"engine://{sock}", SecretKeeper(b"k" * 32))
    assert "\n" not in err.value.diagnostics()
    assert "Start the engine" in err.value.diagnostics()
    with pytest.raises(SourceError, match=r"at tcp://127.0.0.1:9 \(DOCKER_HOST\) does not answer"):
        EngineSource(environ={"DOCKER_HOST": "tcp://127.0.0.1:9"}).observe(
            "engine://", SecretKeeper(b"k" * 32)
        )


def test_ssh_goes_through_the_ssh_client(tmp_path: Path) -> None:
    # the docker CLI's way: `ssh HOST docker system dial-stdio`; nothing listens on port 1
    env = {"DOCKER_HOST": "ssh://nobody@127.0.0.1:1", "HOME": str(tmp_path)}
    with pytest.raises(
        SourceError, match=r"at ssh://nobody@127.0.0.1:1 \(DOCKER_HOST\) does not answer"
    ) as err:
        EngineSource(environ=env).observe("engine://", SecretKeeper(b"k" * 32))
    assert "paramiko" not in err.value.diagnostics()
