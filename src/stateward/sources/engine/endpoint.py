"""Where the container engine is, found the way the docker CLI finds it.

Order (docker/cli ``cli/command/cli.go`` ``resolveContextName`` and ``resolveDockerEndpoint`` at
commit ca4e8eb,
https://github.com/docker/cli/blob/ca4e8ebdbda73956585039e297c7ce078b9842fb/cli/command/cli.go):

1. ``DOCKER_HOST`` (``unix://``, ``tcp://``, ``ssh://``), with ``DOCKER_TLS_VERIFY``,
   ``DOCKER_TLS`` and ``DOCKER_CERT_PATH`` for TLS over ``tcp://``;
2. the Docker context named by ``DOCKER_CONTEXT``, else ``currentContext`` in
   ``$DOCKER_CONFIG/config.json`` (``~/.docker`` by default), unless it is ``default``;
3. the first socket that exists of Docker's (``/var/run/docker.sock``), Podman's rootful
   (``/run/podman/podman.sock``) and Podman's rootless (``$XDG_RUNTIME_DIR/podman/podman.sock``);
   Docker's when none does, so the error names the usual place.

A location is ``engine://`` (the order above), ``engine:///path/to.sock`` or
``unix:///path/to.sock`` (that socket).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stateward.errors import SourceError

__all__ = ["SCHEME", "Endpoint", "TLSFiles", "accepts", "default_sockets", "locate"]

SCHEME = "engine://"
_UNIX = "unix://"
_HOST_SCHEMES = ("unix://", "tcp://", "ssh://")
DOCKER_SOCKET = "/var/run/docker.sock"
PODMAN_ROOTFUL = "/run/podman/podman.sock"
_MAX_META = 1024 * 1024


@dataclass(frozen=True, slots=True)
class TLSFiles:
    """TLS for a ``tcp://`` engine: whether to verify it, and the PEM files to use."""

    verify: bool
    ca: str | None = None
    cert: tuple[str, str] | None = None
    """Client certificate and key."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An engine's address, its TLS settings, and where they were found (for messages)."""

    url: str
    tls: TLSFiles | None = None
    origin: str = ""
    """``DOCKER_HOST``, ``Docker context 'NAME'``, ``the default socket``; empty when given."""


def accepts(location: str) -> bool:
    """True for ``engine://``, ``engine:///path`` and ``unix:///path``."""
    return location.startswith((SCHEME, _UNIX))


def locate(
    location: str, environ: Mapping[str, str] | None = None, home: Path | None = None
) -> Endpoint:
    """The engine named by ``location``; ``environ`` and ``home`` stand for the process's."""
    env = os.environ if environ is None else environ
    if location.startswith(_UNIX):
        return Endpoint(_unix(location.removeprefix(_UNIX), location))
    rest = location.removeprefix(SCHEME)
    if rest:
        return Endpoint(_unix(rest, location))
    return _configured(env, home or Path(env.get("HOME") or Path.home()))


def _unix(path: str, location: str) -> str:
    if not path.startswith("/"):
        raise SourceError(
            f"{location!r} is not an engine socket",
            remedy="Write engine:// for the default engine, or engine:///path/to.sock .",
        )
    return _UNIX + path


def _configured(env: Mapping[str, str], home: Path) -> Endpoint:
    config_dir = Path(env.get("DOCKER_CONFIG") or home / ".docker")
    host = env.get("DOCKER_HOST", "")
    if host:
        return Endpoint(
            _checked(host, "DOCKER_HOST"), _env_tls(env, config_dir, host), "DOCKER_HOST"
        )
    name = env.get("DOCKER_CONTEXT") or _current_context(config_dir)
    if name and name != "default":
        return _context(name, config_dir)
    found = next((p for p in default_sockets(env) if Path(p).exists()), DOCKER_SOCKET)
    return Endpoint(_UNIX + found, origin="the default socket")


def default_sockets(environ: Mapping[str, str]) -> tuple[str, ...]:
    """Docker's socket, Podman's rootful, Podman's rootless: the order ``engine://`` tries."""
    runtime = environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return (DOCKER_SOCKET, PODMAN_ROOTFUL, f"{runtime}/podman/podman.sock")


def _checked(host: str, origin: str) -> str:
    if not host.startswith(_HOST_SCHEMES):
        raise SourceError(
            f"{origin} {host!r} is not an engine address",
            remedy="Give unix:///path/to.sock, tcp://host:port or ssh://[user@]host .",
        )
    return host


def _env_tls(env: Mapping[str, str], config_dir: Path, host: str) -> TLSFiles | None:
    # The docker CLI turns TLS on when either variable is set, and verifies the engine's
    # certificate only for DOCKER_TLS_VERIFY (https://docs.docker.com/reference/cli/docker/,
    # "Environment variables").
    verify = bool(env.get("DOCKER_TLS_VERIFY"))
    if not (verify or env.get("DOCKER_TLS")) or not host.startswith("tcp://"):
        return None
    return _tls_files(Path(env.get("DOCKER_CERT_PATH") or config_dir), verify)


def _tls_files(folder: Path, verify: bool) -> TLSFiles:
    ca, cert, key = (folder / name for name in ("ca.pem", "cert.pem", "key.pem"))
    pair = (str(cert), str(key)) if cert.is_file() and key.is_file() else None
    return TLSFiles(verify, str(ca) if ca.is_file() else None, pair)


def _current_context(config_dir: Path) -> str:
    config = _json_file(config_dir / "config.json", "Docker config")
    name = config.get("currentContext", "") if config else ""
    return name if isinstance(name, str) else ""


def _context(name: str, config_dir: Path) -> Endpoint:
    # The context store keys each context's folder by the SHA-256 of its name
    # (docker/cli cli/context/store/store.go ``contextdirOf`` at ca4e8eb).
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = _json_file(config_dir / "contexts" / "meta" / digest / "meta.json", "Docker context")
    docker = (meta or {}).get("Endpoints", {}).get("docker", {})
    host = docker.get("Host") if isinstance(docker, dict) else None
    if not isinstance(host, str) or not host:
        raise SourceError(
            f"Docker context {name!r} has no engine endpoint in {config_dir}/contexts",
            remedy="Check `docker context ls`, or set DOCKER_HOST or DOCKER_CONTEXT.",
        )
    origin = f"Docker context {name!r}"
    tls = None
    if host.startswith("tcp://"):
        folder = config_dir / "contexts" / "tls" / digest / "docker"
        tls = _tls_files(folder, not docker.get("SkipTLSVerify", False))
        tls = tls if (tls.ca or tls.cert) else None
    return Endpoint(_checked(host, origin), tls, origin)


def _json_file(path: Path, what: str) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_META + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SourceError(f"{what} {path}: {exc.strerror}") from None
    try:
        document = json.loads(data) if len(data) <= _MAX_META else None
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise SourceError(f"{path}: {what} is not a JSON object", remedy="Fix or remove the file.")
    return document
