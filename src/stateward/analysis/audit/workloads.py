"""Workload views: one shape for a Kubernetes pod template and a Compose service.

Rules read a :class:`Workload` rather than raw objects, so "is this data directory on a volume,
and of which kind" is answered once for both platforms. Paths are JSON pointers (RFC 6901) into
the resource the workload came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Final, TypeVar

from stateward.model.filepaths import at_or_under
from stateward.model.kubernetes import as_list, as_map, pod_spec_pointer
from stateward.model.pointer import join
from stateward.model.resource import Resource

__all__ = [
    "Container",
    "Mount",
    "Operated",
    "Reference",
    "Storage",
    "Workload",
    "compose_workload",
    "host_workload",
    "kubernetes_workload",
    "per_container",
    "pointer",
    "remembered",
]

# The pod volume sources that are not storage a workload writes to.
_PROJECTED = frozenset({"configMap", "secret", "projected", "downwardAPI", "serviceAccountToken"})


def pointer(*parts: object) -> str:
    """JSON pointer from parts, each escaped (RFC 6901 §3)."""
    return join([str(p) for p in parts])


@dataclass(frozen=True, slots=True)
class Container:
    """A container of a pod (or the one container of a Compose service)."""

    name: str
    image: str
    body: Mapping[str, Any]
    path: str
    init: bool = False
    image_config: Mapping[str, Any] | None = None
    """The image's own config (``Env``, ``Volumes``, ``ExposedPorts``, ``Entrypoint``) when it
    was read from an engine or a registry (:mod:`stateward.analysis.audit.images`)."""
    reached_as: tuple[str, str] | None = None
    """(database family, evidence) when clients reach it as that engine's server
    (:mod:`stateward.analysis.audit.reached`)."""

    _command: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    """:attr:`command`, made on its first read: the rules read it about fourteen times a
    container. A container's body is never changed, and ``replace`` starts a new one.
    :attr:`env` and :attr:`env_names` are made at each read: kept too, their dicts and sets
    raised an in-process audit's peak at 20k objects by ~2 and ~4 MiB (ru_maxrss), and that
    of ``scan`` at 50k objects (its audit's) by 1-4 MiB."""

    @property
    def command(self) -> list[str]:
        """Command and args as one list of strings (Compose: ``entrypoint`` and ``command``);
        shared by every reader, who must not change it."""
        words = self._command
        if words is None:
            words = self._words()
            object.__setattr__(self, "_command", words)  # frozen: set once, here
        return words

    def _words(self) -> list[str]:
        words: list[str] = []
        for key in ("entrypoint", "command", "args"):
            value = self.body.get(key)
            if isinstance(value, str):
                words.extend(value.split())
            elif isinstance(value, list):
                words.extend(str(v) for v in value)
        return words

    @property
    def env(self) -> dict[str, str]:
        """Literal environment values (references to Secrets/ConfigMaps are left out)."""
        raw = self.body.get("environment", self.body.get("env"))
        if isinstance(raw, Mapping):
            return {str(k): str(v) for k, v in raw.items() if v is not None}
        if isinstance(raw, list):
            return {
                str(e["name"]): str(e["value"])
                for e in raw
                # a dict first: the Mapping ABC's check costs three times as much (as in as_map)
                if (type(e) is dict or isinstance(e, Mapping))
                and "name" in e
                and e.get("value") is not None
            }
        return {}

    @property
    def env_names(self) -> set[str]:
        """Every variable name, including those whose value comes from a reference."""
        raw = self.body.get("environment", self.body.get("env"))
        if isinstance(raw, Mapping):
            return {str(k) for k in raw}
        if isinstance(raw, list):
            return {str(e["name"]) for e in raw if isinstance(e, Mapping) and "name" in e}
        return set()


@dataclass(frozen=True, slots=True)
class Mount:
    """A volume as a container sees it.

    ``kind`` is the Kubernetes volume source key (``emptyDir``, ``persistentVolumeClaim``,
    ``hostPath``, ``configMap`` …, ``volumeClaimTemplate`` for a StatefulSet template) or, for
    Compose, ``bind``, ``volume``, ``anonymous``, ``tmpfs``.
    """

    container: str
    target: str
    volume: str
    kind: str
    read_only: bool
    path: str
    source: str = ""
    """Host path of a bind/hostPath, claim name of a PVC, volume name otherwise."""
    sub_path: str = ""
    spec: Mapping[str, Any] | None = None

    @property
    def writable_store(self) -> bool:
        """True when the mount can hold data the workload writes (not config, not read-only)."""
        return not self.read_only and self.kind not in _PROJECTED

    def covers(self, directory: str) -> bool:
        """True when ``directory`` is this mount's target or below it."""
        return at_or_under(directory, self.target)


@dataclass(frozen=True, slots=True)
class Storage:
    """One storage declaration of an operator resource (:mod:`.operators`).

    ``claim`` is the claim template's spec when the data is on claims (one per replica), None
    when it is on an emptyDir or in memory."""

    path: str
    """JSON pointer of the declaration (or of where it would be) in the resource."""
    claim: Mapping[str, Any] | None
    text: str
    memory: bool = False
    """True when the spec picks memory for a store of the resource's own (``stateStore:
    {memory: true}``): it holds records, which a replacement loses."""


@dataclass(frozen=True, slots=True)
class Operated:
    """What an operator runs for a custom resource: its role and the storage it gives it."""

    role: str
    storage: tuple[Storage, ...]
    source: str
    """The CRD's API reference."""
    rebuilt: str = ""
    """Set when what the storage holds is a copy the operator's program rebuilds from elsewhere
    (a learner replica, a relay log): why, for the finding; its claims are a warm-up."""
    inferred: bool = False
    """True for a resource of no known family, read as a data holder from the storage its spec
    asks for (:mod:`.custom`): a moderate confidence, not the CRD's documented meaning."""
    pods: bool = True
    """False for a resource reconciled into something outside the cluster (a cloud provider's
    database, :mod:`.cloud`): no pods of its own to evict, no volume to re-attach."""


@dataclass(frozen=True, slots=True)
class Reference:
    """A peer an operator resource names: a Service (its pods' selector decides who) or another
    resource of ``kind``, in ``namespace`` ("" for the resource's own). With ``field``, every
    resource of ``kind`` whose value at that path is ``name`` (the members of one cluster)."""

    kind: str
    name: str
    namespace: str
    where: str
    field: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Workload:
    """A running unit: a pod template of a Kubernetes controller, a bare Pod, a Compose service."""

    id: str
    name: str
    kind: str
    namespace: str
    platform: str
    """``kubernetes``, ``compose`` or ``host``."""
    resource: Resource
    pod_path: str
    containers: tuple[Container, ...]
    init_containers: tuple[Container, ...]
    mounts: tuple[Mount, ...]
    volumes: Mapping[str, tuple[str, Mapping[str, Any]]]
    """Pod volumes by name: (pointer, definition). Empty for Compose."""
    replicas: int | None
    labels: Mapping[str, str]
    operated: Operated | None = None
    """Set for an operator's custom resource: the pods are the operator's, not in the body."""
    handed_off: frozenset[str] = frozenset()
    """Compose named volumes another service of the project also mounts writable
    (:mod:`.handoffs`): set by the estate, which alone sees the other services."""
    facts: dict[str | tuple[str, int | str], Any] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """What :func:`per_container` facts found, by fact for the first container and by (fact,
    position) for the others: the containers are fixed with the workload, so a position names
    one, and most workloads have one container, whose facts then cost no key of their own. Not copied by ``replace``: a workload with other containers starts with none.
    Also :attr:`pod` and :attr:`primary`, under those names, read as often; the workloads
    each host it names reaches, by ("host", host) (:func:`.dependencies.resolve_host`); and
    :func:`remembered` facts, by (fact, position)."""

    @property
    def body(self) -> Mapping[str, Any]:
        """The resource body."""
        return self.resource.body

    @property
    def pod(self) -> Mapping[str, Any]:
        """The pod spec (Kubernetes) or the service mapping (Compose)."""
        pod = self.facts.get("pod")
        if pod is None:
            pod = self.facts["pod"] = _at(self.resource.body, self.pod_path)
        return pod

    @property
    def primary(self) -> Container | None:
        """The main container: the one named like the workload, else the first."""
        if "primary" not in self.facts:
            named = [c for c in self.containers if c.name == self.name]
            self.facts["primary"] = next(iter(named or self.containers), None)
        primary: Container | None = self.facts["primary"]
        return primary

    def mounts_of(self, container: Container) -> list[Mount]:
        """The mounts of one container."""
        return [m for m in self.mounts if m.container == container.name]

    def all_containers(self) -> Iterator[Container]:
        """Init containers first, then the others."""
        yield from self.init_containers
        yield from self.containers


_Fact = TypeVar("_Fact")


def per_container(
    fact: Callable[[Workload, Container], _Fact],
) -> Callable[[Workload, Container], _Fact]:
    """``fact`` computed once per workload and container and kept with the workload: the rules
    ask the same question of one container many times (a container's data family about ten
    times in one audit). The answer is shared, so callers must not change it."""
    name = fact.__qualname__

    @wraps(fact)
    def once(workload: Workload, container: Container) -> _Fact:
        return _kept(workload, container, name, fact, workload, container)

    return once


_UNASKED: Final = object()
"""A fact not yet asked (an answer may be None)."""


def remembered(
    workload: Workload, container: Container, fact: str, answer: Callable[[], _Fact]
) -> _Fact:
    """``answer()`` computed once per workload, container and ``fact`` and kept with the
    workload, for facts that need more than the two (the estate, which a workload belongs to
    for good; or a value, which ``fact`` must then name). The answer is shared, so callers must
    not change it."""
    return _kept(workload, container, fact, answer)


def _kept(
    workload: Workload, container: Container, fact: str, answer: Callable[..., _Fact], *args: Any
) -> _Fact:
    """``answer(*args)``, kept with the workload under ``fact`` and the container's position
    (the first container's under ``fact`` alone: no tuple built for the most asked)."""
    position = _position(workload, container)
    if position is None:  # not one of the workload's own: nothing to key it by
        return answer(*args)
    key = fact if position == 0 else (fact, position)
    kept = workload.facts.get(key, _UNASKED)
    if kept is _UNASKED:
        kept = workload.facts[key] = answer(*args)
    found: _Fact = kept
    return found


def _position(workload: Workload, container: Container) -> int | None:
    """Where ``container`` (this very object) is among the workload's containers, then its
    init containers."""
    # Two plain loops, the main containers first: the rules mostly ask of those, and a
    # generator over both would cost more than the fact's own look-up.
    containers = workload.containers
    for position, held in enumerate(containers):
        if held is container:
            return position
    for position, held in enumerate(workload.init_containers, len(containers)):
        if held is container:
            return position
    return None


def _at(body: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    node: Any = body
    for part in path.strip("/").split("/") if path.strip("/") else []:
        node = node.get(part) if type(node) is dict or isinstance(node, Mapping) else None
    return node if type(node) is dict or isinstance(node, Mapping) else {}


def kubernetes_workload(
    resource: Resource, ident: str, pod_path: str | None = None
) -> Workload | None:
    """The workload view of a Kubernetes controller or Pod (or of a custom controller whose pod
    spec is at ``pod_path``); None for other kinds."""
    pod_path = pod_path or pod_spec_pointer(resource.key.kind)
    if pod_path is None:
        return None
    body = resource.body
    pod = _at(body, pod_path)
    containers = tuple(_containers(pod, pod_path, "containers"))
    inits = tuple(_containers(pod, pod_path, "initContainers"))
    volumes = {
        str(v.get("name")): (pointer(*pod_path.strip("/").split("/"), "volumes", i), v)
        for i, v in enumerate(as_list(pod.get("volumes")))
        if isinstance(v, Mapping)
    }
    templates = {
        str(as_map(t.get("metadata")).get("name")): (pointer("spec", "volumeClaimTemplates", i), t)
        for i, t in enumerate(as_list(as_map(body.get("spec")).get("volumeClaimTemplates")))
        if isinstance(t, Mapping)
    }
    # The StatefulSet controller gives each pod a claim per template, in place of any pod
    # volume of the same name (updateStorage, pkg/controller/statefulset/stateful_set_utils.go:
    # https://github.com/kubernetes/kubernetes/blob/v1.31.0/pkg/controller/statefulset/stateful_set_utils.go).
    volumes = {n: v for n, v in volumes.items() if n not in templates}
    mounts = tuple(m for c in (*inits, *containers) for m in _pod_mounts(c, volumes, templates))
    replicas = as_map(body.get("spec")).get("replicas") if resource.key.kind != "Pod" else 1
    labels_path = pod_path.rsplit("/", 1)[0] + "/metadata/labels"
    labels = _at(body, labels_path) if resource.key.kind != "Pod" else _at(body, "/metadata/labels")
    return Workload(
        ident,
        resource.key.name,
        resource.key.kind,
        resource.key.namespace,
        "kubernetes",
        resource,
        pod_path,
        containers,
        inits,
        mounts,
        volumes,
        replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else None,
        {str(k): str(v) for k, v in labels.items()},
    )


def _containers(pod: Mapping[str, Any], pod_path: str, key: str) -> Iterator[Container]:
    for i, c in enumerate(as_list(pod.get(key))):
        if isinstance(c, Mapping):
            path = pointer(*pod_path.strip("/").split("/"), key, i)
            yield Container(
                str(c.get("name", i)), str(c.get("image", "")), c, path, key == "initContainers"
            )


def _pod_mounts(
    container: Container,
    volumes: Mapping[str, tuple[str, Mapping[str, Any]]],
    templates: Mapping[str, tuple[str, Mapping[str, Any]]],
) -> Iterator[Mount]:
    for i, m in enumerate(as_list(container.body.get("volumeMounts"))):
        if not isinstance(m, Mapping):
            continue
        name = str(m.get("name", ""))
        kind, source, spec = _volume_kind(name, volumes, templates)
        yield Mount(
            container.name,
            str(m.get("mountPath", "")),
            name,
            kind,
            bool(m.get("readOnly", False)),
            container.path + pointer("volumeMounts", i),
            source,
            str(m.get("subPath", "") or m.get("subPathExpr", "")),
            spec,
        )


def _volume_kind(
    name: str,
    volumes: Mapping[str, tuple[str, Mapping[str, Any]]],
    templates: Mapping[str, tuple[str, Mapping[str, Any]]],
) -> tuple[str, str, Mapping[str, Any] | None]:
    if name in volumes:
        volume = volumes[name][1]
        kind = volume_source(volume)
        spec = as_map(volume.get(kind))
        source = spec.get("claimName") or spec.get("path") or name
        return kind, str(source), spec
    if name in templates:
        return "volumeClaimTemplate", name, templates[name][1]
    return "unknown", name, None


def volume_source(volume: Mapping[str, Any]) -> str:
    """The source key of a pod volume; ``emptyDir`` when none is given (API defaulting)."""
    keys = [k for k in volume if k != "name"]
    return keys[0] if keys else "emptyDir"


def compose_workload(resource: Resource, ident: str) -> Workload:
    """The workload view of one Compose service."""
    service = resource.body
    image = str(service.get("image", "") or "")
    container = Container(resource.key.name, image, service, "")
    mounts = tuple(_compose_mounts(container.name, service))
    deploy = as_map(service.get("deploy"))
    replicas = deploy.get("replicas", service.get("scale"))
    return Workload(
        ident,
        resource.key.name,
        "Service",
        resource.key.namespace,
        "compose",
        resource,
        "",
        (container,),
        (),
        mounts,
        {},
        replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else None,
        _compose_labels(service.get("labels")),
    )


def _compose_labels(raw: Any) -> dict[str, str]:
    """A Compose service's labels, given as a map or as a list of ``key=value``."""
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items()}
    return dict(str(item).partition("=")[::2] for item in as_list(raw))


def _compose_mounts(name: str, service: Mapping[str, Any]) -> Iterator[Mount]:
    for i, entry in enumerate(as_list(service.get("volumes"))):
        path = pointer("volumes", i)
        if isinstance(entry, str):
            yield _short_volume(name, entry, path)
        elif isinstance(entry, Mapping):
            kind = str(entry.get("type", "volume"))
            source = str(entry.get("source", "") or "")
            if kind == "volume" and not source:
                kind = "anonymous"
            yield Mount(
                name,
                str(entry.get("target", "")),
                source,
                kind,
                bool(entry.get("read_only", False)),
                path,
                source,
            )
    tmpfs = service.get("tmpfs")
    for i, target in enumerate([tmpfs] if isinstance(tmpfs, str) else as_list(tmpfs)):
        path = "/tmpfs" if isinstance(tmpfs, str) else pointer("tmpfs", i)
        yield Mount(name, str(target).split(":")[0], "", "tmpfs", False, path)


def _short_volume(name: str, entry: str, path: str) -> Mount:
    """``[SOURCE:]TARGET[:MODE]`` (Compose Specification, services.volumes short syntax)."""
    parts = entry.split(":")
    if len(parts) == 1:
        return Mount(name, parts[0], "", "anonymous", False, path)
    source, target = parts[0], parts[1]
    modes = set(parts[2].split(",")) if len(parts) > 2 else set()
    is_bind = source.startswith((".", "/", "~", "$")) or source == ""
    kind = "bind" if is_bind else "volume"
    return Mount(name, target, source, kind, "ro" in modes, path, source)


def host_workload(resource: Resource, ident: str) -> Workload:
    """The workload view of a host's service (``HostService``): no containers and no mounts,
    so no container rule applies (a host's disk outlives the process); the host rules
    (:mod:`stateward.analysis.audit.rules.hosted`) read its unit from the body."""
    return Workload(
        ident, resource.key.name, resource.key.kind, "", "host", resource, "", (), (), (), {}, 1, {}
    )  # fmt: skip
