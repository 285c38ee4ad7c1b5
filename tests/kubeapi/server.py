"""A Kubernetes API server for the tests: real HTTP on loopback, in a thread.

Paths, query parameters, headers and answers are those of the real server
(https://kubernetes.io/docs/reference/using-api/api-concepts/ and kubernetes/kubernetes at
9edcffcde5595e8a5b1a35f88c421764e575afce, v1.31.0, `staging/src/k8s.io/apiserver`):
discovery (``/api``, ``/apis``, ``/apis/G``, ``/api/v1``, ``/apis/G/V``), list with ``limit`` and
``continue``, ``labelSelector``, ``fieldSelector`` on a dotted field (``metadata.name=``, an Event's
``involvedObject.uid=``), get, watch as a chunked stream
of JSON lines with ``BOOKMARK`` events when ``allowWatchBookmarks=true`` and an ``ERROR`` event
holding a 410 Status for an expired resourceVersion, ``timeoutSeconds``, metadata-only answers
for ``Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1``, ``pods/log``,
403 Status for forbidden kinds, 401 without the bearer token, and create/update/patch/delete
with ``fieldManager``. ``faults`` injects hostile answers per plural: ``500``, ``malformed``
JSON, a ``truncate``d body, a ``stall``, an ``expire-continue``, a ``stall-continue``,
``slow-continue`` or ``malformed-continue``, a ``broken-event``.
"""

from __future__ import annotations

import base64
import bisect
import copy
import itertools
import json
import os
import socket
import ssl
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.kubeapi.cluster import (
    RECORDED,
    ApiError,
    Cluster,
    Kind,
    decode_continue,
    encode_continue,
    label_match,
)
from tests.kubeapi.pki import Pki

EXPIRE_CONTINUE = "expire-continue"
"""Fault: the next continue token of the kind is answered 410, as after an etcd compaction."""
STALL_CONTINUE = "stall-continue"
"""Fault: every continue request of the kind stalls: a list cut off after its first page."""
SLOW_CONTINUE = "slow-continue"
"""Fault: every continue request of the kind is answered after half a second."""
MALFORMED_CONTINUE = "malformed-continue"
"""Fault: every continue request of the kind is answered with malformed JSON: a list that
fails after its first page."""
BROKEN_EVENT = "broken-event"
"""Fault: the next watch event of the kind is followed by half an event, then the connection
drops (a proxy cutting a stream mid-write)."""
VERSION = {"major": "1", "minor": "31", "gitVersion": "v1.31.0", "platform": "linux/amd64"}


class KubeAPI:
    """The server: ``start()`` it, point a kubeconfig at ``url``, ``stop()`` or ``restart()``."""

    def __init__(
        self, cluster: Cluster | None = None, *, token: str | None = None, pki: Pki | None = None
    ) -> None:
        self.cluster = cluster or Cluster.recorded()
        self.token = token
        self.pki = pki
        """With a PKI the server speaks TLS and asks for a client certificate signed by its CA
        (a request without one still reaches it, as the real server's anonymous user does)."""
        self.faults: dict[str, str] = {}
        self.bookmark_interval = 0.5
        self.requests: list[str] = []
        self.port = 0
        self._httpd: _Server | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.pki else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> KubeAPI:
        self._httpd = _Server(("127.0.0.1", self.port), _Handler)
        if self.pki is not None:
            self._httpd.socket = _tls(self.pki).wrap_socket(self._httpd.socket, server_side=True)
        self._httpd.api = self
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop answering and drop every open connection, watches included (a crash)."""
        if self._httpd is not None:
            self._httpd.stopping.set()
            with self.cluster.lock:
                self.cluster.lock.notify_all()
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def restart(self) -> None:
        """Stop, then serve the same state on the same port (etcd keeps the data)."""
        self.stop()
        self.start()

    def kubeconfig(self, context: str = "test", namespace: str = "default") -> dict[str, Any]:
        user: dict[str, Any] = {"token": self.token} if self.token else {}
        cluster: dict[str, Any] = {"server": self.url}
        if self.pki is not None:
            cluster["certificate-authority-data"] = _b64(self.pki.ca.cert)
            user["client-certificate-data"] = _b64(self.pki.client.cert)
            user["client-key-data"] = _b64(self.pki.client.key)
        ctx = {"cluster": "kubeapi", "user": "tester", "namespace": namespace}
        return {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "kubeapi", "cluster": cluster}],
            "users": [{"name": "tester", "user": user}],
            "contexts": [{"name": context, "context": ctx}],
            "current-context": context,
        }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The real API server listens with the kernel's backlog (Go's net.Listen reads somaxconn);
    # socketserver's default of 5 drops the SYNs of a client opening a connection per kind at
    # once (a watch, kubectl's discovery), which then wait a second for TCP to retry.
    request_queue_size = socket.SOMAXCONN
    api: KubeAPI

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.stopping = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Go's net/http sets TCP_NODELAY on every connection; with Nagle's algorithm the body, sent
    # after the headers, waits for their delayed ACK: 40 ms on every answer of a kept-alive
    # connection (discovery reads eleven documents one after the other).
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib's name)
        pass

    # -- dispatch ----------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 (stdlib's name)
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    def do_PATCH(self) -> None:  # noqa: N802
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        api = self.server.api
        split = urlsplit(self.path)
        self.query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        api.requests.append(f"{method} {self.path} Accept: {self.headers.get('Accept', '')}")
        try:
            if not self._authenticated():
                raise ApiError(401, "Unauthorized", "Unauthorized")
            self._route(method, [p for p in split.path.split("/") if p])
        except ApiError as exc:
            self._json(exc.status(), exc.code)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _authenticated(self) -> bool:
        """A bearer token when one is set; a client certificate when the server has a PKI and
        no token (https://kubernetes.io/docs/reference/access-authn-authz/authentication/)."""
        api = self.server.api
        if api.token:
            scheme, _, token = self.headers.get("Authorization", "").partition(" ")
            return scheme.lower() == "bearer" and token == api.token  # RFC 7235 §2.1: any case
        if api.pki is not None:
            return bool(getattr(self.connection, "getpeercert", lambda: None)())
        return True

    def _route(self, method: str, parts: list[str]) -> None:
        cluster = self.server.api.cluster
        if parts == ["version"]:
            return self._json(VERSION)
        if parts == ["api"]:
            return self._json(_api_versions())
        if parts == ["apis"]:
            return self._json(_group_list(cluster))
        if len(parts) == 2 and parts[0] == "apis":
            return self._json(_group(cluster, parts[1]))
        if parts[:2] == ["api", "v1"]:
            gv, rest = "v1", parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 3:
            gv, rest = f"{parts[1]}/{parts[2]}", parts[3:]
        else:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if gv not in cluster.discovery:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if not rest:
            return self._json(cluster.discovery[gv])
        self._resource(method, gv, rest)

    def _resource(self, method: str, gv: str, rest: list[str]) -> None:
        ns: str | None = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            ns, rest = rest[1], rest[2:]
        plural, name, sub = (rest + [None, None])[:3]
        cluster = self.server.api.cluster
        group = gv.rpartition("/")[0]
        kind = cluster.kinds.get((group, plural or ""))
        if kind is None:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        resource = f"{plural}.{group}" if group else plural
        if resource in cluster.forbidden:
            raise _forbidden(method, resource, group, ns)
        fault = self.server.api.faults.get(resource)
        if fault == EXPIRE_CONTINUE and "continue" in self.query:
            del self.server.api.faults[resource]
            raise ApiError(410, "Expired", _CONTINUE_EXPIRED)
        if fault in (STALL_CONTINUE, MALFORMED_CONTINUE) and "continue" in self.query:
            return self._fault(fault.removesuffix("-continue"))
        if fault == SLOW_CONTINUE and "continue" in self.query:
            time.sleep(0.5)
        if fault and not fault.endswith("-continue") and fault != BROKEN_EVENT:
            return self._fault(fault)
        if name is None:
            return self._collection(method, kind, ns, resource)
        if sub == "log":
            return self._log(kind, ns or "", name)
        self._object(method, kind, ns or "", name)

    # -- collections -------------------------------------------------------------------------

    def _collection(self, method: str, kind: Kind, ns: str | None, resource: str) -> None:
        cluster = self.server.api.cluster
        if method == "POST":
            obj = self._body()
            obj.setdefault("metadata", {}).setdefault("namespace", ns)
            return self._json(cluster.create(obj, self._manager()), 201)
        if self.query.get("watch") in ("true", "1"):
            return self._watch(kind, ns, resource)
        self._send(self._list(kind, ns), 200)

    def _list(self, kind: Kind, ns: str | None) -> bytes:
        """The page's JSON: each item's encoding taken from the cluster's cache
        (:meth:`Cluster.item_json`), the bytes ``json.dumps`` of the whole list gives."""
        rv, keys, snapshot, start = self._snapshot(kind, ns)
        limit = int(self.query.get("limit") or 0)
        chosen = (o for o in snapshot[bisect.bisect_right(keys, start) :] if self._selected(o))
        items = list(itertools.islice(chosen, limit + 1 if limit else None))
        listing: dict[str, Any] = {"resourceVersion": str(rv)}
        if limit and len(items) > limit:
            items = items[:limit]
            listing["continue"] = encode_continue(rv, _key(items[-1]))
            if not self.query.get("labelSelector") and not self.query.get("fieldSelector"):
                # the real server counts the rest only when nothing is filtered
                listing["remainingItemCount"] = len(keys) - keys.index(_key(items[-1])) - 1
        if self._metadata_only():
            return json.dumps({"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1",
                               "metadata": listing, "items": [_partial(i) for i in items]}
                              ).encode()  # fmt: skip
        head = json.dumps({"kind": f"{kind.kind}List", "apiVersion": kind.api_version,
                           "metadata": listing})  # fmt: skip
        cluster = self.server.api.cluster
        # json.dumps writes the items last, each as it encodes alone, ", " between them
        body = b", ".join(cluster.item_json(kind, item) for item in items)
        return b'%s, "items": [%s]}' % (head[:-1].encode(), body)

    def _snapshot(
        self, kind: Kind, ns: str | None
    ) -> tuple[int, list[str], list[dict[str, Any]], str]:
        """The list's resourceVersion, keys and objects in key order, and where this page
        starts: the current objects for a first page, the first page's for a continue token."""
        cluster = self.server.api.cluster
        with cluster.lock:
            token = self.query.get("continue")
            if token:
                rv, start = decode_continue(token)
                found = cluster.snapshots.get((kind, ns, rv))
                if found is None or rv < cluster.oldest():
                    raise ApiError(410, "Expired", _CONTINUE_EXPIRED)
                return rv, *found, start
            objects = cluster.items(kind, ns, copy=False)
            keys = [_key(o) for o in objects]
            if self.query.get("limit"):
                cluster.snapshots[(kind, ns, cluster.rv)] = (keys, objects)
            return cluster.rv, keys, objects, ""

    def _selected(self, obj: dict[str, Any]) -> bool:
        meta = obj["metadata"]
        selector = self.query.get("labelSelector", "")
        if selector and not label_match(selector, meta.get("labels") or {}):
            return False
        for term in filter(None, self.query.get("fieldSelector", "").split(",")):
            path, _, value = term.partition("=")
            if _field_at(obj, path) != value.lstrip("="):
                return False
        return True

    def _metadata_only(self) -> bool:
        return "as=PartialObjectMetadata" in self.headers.get("Accept", "")

    # -- watch -------------------------------------------------------------------------------

    def _watch(self, kind: Kind, ns: str | None, resource: str) -> None:
        api, cluster = self.server.api, self.server.api.cluster
        timeout = float(self.query.get("timeoutSeconds") or 1800)
        deadline = time.monotonic() + timeout
        bookmarks = self.query.get("allowWatchBookmarks") == "true"
        self._start_stream()
        start = self.query.get("resourceVersion") or "0"
        with cluster.lock:
            rv = cluster.rv
            initial = cluster.items(kind, ns) if start == "0" else []
        if start != "0":
            rv = int(start)
        for obj in initial:
            self._event("ADDED", obj)
        next_bookmark = time.monotonic() + api.bookmark_interval
        while not self.server.stopping.is_set():
            now = time.monotonic()
            if now >= deadline:
                return self._end_stream()
            with cluster.lock:
                try:
                    events = cluster.since(rv)
                    if not events:
                        cluster.lock.wait(min(deadline, next_bookmark) - now)
                        events = cluster.since(rv)
                except ApiError as exc:
                    self._send_line({"type": "ERROR", "object": exc.status()})
                    return self._end_stream()
                latest = cluster.rv  # every event up to here is in ``events``
            for event in events:
                if event.kind == kind and (ns is None or event.obj["metadata"].get("namespace")
                                           == ns) and self._selected(event.obj):  # fmt: skip
                    self._event(event.type, event.obj)
                    if api.faults.get(resource) == BROKEN_EVENT:
                        del api.faults[resource]
                        self._chunk(b'{"type": "MODIFIED", "object": {"metadata": ')
                        self.close_connection = True
                        return
            rv = latest
            if bookmarks and time.monotonic() >= next_bookmark:
                self._send_line({"type": "BOOKMARK", "object": {
                    "kind": kind.kind, "apiVersion": kind.api_version,
                    "metadata": {"resourceVersion": str(rv)}}})  # fmt: skip
                next_bookmark = time.monotonic() + api.bookmark_interval
        self.close_connection = True  # dropped, as a crashing server drops it

    def _event(self, type_: str, obj: dict[str, Any]) -> None:
        obj = _partial(obj) if self._metadata_only() else obj
        self._send_line({"type": type_, "object": obj})

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _send_line(self, doc: dict[str, Any]) -> None:
        self._chunk(json.dumps(doc).encode() + b"\n")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # -- objects -----------------------------------------------------------------------------

    def _object(self, method: str, kind: Kind, ns: str, name: str) -> None:
        cluster = self.server.api.cluster
        if method == "GET":
            obj = cluster.get(kind, ns, name)
            return self._json(_partial(obj) if self._metadata_only() else obj)
        if method == "PUT":
            return self._json(cluster.update(self._body(), self._manager()))
        if method == "PATCH":
            return self._json(cluster.patch(kind, ns, name, self._body(), self._manager()))
        if method == "DELETE":
            options = self._body() if self.headers.get("Content-Length") else {}
            grace = self.query.get("gracePeriodSeconds") or options.get("gracePeriodSeconds") or 0
            return self._json(cluster.delete(kind, ns, name, float(grace)))
        raise ApiError(405, "MethodNotAllowed", f"{method} is not supported")

    def _log(self, kind: Kind, ns: str, name: str) -> None:
        pod = self.server.api.cluster.get(kind, ns, name)
        names = [c["name"] for c in pod["spec"].get("containers", [])]
        container = self.query.get("container") or (names[0] if len(names) == 1 else "")
        if container not in names:
            raise ApiError(400, "BadRequest", f"a container name must be specified for pod "
                           f"{name}, choose one of: [{' '.join(names)}]")  # fmt: skip
        if self.query.get("previous") == "true":
            container += "@previous"
        text = self.server.api.cluster.logs.get((ns, name, container))
        if text is None:
            raise ApiError(400, "BadRequest", f'previous terminated container "{container}" '
                           f'in pod "{name}" not found')  # fmt: skip
        tail = self.query.get("tailLines")
        lines = text.splitlines(keepends=True)
        body = "".join(lines[-int(tail) :] if tail else lines).encode()
        self._send(body, 200, "text/plain")

    # -- faults ------------------------------------------------------------------------------

    def _fault(self, fault: str) -> None:
        if fault == "500":
            raise ApiError(500, "InternalError", "Internal error occurred: etcdserver: "
                           "request timed out")  # fmt: skip
        if fault == "malformed":
            return self._send(b'{"kind": "List", "items": [{"metadata": ', 200)
        if fault == "truncate":
            body = b'{"kind":"List","apiVersion":"v1","metadata":{},"items":[' + b" " * 64
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) * 4))
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
            return None
        if fault == "stall":
            self.server.stopping.wait(60)
            self.close_connection = True
            return None
        raise AssertionError(f"unknown fault {fault!r}")

    # -- plumbing ----------------------------------------------------------------------------

    def _manager(self) -> str:
        # k8s.io/apiserver/pkg/endpoints/handlers/rest.go prefixFromUserAgent
        agent = self.headers.get("User-Agent", "unknown")
        return self.query.get("fieldManager") or agent.split("/")[0]

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            doc = json.loads(self.rfile.read(length) or b"{}")
        except ValueError as exc:
            raise ApiError(400, "BadRequest", f"the body is not JSON: {exc}") from None
        if not isinstance(doc, dict):
            raise ApiError(400, "BadRequest", "the body is not a JSON object")
        return doc

    def _json(self, doc: dict[str, Any], code: int = 200) -> None:
        self._send(json.dumps(doc).encode(), code)

    def _send(self, body: bytes, code: int, ctype: str = "application/json") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


_CONTINUE_EXPIRED = (
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this "
    "response to retrieve the remainder of the results."
)


def _forbidden(method: str, resource: str, group: str, ns: str | None) -> ApiError:
    verb = {"GET": "list", "POST": "create", "PUT": "update", "PATCH": "patch"}.get(
        method, "delete"
    )
    plural = resource.split(".")[0]
    where = f' in the namespace "{ns}"' if ns else " at the cluster scope"
    message = (f'{plural} is forbidden: User "system:serviceaccount:stateward:reader" cannot '
               f'{verb} resource "{plural}" in API group "{group}"{where}')  # fmt: skip
    return ApiError(403, "Forbidden", message, plural)


def _tls(pki: Pki) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    folder = tempfile.mkdtemp(prefix="kubeapi-")
    cert, key, ca = (os.path.join(folder, n) for n in ("server.crt", "server.key", "ca.crt"))
    for path, data in ((cert, pki.server.cert), (key, pki.server.key), (ca, pki.ca.cert)):
        with open(path, "wb") as file:
            file.write(data)
    context.load_cert_chain(cert, key)
    context.load_verify_locations(ca)
    context.verify_mode = ssl.CERT_OPTIONAL
    return context


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _key(obj: dict[str, Any]) -> str:
    meta = obj["metadata"]
    return f"{meta.get('namespace', '')}/{meta['name']}"


def _partial(obj: dict[str, Any]) -> dict[str, Any]:
    """PartialObjectMetadata: the object's metadata only (meta.k8s.io/v1)."""
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": copy.deepcopy(obj["metadata"])}  # fmt: skip


def _api_versions() -> dict[str, Any]:
    return json.loads((RECORDED / "discovery" / "api.json").read_text())


def _group(cluster: Cluster, name: str) -> dict[str, Any]:
    versions = cluster.groups().get(name)
    if not versions:
        raise ApiError(404, "NotFound", "the server could not find the requested resource")
    entries = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
    return {"kind": "APIGroup", "apiVersion": "v1", "name": name, "versions": entries,
            "preferredVersion": entries[0]}  # fmt: skip


def _group_list(cluster: Cluster) -> dict[str, Any]:
    groups = [_group(cluster, name) for name in sorted(cluster.groups())]
    for group in groups:
        del group["kind"], group["apiVersion"]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def _field_at(obj: dict[str, Any], path: str) -> Any:
    """The value at a field selector's dotted path (``involvedObject.uid``), or None."""
    value: Any = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value
