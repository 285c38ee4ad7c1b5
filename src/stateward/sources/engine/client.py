"""Where an engine is and how to talk to it: ``engine://`` locations and the API client.

``engine://`` means the default socket: ``$DOCKER_HOST`` when set, else Podman's rootful socket
``/run/podman/podman.sock``; ``engine:///path/to.sock`` names a unix socket. Only the Docker
Engine API over a unix socket is spoken (Docker, or Podman's ``system service``).

Every call has a total deadline (``DEADLINE_S``), not only a per-read timeout: an engine that
trickles one byte a second would otherwise keep a scan going forever. The deadline is set when a
request starts and checked before each read of the socket, so a streamed body (an archive) is
bounded by the request that opened it.
"""

from __future__ import annotations

import contextvars
import os
import re
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import docker
import requests
import urllib3
from docker.transport.unixconn import (
    UnixHTTPAdapter,
    UnixHTTPConnection,
    UnixHTTPConnectionPool,
)

from stateward.errors import SourceError

__all__ = [
    "API_VERSION",
    "DEADLINE_S",
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
"""Longest wait for any one read of the socket."""
DEADLINE_S = 120.0
"""Longest any one call may take in all, its streamed body included (an archive of the 128 MiB
a writable-layer budget allows streams in well under a minute over a unix socket)."""
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)

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


def connect(url: str, deadline_s: float = DEADLINE_S) -> Engine:
    """The engine at ``url``; raises SourceError when it does not answer. Each call to it may
    take at most ``deadline_s`` seconds in all."""
    try:
        client = _Client(base_url=url, version=API_VERSION, timeout=TIMEOUT_S)
        client.deadline_s = deadline_s
        if url.startswith("unix://"):
            socket_url = "http+unix://" + url.removeprefix("unix://")
            client.mount("http+docker://", _DeadlineAdapter(socket_url, TIMEOUT_S))
        version: Any = client.version()
        components = version.get("Components") if isinstance(version, dict) else None
    except (docker.errors.DockerException, requests.RequestException) as exc:
        message = f"container engine at {url} does not answer: {first_line(exc)}"
        raise SourceError(message, remedy=_REMEDY) from None
    podman = any(c.get("Name") == "Podman Engine" for c in components or [] if isinstance(c, dict))
    return Engine(client, url, podman)


class _Client(docker.APIClient):
    """The SDK's client, with a total deadline set as each request starts."""

    deadline_s: float = DEADLINE_S

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        _DEADLINE.set(time.monotonic() + self.deadline_s)
        return super().request(*args, **kwargs)


class _DeadlineSocket(socket.socket):
    """A socket whose every read waits at most until the current request's deadline."""

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self._arm()
        return super().recv_into(buffer, nbytes, flags)

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        self._arm()
        return super().recv(bufsize, flags)

    def _arm(self) -> None:
        deadline = _DEADLINE.get()
        if deadline is None:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the engine did not finish answering within the deadline")
        self.settimeout(min(left, TIMEOUT_S))


# The SDK's unix transport (docker-py 7.2.0, docker/transport/unixconn.py) with its socket
# swapped for a _DeadlineSocket once connected; the rest is the SDK's own code path.
class _DeadlineConnection(UnixHTTPConnection):
    def connect(self) -> None:
        super().connect()
        plain = self.sock
        assert plain is not None, "bad math: connect() left no socket"
        fresh = _DeadlineSocket(plain.family, plain.type, plain.proto, fileno=plain.detach())
        fresh.settimeout(TIMEOUT_S)
        self.sock = fresh


class _DeadlinePool(UnixHTTPConnectionPool):
    def _new_conn(self) -> Any:
        return _DeadlineConnection(self.base_url, self.socket_path, TIMEOUT_S)


class _DeadlineAdapter(UnixHTTPAdapter):
    def get_connection(self, url: str | bytes, proxies: Any = None) -> Any:
        with self.pools.lock:
            key = url.decode() if isinstance(url, bytes) else url
            pool = self.pools.get(key)
            if pool is None:
                pool = _DeadlinePool(key, self.socket_path, self.timeout, self.max_pool_size)
                self.pools[key] = pool
        return pool


def is_engine_gone(exc: BaseException) -> bool:
    """True when ``exc`` means the engine itself stopped answering (not one object failing)."""
    # Reading a streamed body goes through urllib3 directly, so its errors arrive unwrapped.
    transport = requests.RequestException | urllib3.exceptions.HTTPError
    return isinstance(exc, transport) and not isinstance(exc, requests.HTTPError)


def first_line(exc: BaseException) -> str:
    """An engine error as one short line (the SDK's messages can span lines)."""
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
