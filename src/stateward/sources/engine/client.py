"""How to talk to a container engine: the Docker Engine API client (Docker, or Podman's
``system service``) over ``unix://``, ``tcp://`` (TLS as configured) or ``ssh://``. Where the
engine is comes from :mod:`.endpoint`.

The API version is negotiated, not pinned: the engine's ``/version`` names the newest version it
serves (``ApiVersion``) and the oldest (``MinAPIVersion``; Docker 29 refuses clients below 1.44),
and the client speaks the newest both sides know, the way the Go client's
``negotiateAPIVersionPing`` does (moby/moby client/client.go at 5119e8c,
https://github.com/moby/moby/blob/5119e8c98f31f36a9e73884d4132c326cd931c34/client/client.go).
That one request also tells whether the engine is Podman and which platform it runs.

Every call has a total deadline (``DEADLINE_S``), not only a per-read timeout: an engine that
trickles one byte a second would otherwise keep a scan going forever. The deadline is set when a
request starts and checked before each read of the socket, so a streamed body (an archive) is
bounded by the request that opened it.
"""

from __future__ import annotations

import contextvars
import re
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import docker
import requests
import urllib3
from docker.constants import DEFAULT_DOCKER_API_VERSION, MINIMUM_DOCKER_API_VERSION
from docker.transport.unixconn import (
    UnixHTTPAdapter,
    UnixHTTPConnection,
    UnixHTTPConnectionPool,
)
from docker.utils import version_lt

from stateward.errors import SourceError, first_line
from stateward.sources.engine.endpoint import Endpoint, TLSFiles

__all__ = [
    "DEADLINE_S",
    "NEWEST_API",
    "Engine",
    "connect",
    "is_engine_gone",
    "negotiate",
]

NEWEST_API = DEFAULT_DOCKER_API_VERSION
"""The newest Engine API version spoken: the one the SDK (docker-py 7.2.0: 1.45) is written for."""
OLDEST_API = MINIMUM_DOCKER_API_VERSION
TIMEOUT_S = 30
"""Longest wait for any one read of the socket."""
DEADLINE_S = 120.0
"""Longest any one call may take in all, its streamed body included (an archive of the 128 MiB
a writable-layer budget allows streams in well under a minute over a unix socket)."""
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)
_API = re.compile(r"1\.(0|[1-9][0-9]{0,2})")

# Go's filepath.Match syntax; `*` cannot be escaped through Podman 4.3's archive endpoint at all.
_GLOB = re.compile(r"([\\?\[])")
_REMEDY = (
    "Start the engine (dockerd or `podman system service`), or point DOCKER_HOST, DOCKER_CONTEXT "
    "or engine:///path/to.sock at it."
)


def negotiate(version: Mapping[str, Any]) -> str:
    """The API version to speak to an engine whose ``/version`` answer is ``version``: its
    newest, capped at :data:`NEWEST_API`; SourceError when the two have none in common."""
    newest, oldest = version.get("ApiVersion"), version.get("MinAPIVersion") or OLDEST_API
    if not (isinstance(newest, str) and _API.fullmatch(newest)):
        raise SourceError(f"the engine's /version names no API version (ApiVersion {newest!r})")
    if not (isinstance(oldest, str) and _API.fullmatch(oldest)):
        raise SourceError(f"the engine's /version has a malformed MinAPIVersion {oldest!r}")
    if version_lt(NEWEST_API, oldest) or version_lt(newest, OLDEST_API):
        raise SourceError(
            f"the engine serves API {oldest} to {newest}; Stateward speaks {OLDEST_API} to {NEWEST_API}",
            remedy="Use a Stateward built with a newer docker SDK, or an engine of a nearer age.",
        )
    return NEWEST_API if version_lt(NEWEST_API, newest) else newest


@dataclass(frozen=True, slots=True)
class Engine:
    """A connected engine: its API client, URL, and whether it is Podman."""

    api: docker.APIClient
    url: str
    podman: bool
    """Podman reads archive paths as globs (buildah's copier); Docker takes them literally."""
    version: Mapping[str, Any] = field(default_factory=dict)
    """The engine's ``/version`` answer (``Os`` and ``Arch`` name its platform)."""

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


def connect(endpoint: Endpoint | str, deadline_s: float = DEADLINE_S) -> Engine:
    """The engine at ``endpoint`` (or a ``unix://`` URL), its API version negotiated; raises
    SourceError when it does not answer. Each call to it may take at most ``deadline_s`` seconds
    in all."""
    target = endpoint if isinstance(endpoint, Endpoint) else Endpoint(endpoint)
    try:
        client = _Client(target, deadline_s)
    except (docker.errors.DockerException, requests.RequestException) as exc:
        where = target.url if not target.origin else f"{target.url} ({target.origin})"
        message = f"container engine at {where} does not answer: {first_line(exc)}"
        raise SourceError(message, remedy=_REMEDY) from None
    version = client.version_answer
    components = version.get("Components") or []
    podman = any(c.get("Name") == "Podman Engine" for c in components if isinstance(c, dict))
    return Engine(client, target.url, podman, version)


class _Client(docker.APIClient):
    """The SDK's client, with the API version negotiated from the one ``/version`` request and a
    total deadline set as each request starts."""

    def __init__(self, endpoint: Endpoint, deadline_s: float) -> None:
        self.deadline_s = deadline_s
        self.version_answer: dict[str, Any] = {}
        self._socket = (
            endpoint.url.removeprefix("unix://") if endpoint.url.startswith("unix://") else ""
        )
        super().__init__(
            base_url=endpoint.url,
            version="auto",
            timeout=TIMEOUT_S,
            tls=_tls(endpoint.tls),
            use_ssh_client=endpoint.url.startswith("ssh://"),  # the ssh binary, as the docker CLI
        )

    def _retrieve_server_version(self) -> str:
        # The SDK asks this while it is being built (version="auto"); its own answer would be the
        # engine's newest version even past what the SDK knows, so negotiate instead.
        if self._socket:
            self.mount("http+docker://", _DeadlineAdapter("http+unix://" + self._socket, TIMEOUT_S))
        self.version_answer = self.version(api_version=False)
        return negotiate(self.version_answer)

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        _DEADLINE.set(time.monotonic() + self.deadline_s)
        return super().request(*args, **kwargs)

    def merge_environment_settings(self, *args: Any, **kwargs: Any) -> Any:
        settings = super().merge_environment_settings(*args, **kwargs)
        # requests lets REQUESTS_CA_BUNDLE override a session's own CA file or verify=False
        # (https://github.com/psf/requests/issues/5209, met by the SDK in
        # https://github.com/docker/docker-py/issues/2433); the engine's are DOCKER_CERT_PATH's.
        if self.verify is not True:
            settings["verify"] = self.verify
        return settings


def _tls(files: TLSFiles | None) -> docker.tls.TLSConfig | bool:
    if files is None:
        return False
    return docker.tls.TLSConfig(client_cert=files.cert, ca_cert=files.ca, verify=files.verify)


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
