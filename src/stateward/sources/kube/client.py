"""Connect to a cluster the way kubectl does and read JSON from its API.

The official ``kubernetes`` client does the configuration: kubeconfig files (``$KUBECONFIG``, a
``:``-separated list, merged), contexts, bearer tokens, client certificates, exec credential
plugins (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-
credential-plugins) and in-cluster service-account config. Reads go through its ``ApiClient``
(so auth refresh and TLS are the client's) but answers are decoded here into what
``json.loads`` gives (:func:`stateward.model.canonical.decoded`: orjson's decoder where it gives
the same; NaN and the infinities refused, as JSON cannot hold them), not into the client's
models: objects must reach the secret digester as plain data, at once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes
import urllib3
import yaml
from kubernetes.client.exceptions import ApiException, OpenApiException
from kubernetes.config.config_exception import ConfigException
from kubernetes.config.incluster_config import InClusterConfigLoader

from stateward.errors import SourceError
from stateward.model.canonical import decoded as json_decoded
from stateward.sources.kube.location import (
    ALL_NAMESPACES,
    DEADLINE_S,
    SERVICE_ACCOUNT,
    KubeTarget,
)

__all__ = ["JSON", "METADATA_ONLY", "ApiFailure", "Cluster", "connect", "decoded"]

JSON = "application/json"
METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
"""Ask for metadata only (https://kubernetes.io/docs/reference/using-api/api-concepts/
#receiving-resources-as-tables, PartialObjectMetadataList): no data, no spec."""
POOL = 64
DEFAULT_KUBECONFIG = "~/.kube/config"
_FAILURES = (ApiException, OpenApiException, urllib3.exceptions.HTTPError, OSError)


class ApiFailure(Exception):
    """One request failed: ``status`` is the HTTP code (0 when there was no answer),
    ``reason`` one line saying why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(slots=True)
class Cluster:
    """An open connection: the client, the server's URL and the namespace kubectl would use."""

    api: Any
    """kubernetes.client.ApiClient (untyped)."""
    server: str
    namespace: str
    deadline_s: float = DEADLINE_S

    def get(self, path: str, query: Mapping[str, str] | None = None, accept: str = JSON) -> Any:
        """The decoded JSON answer to GET ``path``; ApiFailure for any other outcome."""
        return decoded(*self._read(path, query, accept))

    def read(self, path: str, query: Mapping[str, str], accept: str) -> bytes:
        """The bytes of the answer to GET ``path`` (a pod's log); ApiFailure unless 2xx."""
        return self._read(path, query, accept)[1]

    def answer(self, path: str, query: Mapping[str, str], accept: str) -> tuple[int, bytes]:
        """The status and bytes of the answer to GET ``path``, undecoded (a list page that
        another process decodes); ApiFailure unless 2xx."""
        return self._read(path, query, accept)

    def _read(self, path: str, query: Mapping[str, str] | None, accept: str) -> tuple[int, bytes]:
        try:
            method, url, headers, _, _ = self.api.param_serialize(
                "GET", path, query_params=list((query or {}).items()),
                header_params={"Accept": accept}, auth_settings=["BearerToken"],
            )  # fmt: skip
            answer = self.api.call_api(method, url, headers, _request_timeout=self.deadline_s)
            data = answer.read()
        except _FAILURES as exc:
            raise ApiFailure(getattr(exc, "status", 0) or 0, _first_line(exc)) from None
        if not 200 <= answer.status < 300:
            raise ApiFailure(answer.status, _status_message(answer.status, data))
        return int(answer.status), bytes(data)

    def stream(
        self, path: str, query: Mapping[str, str], accept: str, read_timeout_s: float
    ) -> Iterator[dict[str, Any]]:
        """The events of a watch (https://kubernetes.io/docs/reference/using-api/api-concepts/
        #efficient-detection-of-changes): one JSON object a line, as they arrive. ApiFailure
        when it cannot start, a line is not a JSON object, or the stream breaks; it ends when
        the server ends it (``timeoutSeconds``)."""
        try:
            method, url, headers, _, _ = self.api.param_serialize(
                "GET", path, query_params=list(query.items()),
                header_params={"Accept": accept}, auth_settings=["BearerToken"],
            )  # fmt: skip
            answer = self.api.call_api(method, url, headers, _request_timeout=(
                self.deadline_s, read_timeout_s))  # fmt: skip
            if not 200 <= answer.status < 300:
                raise ApiFailure(answer.status, _status_message(answer.status, answer.read()))
            yield from _lines(answer.response)
        except _FAILURES as exc:
            raise ApiFailure(getattr(exc, "status", 0) or 0, _first_line(exc)) from None

    def close(self) -> None:
        self.api.close()


def decoded(status: int, data: bytes) -> Any:
    """The JSON of an answer given with ``status``; ApiFailure when it is not JSON. The pages
    of a list of 10k objects (``bench/bench_watch.py``) took 23 ms of CPU to decode this way,
    30 with ``json.loads`` (load 5), and their objects share their keys' strings."""
    try:
        return json_decoded(data)
    except ValueError as exc:
        raise ApiFailure(status, f"the answer is not JSON ({exc})") from None


def _lines(response: Any) -> Iterator[dict[str, Any]]:
    buffer = b""
    try:
        for chunk in response.stream(64 * 1024, decode_content=True):
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            yield from (_event(line) for line in lines if line.strip())
    finally:
        response.release_conn()
    if buffer.strip():
        raise ApiFailure(200, "the watch stream ended inside an event")


def _event(line: bytes) -> dict[str, Any]:
    try:
        event = json_decoded(line)
    except ValueError as exc:
        raise ApiFailure(200, f"a watch event is not JSON ({exc})") from None
    if not isinstance(event, dict):
        raise ApiFailure(200, "a watch event is not a JSON object")
    return event


def connect(
    target: KubeTarget,
    environ: Mapping[str, str] | None = None,
    service_account: Path = SERVICE_ACCOUNT,
) -> Cluster:
    """A client for ``target``'s context; in-cluster config when there is no kubeconfig and the
    process runs in a pod (client-go's rule). SourceError when neither can be loaded."""
    env = os.environ if environ is None else environ
    config_file = env.get("KUBECONFIG") or DEFAULT_KUBECONFIG
    if not target.context and not _any_exists(config_file) and env.get("KUBERNETES_SERVICE_HOST"):
        return _in_cluster(target, env, service_account)
    try:
        name = target.context or _current_context(config_file)
        api = kubernetes.config.new_client_from_config(  # type: ignore[no-untyped-call]
            config_file=config_file,
            context=name or None,
            persist_config=False,
            client_configuration=_configuration(),
        )
        contexts, current = kubernetes.config.list_kube_config_contexts(  # type: ignore[no-untyped-call]
            config_file
        )
    except (ConfigException, OSError, ValueError, TypeError) as exc:
        raise SourceError(
            f"cannot load kubeconfig {config_file}: {_first_line(exc)}",
            remedy="Set KUBECONFIG or give an existing kube://CONTEXT.",
        ) from None
    default_ns = _context_namespace(contexts, current, name) or "default"
    return Cluster(api, api.configuration.host, target.namespace or default_ns)


def applied_namespace(
    target: KubeTarget,
    environ: Mapping[str, str] | None = None,
    service_account: Path = SERVICE_ACCOUNT,
) -> str | None:
    """Where ``kubectl apply`` against ``target`` puts an object that names no namespace: the
    location's namespace, else its context's (in a pod, the service account's); None when
    neither names one (kubectl would take ``default``). Nothing is connected to."""
    if target.namespace and target.namespace != ALL_NAMESPACES:
        return target.namespace
    env = os.environ if environ is None else environ
    config_file = env.get("KUBECONFIG") or DEFAULT_KUBECONFIG
    if not target.context and not _any_exists(config_file) and env.get("KUBERNETES_SERVICE_HOST"):
        try:
            return (service_account / "namespace").read_text().strip() or None
        except OSError:
            return None
    try:
        contexts, current = kubernetes.config.list_kube_config_contexts(  # type: ignore[no-untyped-call]
            config_file
        )
    except (ConfigException, OSError, ValueError, TypeError):
        return None  # reading the live side says why
    return _context_namespace(contexts, current, target.context or _current_context(config_file))


def _context_namespace(
    contexts: list[dict[str, Any]], current: dict[str, Any], name: str
) -> str | None:
    """The namespace the kubeconfig context ``name`` (else the current one) sets, if any."""
    name = name or current["name"]
    context = next((c for c in contexts if c["name"] == name), current)
    namespace = (context.get("context") or {}).get("namespace")
    return namespace if isinstance(namespace, str) and namespace else None


def _configuration() -> Any:
    configuration = kubernetes.client.Configuration()
    # A watch holds one connection a kind for as long as it runs (urllib3's default pool is 10).
    configuration.connection_pool_maxsize = POOL
    # A refused connection is tried again, a read that timed out is not: a stalled server would
    # only multiply the deadline (urllib3 retries reads by default).
    configuration.retries = urllib3.Retry(total=2, read=0, redirect=0)
    return configuration


def _in_cluster(target: KubeTarget, environ: Mapping[str, str], account: Path) -> Cluster:
    """The pod's service account: its token, CA and namespace, the API at
    ``$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`` (client-go ``rest.InClusterConfig``)."""
    configuration = _configuration()
    try:
        loader = InClusterConfigLoader(  # type: ignore[no-untyped-call]
            token_filename=str(account / "token"),
            cert_filename=str(account / "ca.crt"),
            environ=environ,
        )
        loader.load_and_set(configuration)  # type: ignore[no-untyped-call]
        own = (account / "namespace").read_text().strip()
    except (ConfigException, OSError) as exc:
        raise SourceError(f"cannot load in-cluster config: {_first_line(exc)}") from None
    api = kubernetes.client.ApiClient(configuration)
    return Cluster(api, configuration.host, target.namespace or own or "default")


def _current_context(config_file: str) -> str:
    """kubectl's current context of a list of kubeconfig files: the first file's that sets one
    (https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
    #merging-kubeconfig-files); the Python client would take the last one's."""
    for path in config_file.split(os.pathsep):
        try:
            with open(os.path.expanduser(path), "rb") as file:
                config = yaml.safe_load(file)
        except (OSError, yaml.YAMLError):
            continue
        current = config.get("current-context") if isinstance(config, dict) else None
        if isinstance(current, str) and current:
            return current
    return ""


def _any_exists(config_file: str) -> bool:
    return any(os.path.exists(os.path.expanduser(p)) for p in config_file.split(os.pathsep))


def _status_message(status: int, data: bytes) -> str:
    """The ``message`` of a Status answer, else the HTTP code alone."""
    try:
        message = json.loads(data).get("message")
    except (ValueError, AttributeError):
        message = None
    return f"HTTP {status}: {message}" if isinstance(message, str) else f"HTTP {status}"


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, urllib3.exceptions.ProtocolError) and exc.args:
        exc = exc.args[-1] if isinstance(exc.args[-1], BaseException) else exc
        return f"the connection broke mid-answer ({exc!r})"[:300]
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
