"""The estate as the rules see it: workloads, and lookups between objects.

Lookups follow Kubernetes semantics: a Service selects the pods whose labels include its
selector, in its namespace; an Ingress backend names a Service; a PersistentVolumeClaim binds a
PersistentVolume through ``spec.volumeName`` or the PV's ``claimRef``; a PodDisruptionBudget
selects pods by ``spec.selector.matchLabels``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from stateward.analysis.audit.compositions import composed_kinds, composite_workload
from stateward.analysis.audit.custom import (
    custom_pod_spec,
    custom_references,
    is_custom,
    kinded_references,
    listed_references,
    peer_references,
)
from stateward.analysis.audit.grants import proxy_grants
from stateward.analysis.audit.handoffs import with_handoffs
from stateward.analysis.audit.images import Configs, DeclaredConfigs, ImageConfigs
from stateward.analysis.audit.links import Links
from stateward.analysis.audit.made_secrets import made_secrets
from stateward.analysis.audit.operators import (
    FAMILIES,
    backs_up,
    buffering,
    declares_messages,
    held_in,
    made_in_cluster,
    operator_secrets,
    operator_services,
    operator_workload,
    provisioned,
    referenced_workload,
)
from stateward.analysis.audit.policies import admissions
from stateward.analysis.audit.positions import Positions
from stateward.analysis.audit.provisioners import provisioner_index, runners_of
from stateward.analysis.audit.schemas import Schemas
from stateward.analysis.audit.workloads import (
    Container,
    Workload,
    compose_workload,
    host_workload,
    kubernetes_workload,
)
from stateward.analysis.audit.written_secrets import spec_secrets, written_secrets
from stateward.model.encoded import EncodedBody, Shared
from stateward.model.kubernetes import (
    WORKLOAD_KINDS,
    as_list,
    as_map,
    component_id,
    dig,
    is_map,
)
from stateward.model.observation import Observation
from stateward.model.resource import Resource

__all__ = ["Estate", "KvClient", "build_estate", "ids_or_none"]


_Key = TypeVar("_Key", str, tuple[str, str])


def ids_or_none(workloads: list[Workload]) -> list[str | None]:
    """The workloads' ids, or ``[None]``: an object finding is kept even when nothing uses it."""
    return [w.id for w in workloads] or [None]


APP_DIRECTORY_WORKLOADS = 40
"""More workloads than this in one directory is an estate dump, not one application."""


def directory_of(workload: Workload) -> str:
    """The directory of the file a workload was read from."""
    return workload.resource.origin.location.rsplit(":", 1)[0].rsplit("/", 1)[0]


@dataclass(frozen=True, slots=True)
class KvClient:
    """A workload that reaches a key-value store, and the variable that says so."""

    name: str
    image: str
    variable: str
    uses: str = ""
    """What its own settings say it keeps there when that is made again ('' when unknown:
    :mod:`~stateward.analysis.audit.laravel_drivers`)."""


@dataclass(slots=True)
class Estate:
    """Every workload and resource of one observation, indexed for the rules."""

    workloads: list[Workload]
    resources: list[Resource]
    by_kind: dict[str, list[Resource]] = field(default_factory=dict)
    holders: dict[str, str] = field(default_factory=dict)
    """Workload id -> why it holds state; filled after phase one for relation rules."""
    persistent: set[str] = field(default_factory=set)
    """Workload ids whose phase-one class is persistent."""
    kv_clients: dict[str, list[KvClient]] = field(default_factory=dict)
    """Key-value store workload id -> the clients naming it in their environment; filled
    before phase one (:mod:`stateward.analysis.audit.reached`)."""
    search_clients: dict[str, list[Workload]] = field(default_factory=dict)
    """Search engine workload id -> the workloads naming it in their environment; filled before
    phase one (:mod:`stateward.analysis.audit.reached`)."""
    index_clients: dict[str, list[Workload]] = field(default_factory=dict)
    """Search engine workload id (Elasticsearch, OpenSearch, Solr) -> the workloads naming it as
    their full-text index (``FULLTEXT_DB_URL``, ``…_FULL__TEXT__SEARCH_SOLR_URL``)."""
    database_clients: set[str] = field(default_factory=set)
    """Workload ids whose environment reaches a database server (by URL scheme or port)."""
    backup_clients: dict[str, list[str]] = field(default_factory=dict)
    """Object store workload id -> the backups and restores that name it, for a store only
    they (and one-shot setup steps) reach; filled before phase one
    (:mod:`stateward.analysis.audit.backups`)."""
    depends_on: dict[str, dict[str, str]] = field(default_factory=dict)
    """Workload id -> {target id: where the dependency was read}; filled after phase one."""
    # Indexes, so that lookups stay near-constant on estates of thousands of objects.
    _named: dict[tuple[str, str], dict[str, Resource]] = field(default_factory=dict)
    """(kind, namespace) -> the resources by name: no key tuple of its own per resource."""
    _in_kind: dict[tuple[str, str], list[Resource]] = field(default_factory=dict)
    """(kind, namespace) -> its resources, in estate order: every one, where ``_named`` keeps
    the first of a name that two API groups share (``extensions`` and ``networking.k8s.io``
    Ingresses in one dump)."""
    _by_label: dict[tuple[str, str], Positions[str]] = field(default_factory=dict)
    """(namespace, label) -> the positions by label value: a workload's own ``app`` value
    then costs no tuple of its own."""
    _served: set[str] = field(default_factory=set)
    _selectors: dict[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)
    """(namespace, name) -> the pod selector of the Service :meth:`named` gives: read once,
    so that no lookup decodes a Service's body again, nor keeps it decoded."""
    _service_namespaces: dict[str, list[str]] = field(default_factory=dict)
    """Service name -> the namespaces declaring a Service of that name."""
    _operator_services: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    _operated_by_namespace: dict[str, list[int]] = field(default_factory=dict)
    _operated_by_name: dict[str, list[int]] = field(default_factory=dict)
    _clusters: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    _group_keepers: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    _operator_secrets: dict[str, list[int]] = field(default_factory=dict)
    _compose_volumes: dict[tuple[str, str], Resource] = field(default_factory=dict)
    _compose_configs: dict[tuple[str, str], Resource] = field(default_factory=dict)
    _projects: dict[str, list[int]] = field(default_factory=dict)
    _in_namespace: dict[str, list[int]] = field(default_factory=dict)
    _by_name: dict[str, Positions[str]] = field(default_factory=dict)
    """Namespace -> the positions by workload name."""
    _holders_by_directory: dict[str, list[Workload]] | None = None
    _claim_users: dict[tuple[str, str], list[Workload]] | None = None
    _secret_users: dict[str, list[Workload]] | None = None
    _pv_by_claim_ref: dict[tuple[str, str], Resource] | None = None
    _claims_of_pv: dict[str, list[Resource]] | None = None
    _volume_users: dict[tuple[str, str, str], list[int]] | None = None
    _compose_by_directory: dict[str, list[Workload]] | None = None
    _admissions: dict[str, list[tuple[Workload, str]]] | None = None
    links: Links | None = None
    """The custom resources by kind and name and by labels (:mod:`.links`)."""
    _proxy_grants: dict[tuple[str, str], list[tuple[str, str]]] | None = None
    _provisioners: dict[str, list[Workload]] | None = None
    _port_openers: dict[tuple[str, int | float], frozenset[str]] | None = None
    _external_addresses: dict[tuple[str, str], list[Resource]] | None = None
    _cluster_ips: dict[str, list[Resource]] = field(default_factory=dict)

    def provisioner_runners(self, provisioner: str) -> list[Workload]:
        """The workloads running the volume provisioner a StorageClass names
        (:mod:`stateward.analysis.audit.provisioners`). Built once, on first use."""
        if self._provisioners is None:
            self._provisioners = provisioner_index(self.workloads)
        return runners_of(provisioner, self._provisioners)

    def opening(self, namespace: str, port: int) -> frozenset[str]:
        """Ids of the workloads of ``namespace`` whose containers (not init containers)
        declare ``containerPort: port``. Built once, on first use: a container's ports never
        change, and asked of each workload a namespace scan cost a pass over the namespace."""
        if self._port_openers is None:
            openers: dict[tuple[str, int | float], set[str]] = {}
            for workload in self.workloads:
                for container in workload.containers:
                    for declared in as_list(container.body.get("ports")):
                        number = as_map(declared).get("containerPort")
                        if isinstance(number, int | float):  # what can equal a port number
                            key = (workload.namespace, number)
                            openers.setdefault(key, set()).add(workload.id)
            self._port_openers = {key: frozenset(ids) for key, ids in openers.items()}
        return self._port_openers.get((namespace, port), frozenset())

    def holders_in(self, directory: str) -> list[Workload]:
        """State holders defined in ``directory`` when it holds one application's manifests
        (at most :data:`APP_DIRECTORY_WORKLOADS` workloads): a directory of a whole cluster's
        dump says nothing about who talks to whom. Built once, after phase one."""
        if self._holders_by_directory is None:
            everyone: dict[str, list[Workload]] = {}
            for workload in self.workloads:
                everyone.setdefault(directory_of(workload), []).append(workload)
            self._holders_by_directory = {
                where: [w for w in found if w.id in self.holders]
                for where, found in everyone.items()
                if len(found) <= APP_DIRECTORY_WORKLOADS
            }
        return self._holders_by_directory.get(directory, [])

    def linked(self, workload: Workload) -> list[tuple[Workload, str]]:
        """The components a custom resource of no known family names by a field named for
        their kind or selects by labels, or a plain workload by a label of their API group's
        domain (:mod:`.links`), with where it does."""
        if self.links is None:
            return []
        if workload.operated is None:
            return self._found(self.links.marked(workload.resource))
        if not workload.operated.inferred:
            return []
        return self._found(self.links.linked(workload.resource))

    def _found(self, resources: list[tuple[Resource, str]]) -> list[tuple[Workload, str]]:
        return [
            (target, where)
            for resource, where in resources
            for target in self.workloads_named(resource.key.namespace, resource.key.name)
            if target.resource is resource
        ]

    def admitted(self, workload: Workload) -> list[tuple[Workload, str]]:
        """The workloads a NetworkPolicy lets ``workload`` connect to, with the policy's name
        (:mod:`stateward.analysis.audit.policies`). Built once, on first use."""
        if self._admissions is None:
            self._admissions = admissions(self)
        return self._admissions.get(workload.id, [])

    def proxied(self, workload: Workload) -> list[tuple[Workload, str]]:
        """The workloads behind the Services an RBAC grant lets ``workload``'s ServiceAccount
        reach through the API server's proxy, with the binding's name
        (:mod:`stateward.analysis.audit.grants`). Built once, on first use."""
        if self._proxy_grants is None:
            self._proxy_grants = proxy_grants(self)
        account = str(workload.pod.get("serviceAccountName") or "default")
        grants = self._proxy_grants.get((workload.namespace, account), [])
        return [
            (target, binding)
            for service, binding in grants
            for target in self.behind_service(workload.namespace, service)
        ]

    def index(self) -> None:
        """Build the lookup indexes (called once the workloads and resources are set)."""
        for resource in self.resources:
            if resource.key.group == "compose" and resource.key.kind == "Volume":
                self._compose_volumes[(resource.key.namespace, resource.key.name)] = resource
            if resource.key.group == "compose" and resource.key.kind == "Config":
                self._compose_configs[(resource.key.namespace, resource.key.name)] = resource
            if resource.key.group != "compose":
                self.by_kind.setdefault(resource.key.kind, []).append(resource)
                where = (resource.key.kind, resource.key.namespace)
                named = self._named.get(where)
                if named is None:
                    named = self._named[where] = {}
                    self._in_kind[where] = []
                named.setdefault(resource.key.name, resource)
                self._in_kind[where].append(resource)
        for position, workload in enumerate(self.workloads):
            self._in_namespace.setdefault(workload.namespace, []).append(position)
            _positions(self._by_name, workload.namespace).add(workload.name, position)
            if workload.platform == "compose":
                self._projects.setdefault(workload.namespace, []).append(position)
            if workload.platform == "kubernetes":
                for label, value in workload.labels.items():
                    _positions(self._by_label, (workload.namespace, label)).add(value, position)
                for name in operator_services(workload):
                    where = (workload.namespace, name)
                    self._operator_services.setdefault(where, []).append(position)
                if workload.operated is not None:
                    self._operated_by_namespace.setdefault(workload.namespace, []).append(position)
                    self._operated_by_name.setdefault(workload.name, []).append(position)
                    where = (workload.namespace, workload.resource.key.group)
                    if _is_cluster(workload):
                        self._clusters.setdefault(where, []).append(position)
                    if _keeps_data(workload):
                        self._group_keepers.setdefault(where, []).append(position)
                made = made_secrets(workload) if workload.operated is None else []
                made = made or self._written(workload)
                for name in [*operator_secrets(workload), *made]:
                    self._operator_secrets.setdefault(name, []).append(position)
        for service in self.by_kind.get("Service", []):
            # read without being kept: a Service's body is decoded again only for the object
            # rules of phase one, which let go of it (engine._phase_one), so the estate's
            # Services are never all held decoded (at 50k objects, ~28 MiB of the audit's peak)
            selector = as_map(dig(service.read_body(), "spec", "selector"))
            where = (service.key.namespace, service.key.name)
            self._selectors.setdefault(where, selector)
            self._service_namespaces.setdefault(service.key.name, []).append(where[0])
            self._served.update(w.id for w in self.selected(service.key.namespace, selector))

    def _written(self, workload: Workload) -> list[str]:
        """The Secrets a custom resource's controller writes for it (:mod:`.written_secrets`)."""
        operated, key = workload.operated, workload.resource.key
        if operated is None or not is_custom(key):
            return []
        return written_secrets(
            workload.resource,
            lambda namespace, name: self.named("Secret", namespace, name) is not None,
            quiet=not operated.storage,
        )

    def in_namespace(self, namespace: str) -> list[Workload]:
        """The workloads of ``namespace`` (a Compose project's, for Compose), in estate order."""
        return [self.workloads[i] for i in self._in_namespace.get(namespace, ())]

    def workloads_named(self, namespace: str, name: str) -> list[Workload]:
        """The workloads (of any kind) named ``name`` in ``namespace``, in estate order."""
        return [self.workloads[i] for i in self._named_at(namespace, name)]

    def _named_at(self, namespace: str, name: str) -> Sequence[int]:
        names = self._by_name.get(namespace)
        return names.get(name) if names is not None else ()

    def served(self, workload: Workload) -> bool:
        """True when some Service selects the workload's pods."""
        return workload.id in self._served

    def of_kind(self, kind: str, namespace: str | None = None) -> list[Resource]:
        """Resources of a kind (Kubernetes only), optionally in one namespace."""
        if namespace is None:
            return list(self.by_kind.get(kind, ()))
        return list(self._in_kind.get((kind, namespace), ()))  # not a pass over every namespace

    def named(self, kind: str, namespace: str, name: str) -> Resource | None:
        """The Kubernetes resource of this kind, namespace and name."""
        named = self._named.get((kind, namespace))
        return named.get(name) if named is not None else None

    def declares(self, kind: str, namespace: str) -> bool:
        """Whether the estate holds any Kubernetes resource of this kind in ``namespace``."""
        return bool(self._named.get((kind, namespace)))

    def selected(self, namespace: str, selector: Mapping[str, Any]) -> list[Workload]:
        """Kubernetes workloads in ``namespace`` whose pod labels include ``selector``."""
        if not selector:
            return []
        matches: set[int] | None = None
        for label, value in selector.items():
            found = self._labelled(namespace, str(label), str(value))
            matches = found if matches is None else matches & found
        return [self.workloads[i] for i in sorted(matches or ())]

    def _labelled(self, namespace: str, label: str, value: str) -> set[int]:
        """Positions of the workloads whose pods carry ``label: value``. The StatefulSet
        controller also labels each pod with its own name, so one ordinal can be selected
        (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#pod-name-label)."""
        if label != _POD_NAME:
            values = self._by_label.get((namespace, label))
            return set(values.get(value)) if values is not None else set()
        name, _, ordinal = value.rpartition("-")
        return {
            i for i in self._named_at(namespace, name)
            if (w := self.workloads[i]).kind == "StatefulSet"
            and ordinal.isdigit() and int(ordinal) < (w.replicas if w.replicas is not None else 1)
        }  # fmt: skip

    def behind_service(self, namespace: str, name: str) -> list[Workload]:
        """Workloads selected by Service ``name``; failing a Service in the estate, the
        operator resources whose operator creates a Service of that name (``db-rw``)."""
        selector = self._selectors.get((namespace, name))
        if selector is not None:
            return self.selected(namespace, selector)
        return [self.workloads[i] for i in self._operator_services.get((namespace, name), ())]

    def service_namespaces(self, name: str) -> list[str]:
        """The namespaces that declare a Service named ``name``."""
        return self._service_namespaces.get(name, [])

    def service_owner(self, namespace: str, name: str) -> list[Workload]:
        """The operator resource a Service name that nothing else answers derives from: its
        own name (Confluent's ``kafka``, Hazelcast's ``hazelcast``: an operator names the
        Service of its resource's members after the resource) or that name with a suffix or a
        prefix (``ledger-rw``, ``events-kafka-bootstrap``, ``vmsingle-metrics``), as the
        operators of the catalogue name theirs; the longest such name when several fit. A
        fallback: a Service or a known family's name comes first."""
        fits = [
            self.workloads[i] for i in self._operated_by_namespace.get(namespace, ())
            if name == self.workloads[i].name
            or name.startswith(self.workloads[i].name + "-")
            or name.endswith("-" + self.workloads[i].name)
        ]  # fmt: skip
        longest = max((len(w.name) for w in fits), default=0)
        return [w for w in fits if len(w.name) == longest]

    def operated_named(self, namespaces: set[str], names: set[str]) -> list[Workload]:
        """Operator resources in one of ``namespaces`` named one of ``names``."""
        return [
            self.workloads[i]
            for namespace in sorted(namespaces)
            for i in self._operated_by_namespace.get(namespace, ())
            if self.workloads[i].name in names
        ]

    def operated_anywhere(self, name: str) -> list[Workload]:
        """Operator resources named ``name``, of any namespace."""
        return [self.workloads[i] for i in self._operated_by_name.get(name, ())]

    def group_cluster(self, workload: Workload) -> list[Workload]:
        """The one cluster (a resource of kind ``…Cluster``) of a custom resource's API group in
        its namespace, which a resource naming none is made in: Rook creates a pool, a file
        system or an object store in the ``CephCluster`` of its namespace ("namespace:cluster",
        https://github.com/rook/rook/blob/d0c3b9ce6d64ff0c47074437aab7314b7adf7f2c/deploy/examples/filesystem-test.yaml). None when
        there are several, or when the resource is that cluster. Failing a cluster, a backup's
        is the one resource of its group there that keeps data (:func:`_keeps_data`)."""
        where = (workload.namespace, workload.resource.key.group)
        found = [self.workloads[i] for i in self._clusters.get(where, ())]
        if not found and backs_up(workload.kind):
            found = [self.workloads[i] for i in self._group_keepers.get(where, ())]
        return found if len(found) == 1 and found[0].id != workload.id else []

    def secret_writers(self, namespace: str, name: str) -> list[Workload]:
        """Operator resources whose operator writes Secret ``name`` in ``namespace`` (their
        connection details), and plain workloads whose command makes it (:mod:`.made_secrets`);
        failing one, those whose manifest names no namespace: it is chosen at
        ``kubectl apply -n`` time, and may be ``namespace``."""
        writers = [self.workloads[i] for i in self._operator_secrets.get(name, ())]
        here = [w for w in writers if w.namespace == namespace]
        return here or [w for w in writers if not dig(w.body, "metadata", "namespace")]

    def compose_volume(self, project: str, name: str) -> Resource | None:
        """The top-level ``volumes`` entry ``name`` of a Compose project."""
        return self._compose_volumes.get((project, name))

    def compose_config(self, project: str, name: str) -> Resource | None:
        """The top-level ``configs`` entry ``name`` of a Compose project."""
        return self._compose_configs.get((project, name))

    def compose_project(self, project: str) -> list[Workload]:
        """The services of one Compose project (indexed by position: a workload replaced in
        place, as :mod:`.reached` does, is found as it is now)."""
        return [self.workloads[i] for i in self._projects.get(project, ())]

    def compose_neighbours(self, workload: Workload) -> list[Workload]:
        """The Compose services read from the files of ``workload``'s directory, of any project
        (built once: ``docker compose -f a.yml -f b.yml`` runs several files as one project)."""
        if self._compose_by_directory is None:
            found: dict[str, list[Workload]] = {}
            for other in self.workloads:
                if other.platform == "compose":
                    found.setdefault(directory_of(other), []).append(other)
            self._compose_by_directory = found
        return self._compose_by_directory.get(directory_of(workload), [])

    def claim_users(self, namespace: str, claim: str) -> list[Workload]:
        """Workloads that mount PersistentVolumeClaim ``claim``."""
        if self._claim_users is None:
            users: dict[tuple[str, str], list[Workload]] = {}
            for w in self.workloads:
                if w.platform == "kubernetes":
                    claims = {m.source for m in w.mounts if m.kind == "persistentVolumeClaim"}
                    for name in sorted(claims):
                        users.setdefault((w.namespace, name), []).append(w)
            self._claim_users = users
        return self._claim_users.get((namespace, claim), [])

    def services_at(self, ip: str, port: str) -> list[Resource]:
        """Services answering on ``ip`` (their ``loadBalancerIP`` or one of their
        ``externalIPs``) at ``port``, in estate order (:mod:`.outside_addresses`). Indexed once:
        every address a workload names is asked, and an estate has thousands of Services."""
        found = self._external_addresses
        if found is None:
            found = self._index_addresses()
        return found.get((ip, port), [])

    def services_with_cluster_ip(self, ip: str) -> list[Resource]:
        """Services whose manifest pins their cluster IP to ``ip`` (``spec.clusterIP``,
        ``spec.clusterIPs``): "You can specify your own cluster IP address as part of a Service
        creation request" (https://kubernetes.io/docs/concepts/services-networking/service/#choosing-your-own-ip-address),
        one address in the cluster, whatever the port."""
        if self._external_addresses is None:
            self._index_addresses()
        return self._cluster_ips.get(ip, [])

    def _index_addresses(self) -> dict[tuple[str, str], list[Resource]]:
        """Index each Service by its external addresses and ports, and by its pinned cluster
        IPs; the former returned."""
        found: dict[tuple[str, str], list[Resource]] = {}
        for service in self.of_kind("Service"):
            spec = as_map(service.read_body().get("spec"))  # not kept decoded
            ips = {
                str(spec.get("loadBalancerIP") or ""),
                *map(str, as_list(spec.get("externalIPs"))),
            }
            ports = {str(dig(p, "port")) for p in as_list(spec.get("ports")) if isinstance(p, dict)}
            for address in sorted((i, p) for i in ips - {""} for p in ports):
                found.setdefault(address, []).append(service)
            pinned = {str(spec.get("clusterIP") or ""), *map(str, as_list(spec.get("clusterIPs")))}
            for ip in sorted(pinned - {""}):  # a headless Service's "None" is no IPv4 address
                self._cluster_ips.setdefault(ip, []).append(service)
        self._external_addresses = found
        return found

    def secret_users(self, secret: str) -> list[Workload]:
        """Kubernetes workloads, of any namespace, whose containers take their environment from
        a Secret called ``secret``, or mount it as a volume."""
        if self._secret_users is None:
            users: dict[str, list[Workload]] = {}
            for w in self.workloads:
                used = env_secrets(w) | volume_secrets(w)
                for name in sorted(used) if w.platform == "kubernetes" else ():
                    users.setdefault(name, []).append(w)
            self._secret_users = users
        return self._secret_users.get(secret, [])

    def volume_users(self, project: str, volume: str, kind: str = "volume") -> list[Workload]:
        """Compose services of ``project`` that mount named volume ``volume`` (with ``kind``
        ``bind``: that bind their containers to host path ``volume``); with ``kind``
        ``hostPath`` and project "", the Kubernetes workloads mounting node path ``volume``
        (every pod on a node sees the same one, whatever its namespace). Indexed by position,
        as :meth:`compose_project`: asked while :mod:`.reached` still replaces workloads in
        place, it finds each as it is now."""
        if self._volume_users is None:
            users: dict[tuple[str, str, str], list[int]] = {}
            for i, w in enumerate(self.workloads):
                compose = w.platform == "compose"
                shared = {(m.kind, m.source) for m in w.mounts if m.kind in _SHARED[compose]}
                for how, name in sorted(shared):
                    users.setdefault((w.namespace if compose else "", how, name), []).append(i)
            self._volume_users = users
        return [self.workloads[i] for i in self._volume_users.get((project, kind, volume), ())]

    def volume_of_claim(self, claim: Resource) -> Resource | None:
        """The PersistentVolume bound to a claim, by ``volumeName`` or by the PV's ``claimRef``."""
        spec = claim.body.get("spec")
        name = spec.get("volumeName") if isinstance(spec, Mapping) else None
        named = self.named("PersistentVolume", "", str(name)) if name else None
        refs = self._claim_refs()
        where = claim.key.namespace, claim.key.name
        return named or refs.get(where) or refs.get(("*", claim.key.name))

    def _claim_refs(self) -> dict[tuple[str, str], Resource]:
        """(namespace, claim) -> the first PersistentVolume whose ``claimRef`` names it."""
        if self._pv_by_claim_ref is None:
            refs: dict[tuple[str, str], Resource] = {}
            for pv in self.of_kind("PersistentVolume"):
                ref = as_map(as_map(pv.read_body().get("spec")).get("claimRef"))
                if ref.get("name"):
                    # A claimRef without a namespace names a claim in any namespace.
                    where = str(ref.get("namespace", "*")), str(ref["name"])
                    refs.setdefault(where, pv)
            self._pv_by_claim_ref = refs
        return self._pv_by_claim_ref

    def pv_users(self, pv: Resource) -> list[Workload]:
        """Workloads mounting a claim bound to this PersistentVolume."""
        if self._claims_of_pv is None:
            bound: dict[str, list[Resource]] = {}
            for claim in self.of_kind("PersistentVolumeClaim"):
                volume = self.volume_of_claim(claim)
                if volume is not None:
                    bound.setdefault(volume.key.name, []).append(claim)
            self._claims_of_pv = bound
        claims = self._claims_of_pv.get(pv.key.name, [])
        return [w for c in claims for w in self.claim_users(c.key.namespace, c.key.name)]


_POD_NAME = "statefulset.kubernetes.io/pod-name"
# Mounts several workloads can share by name: Compose's (True), Kubernetes' node paths (False).
_SHARED = {True: frozenset({"volume", "bind"}), False: frozenset({"hostPath"})}


def _positions(index: dict[_Key, Positions[str]], key: _Key) -> Positions[str]:
    """``index``'s positions under ``key``, new ones when it has none (``setdefault`` would
    make, and drop, one per workload)."""
    found = index.get(key)
    if found is None:
        found = index[key] = Positions()
    return found


def pod_secrets(workload: Workload) -> set[str]:
    """Every Secret a workload's pods mount (a ``secret`` volume, a ``projected`` source)."""
    found: set[str] = set()
    for volume in as_list(workload.pod.get("volumes")):
        found.add(str(dig(volume, "secret", "secretName") or ""))
        found.update(
            str(dig(s, "secret", "name") or "")
            for s in as_list(dig(volume, "projected", "sources"))
        )
    return found - {""}


def env_secrets(workload: Workload) -> set[str]:
    """Every Secret a workload's containers take their environment from."""
    found: set[str] = set()
    for container in workload.all_containers():
        for entry in as_list(container.body.get("env")):
            found.add(str(dig(entry, "valueFrom", "secretKeyRef", "name") or ""))
        for entry in as_list(container.body.get("envFrom")):
            found.add(str(dig(entry, "secretRef", "name") or ""))
    return found - {""}


def secret_keys_loaded(
    container: Mapping[str, Any], namespace: str, estate: Estate
) -> Iterator[tuple[str, str]]:
    """(variable name, Secret name) for each key of the Secrets a container (its body) loads
    whole through ``envFrom``, named with the entry's ``prefix`` as the pod sees it."""
    for entry in as_list(container.get("envFrom")):
        secret = str(dig(entry, "secretRef", "name") or "")
        found = estate.named("Secret", namespace, secret) if secret else None
        if found is None:
            continue
        prefix = str(dig(entry, "prefix") or "")
        for key in [*as_map(found.body.get("data")), *as_map(found.body.get("stringData"))]:
            yield prefix + str(key), secret


def volume_secrets(workload: Workload) -> set[str]:
    """Every Secret a workload's pod mounts as a ``secret`` volume."""
    volumes = as_list(workload.pod.get("volumes"))
    return {str(dig(v, "secret", "secretName") or "") for v in volumes} - {""}


def build_estate(observation: Observation, images: ImageConfigs | None = None) -> Estate:
    """Index the observation; component ids come from its components where they exist. Each
    container carries its image's own config: from ``images`` when given, else (or when they
    do not know it) from what the shipped catalogue says its Dockerfile declares."""
    ids = {c.resource: c.id for c in observation.components if c.resource}
    resources = list(observation.resources)
    if schemas := Schemas(resources):  # the estate ships CRDs: read their defaults too
        resources = [schemas.defaulted(r) if is_custom(r.key) else r for r in resources]
    claims = frozenset(
        (r.key.namespace, r.key.name) for r in resources if r.key.kind == "PersistentVolumeClaim"
    )
    links = Links([r for r in resources if is_custom(r.key)], claims)
    _decode_workloads(resources)
    workloads = _in_brokers(list(_workloads(resources, ids, links)))
    declared = DeclaredConfigs()
    sources = Configs([images, declared]) if images is not None else declared
    workloads = [_with_configs(w, sources) for w in workloads]
    workloads = with_handoffs(workloads)
    estate = Estate(workloads, resources, links=links)
    estate.index()
    return estate


def _decode_workloads(resources: list[Resource]) -> None:
    """Decode the bodies the workloads are read from (:func:`_read`), all before any workload
    is built: the bodies then fill pymalloc's arenas back to back, and let go after the audit
    they leave whole arenas empty, which are given back to the system. Decoded each as its
    workload is built, they were interleaved with the short-lived objects of every builder,
    whose freed blocks the rules' findings then filled: each kept a few, and at 50k objects
    ~170 MiB of arenas stayed resident after the audit, under the record step's own peak.
    Their equal values are held once (:meth:`EncodedBody.hold_sharing`), as they are held to
    the audit's end, at its peak: their strings (``bench.scan_stages``, 50k objects: 408 -> 374
    MiB), and their equal mappings and lists (:class:`~stateward.model.encoded.Shared`)."""
    shared = Shared()  # let go when this returns: only the bodies hold what it held
    for resource in resources:
        workload = resource.key.group not in _NOT_WORKLOADS and resource.key.kind in WORKLOAD_KINDS
        if workload and isinstance(
            resource.body, EncodedBody
        ):  # a plain mapping is decoded already
            resource.body.hold_sharing(shared)


_NOT_WORKLOADS = frozenset({"compose", "host"})
"""Groups whose workload kinds are not read by :func:`_read` as Kubernetes controllers."""


def _in_brokers(workloads: list[Workload]) -> list[Workload]:
    """The workloads, with each queue or stream declared in a broker of the estate that keeps
    claims (:func:`.operators.declares_messages`) holding its messages on them; one declared in
    anything else (a scheduler's queue naming its cluster queue) holds nothing."""
    if not any(map(declares_messages, workloads)):
        return workloads
    keepers = {
        (w.namespace, w.name): w for w in workloads
        if w.operated is not None and not w.operated.rebuilt
        and any(s.claim is not None for s in w.operated.storage)
    }  # fmt: skip
    return [_held_in(w, keepers) if declares_messages(w) else w for w in workloads]


def _held_in(workload: Workload, keepers: Mapping[tuple[str, str], Workload]) -> Workload:
    for ref in peer_references(workload.body):
        broker = keepers.get((ref.namespace or workload.namespace, ref.name))
        if broker is not None and broker is not workload:
            return held_in(workload, broker)
    return workload


def _kept_by_links(workload: Workload, links: Links) -> Workload:
    """An inferred operator workload holding nothing, read with what it links to: a
    configuration keeping a buffer in files, or a class of storage it is a claim on."""
    if where := links.buffered(workload.resource):
        return buffering(workload, where)
    if where := links.provisioned(workload.resource):
        return provisioned(workload, where)
    return workload


def _workloads(
    resources: list[Resource], ids: Mapping[str, str], links: Links
) -> Iterator[Workload]:
    quiet: dict[tuple[str, str, str], Resource] = {}
    pending: list[Workload] = []
    held: set[int] = set()  # the resources read as components, by id
    read: list[Workload] = []
    for workload in _read(resources, ids, quiet):
        held.add(id(workload.resource))
        if workload.operated is not None and workload.operated.inferred:
            if not workload.operated.storage:
                workload = _kept_by_links(workload, links)
            pending.append(workload)
        elif workload.operated is None and is_custom(workload.resource.key):
            pending.append(workload)  # a Rollout naming its analysis templates by kind
        read.append(workload)
        yield workload
    # A quiet resource whose controller writes a Secret a component names (a Certificate's
    # ``secretName`` a server mounts or names for its TLS) is a component too, for that edge.
    writers = _quiet_writers(quiet, resources) if quiet else {}
    for workload in read if writers else ():
        for key in _writers_named(workload, writers, quiet):
            if (resource := quiet.pop(key, None)) is not None:
                pending.append(_promoted(resource, ids, ""))
                held.add(id(resource))
                yield pending[-1]
    # A quiet resource a plain workload is submitted to by a label of its API group's domain
    # (a Job's ``kueue.x-k8s.io/queue-name``) is a component too, for that edge.
    for workload in read if quiet else ():
        for resource, _ in links.marked(workload.resource) if workload.operated is None else ():
            key = (resource.key.kind, resource.key.namespace, resource.key.name)
            if quiet.pop(key, None) is not None:
                pending.append(_promoted(resource, ids, ""))
                held.add(id(resource))
                yield pending[-1]
    # Custom resources that hold nothing and name no peer stay quiet, unless a component names
    # one (by kind and name, by a reference, by a field named for its kind, by labels): then
    # it is a component too, for the edge to it, and what it names in turn is read the same
    # way (a configuration selecting its outputs). (A known family's references are its
    # documented ones: only a resource of no family is read for these.)
    # A quiet resource that names a component of its own API group by a name field (a
    # database declared in a managed service, ``serviceName: my-pg``) is one too, the same way.
    by_name: dict[str, list[tuple[str, str, str]]] = {}
    for key in quiet:
        by_name.setdefault(key[2], []).append(key)
    for _ in range(_NAMING_ROUNDS):
        while pending and quiet:
            workload = pending.pop(0)
            named = _named_quiet(workload, quiet, by_name, links)
            for key, backup in [
                *named,
                *((k, "") for k in _writers_named(workload, writers, quiet)),
            ]:
                if (resource := quiet.pop(key, None)) is not None:
                    pending.append(_promoted(resource, ids, backup))
                    held.add(id(resource))
                    yield pending[-1]
        naming = [
            key for key, resource in quiet.items()
            if any(id(found) in held for found, _ in links.siblings(resource))
        ]  # fmt: skip
        for key in naming:
            resource = quiet.pop(key)
            pending.append(_promoted(resource, ids, ""))
            held.add(id(resource))
            yield pending[-1]
        if not naming:
            break
    # What stays quiet, of the API group of its namespace's one cluster, is applied to that
    # cluster (a satellite or connection setting of a storage cluster): a component of it.
    clusters = _in_groups(read, _is_cluster)
    keepers = _in_groups(read, _keeps_data)
    for resource in quiet.values() if clusters or keepers else ():
        made = resource.key
        where = (made.namespace, made.group)
        if clusters.get(where) == 1 and not made.kind.endswith("Cluster"):
            yield made_in_cluster(resource, ids.get(str(made)) or component_id(made))
        elif where not in clusters and backs_up(made.kind) and keepers.get(where) == 1:
            yield made_in_cluster(resource, ids.get(str(made)) or component_id(made))


# A backup that names no resource of its operator copies the one resource of its API group in
# its namespace that keeps data, as dev4devs' PostgreSQL operator defaults a ``Backup``'s
# ``databaseCRName`` to ``database``, the name of the ``Database`` of its example
# (https://github.com/dev4devs-com/postgresql-operator/blob/c71c742743270ded079188ada7ced2132b7c820f/deploy/crds/postgresql.dev4devs.com_v1alpha1_backup_cr.yaml:
# "Change the following spec if you change the name of the Database CR"), and an Instaclustr
# ``CassandraBackup`` names its data centre by the ``cluster`` and ``datacenter`` fields of the
# ``CassandraDataCenter``, not by its name
# (https://github.com/instaclustr/cassandra-operator/blob/b8906d8ccd58da30659343e6da75c74a9206b3b8/examples/example-backups.yaml:
# ``cluster: test-cluster``, ``datacenter: dc1``).
def _keeps_data(workload: Workload) -> bool:
    operated = workload.operated
    return operated is not None and bool(operated.storage) and not backs_up(workload.kind)


def _is_cluster(workload: Workload) -> bool:
    return workload.operated is not None and workload.kind.endswith("Cluster")


def _in_groups(
    workloads: list[Workload], counted: Callable[[Workload], bool]
) -> dict[tuple[str, str], int]:
    """(namespace, API group) -> how many of its workloads are ``counted`` (clusters, keepers)."""
    found: dict[tuple[str, str], int] = {}
    for w in workloads:
        if counted(w):
            where = (w.namespace, w.resource.key.group)
            found[where] = found.get(where, 0) + 1
    return found


# Rounds of quiet resources naming components (a pool naming the database declared in a
# service): each round takes one more step of such a chain.
_NAMING_ROUNDS = 3


_Writers = dict[str, list[tuple[str, str, str]]]


def _quiet_writers(
    quiet: Mapping[tuple[str, str, str], Resource], resources: list[Resource]
) -> _Writers:
    """Secret name -> the quiet resources whose controllers write a Secret of that name."""
    declared = {(r.key.namespace, r.key.name) for r in resources if r.key.kind == "Secret"}
    writers: _Writers = {}
    for key, resource in quiet.items():
        for name in written_secrets(resource, lambda *secret: secret in declared, quiet=True):
            writers.setdefault(name, []).append(key)
    return writers


def _writers_named(
    workload: Workload, writers: _Writers, quiet: Mapping[tuple[str, str, str], Resource]
) -> Iterator[tuple[str, str, str]]:
    """The keys of the quiet writers of the Secrets a Kubernetes workload names (its pods'
    environment and volumes, a custom resource's spec fields: :func:`.spec_secrets`), in its
    namespace or placed by none."""
    if not writers or workload.platform != "kubernetes":
        return
    names = env_secrets(workload) | pod_secrets(workload)
    if is_custom(workload.resource.key):
        names.update(name for name, _ in spec_secrets(workload.body))
    for name in sorted(names):
        for key in writers.get(name, ()):
            resource = quiet.get(key)
            if resource is not None and _placed(resource, workload.namespace):
                yield key


def _promoted(resource: Resource, ids: Mapping[str, str], backup: str) -> Workload:
    ident = ids.get(str(resource.key)) or component_id(resource.key)
    return referenced_workload(resource, ident, backup)


# Reference fields naming what a resource mounts, trusts or runs as: no component for them.
_MOUNTED = re.compile(
    r"secret|credential|tls|cert|issuer|key|account|class|source|template|image|node|user|role",
    re.IGNORECASE,
)


def _named_quiet(
    workload: Workload,
    quiet: Mapping[tuple[str, str, str], Resource],
    by_name: Mapping[str, list[tuple[str, str, str]]],
    links: Links,
) -> Iterator[tuple[tuple[str, str, str], str]]:
    """The keys of the quiet resources a custom resource names or selects, each with the
    resource's kind when it is a backup naming the cluster it copies ("" otherwise)."""
    for ref in kinded_references(workload.body):
        yield (ref.kind, ref.namespace or workload.namespace, ref.name), ""
        yield (ref.kind, "", ref.name), ""  # or one of a cluster-scoped kind (a ClusterIssuer)
        # or one whose manifest names no namespace, read as ``default`` (a cluster-scoped
        # ClusterAnalysisTemplate, or one placed at ``kubectl apply -n`` time)
        placed = quiet.get((ref.kind, "default", ref.name))
        if placed is not None and _placed(placed, ref.namespace or workload.namespace):
            yield (ref.kind, "default", ref.name), ""
    group = workload.resource.key.group
    backup = workload.kind if backs_up(workload.kind) else ""
    if not _mentions(as_map(workload.body.get("spec")), by_name, 0):
        refs = []  # no quiet resource's name in its spec (reading its references costs more)
    else:  # and the references of the mappings it lists (``triggers[].authenticationRef``)
        refs = custom_references(workload.body) + listed_references(workload.body)
    for ref in refs:
        if _MOUNTED.search(ref.where.rsplit(".", 1)[-1]):
            continue
        kind = ref.kind.lower()
        for key in by_name.get(ref.name, ()):
            resource = quiet.get(key)
            if resource is None or not _placed(resource, ref.namespace or workload.namespace):
                continue
            own = key[0].lower()
            # a field naming no kind (``cluster``, ``clusterRef``) names its own operator's
            if kind and (own == kind or own.endswith(kind) or kind.endswith(own)):
                yield key, ""
            elif not kind and resource.key.group == group:
                yield key, backup
    for resource, _ in links.linked(workload.resource):
        yield (resource.key.kind, resource.key.namespace, resource.key.name), ""


def _mentions(node: Mapping[str, Any], names: Mapping[str, Any], depth: int) -> bool:
    """Whether a string of ``node`` (three levels: ``spec.a.bRef.name``; the items of a list,
    ``outputRefs: [a]``) is one of ``names``."""
    for value in node.values():
        items = value if isinstance(value, list) else (value,)
        for item in items:
            if isinstance(item, str):
                if item in names:
                    return True
            elif is_map(item) and depth < 3 and _mentions(item, names, depth + 1):
                return True
    return False


def _placed(resource: Resource, namespace: str) -> bool:
    """In ``namespace``, or named in no namespace by its manifest (placed at apply time)."""
    return resource.key.namespace == namespace or not dig(resource.body, "metadata", "namespace")


def _read(
    resources: list[Resource], ids: Mapping[str, str], quiet: dict[tuple[str, str, str], Resource]
) -> Iterator[Workload]:
    composed = composed_kinds(resources)  # Crossplane's composite types (:mod:`.compositions`)
    for resource in resources:
        # no ids when the components are resolved beside the audit: no key spelled for them
        ident = (ids.get(str(resource.key)) if ids else None) or component_id(resource.key)
        if resource.key.group == "compose":
            if resource.key.kind == "Service":
                yield compose_workload(resource, ident)
        elif resource.key.group == "host":
            if resource.key.kind == "HostService":
                yield host_workload(resource, ident)
        elif resource.key.kind in WORKLOAD_KINDS and _owned_by_self(resource):
            workload = kubernetes_workload(resource, ident)
            if workload is not None:
                yield workload
        elif (
            (path := custom_pod_spec(resource, _family_known(resource)))
            and _owned_by_self(resource)
            and (workload := kubernetes_workload(resource, ident, path)) is not None
            and workload.containers
        ):  # fmt: skip
            yield workload
        # (one with no pod template of its own, a Rollout's ``workloadRef``, is read for what
        # it names, as any custom resource is)
        elif composed and (composite := composite_workload(resource, ident, composed)):
            yield composite  # before its own fields: what it is made of says what it keeps
        elif (operated := operator_workload(resource, ident)) is not None:
            yield operated
        elif is_custom(resource.key):
            quiet[(resource.key.kind, resource.key.namespace, resource.key.name)] = resource


def _with_configs(workload: Workload, images: ImageConfigs) -> Workload:
    def read(containers: tuple[Container, ...]) -> tuple[Container, ...]:
        return tuple(
            replace(c, image_config=found)
            if c.image and (found := images.config(c.image)) is not None
            else c
            for c in containers
        )

    containers, inits = read(workload.containers), read(workload.init_containers)
    if containers == workload.containers and inits == workload.init_containers:
        return workload  # no image known: the workload as it was (most of a large estate)
    return replace(workload, containers=containers, init_containers=inits)


def _family_known(resource: Resource) -> bool:
    return (resource.key.group, resource.key.kind) in FAMILIES


def _owned_by_self(resource: Resource) -> bool:
    # A Pod or ReplicaSet owned by a controller is already audited through its controller.
    metadata = resource.body.get("metadata")
    owners = metadata.get("ownerReferences") if isinstance(metadata, Mapping) else None
    return not owners
