"""An OCI distribution registry client: manifests and small JSON blobs, for any part that needs
an image's layers (cost, audit, capture).

Authentication follows the distribution spec's token flow
(https://distribution.github.io/distribution/spec/auth/token/): a request answered 401 with ``WWW-Authenticate: Bearer
realm=…,service=…,scope=…`` is retried with a token from the realm, asked for with the user's
credentials when there are any; a ``Basic`` challenge is answered with them directly. Credentials
come from the ``auths`` of the docker CLI's ``config.json`` (``$DOCKER_CONFIG``, else
``~/.docker``). A refused login is a :class:`RegistryAuthError`, never a silent fallback.

An image index is resolved to the manifest of one platform: the engine's when one is known (its
``/version`` Os and Arch), else this machine's.

Why not a library: python-dxf (typed, 12.1.1) does the token flow but reads no docker
``config.json`` and pulls in tqdm and an untyped ``www-authenticate``; oras-py (0.2.43) ships no
type information and picks no platform from an index. What is needed here is three GET requests.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import platform as host_platform
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from stateward.errors import SourceError

__all__ = [
    "MANIFEST_TYPES",
    "Platform",
    "Registry",
    "RegistryAuthError",
    "docker_credentials",
    "split_reference",
]

MANIFEST_TYPES = (
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)
_INDEXES = ("index", "manifest.list")
MAX_DOCUMENT = 4 * 1024 * 1024
TIMEOUT_S = 10
# RFC 9110 §11.6.1 auth-param: token "=" ( token / quoted-string )
_PARAM = re.compile(r'([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
# Go's runtime.GOARCH names, which the OCI image index uses (image-spec config.md, platform).
_GOARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64",
           "armv7l": "arm", "i686": "386", "i386": "386", "ppc64le": "ppc64le",
           "s390x": "s390x", "riscv64": "riscv64"}  # fmt: skip


class RegistryAuthError(SourceError):
    """The registry refused the credentials (or asked for some and none were given)."""

    remedy = "Log in with `docker login HOST` (the auths of ~/.docker/config.json are used)."


@dataclass(frozen=True, slots=True)
class Platform:
    """An image platform as an index names it: OS, architecture and optional variant."""

    os: str
    architecture: str
    variant: str = ""

    @classmethod
    def of_engine(cls, version: Mapping[str, Any]) -> Platform:
        """The platform of an engine from its ``/version`` answer (``Os``, ``Arch``)."""
        return cls(str(version.get("Os") or "linux"), str(version.get("Arch") or "amd64"))

    @classmethod
    def of_host(cls) -> Platform:
        """This machine's platform (Linux images are what its engine would run)."""
        machine = host_platform.machine().lower()
        return cls("linux", _GOARCH.get(machine, machine))

    def __str__(self) -> str:
        return "/".join(x for x in (self.os, self.architecture, self.variant) if x)

    def matches(self, entry: Mapping[str, Any]) -> bool:
        """Whether an index entry's ``platform`` is this one (variant only when both name one)."""
        wanted = (entry.get("os"), entry.get("architecture"))
        if wanted != (self.os, self.architecture):
            return False
        return not (self.variant and entry.get("variant") and entry["variant"] != self.variant)


def split_reference(ref: str) -> tuple[str, str, str]:
    """``host/repo/name:tag@digest`` -> (host or "", ``repo/name``, ``digest`` or ``tag``)."""
    name, _, digest = ref.partition("@")
    tag = "latest"
    if ":" in name.rsplit("/", 1)[-1]:
        name, tag = name.rsplit(":", 1)
    first, _, rest = name.partition("/")
    host = ""
    if rest and ("." in first or ":" in first or first == "localhost"):
        host, name = first, rest
    return host, name, digest or tag


def docker_credentials(
    host: str, environ: Mapping[str, str] | None = None
) -> tuple[str, str] | None:
    """(user, password) for ``host`` from the docker CLI's ``config.json`` ``auths``."""
    env = os.environ if environ is None else environ
    folder = Path(env.get("DOCKER_CONFIG") or Path(env.get("HOME") or Path.home()) / ".docker")
    path = folder / "config.json"
    try:
        config = json.loads(path.read_bytes()[:MAX_DOCUMENT])
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path}: not a readable docker config ({type(exc).__name__})") from None
    auths = config.get("auths", {}) if isinstance(config, dict) else {}
    for key in (host, f"https://{host}", f"http://{host}"):
        entry = auths.get(key) if isinstance(auths, dict) else None
        if isinstance(entry, dict):
            return _pair(entry, path)
    return None


def _pair(entry: Mapping[str, Any], path: Path) -> tuple[str, str] | None:
    if isinstance(entry.get("username"), str) and isinstance(entry.get("password"), str):
        return entry["username"], entry["password"]
    encoded = entry.get("auth")
    if not isinstance(encoded, str) or not encoded:
        return None
    try:
        user, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        user, sep, password = "", "", ""
    if not sep:
        raise SourceError(f"{path}: an auths entry is not base64 of user:password")
    return user, password


class Registry:
    """One registry at ``base_url`` (``http://127.0.0.1:5000``, ``https://ghcr.io``)."""

    def __init__(
        self,
        base_url: str,
        credentials: tuple[str, str] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.host = self.base_url.split("://", 1)[-1]
        self.credentials = credentials
        self.session = session or requests.Session()
        self._answers: dict[str, str] = {}

    def manifest(self, repository: str, reference: str, platform: Platform) -> dict[str, Any]:
        """The image manifest of ``repository:reference``; an index is resolved to the entry
        for ``platform``."""
        document = self.json(f"{repository}/manifests/{reference}", repository, MANIFEST_TYPES)
        if any(word in str(document.get("mediaType", "")) for word in _INDEXES):
            entries = [e for e in document.get("manifests", []) if isinstance(e, dict)]
            chosen = next((e for e in entries if platform.matches(e.get("platform", {}))), None)
            if chosen is None:
                offered = sorted({str(Platform.of_engine(_named(e))) for e in entries})
                raise SourceError(
                    f"{self.host}/{repository}:{reference} has no {platform} image "
                    f"(it has {', '.join(offered) or 'none'})"
                )
            document = self.json(
                f"{repository}/manifests/{chosen['digest']}", repository, MANIFEST_TYPES
            )
        return document

    def json(self, path: str, repository: str, accept: tuple[str, ...] = ()) -> dict[str, Any]:
        """The JSON object at ``/v2/<path>``; raises LookupError when the registry has no such
        object, RegistryAuthError when it refuses us, SourceError when it cannot be read."""
        response = self._get(f"{self.base_url}/v2/{path}", repository, accept)
        with response:
            if response.status_code == 404:
                raise LookupError(path)
            if response.status_code in (401, 403):
                raise RegistryAuthError(f"registry {self.host} refused access to {repository}")
            if response.status_code != 200:
                raise SourceError(f"registry {self.host}: HTTP {response.status_code} for {path}")
            return _document(response, f"{self.host}/v2/{path}")

    def _get(self, url: str, repository: str, accept: tuple[str, ...]) -> requests.Response:
        headers = {"Accept": ", ".join(accept)} if accept else {}
        response = self._send(url, headers | self._authorization(repository))
        if response.status_code != 401:
            return response
        # no answer yet, or the cached token expired: answer the challenge once more
        challenge = response.headers.get("WWW-Authenticate", "")
        response.close()
        self._answers[repository] = self._answer(challenge, repository)
        return self._send(url, headers | self._authorization(repository))

    def _authorization(self, repository: str) -> dict[str, str]:
        value = self._answers.get(repository)
        return {"Authorization": value} if value else {}

    def _send(self, url: str, headers: Mapping[str, str], **kwargs: Any) -> requests.Response:
        try:
            return self.session.get(
                url, headers=dict(headers), timeout=TIMEOUT_S, stream=True, **kwargs
            )
        except requests.RequestException as exc:
            raise SourceError(
                f"registry {self.host} does not answer: {type(exc).__name__}"
            ) from None

    def _answer(self, challenge: str, repository: str) -> str:
        """The Authorization value that answers ``challenge`` (distribution token spec,
        "Requesting a Token")."""
        scheme, _, rest = challenge.strip().partition(" ")
        params = {m[1].lower(): _value(m) for m in _PARAM.finditer(rest)}
        if scheme.lower() == "basic" and self.credentials:
            pair = ":".join(self.credentials).encode()
            return "Basic " + base64.b64encode(pair).decode()
        if scheme.lower() != "bearer" or not params.get("realm"):
            raise RegistryAuthError(f"registry {self.host} asks for credentials for {repository}")
        query = {
            "service": params.get("service", ""),
            "scope": params.get("scope") or f"repository:{repository}:pull",
        }
        response = self._send(params["realm"], {}, params=query, auth=self.credentials)
        with response:
            if response.status_code != 200:
                raise RegistryAuthError(
                    f"token service of {self.host} refused access to {repository} "
                    f"(HTTP {response.status_code})"
                )
            answer = _document(response, params["realm"])
        token = answer.get("token") or answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise RegistryAuthError(f"token service of {self.host} gave no token")
        return "Bearer " + token


def _value(match: re.Match[str]) -> str:
    if match[3] is not None:
        return match[3]
    return re.sub(r"\\(.)", r"\1", match[2])  # RFC 9110 §5.6.4 quoted-pair


def _named(entry: Mapping[str, Any]) -> dict[str, Any]:
    found = entry.get("platform", {})
    return (
        {"Os": found.get("os"), "Arch": found.get("architecture")}
        if isinstance(found, dict)
        else {}
    )


def _document(response: requests.Response, where: str) -> dict[str, Any]:
    data = response.raw.read(MAX_DOCUMENT + 1, decode_content=True)
    if len(data) > MAX_DOCUMENT:
        raise SourceError(f"{where}: document larger than {MAX_DOCUMENT} bytes")
    try:
        document = json.loads(data)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise SourceError(f"{where}: not a JSON object")
    return document
