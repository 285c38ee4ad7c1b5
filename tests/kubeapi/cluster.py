"""The state behind the test API server: objects, resourceVersions, the event log, managedFields.

Semantics follow the real API server (kubernetes/kubernetes at
9edcffcde5595e8a5b1a35f88c421764e575afce, v1.31.0, `staging/src/k8s.io/apiserver`):
- one cluster-wide resourceVersion counter, bumped by every write (etcd's revision);
- the watch cache keeps a window of recent events; a watch from a resourceVersion older than the
  window gets an ERROR event with a 410 ``Expired`` Status (`pkg/storage/cacher/watch_cache.go`,
  "too old resource version");
- list pages are served from a snapshot at the first page's resourceVersion, named by an opaque
  ``continue`` token that expires with the window too (`pkg/storage/etcd3/store.go`);
- every write records its field manager in ``metadata.managedFields`` (operation, apiVersion,
  time, FieldsV1 set) and takes the fields it changed away from other managers
  (sigs.k8s.io/structured-merge-diff, simplified: lists are owned whole).
"""

from __future__ import annotations

import base64
import copy
import json
import threading
import uuid
from copy import deepcopy as _copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).parent / "recorded"
WINDOW = 1000
"""Events the watch cache keeps; older resourceVersions are 410 Gone."""
SERVER_FIELDS = ("resourceVersion", "uid", "creationTimestamp", "managedFields", "generation",
                 "selfLink")  # fmt: skip


class ApiError(Exception):
    """A Status answer: code, reason and message as the real server words them."""

    def __init__(self, code: int, reason: str, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.code, self.reason, self.message, self.kind = code, reason, message, kind

    def status(self) -> dict[str, Any]:
        details = {"kind": self.kind} if self.kind else {}
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": self.message, "reason": self.reason, "details": details,
                "code": self.code}  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """One listable resource: group, version, plural, Kind and scope. (Like the source's
    ``ApiKind`` on purpose, not shared with it: the server must not lean on the client's code.)"""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


@dataclass
class Event:
    rv: int
    type: str
    kind: Kind
    obj: dict[str, Any]


@dataclass
class Cluster:
    """Every object of a cluster, its discovery documents and its recent history."""

    discovery: dict[str, dict[str, Any]] = field(default_factory=dict)
    """APIResourceList per groupVersion ("v1", "apps/v1", ...)."""
    kinds: dict[tuple[str, str], Kind] = field(default_factory=dict)
    """(group, plural) -> Kind."""
    objects: dict[tuple[Kind, str, str], dict[str, Any]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    rv: int = 1000
    forbidden: set[str] = field(default_factory=set)
    """Plurals (``secrets``, ``adapters.config.istio.io``) the caller's RBAC denies."""
    logs: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """(namespace, pod, container) -> log text; ``container + "@previous"`` for the last run."""
    snapshots: dict[tuple[Kind, str | None, int], tuple[list[str], list[dict[str, Any]]]] = field(
        default_factory=dict
    )
    """Lists served page by page: the items at the first page's resourceVersion."""
    lock: threading.Condition = field(default_factory=threading.Condition)
    clock: Any = field(default=lambda: datetime.now(UTC))
    encoded: dict[tuple[Kind, str], tuple[str, bytes]] = field(default_factory=dict)
    """Each object's last list item encoding, by key, with the resourceVersion it encodes."""

    # -- setup -------------------------------------------------------------------------------

    @classmethod
    def recorded(cls) -> Cluster:
        """A cluster serving the recorded discovery documents and objects (see SOURCES.md)."""
        cluster = cls()
        for path in sorted((RECORDED / "discovery").glob("*.json")):
            doc = json.loads(path.read_text())
            if doc.get("kind") == "APIResourceList":
                cluster.add_group_version(doc)
        for path in sorted(RECORDED.glob("*.json")):
            cluster.create(json.loads(path.read_text()), manager="kubectl-client-side-apply")
        return cluster

    def add_group_version(self, doc: dict[str, Any]) -> None:
        group, _, version = doc["groupVersion"].rpartition("/")
        self.discovery[doc["groupVersion"]] = doc
        for res in doc["resources"]:
            if "/" not in res["name"]:
                kind = Kind(group, version, res["name"], res["kind"], res["namespaced"])
                self.kinds[(group, res["name"])] = kind

    def _crd_added(self, crd: dict[str, Any]) -> None:
        """Serve a CustomResourceDefinition's kind, as the apiextensions server does."""
        spec = crd["spec"]
        names = spec["names"]
        versions = [v["name"] for v in spec.get("versions") or [] if v.get("served", True)]
        for version in versions or [spec["version"]]:
            gv = f"{spec['group']}/{version}"
            doc = self.discovery.setdefault(
                gv, {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                     "resources": []})  # fmt: skip
            doc["resources"] = [r for r in doc["resources"] if r["name"] != names["plural"]]
            doc["resources"].append({
                "name": names["plural"], "singularName": names.get("singular", ""),
                "namespaced": spec["scope"] == "Namespaced", "kind": names["kind"],
                "verbs": ["delete", "deletecollection", "get", "list", "patch", "create",
                          "update", "watch"],
                "shortNames": names.get("shortNames", []),
                "categories": names.get("categories", []),
            })  # fmt: skip
            self.add_group_version(doc)

    def kind_of(self, api_version: str, kind_name: str) -> Kind:
        group = api_version.rpartition("/")[0]
        for kind in self.kinds.values():
            if kind.group == group and kind.kind == kind_name:
                return kind
        raise ApiError(404, "NotFound", f"no matches for kind {kind_name!r} in {api_version}")

    def groups(self) -> dict[str, list[str]]:
        """Group name -> served versions (the core group "" excluded)."""
        out: dict[str, list[str]] = {}
        for gv in self.discovery:
            if "/" in gv:
                group, version = gv.split("/")
                out.setdefault(group, []).append(version)
        return out

    # -- writes ------------------------------------------------------------------------------

    def create(self, obj: dict[str, Any], manager: str, operation: str = "Update") -> dict:
        with self.lock:
            kind = self.kind_of(obj["apiVersion"], obj["kind"])
            meta = obj.setdefault("metadata", {})
            ns = meta.get("namespace", "default") if kind.namespaced else ""
            key = (kind, ns, meta["name"])
            if key in self.objects:
                raise ApiError(
                    409,
                    "AlreadyExists",
                    f'{kind.plural} "{meta["name"]}" already exists',
                    kind.plural,
                )
            if kind.namespaced:
                meta["namespace"] = ns
            for name in SERVER_FIELDS:
                meta.pop(name, None)
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = self._now()
            if "spec" in obj:
                meta["generation"] = 1
            _own(obj, {}, manager, operation, self._now())
            self._commit("ADDED", kind, key, obj)
            if kind.kind == "CustomResourceDefinition":
                self._crd_added(obj)
            return copy.deepcopy(obj)

    def update(self, obj: dict[str, Any], manager: str, operation: str = "Update") -> dict:
        """Replace an object (PUT): server fields are kept, managedFields updated."""
        with self.lock:
            kind = self.kind_of(obj["apiVersion"], obj["kind"])
            meta = obj["metadata"]
            key = (kind, meta.get("namespace", "default") if kind.namespaced else "", meta["name"])
            old = self._get(key)
            sent = meta.get("resourceVersion")
            if sent and sent != old["metadata"]["resourceVersion"]:
                raise ApiError(
                    409,
                    "Conflict",
                    "the object has been modified; please apply "
                    "your changes to the latest version and try again",
                    kind.plural,
                )
            for name in SERVER_FIELDS:
                if name in old["metadata"]:
                    meta[name] = copy.deepcopy(old["metadata"][name])
            if obj.get("spec") != old.get("spec"):
                meta["generation"] = old["metadata"].get("generation", 0) + 1
            _own(obj, old, manager, operation, self._now())
            self._commit("MODIFIED", kind, key, obj)
            if kind.kind == "CustomResourceDefinition":
                self._crd_added(obj)
            return copy.deepcopy(obj)

    def patch(self, kind: Kind, ns: str, name: str, patch: dict[str, Any], manager: str) -> dict:
        """A JSON merge patch (RFC 7396); strategic merge patches are applied the same way."""
        with self.lock:
            obj = copy.deepcopy(self._get((kind, ns, name)))
            merged = _merge(obj, patch)
            merged["metadata"].pop("resourceVersion", None)
            return self.update(merged, manager)

    def delete(self, kind: Kind, ns: str, name: str, grace: float = 0) -> dict:
        """Delete at once, or (a Pod with ``grace`` seconds) set ``deletionTimestamp`` now and
        delete when the grace period ends, as the kubelet does once the containers stopped.
        (The real default grace is the pod's ``terminationGracePeriodSeconds``; here it is 0.)"""
        with self.lock:
            obj = self._get((kind, ns, name))
            if grace > 0 and kind.kind == "Pod" and "deletionTimestamp" not in obj["metadata"]:
                terminating = copy.deepcopy(obj)
                terminating["metadata"]["deletionTimestamp"] = self._now()
                terminating["metadata"]["deletionGracePeriodSeconds"] = int(grace)
                self._commit("MODIFIED", kind, (kind, ns, name), terminating)
                timer = threading.Timer(grace, self.delete, (kind, ns, name))
                timer.daemon = True
                timer.start()
                return copy.deepcopy(terminating)
            del self.objects[(kind, ns, name)]
            gone = copy.deepcopy(obj)
            self._commit("DELETED", kind, None, gone)
            return gone

    def compact(self) -> None:
        """Drop the whole watch window, as an etcd compaction does: every older
        resourceVersion and continue token is now 410 Gone."""
        with self.lock:
            self.events.clear()
            self.rv += 1

    def _commit(self, type_: str, kind: Kind, key: Any, obj: dict[str, Any]) -> None:
        self.rv += 1
        obj["metadata"]["resourceVersion"] = str(self.rv)
        if key is not None:
            self.objects[key] = obj
        self.events.append(Event(self.rv, type_, kind, copy.deepcopy(obj)))
        del self.events[:-WINDOW]
        self.lock.notify_all()

    def _get(self, key: tuple[Kind, str, str]) -> dict[str, Any]:
        obj = self.objects.get(key)
        if obj is None:
            raise ApiError(404, "NotFound", f'{key[0].plural} "{key[2]}" not found', key[0].plural)
        return obj

    def _now(self) -> str:
        return str(self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"))

    # -- reads -------------------------------------------------------------------------------

    def oldest(self) -> int:
        """The oldest resourceVersion a watch may start from."""
        return self.events[0].rv - 1 if self.events else self.rv

    def items(self, kind: Kind, ns: str | None, copy: bool = True) -> list[dict[str, Any]]:
        """Current objects of ``kind`` (in ``ns``, or all), in key order as etcd lists them;
        without ``copy`` the stored objects themselves (a write replaces, never edits, them)."""
        keys = sorted(k for k in self.objects if k[0] == kind and (ns is None or k[1] == ns))
        return [_copy(self.objects[k]) if copy else self.objects[k] for k in keys]

    def item_json(self, kind: Kind, obj: dict[str, Any]) -> bytes:
        """``obj`` as a list answer's item (no ``apiVersion`` nor ``kind``), JSON-encoded once
        per resourceVersion and reused by every list after. The real server encodes an object
        version once for all the watchers it is sent to (``cachingObject``, k8s.io/apiserver
        ``pkg/storage/cacher/caching_object.go`` at 9edcffcde5595e8a5b1a35f88c421764e575afce)
        and serves lists from its watch cache, on a machine of its own; encoding every object
        again per list made this server take half a core of the machine its client runs on
        (bench_watch). A write replaces an object with a new resourceVersion, never edits it:
        the bytes of an older version are never served for a newer one."""
        meta = obj["metadata"]
        key, version = (
            (kind, f"{meta.get('namespace', '')}/{meta['name']}"),
            meta["resourceVersion"],
        )
        cached = self.encoded.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        data = json.dumps(
            {k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}
        ).encode()
        self.encoded[key] = (version, data)
        return data

    def get(self, kind: Kind, ns: str, name: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._get((kind, ns, name)))

    def since(self, rv: int) -> list[Event]:
        """Events after ``rv``; ApiError 410 when the window no longer reaches back to it."""
        if rv < self.oldest():
            raise ApiError(410, "Expired", f"too old resource version: {rv} ({self.oldest()})")
        return [e for e in self.events if e.rv > rv]


# -- continue tokens (k8s.io/apiserver/pkg/storage/continue.go: base64 of {"v","rv","start"}) --


def encode_continue(rv: int, start: str) -> str:
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": start}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_continue(token: str) -> tuple[int, str]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return int(data["rv"]), str(data["start"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ApiError(400, "BadRequest", f"continue key is not valid: {exc}") from None


# -- managedFields -------------------------------------------------------------------------


def fields_v1(obj: Any) -> dict[str, Any]:
    """The FieldsV1 set of every leaf of ``obj`` (``{"f:spec": {"f:replicas": {}}}``); lists
    and scalars are leaves here (the real server keys list items by their merge keys)."""
    if not isinstance(obj, dict) or not obj:
        return {}
    return {f"f:{k}": fields_v1(v) for k, v in obj.items()}


def _changed(new: Any, old: Any) -> Any:
    """The part of ``new`` that differs from ``old`` (None when nothing does)."""
    if isinstance(new, dict) and isinstance(old, dict):
        out = {k: c for k, v in new.items() if (c := _changed(v, old.get(k, _MISSING))) is not None}
        return out or None
    return None if new == old else new


_MISSING = object()


def _owned(obj: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "status")}
    meta = {k: v for k, v in body.get("metadata", {}).items()
            if k in ("labels", "annotations", "finalizers", "ownerReferences")}  # fmt: skip
    return (
        {**body, "metadata": meta} if meta else {k: v for k, v in body.items() if k != "metadata"}
    )


def _subtract(fields: dict[str, Any], taken: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in fields.items():
        if k not in taken:
            out[k] = v
        elif v and taken[k]:
            rest = _subtract(v, taken[k])
            if rest:
                out[k] = rest
    return out


def _union(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _union(out.get(k, {}), v) if k in out else v
    return out


def _own(obj: dict[str, Any], old: dict[str, Any], manager: str, op: str, now: str) -> None:
    """Record ``manager`` as owner of what this write changed, taken from other managers."""
    changed = _changed(_owned(obj), _owned(old) if old else {}) or {}
    taken = fields_v1(changed)
    entries = []
    for entry in (old.get("metadata", {}).get("managedFields") or []) if old else []:
        if (entry["manager"], entry["operation"]) == (manager, op):
            taken = _union(entry.get("fieldsV1", {}), taken)
            continue
        rest = _subtract(entry.get("fieldsV1", {}), taken)
        if rest:
            entries.append({**entry, "fieldsV1": rest})
    if taken or not entries:
        entries.append({"manager": manager, "operation": op, "apiVersion": obj["apiVersion"],
                        "time": now, "fieldsType": "FieldsV1", "fieldsV1": taken})  # fmt: skip
    obj["metadata"]["managedFields"] = entries


def _merge(target: Any, patch: Any) -> Any:
    """RFC 7396 §2 MergePatch."""
    if not isinstance(patch, dict):
        return patch
    if not isinstance(target, dict):
        target = {}
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = _merge(target.get(k), v)
    return target


def label_match(selector: str, labels: dict[str, str]) -> bool:
    """Label selector of ``k8s.io/apimachinery/pkg/labels``: ``k=v``, ``k==v``, ``k!=v``,
    ``k``, ``!k``, ``k in (a,b)``, ``k notin (a,b)``, comma-separated (all must hold)."""
    for term in _terms(selector):
        if not _term_match(term.strip(), labels):
            return False
    return True


def _terms(selector: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in selector:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [t for t in [*out, cur] if t.strip()]


def _term_match(term: str, labels: dict[str, str]) -> bool:
    for word, negate in ((" notin ", True), (" in ", False)):
        if word in term:
            key, _, values = term.partition(word)
            options = {v.strip() for v in values.strip().strip("()").split(",")}
            return (labels.get(key.strip()) in options) != negate
    if "!=" in term:
        key, _, value = term.partition("!=")
        return labels.get(key.strip()) != value.strip()
    if "=" in term:
        key, _, value = term.replace("==", "=").partition("=")
        return labels.get(key.strip()) == value.strip()
    if term.startswith("!"):
        return term[1:].strip() not in labels
    return term in labels
