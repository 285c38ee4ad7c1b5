"""Where an engine is and how to talk to it: ``engine://`` locations and the API client.

``engine://`` means the default socket: ``$DOCKER_HOST`` when set, else Podman's rootful socket
``/run/podman/podman.sock``; ``engine:///path/to.sock`` names a unix socket. Only the Docker
Engine API over a unix socket is spoken (Docker, or Podman's ``system service``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

import docker
import requests
import urllib3

from stateward.errors import SourceError

__all__ = [
    "API_VERSION",
    "DEFAULT_SOCKET",
    "Engine",
    "SCHEME",
    "accepts",
    "connect",
    "engine_url",
    "first_line",
    "is_engine_gone",
]

SCHEME = "engine://"
DEFAULT_SOCKET = "unix:///run/podman/podman.sock"
# Pinned so connecting costs no version round trip; Docker ≥ 20.10 and Podman ≥ 3 serve it.
API_VERSION = "1.41"
TIMEOUT_S = 30

# Go's filepath.Match syntax; `*` cannot be escaped through Podman 4.3's archive endpoint at all.
_GLOB = re.compile(r"([\\?\[])")
_REMEDY = "Start the engine (`podman system service` or dockerd) or give engine:///path/to.sock ."


def accepts(location: str) -> bool:
    """True for ``engine://`` and ``engine:///path``."""
    return location.startswith(SCHEME)


def engine_url(location: str, environ: Mapping[str, str] | None = None) -> str:
    """The ``unix://`` URL of the engine named by an ``engine://`` location."""
    env = os.environ if environ is None else environ
    rest = location.removeprefix(SCHEME)
    if not rest:
        return env.get("DOCKER_HOST") or DEFAULT_SOCKET
    if not rest.startswith("/"):
        raise SourceError(
            f"{location!r} is not an engine socket",
            remedy="Write engine:// for the default socket or engine:///path/to.sock .",
        )
    return "unix://" + rest


@dataclass(frozen=True, slots=True)
class Engine:
    """A connected engine: its API client, URL, and whether it is Podman."""

    api: docker.APIClient
    url: str
    podman: bool
    """Podman reads archive paths as globs (buildah's copier); Docker takes them literally."""

    def archive_path(self, path: str) -> str:
        """``path`` as the archive endpoint must be given it to name exactly that file."""
        return _GLOB.sub(r"\\\1", path) if self.podman else path

    def has_container(self, ident: str) -> bool:
        """Whether the container still exists. Engines differ in the status they give a
        container that vanished mid-read (404 or 500), so callers ask again rather than
        read error messages. An engine that cannot tell counts as "still there": only a clear
        not-found is reported as a removal."""
        try:
            self.api.inspect_container(ident)
        except docker.errors.NotFound:
            return False
        except (docker.errors.DockerException, requests.RequestException):
            return True
        return True

    def close(self) -> None:
        """Release the connection pool."""
        self.api.close()


def connect(url: str) -> Engine:
    """The engine at ``url``; raises SourceError when it does not answer."""
    try:
        client = docker.APIClient(base_url=url, version=API_VERSION, timeout=TIMEOUT_S)
        components = client.version().get("Components") or []
    except (docker.errors.DockerException, requests.RequestException) as exc:
        message = f"container engine at {url} does not answer: {first_line(exc)}"
        raise SourceError(message, remedy=_REMEDY) from None
    podman = any(c.get("Name") == "Podman Engine" for c in components if isinstance(c, dict))
    return Engine(client, url, podman)


def is_engine_gone(exc: BaseException) -> bool:
    """True when ``exc`` means the engine itself stopped answering (not one object failing)."""
    # Reading a streamed body goes through urllib3 directly, so its errors arrive unwrapped.
    transport = requests.RequestException | urllib3.exceptions.HTTPError
    return isinstance(exc, transport) and not isinstance(exc, requests.HTTPError)


def first_line(exc: BaseException) -> str:
    """An engine error as one short line (the SDK's messages can span lines)."""
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
