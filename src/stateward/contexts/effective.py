"""The ``effective`` facet of a Kubernetes workload: what its running pods actually see, beside
what is declared.

* Environment variables from a ConfigMap or Secret (``env[].valueFrom``, ``envFrom``) are read
  once, when the container starts, and a file mounted with ``subPath`` is never refreshed
  (https://kubernetes.io/docs/concepts/configuration/configmap/
  #mounted-configmaps-are-updated-automatically): a container started before the object last
  changed runs the old values. Whole-volume mounts refresh after the kubelet's sync and an
  ``immutable`` object never changes: neither goes stale.
* Replicas can run different image digests for one reference
  (``status.containerStatuses[].imageID``): a tag moved between pod starts.

When an object last changed is the newest ``managedFields`` time (the API server sets it on
every write that changes a manager's fields), else its ``creationTimestamp``; when a container
started is its ``state.running.startedAt``. All are RFC 3339 UTC to the second: compared as text.

Pods are read as observed (with ``status`` and ``ownerReferences``), before normalization takes
those server fields away. The facet holds counts, never pod names, so it changes when what the
pods run changes, not each time a pod is replaced by an identical one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any

from stateward.model.resource import Resource

__all__ = [
    "FACET",
    "ConfigChanges",
    "LivePods",
    "controller",
    "effective_contexts",
    "read_at_start",
    "statuses",
]

FACET = "effective"
_CONFIG_KINDS = ("ConfigMap", "Secret")
_OWNER_GROUPS = ("", "apps", "batch")
"""The groups of the objects a pod's controller chain may name (ReplicaSet, Deployment, Job …)."""
_MAX_CHAIN = 4
"""Pod → ReplicaSet → Deployment, Pod → Job → CronJob: a longer chain is a cycle or a custom
controller tree, followed no further."""

ObjectKey = tuple[str, str, str]
"""(kind, namespace, name)."""


class ConfigChanges:
    """When each mutable ConfigMap and Secret last changed, by (kind, namespace, name). A body
    is read only when its object is asked for: pods read a few of the thousands an estate may
    hold, and a watch keeps the others undecoded (:mod:`stateward.model.encoded`)."""

    def __init__(self, objects: Mapping[ObjectKey, Resource]) -> None:
        self._objects = objects

    def get(self, key: ObjectKey) -> str:
        """When the object last changed; "" when the estate does not hold it or it is
        immutable (it never changes under a pod)."""
        found = self._objects.get(key)
        if found is None or found.body.get("immutable"):
            return ""
        return _last_change(found.body)


class LivePods:
    """An observation's live pods (those with a ``status``: a manifest has none), as read,
    and the objects their effective facet and its findings (:mod:`stateward.analysis.effective`)
    read: both are given this one reading. Each read every resource on its own, the pods'
    scan twice and the tables of objects three times: 8-17 ms of a watch's observation of
    10k objects (``bench/bench_watch.py``, load 9), against 3-10 ms for this one pass, at
    every batch. The tables are made only when a pod is there to read them."""

    def __init__(self, resources: list[Resource]) -> None:
        self._resources = resources
        self.pods = [r for r in self._resources if (r.key.group, r.key.kind) == ("", "Pod")
                     and _mapping(r.body.get("status"))]  # fmt: skip

    @cached_property
    def _tables(self) -> tuple[dict[ObjectKey, Resource], ConfigChanges]:
        """Every object of the groups a controller chain names, and of those the ConfigMaps
        and Secrets, by (kind, namespace, name): one pass (the last of one key is kept)."""
        objects: dict[ObjectKey, Resource] = {}
        configs: dict[ObjectKey, Resource] = {}
        for r in self._resources:
            key = r.key
            if key.group in _OWNER_GROUPS:
                objects[found := (key.kind, key.namespace, key.name)] = r
                if key.group == "" and key.kind in _CONFIG_KINDS:
                    configs[found] = r
        return objects, ConfigChanges(configs)

    @property
    def objects(self) -> Mapping[ObjectKey, Resource]:
        """The objects a pod's controller chain may name."""
        return self._tables[0]

    @property
    def changes(self) -> ConfigChanges:
        """When each mutable ConfigMap and Secret last changed."""
        return self._tables[1]


def effective_contexts(live: LivePods) -> dict[ObjectKey, dict[str, Any]]:
    """The ``effective`` facet of every pod and controller (ReplicaSet, Deployment, Job …)
    that has live pods, by (kind, namespace, name)."""
    if not live.pods:
        return {}  # a watch resolves every batch: without live pods this costs nothing
    members: dict[ObjectKey, list[Resource]] = defaultdict(list)
    for pod in live.pods:
        for key in _lineage(pod, live.objects):
            members[key].append(pod)
    return {key: _facet(group, live.changes) for key, group in members.items()}


def _lineage(pod: Resource, objects: Mapping[ObjectKey, Resource]) -> Iterator[ObjectKey]:
    """The pod itself, its controller, that one's controller, … as far as the estate holds."""
    key: ObjectKey | None = ("Pod", pod.key.namespace, pod.key.name)
    current: Resource | None = pod
    for _ in range(_MAX_CHAIN):
        if key is None:
            return
        yield key
        owner = controller(current.body) if current is not None else None
        key = (owner[0], pod.key.namespace, owner[1]) if owner else None
        current = objects.get(key) if key else None


def _facet(pods: list[Resource], changed: ConfigChanges) -> dict[str, Any]:
    facet: dict[str, Any] = {"pods": len(pods), "images": _images(pods)}
    if stale := _stale(pods, changed):
        facet["stale"] = stale
    return facet


def _images(pods: list[Resource]) -> dict[str, dict[str, dict[str, dict[str, int]]]]:
    """Per container and declared image, each digest run and by how many pods (a count of
    its own, under the digest: a digest run on one side only differs as a whole, a count as
    a count)."""
    seen: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for pod in pods:
        for status in statuses(pod):
            image, digest = status.get("image"), status.get("imageID")
            if isinstance(image, str) and isinstance(digest, str) and digest:
                seen[str(status.get("name"))][image][digest] += 1
    return {c: {i: {d: {"pods": n} for d, n in sorted(ds.items())} for i, ds in sorted(by.items())}
            for c, by in sorted(seen.items())}  # fmt: skip


def _stale(pods: list[Resource], changed: ConfigChanges) -> dict[str, Any]:
    """Per ConfigMap/Secret read only at start: when it changed, how the pods read it, and how
    many of them started before that."""
    stale: dict[str, dict[str, Any]] = {}
    for pod in pods:
        for kind, name, started, how in read_at_start(pod):
            when = changed.get((kind, pod.key.namespace, name))
            if not (started and when > started):
                continue
            entry = stale.setdefault(f"{kind}/{name}", {"changed": when, "read": set(),
                                                        "pods": set()})  # fmt: skip
            entry["read"].add(how)
            entry["pods"].add(pod.key.name)
    return {source: {"changed": e["changed"], "read": sorted(e["read"]), "pods": len(e["pods"])}
            for source, e in sorted(stale.items())}  # fmt: skip


def read_at_start(pod: Resource) -> Iterator[tuple[str, str, str, str]]:
    """(kind, name, container start, how: ``env`` or ``subPath``) of every ConfigMap/Secret a
    container of ``pod`` reads only at start."""
    spec = _mapping(pod.body.get("spec"))
    volumes = {str(v.get("name")): v for v in _list(spec.get("volumes"))}
    started = {str(s.get("name")): str(_mapping(_mapping(s.get("state")).get("running"))
                                       .get("startedAt") or "") for s in statuses(pod)}  # fmt: skip
    for container in _list(spec.get("containers")):
        at = started.get(str(container.get("name")), "")
        for kind, name in _env_sources(container):
            yield kind, name, at, "env"
        for mount in _list(container.get("volumeMounts")):
            if not mount.get("subPath"):
                continue
            volume = volumes.get(str(mount.get("name")), {})
            if ref := _mapping(volume.get("configMap")).get("name"):
                yield "ConfigMap", str(ref), at, "subPath"
            if ref := _mapping(volume.get("secret")).get("secretName"):
                yield "Secret", str(ref), at, "subPath"


def _env_sources(container: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for env in _list(container.get("env")):
        source = _mapping(env.get("valueFrom"))
        for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            if ref := _mapping(source.get(field)).get("name"):
                yield kind, str(ref)
    for env in _list(container.get("envFrom")):
        for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            if ref := _mapping(env.get(field)).get("name"):
                yield kind, str(ref)


def controller(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """(kind, name) of the object's controller (``ownerReferences[].controller``, else its
    first owner), or None."""
    refs = _list(_mapping(body.get("metadata")).get("ownerReferences"))
    found = next((r for r in refs if r.get("controller")), refs[0] if refs else None)
    return None if found is None else (str(found.get("kind")), str(found.get("name")))


def statuses(pod: Resource) -> list[Mapping[str, Any]]:
    """The pod's ``status.containerStatuses``."""
    return _list(_mapping(pod.body.get("status")).get("containerStatuses"))


def _last_change(body: Mapping[str, Any]) -> str:
    metadata = _mapping(body.get("metadata"))
    times = [str(e.get("time")) for e in _list(metadata.get("managedFields")) if e.get("time")]
    return max(times, default=str(metadata.get("creationTimestamp") or ""))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []
