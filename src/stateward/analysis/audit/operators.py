"""Operator custom resources as components: a database, queue or metrics store that an operator
runs is declared by one custom resource, and its storage spec decides what replacing it loses.

One ``Family`` per CRD: its group and kind, the role of what it runs, where its storage is
declared and what the operator does when it is not, and the labels the operator puts on the pods
(so Services find them). Each cites the CRD's API reference. A family is data, not code: a
plugin adds one with ``register_family``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from stateward.analysis.audit.cloud import cloud_service, cloud_workload
from stateward.analysis.audit.cluster_api import control_plane_workload, is_cluster_api
from stateward.analysis.audit.connections import acts_on_a_database
from stateward.analysis.audit.custom import (
    claim_refs,
    custom_references,
    custom_storage,
    discovery_references,
    is_custom,
    kinded_references,
    listed_references,
    names_a_peer,
    peer_references,
    read_positions,
    retained,
    runs_members,
    spec_hosts,
    spec_strings,
    spilled,
    template_storage,
)
from stateward.analysis.audit.data_systems import (
    declared_data_system,
    fetched_application,
    holds_nothing,
    keeps_elsewhere,
    named_data_system,
    role_kind,
    runs_member_holding_nothing,
    runs_role_holding_nothing,
    storage_members,
    word_family,
)
from stateward.analysis.audit.deletion_policies import dropped_on_delete, stated_drop
from stateward.analysis.audit.managed import addresses_a_store, managed_systems
from stateward.analysis.audit.refilled import refilled
from stateward.analysis.audit.releases import release_storage
from stateward.analysis.audit.restores import restore_copy, restored_storage
from stateward.analysis.audit.search_roles import holds_shards
from stateward.analysis.audit.workloads import Mount, Operated, Reference, Storage, Workload
from stateward.contexts.operators import OPERATOR_KINDS, OperatorKind, register_kind, replica_count
from stateward.model.kubernetes import as_list, as_map, component_id, dig
from stateward.model.pointer import join
from stateward.model.resource import Resource

__all__ = [
    "FAMILIES",
    "Family",
    "backs_up",
    "buffering",
    "declares_messages",
    "held_in",
    "Reference",
    "elastic_refs",
    "operator_secrets",
    "operator_services",
    "operator_workload",
    "made_in_cluster",
    "provisioned",
    "referenced_workload",
    "references",
    "register_family",
    "volume_spec",
]


Reader = Callable[[Mapping[str, Any]], list[Storage]]


@dataclass(frozen=True, slots=True)
class Family:
    """What the audit knows of one operator's custom resource."""

    operator: OperatorKind
    """The resource kind, where its replica count is and the label on its pods (shared with the
    scan's components, :mod:`stateward.contexts.operators`)."""
    role: str
    """``database``, ``queue``, ``objects``, ``index``, ``monitoring`` or ``alerting``."""
    storage: Reader
    source: str
    """The CRD's API reference."""
    references: Callable[[Mapping[str, Any]], list[Reference]] = lambda body: []
    """What the resource names that its pods will reach."""
    services: Callable[[str, Mapping[str, Any]], list[str]] = lambda name, body: []
    """Names of the Services the operator creates for the resource (its clients name these:
    ``cluster-example-rw``), from the resource's name and spec."""
    rebuilt: str = ""
    """Set when its storage holds a copy rebuilt from elsewhere: from what (documented)."""
    secrets: Callable[[str, Mapping[str, Any]], list[str]] = lambda name, body: []
    """Names of the Secrets the operator writes with the resource's address and credentials
    (its clients take their connection from these: ``keycloakdb-pguser-keycloakdb``)."""
    pods: bool = True
    """False for a resource the operator carries out in a server it runs no pods for (a
    database inside a cluster): what it holds is on that server's volumes, none of its own."""
    rebuilt_by: Callable[[Mapping[str, Any]], str] = lambda body: ""
    """Set as ``rebuilt``, when the resource's spec decides it ('' when what it keeps is its own)."""


FAMILIES: dict[tuple[str, str], Family] = {}


def register_family(family: Family) -> Family:
    """Add (or replace) an operator family; its kind becomes a scan component too."""
    register_kind(family.operator)
    FAMILIES[(family.operator.group, family.operator.kind)] = family
    return family


def operator_workload(resource: Resource, ident: str | None = None) -> Workload | None:
    """The workload view of an operator resource of a known family, or of a custom resource of
    none whose spec asks for persistent storage; None for other objects."""
    copy = _COPY if _COPY_KIND.search(resource.key.kind) else ""
    if (cloud := cloud_workload(resource, ident, copy)) is not None:
        return cloud
    if is_cluster_api(resource.key.group) and (
        plane := control_plane_workload(resource, ident)
    ):  # a control plane on machines: the workload cluster's etcd
        return plane
    family = FAMILIES.get((resource.key.group, resource.key.kind))
    name = resource.key.name
    if family is not None:
        # What the family does not place, its pod templates may (a FlinkDeployment's
        # checkpoints on a hostPath of its podTemplate).
        declared = family.storage(resource.body) or template_storage(resource.body)
        rebuilt = family.rebuilt or family.rebuilt_by(resource.body) or replica_of(resource.body)
        operated = Operated(family.role, tuple(declared), family.source, rebuilt, pods=family.pods)
        replicas = replica_count(resource.body, family.operator.replicas)
        labels = family.operator.pod_labels(name, resource.body)
    elif is_custom(resource.key) and (
        (declared := _declared(resource))
        or names_a_peer(resource.body)
        or acts_on_a_database(resource.body)
        or addresses_a_store(resource.body)
        or runs_members(resource.body)
        or runs_member_holding_nothing(resource.body)
        or keeps_elsewhere(resource.body)
        or _runs_nothing_held(resource)
    ):
        # With no storage, a resource that names the cluster it acts on (a backup request, a
        # database user, a queue) is a component for that edge, and one that runs members of
        # an image (or a role's members with storage fields: a name server) is a service its
        # peers may address (so is one configuring a member of a role holding nothing: a name
        # server), and one naming the datastore it keeps its records in is that store's
        # client: it holds nothing itself.
        copy = _COPY if _COPY_KIND.search(resource.key.kind) else replica_of(resource.body)
        copy = copy or restore_copy(resource.key.kind, resource.body)
        copy = copy or read_positions(declared) or spilled(declared) or rebuilt_store(resource)
        copy = copy or refilled(resource) or fetched_application(as_map(resource.body.get("spec")))
        named = named_data_system(resource.key.group, resource.key.kind)
        role = named[1] if named and declared else CUSTOM_ROLE
        operated = Operated(role, tuple(declared), CUSTOM_SOURCE, copy, inferred=True)
        replicas = next(filter(None, (replica_count(resource.body, p) for p in _REPLICAS)), None)
        replicas = replicas or storage_members(resource.body)
        labels = {}  # the operator's pod labels are unknown: Services do not find its pods
    else:
        return None
    return Workload(
        ident or component_id(resource.key),
        name,
        resource.key.kind,
        resource.key.namespace,
        "kubernetes",
        resource,
        "/spec",
        (),
        (),
        tuple(_mount(name, s) for s in declared if s.claim is not None and operated.pods),
        {},
        replicas,
        labels,
        operated,
    )


def _declared(resource: Resource) -> list[Storage]:
    # A kind whose documented role holds nothing has no data, whatever its fields. Fields that
    # ask for persistent storage come first; then the data systems its operator runs beside
    # it, named by its fields (:mod:`.managed`); failing them, the shape, kind or group of a
    # data system whose operator decides where its data goes. An emptyDir or a disabled
    # persistence says where the data goes only for a data system or the members that keep its
    # records; a store of its own picked as memory says so itself; one restored from a backup
    # is a store (:mod:`.restores`), as is a Helm release of a data system's chart
    # (:mod:`.releases`).
    key, body = resource.key, resource.body
    if own_storage := _sized_for_role(key.kind, body):
        return own_storage
    if (
        holds_nothing(key.kind)
        or runs_role_holding_nothing(body)
        or _SETTINGS_KIND.search(key.kind)
    ):
        return []
    if _DATABASE_KIND.search(key.kind) and names_a_peer(body) and stated_drop(body):
        # a database inside the server it names, which its deletion drops
        return dropped_on_delete(body, default=True)
    declared = custom_storage(body) + template_storage(body)
    if any(s.claim is not None for s in declared):
        return declared
    if stopped(body):
        return []  # no pod runs, and no claim keeps anything
    if not declared and _WORKSPACE_KIND.search(key.kind) and runs_members(body):
        return [Storage("/spec", None, "what its user writes, in the container of its pod")]
    if managed := managed_systems(body):
        return managed
    system = declared_data_system(key.group, key.kind, body)
    if declared and (
        system or role_kind(key.kind) or any(s.memory or retained(s) for s in declared)
    ):
        return declared
    return system or restored_storage(key.kind, body) or release_storage(key.kind, body)


def _sized_for_role(kind: str, body: Mapping[str, Any]) -> list[Storage]:
    """The claims a spec sizes under a field named for the role its kind holds nothing in
    (:func:`.holds_nothing`): the operator gives that member a volume of its own, which the
    documented role alone does not say: Fabric's ``IBPConsole`` sizes ``storage: {console:
    {size: 5Gi}}``, the claim of the console's own database
    (https://github.com/hyperledger-labs/fabric-operator/blob/10283a697ac1f408e436e9fedcc8dc80541c1e02/config/samples/ibp.com_v1beta1_ibpconsole.yaml)."""
    role = holds_nothing(kind)
    if not role:
        return []
    declared = custom_storage(body)
    return [s for s in declared if s.claim is not None and f"/{role}/" in s.path.lower()]


def stopped(body: Mapping[str, Any]) -> bool:
    """True when the spec asks for the resource's pods to be stopped (``desiredStatus:
    Stopped``, ``stopped: true``)."""
    spec = as_map(body.get("spec"))
    state = next((spec[f] for f in _STATE_FIELDS if isinstance(spec.get(f), str)), "")
    return state.lower() in _STOPPED or spec.get("stopped") is True


# A resource whose spec asks for it to be stopped runs no pod: jupyter-k8s's Workspace
# ``desiredStatus: Running|Stopped`` ("DesiredStatus specifies the desired operational status",
# https://github.com/jupyter-infra/jupyter-k8s/blob/44e621429eb68835b32457412129eae939a9ad66/api/v1alpha1/workspace_types.go;
# "No storage requested": the operator makes a claim only for ``spec.storage``,
# internal/controller/resource_manager.go at f2670353e769c58b4164d0a08c6f296a1e4e9b3e). With no
# claim of its own it keeps nothing, whatever its image would write.
_STATE_FIELDS = ("desiredStatus", "desiredState", "state", "runStrategy")
_STOPPED = frozenset({"stopped", "stop", "halted"})
# A workspace or notebook server a person works in (jupyter-k8s's ``Workspace``, Kubeflow's
# ``Notebook``) keeps what its user writes in the home directory of the image it runs; with no
# storage asked for, that is the container of its pod, lost with it (jupyter-k8s's
# ``ResolveStorageConfig`` returns nil without ``spec.storage``,
# https://github.com/jupyter-infra/jupyter-k8s/blob/f2670353e769c58b4164d0a08c6f296a1e4e9b3e/internal/controller/pvc_builder.go).
_WORKSPACE_KIND = re.compile(r"(Workspace|Notebook)$")


# A kind named for settings others are made from (``BrokeredInfraConfig``, ``ReplicaTemplate``,
# ``SGInstanceProfile``, ``AddressSpacePlan``) asks for storage on behalf of what its operator
# makes from it, not for itself: EnMasse's infrastructure configs "can be referred to from 1 or
# more address space plans", and the brokers with their storage are made per address space
# (https://github.com/EnMasseProject/enmasse/blob/e59809dc588fc27a89351d0b0326459571781ea2/documentation/modules/con-infrastructure-configuration.adoc).
# Every resource of such a kind the corpora's tables rate (twelve: SeldonConfig,
# LinstorSatelliteConfiguration, AnalysisTemplate …) holds nothing.
_SETTINGS_KIND = re.compile(r"[a-z](Config|Configuration|Template|Plan|Profile)$")


# A kind named for one database (``ShopDatabase``, ``MysqlDatabase``): with a peer named, a
# database inside that server (:mod:`.data_systems`, :mod:`.deletion_policies`).
_DATABASE_KIND = re.compile(r"Database$")


def _runs_nothing_held(resource: Resource) -> bool:
    """A kind whose role holds nothing (:func:`.holds_nothing`) and whose storage fields show
    that its operator runs its pods."""
    body = resource.body
    return bool(holds_nothing(resource.key.kind)) and bool(
        custom_storage(body) or template_storage(body)
    )


CUSTOM_ROLE = "custom resource"
# A resource named for a backup, dump or snapshot (mariadb-operator's ``Backup``, K8ssandra's
# ``MedusaBackup``, CloudNativePG's ``ScheduledBackup``) writes a copy of a store that is still
# there: replacing it loses a copy, made again by the next run, not the only records.
# An export is such a copy too (the Argo CD operator's ``ArgoCDExport``: "the exported data ...
# of the Argo CD cluster", written again on each run,
# https://github.com/argoproj-labs/argocd-operator/blob/cf5d1c0236bf6419bf2e4f8fdc154a2c7b8d4d4c/docs/usage/export.md).
# So is the repository the backups are written to (KubeBlocks' ``BackupRepo``, "the
# `StorageProvider` used by this backup repository", asking for ``volumeCapacity``:
# https://github.com/apecloud/kubeblocks/blob/13138f463941aa24f5f1e7005d5433763b56360e/examples/qdrant/backuprepo.yaml):
# it holds those copies, not the store's records.
_COPY_KIND = re.compile(r"(Backup(Repo|Repository)?|Dump|Snapshot|Export)s?$")
_COPY = "a backup of a store that still holds the data, made again by the next run"
CUSTOM_SOURCE = "its spec's storage fields (no known operator family)"
# A database run as a read-only replica of a source outside the resource holds a copy it clones
# again from that source: MOCO's ``replicationSourceSecretName`` (the whole cluster clones and
# replicates an external donor until the field is cleared,
# https://github.com/cybozu-go/moco/blob/cdfed8a97a9ced12d2994b91bfec85cbd09f9ad9/docs/usage.md),
# CloudNativePG's replica cluster (``replica: {enabled: true}``,
# https://cloudnative-pg.io/documentation/current/replica_cluster/) and PGO's standby cluster
# (``standby: {enabled: true}``,
# https://access.crunchydata.com/documentation/postgres-operator/latest/tutorials/backups-disaster-recovery/disaster-recovery).
_SOURCE_FIELD = re.compile(r"^(replicationSource|replicaOf)")
_REPLICA_SWITCHES = ("replica", "standby")
# A database made as a copy of a primary it names holds what it re-reads from that primary: the
# Oracle Database Operator's ``primaryDatabaseRef`` with ``createAs: standby`` (a physical
# standby, redo applied from the primary) or ``createAs: truecache`` (a True Cache "populated
# from the primary database"),
# https://github.com/oracle/oracle-database-operator/blob/e24228685e5f43c872435204d011bcbd394cbb7e/docs/sidb/README.md.
# Only a reference field counts: the primary's name, not a ``primaryUser`` or ``primaryPort``.
_PRIMARY_FIELD = re.compile(r"^primary[A-Z]\w*(Ref|Reference|Name)$|^primary(Ref|Reference)?$")


# A store filled only from others it names: a JetStream stream's ``mirror: {name: x}``, or its
# ``sources: [{name: a}, …]`` with no ``subjects`` of its own, "copies messages from" those
# streams and is re-synced from them
# (https://docs.nats.io/nats-concepts/jetstream/source_and_mirror).
def _copied_from(spec: Mapping[str, Any]) -> str:
    mirror = as_map(spec.get("mirror")).get("name")
    if isinstance(mirror, str) and mirror:
        return f"a mirror of {mirror}, copied again from it"
    sources = [as_map(s).get("name") for s in as_list(spec.get("sources"))]
    if sources and all(isinstance(n, str) and n for n in sources) and not spec.get("subjects"):
        return f"copies of {', '.join(map(str, sources))}, copied again from them"
    return ""


# A volume filled by importing what a URL serves: CDI's DataVolume ``source: {http: {url}}`` or
# ``{registry: {url: docker://…}}`` ("import a disk image from a URL into the DataVolume",
# https://github.com/kubevirt/containerized-data-importer/blob/c07cdb6fbd18976c44f65f1e4c0deae03e33e718/doc/datavolumes.md),
# holds a copy imported again from it; not a ``source: {upload: {}}`` or ``{blank: {}}``, whose
# content only its writers have.
_IMPORTED = re.compile(r"^(https?|docker|oci|s3|gs)://", re.IGNORECASE)


def _imported_from(spec: Mapping[str, Any]) -> str:
    source = as_map(spec.get("source"))
    if len(source) != 1:
        return ""
    url = next((as_map(v).get("url") for v in source.values()), None)
    if isinstance(url, str) and _IMPORTED.match(url):
        return f"an import of {url}, imported again from it"
    return ""


# OVN's Southbound database is computed from the Northbound one and from what the chassis
# report: "ovn-northd [...] translates the logical network configuration [...] taken from the
# OVN Northbound Database, into logical datapath flows in the OVN Southbound Database"; "The
# hypervisors populate the PN and Port_Binding tables, whereas ovn-northd(8) populates the LN
# tables"
# (https://github.com/ovn-org/ovn/blob/e92d8cb838d407aac7d44c9d27f862df42fbb8d2/ovn-architecture.7.xml).
# The openstack-k8s-operators OVN operator runs either from one ``OVNDBCluster`` kind, picked
# by ``dbType`` (``NB`` or ``SB``,
# https://github.com/openstack-k8s-operators/ovn-operator/blob/28ef6272a79e2bac918d48a787197afd222605ec/api/v1beta1/ovndbcluster_types.go).
_COMPUTED = {("ovn", "sb"): "OVN's Southbound database, computed again by ovn-northd from the "
             "Northbound one and re-populated by the chassis"}  # fmt: skip


# Glance keeps its images in the stores ``enabled_backends`` names ("a key:value pair where key
# represents the identifier for the store and value will be the type of the store": ``file``,
# ``http``, ``rbd``, ``swift``, ``cinder``, ``vmware``,
# https://github.com/openstack/glance/blob/772bae36ea6d37268e9dc8ffdabf8c672115c8bc/doc/source/admin/multistores.rst);
# the glance-operator's claim at ``/var/lib/glance`` holds the import staging area and the image
# cache "even though File is not the selected backend"
# (https://github.com/openstack-k8s-operators/glance-operator/blob/b0f3757a994754fb5693569edb33d1a79686a18d/docs/README.md).
# With no ``file`` store among them, the claim holds images in transit and cached copies only.
_BACKENDS = re.compile(r"^\s*enabled_backends\s*=\s*(.+)$", re.MULTILINE)
_STAGED = (
    "Glance's import staging area and image cache; its images are in the stores "
    "enabled_backends names"
)


def rebuilt_store(resource: Resource) -> str:
    """Why a resource's storage holds what is computed or fetched again from elsewhere: OVN's
    Southbound database, Glance's staging area with no file store ("" for anything else)."""
    product = resource.key.group.split(".", 1)[0].lower()
    db_type = as_map(resource.body.get("spec")).get("dbType")
    if product == "glance":
        stores = _image_stores(resource.body)  # a store of no type is read as maybe a file
        return _STAGED if stores and not stores & {"", "file"} else ""
    return _COMPUTED.get((product, str(db_type).lower()), "")


def _image_stores(body: Mapping[str, Any]) -> set[str]:
    """The store types a Glance's inline configuration enables (``foo:rbd`` -> rbd)."""
    return {
        pair.partition(":")[2].strip().lower()
        for _, text, _ in spec_strings(body)
        for match in _BACKENDS.finditer(text)
        for pair in match.group(1).split(",")
    }


def replica_of(body: Mapping[str, Any]) -> str:
    """Why the resource's storage holds a replica of a source kept elsewhere ("" if not)."""
    spec = as_map(body.get("spec"))
    if copied := _copied_from(spec) or _imported_from(spec):
        return copied
    for key, value in spec.items():
        if value and _SOURCE_FIELD.match(str(key)):
            return f"a replica of the source {key} names, cloned again from it"
    for key in _REPLICA_SWITCHES:
        if as_map(spec.get(key)).get("enabled") is True:
            return f"a {key} of a cluster kept elsewhere, cloned again from it"
    for key, value in spec.items():
        if not str(key).startswith("primary"):  # most fields: one comparison
            continue
        name = as_map(value).get("name") if isinstance(value, Mapping) else value
        if isinstance(name, str) and name and _PRIMARY_FIELD.match(str(key)):
            return f"a copy of the primary {name} ({key}), filled again from it"
    return ""


# Where custom resources say how many members they run (``size``: cass-operator's
# CassandraDatacenter, Percona's replica sets; a storage ``size`` is a quantity, not a count).
_REPLICAS = (
    ("spec", "replicas"), ("spec", "instances"), ("spec", "members"), ("spec", "size"),
)  # fmt: skip


def references(workload: Workload) -> list[Reference]:
    """The peers an operator workload's resource names (none for other workloads): its
    family's, or for a custom resource of no known family its ``*Ref`` and ``cluster`` name
    references; and for both, the in-cluster Services its spec's URLs and hosts address."""
    if workload.operated is None:
        # A custom controller running pods of its own (a Rollout) names what its controller
        # reads beside them by kind (its analysis templates), and outside its pod template the
        # cluster it names, as any operator resource does (Restate's ``RestateDeployment``
        # with ``restate: {register: {cluster: restate-test}}``, registered with that
        # ``RestateCluster``,
        # https://github.com/restatedev/restate-operator/blob/aae3289c224a4adbf1d62100418185a105615040/crd/examples/restatedeployment.yaml).
        if not is_custom(workload.resource.key):
            return []
        return _named_outside_pods(workload.body)
    if workload.operated.inferred:
        # A resource that names no peer is made in the cluster of its API group in its
        # namespace, when there is one (:meth:`~.estate.Estate.group_cluster`); a backup
        # copies it whatever else it names (a bucket, a cluster's name no resource answers).
        named = custom_references(workload.body)
        if not named or backs_up(workload.kind):
            named = [*named, _IN_NAMESPACE]
        listed = listed_references(workload.body) + claim_refs(workload.body)
        named += _product_discovery(workload.body)
        return named + listed + kinded_references(workload.body) + spec_hosts(workload.body)
    if workload.operated.role == REFERENCED_ROLE:
        return []
    key = workload.resource.key
    if cloud_service(key.group, key.kind, workload.body):  # ASO's owner, Config Connector's refs
        return custom_references(workload.body)
    if is_cluster_api(key.group):  # a control plane on machines: what it names, as before
        return _named_outside_pods(workload.body)
    family = _family_of(workload)
    named = family.references(workload.body) if family else []
    return named + spec_hosts(workload.body)


_POD = "spec.template"  # the pods' own fields: what they mount and run, no peer of the resource


def _named_outside_pods(body: Mapping[str, Any]) -> list[Reference]:
    named = [r for r in peer_references(body) if not r.where.startswith(_POD)]
    return kinded_references(body) + named


def _product_discovery(body: Mapping[str, Any]) -> list[Reference]:
    """The discovery ConfigMaps a spec names in a mapping named for a data system (``hdfs:
    {configMapName: simple-hdfs}``), or by a name alone as ``configMap`` (a ``TrinoCatalog``'s
    ``metastore: {configMap: simple-hive}``): each the name of that system's cluster, an edge
    only where a resource of that name is in the estate."""
    return [
        ref for ref in discovery_references(body)
        if ref.where.endswith(".configMap")
        or word_family(ref.where.rsplit(".", 2)[-2].lower()) is not None
    ]  # fmt: skip


def made_in_cluster(resource: Resource, ident: str) -> Workload:
    """The workload view of a custom resource that holds nothing and names no peer, of the API
    group of the one cluster (a resource of kind ``…Cluster``) of its namespace: the operator
    applies it to that cluster, as Rook makes a pool in the ``CephCluster`` of its namespace
    (:meth:`~.estate.Estate.group_cluster`) and a Piraeus ``LinstorNodeConnection`` "applies to
    every possible connection in the cluster"
    (https://github.com/piraeusdatastore/piraeus-operator/blob/0ef32285b13b0a3cd22e0a3b7a09f3becd9cb9ec/docs/reference/linstornodeconnection.md).
    A component holding nothing, whose edge is to that cluster."""
    key = resource.key
    operated = Operated(CUSTOM_ROLE, (), CUSTOM_SOURCE, inferred=True)
    return Workload(
        ident, key.name, key.kind, key.namespace, "kubernetes", resource, "/spec", (), (), (),
        {}, None, {}, operated,
    )  # fmt: skip


REFERENCED_ROLE = "referenced resource"
_REFERENCED_SOURCE = "a resource of the estate names it by kind and name"


def referenced_workload(resource: Resource, ident: str, backup: str = "") -> Workload:
    """The workload view of a custom resource that holds nothing and names no peer, but that a
    component names by kind (a cert-manager Issuer a HarborCluster's core uses): a component
    for that edge, so that what depends on it is ranked against it. Named by ``backup``, a
    backup's kind, as the cluster it copies, it holds that data, where its operator keeps it."""
    key = resource.key
    if backup:
        text = f"a {backup} copies what it holds; the operator's default storage is unknown"
        storage = (Storage("/spec", {}, text),)
        operated = Operated(CUSTOM_ROLE, storage, CUSTOM_SOURCE, inferred=True)
        replicas = next(filter(None, (replica_count(resource.body, p) for p in _REPLICAS)), None)
        mounts = tuple(_mount(key.name, s) for s in storage)
    else:
        operated = Operated(REFERENCED_ROLE, (), _REFERENCED_SOURCE, inferred=True)
        replicas, mounts = None, ()
    return Workload(
        ident, key.name, key.kind, key.namespace, "kubernetes", resource, "/spec", (), (),
        mounts, {}, replicas, {}, operated,
    )  # fmt: skip


def buffering(workload: Workload, where: str) -> Workload:
    """An operator workload holding nothing whose configuration keeps a buffer in files
    (``where``): the records on their way out are on its operator's default storage."""
    text = f"{where} buffers records in files; the operator's default storage is unknown"
    return _kept(workload, text)


def provisioned(workload: Workload, where: str) -> Workload:
    """An operator workload holding nothing that names a class of storage (``where``,
    :func:`.links.storage_class`): it is a claim on that class, and holds the store its
    provisioner made."""
    return _kept(workload, f"{where}; what it provisioned holds the data")


# A resource declaring a durable container of messages in the broker it names keeps them on
# that broker's storage, and replacing it deletes them: the RabbitMQ Messaging Topology
# Operator's ``Queue`` ("deletionPolicy ... Default to 'delete'", and a ``SuperStream``'s
# partitions are stream queues it owns,
# https://github.com/rabbitmq/messaging-topology-operator/blob/e736e2df95cd2fd8027f793dfce9020f5de86c1a/api/v1beta1/queue_types.go).
# Its kind says so (a queue: messages waiting for their consumer; a stream: a log kept for
# replay), or its ``durable: true``; a topic or a repository declared in a cluster is that
# cluster's configuration, its records the cluster's.
_CONTAINER_KIND = re.compile(r"(Queue|Stream)$")


def declares_messages(workload: Workload) -> bool:
    """True for an operator resource of no family holding nothing that declares a durable
    queue or stream (by its kind, or ``durable: true``) in the peer it names."""
    operated = workload.operated
    if operated is None or not operated.inferred or operated.storage or operated.rebuilt:
        return False
    durable = as_map(workload.body.get("spec")).get("durable")
    if durable is False:  # "won't survive a server restart": nothing of it on the storage
        return False
    return durable is True or _CONTAINER_KIND.search(workload.kind) is not None


def held_in(workload: Workload, broker: Workload) -> Workload:
    """``workload`` (:func:`declares_messages`) holding its messages on ``broker``'s storage."""
    return _kept(workload, f"a {workload.kind} whose messages {broker.name} keeps on its storage")


def _kept(workload: Workload, text: str) -> Workload:
    operated = workload.operated
    if operated is None:
        return workload
    storage = Storage("/spec", {}, text)
    return replace(
        workload,
        mounts=(*workload.mounts, _mount(workload.name, storage)),
        operated=replace(operated, storage=(*operated.storage, storage)),
    )


# A backup, dump or snapshot names the cluster whose data it copies (an Infinispan ``Backup``'s
# ``cluster: example-infinispan``, "backs up ... caches ... to a persistent volume",
# https://github.com/infinispan/infinispan-operator/blob/16dba6cbde7e6a80e735a5efaa04e75a91deed1f/api/v2alpha1/backup_types.go):
# that cluster holds data. (An export is left out: it may copy objects kept elsewhere, Argo CD's
# settings in Kubernetes.)
_BACKUP_KIND = re.compile(r"(Backup|Dump|Snapshot)s?$")


def backs_up(kind: str) -> bool:
    """True for a kind named for a backup of the cluster it names."""
    return _BACKUP_KIND.search(kind) is not None


_IN_NAMESPACE = Reference("Cluster", "", "", "its namespace (the cluster of its API group there)")


def operator_services(workload: Workload) -> list[str]:
    """The Services the operator creates for an operator workload (none for other workloads)."""
    family = _family_of(workload)
    return family.services(workload.name, workload.body) if family else []


def operator_secrets(workload: Workload) -> list[str]:
    """The connection Secrets the operator writes for an operator workload (none for others)."""
    family = _family_of(workload)
    return family.secrets(workload.name, workload.body) if family else []


def _family_of(workload: Workload) -> Family | None:
    key = workload.resource.key
    return FAMILIES.get((key.group, key.kind)) if workload.operated else None


def _mount(name: str, storage: Storage) -> Mount:
    return Mount(
        name, "/data", storage.path, "volumeClaimTemplate", False, storage.path,
        spec={"spec": storage.claim},
    )  # fmt: skip


def _claim(path: str, spec: Any, text: str) -> Storage:
    return Storage(path, as_map(spec), text)


def _sized(path: str, size: Any, text: str) -> Storage:
    return Storage(path, {"resources": {"requests": {"storage": str(size)}}}, text)


def _ephemeral(path: str, text: str) -> Storage:
    return Storage(path, None, text)


# prometheus-operator StorageSpec: "If neither emptyDir nor volumeClaimTemplate is specified, then
# by default an EmptyDir will be used."
# https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.StorageSpec
def _monitoring_storage(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    template = as_map(storage.get("volumeClaimTemplate"))
    if template:
        return [_claim("/spec/storage/volumeClaimTemplate", template.get("spec"), "claim template")]
    return [_ephemeral("/spec/storage", "no claim template: the operator mounts an emptyDir")]


# CloudNativePG: spec.storage (size or pvcTemplate) is a claim per instance.
# https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/#postgresql-cnpg-io-v1-StorageConfiguration
def _cnpg_storage(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    template = as_map(storage.get("pvcTemplate"))
    if template:
        return [_claim("/spec/storage/pvcTemplate", template, "PVC template")]
    return [_sized("/spec/storage", storage.get("size", "?"), "storage")]


# Zalando postgres-operator: spec.volume.size is required; PGDATA is on a claim per instance.
# https://github.com/zalando/postgres-operator/blob/a7aaad0a0b9517bb46077f2925eb80ae8ebe1a0c/docs/reference/cluster_manifest.md#postgres-container-resources
def _zalando_storage(body: Mapping[str, Any]) -> list[Storage]:
    return [_sized("/spec/volume", dig(body, "spec", "volume", "size") or "?", "volume")]


# Strimzi: storage type ephemeral, persistent-claim or jbod (a list of either), on the Kafka
# resource (spec.kafka.storage, spec.zookeeper.storage) or on its KafkaNodePools (spec.storage).
# https://strimzi.io/docs/operators/latest/configuring.html#type-EphemeralStorage-reference
def _strimzi_one(path: str, storage: Mapping[str, Any]) -> list[Storage]:
    kind = storage.get("type")
    if kind == "jbod":
        volumes = as_list(storage.get("volumes"))
        return [
            s for i, v in enumerate(volumes) for s in _strimzi_one(f"{path}/volumes/{i}", as_map(v))
        ]
    if kind == "persistent-claim":
        return [_sized(path, storage.get("size", "?"), "persistent-claim")]
    if kind == "ephemeral":
        return [_ephemeral(path, "ephemeral storage: an emptyDir")]
    return []


def _strimzi_kafka(body: Mapping[str, Any]) -> list[Storage]:
    return [
        s
        for part in ("kafka", "zookeeper")
        for s in _strimzi_one(f"/spec/{part}/storage", as_map(dig(body, "spec", part, "storage")))
    ]


def _strimzi_pool(body: Mapping[str, Any]) -> list[Storage]:
    return _strimzi_one("/spec/storage", as_map(dig(body, "spec", "storage")))


# RabbitmqCluster: spec.persistence.storage defaults to 10Gi, a claim per replica.
# https://www.rabbitmq.com/kubernetes/operator/using-operator#persistence
def _rabbitmq_storage(body: Mapping[str, Any]) -> list[Storage]:
    size = dig(body, "spec", "persistence", "storage") or "10Gi"
    if str(size).rstrip("GgMmKkTtIi") in ("0", ""):
        return [_ephemeral("/spec/persistence/storage", "persistence storage 0: no claim")]
    return [_sized("/spec/persistence", size, "persistence")]


# ECK: each nodeSet gets the claim template elasticsearch-data (1Gi by default) unless its pod
# template replaces that volume with an emptyDir.
# https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-volume-claim-templates.html
def _eck_storage(body: Mapping[str, Any]) -> list[Storage]:
    found: list[Storage] = []
    for i, node_set in enumerate(as_list(dig(body, "spec", "nodeSets"))):
        node_set = as_map(node_set)
        volumes = as_list(dig(node_set, "podTemplate", "spec", "volumes"))
        if any(
            as_map(v).get("name") == "elasticsearch-data" and "emptyDir" in as_map(v)
            for v in volumes
        ):
            if holds_shards(_eck_roles(as_map(node_set.get("config")))):
                path = f"/spec/nodeSets/{i}/podTemplate"
                found.append(_ephemeral(path, "elasticsearch-data is an emptyDir"))
            continue
        templates = [as_map(t) for t in as_list(node_set.get("volumeClaimTemplates"))]
        data = next(
            (t for t in templates if dig(t, "metadata", "name") == "elasticsearch-data"), None
        )
        if data is not None:
            found.append(
                _claim(
                    f"/spec/nodeSets/{i}/volumeClaimTemplates", data.get("spec"), "claim template"
                )
            )
        else:
            found.append(_sized(f"/spec/nodeSets/{i}", "1Gi", "default claim elasticsearch-data"))
    return found


def _eck_roles(config: Mapping[str, Any]) -> Any:
    """A node set's ``node.roles`` from its ``config``, in flat or nested form (ECK passes the
    config to elasticsearch.yml, which accepts both); None when unset: every role."""
    return config.get("node.roles", dig(config, "node", "roles"))


# MongoDBCommunity: the operator's StatefulSet has claim templates data-volume (10G) and
# logs-volume (2G) unless spec.statefulSet overrides them.
# https://github.com/mongodb/mongodb-kubernetes-operator/blob/f6a53c96128e3e998f4c274964876206ce409305/docs/deploy-configure.md
def _mongodb_storage(body: Mapping[str, Any]) -> list[Storage]:
    path = ("spec", "statefulSet", "spec", "volumeClaimTemplates")
    for i, template in enumerate(as_list(dig(body, *path))):
        if dig(template, "metadata", "name") == "data-volume":
            return [_claim(join([*path, str(i)]), dig(template, "spec"), "claim template")]
    return [_sized("/spec", "10G", "default claim data-volume")]


# MinIO Tenant: every pool has a claim template per server.
# https://min.io/docs/minio/kubernetes/upstream/reference/operator-crd.html#pool
def _minio_storage(body: Mapping[str, Any]) -> list[Storage]:
    return [
        _claim(f"/spec/pools/{i}/volumeClaimTemplate", dig(pool, "volumeClaimTemplate", "spec"),
               "claim template")
        for i, pool in enumerate(as_list(dig(body, "spec", "pools")))
    ]  # fmt: skip


# OT-CONTAINER-KIT redis-operator: spec.storage.volumeClaimTemplate, else no persistence.
# https://github.com/OT-CONTAINER-KIT/redis-operator/blob/5dd04e17419a9a32bd0d220fc9dae5dffbf4f39a/api/v1beta2/common_types.go
def _redis_storage(body: Mapping[str, Any]) -> list[Storage]:
    template = as_map(dig(body, "spec", "storage", "volumeClaimTemplate"))
    if template:
        return [_claim("/spec/storage/volumeClaimTemplate", template.get("spec"), "claim template")]
    return [_ephemeral("/spec/storage", "no claim template: the data is in memory only")]


# An OT-CONTAINER-KIT RedisSentinel watches the RedisReplication it names and fails it over.
# https://github.com/OT-CONTAINER-KIT/redis-operator/blob/5dd04e17419a9a32bd0d220fc9dae5dffbf4f39a/api/v1beta2/redissentinel_types.go
def _sentinel_ref(body: Mapping[str, Any]) -> list[Reference]:
    name = dig(body, "spec", "redisSentinelConfig", "redisReplicationName")
    where = "spec.redisSentinelConfig.redisReplicationName"
    return [Reference("RedisReplication", str(name), "", where)] if name else []


# Crunchy PGO PostgresCluster: every instance set has a dataVolumeClaimSpec (required).
# https://access.crunchydata.com/documentation/postgres-operator/latest/references/crd/5.7.x/postgrescluster
def _pgo_storage(body: Mapping[str, Any]) -> list[Storage]:
    return [
        _claim(f"/spec/instances/{i}/dataVolumeClaimSpec", dig(s, "dataVolumeClaimSpec"),
               "dataVolumeClaimSpec")
        for i, s in enumerate(as_list(dig(body, "spec", "instances")))
    ]  # fmt: skip


# Percona operators' volumeSpec: persistentVolumeClaim, emptyDir or hostPath.
# https://docs.percona.com/percona-operator-for-mysql/pxc/operator.html (pxc.volumeSpec),
# https://docs.percona.com/percona-operator-for-mongodb/operator.html (replsets.volumeSpec)
def volume_spec(path: str, spec: Any) -> list[Storage]:
    spec = as_map(spec)
    if "persistentVolumeClaim" in spec:
        return [_claim(f"{path}/persistentVolumeClaim", spec["persistentVolumeClaim"], "claim")]
    if "hostPath" in spec:
        return [_claim(f"{path}/hostPath", {}, "hostPath on each node")]
    if "emptyDir" in spec:
        return [_ephemeral(f"{path}/emptyDir", "volumeSpec emptyDir")]
    return []


def _pxc_storage(body: Mapping[str, Any]) -> list[Storage]:
    return volume_spec("/spec/pxc/volumeSpec", dig(body, "spec", "pxc", "volumeSpec"))


def _psmdb_storage(body: Mapping[str, Any]) -> list[Storage]:
    return [
        s
        for i, rs in enumerate(as_list(dig(body, "spec", "replsets")))
        for s in volume_spec(f"/spec/replsets/{i}/volumeSpec", dig(rs, "volumeSpec"))
    ]


# mariadb-operator: spec.storage (size or volumeClaimTemplate) is a claim per replica unless
# storage.ephemeral is true.
# https://github.com/mariadb-operator/mariadb-operator/blob/main/docs/api_reference.md#storage
def _mariadb_storage(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    if storage.get("ephemeral") is True:
        return [_ephemeral("/spec/storage/ephemeral", "ephemeral storage: an emptyDir")]
    template = as_map(storage.get("volumeClaimTemplate"))
    if template:
        return [_claim("/spec/storage/volumeClaimTemplate", template, "claim template")]
    return [_sized("/spec/storage", storage.get("size", "?"), "storage")]


# MySQL Operator for Kubernetes: each instance's datadir is a claim
# (spec.datadirVolumeClaimTemplate, the operator's default otherwise).
# https://dev.mysql.com/doc/mysql-operator/en/mysql-operator-properties.html
def _innodb_storage(body: Mapping[str, Any]) -> list[Storage]:
    template = as_map(dig(body, "spec", "datadirVolumeClaimTemplate"))
    if template:
        return [_claim("/spec/datadirVolumeClaimTemplate", template, "datadir claim template")]
    return [_sized("/spec", "?", "default datadir claim")]


# Spotahome RedisFailover: spec.redis.storage.persistentVolumeClaim, else an emptyDir.
# https://github.com/spotahome/redis-operator#persistence
def _failover_storage(body: Mapping[str, Any]) -> list[Storage]:
    claim = as_map(dig(body, "spec", "redis", "storage", "persistentVolumeClaim"))
    if claim:
        return [_claim("/spec/redis/storage/persistentVolumeClaim", claim.get("spec"), "claim")]
    return [_ephemeral("/spec/redis/storage", "no persistentVolumeClaim: an emptyDir")]


# Dragonfly operator: snapshots go to spec.snapshot.persistentVolumeClaimSpec, or to the claim
# that already exists that ``existingPersistentVolumeClaimName`` names (mounted as the snapshot
# volume, internal/resources/resources.go, https://github.com/dragonflydb/dragonfly-operator/blob/b28637d78d828f80a3b3fd76acaa2dd6e3c28603/internal/resources/resources.go);
# without either the data set is in memory only.
# https://www.dragonflydb.io/docs/managing-dragonfly/operator/snapshot-pvc
def _dragonfly_storage(body: Mapping[str, Any]) -> list[Storage]:
    snapshot = as_map(dig(body, "spec", "snapshot"))
    if claim := as_map(snapshot.get("persistentVolumeClaimSpec")):
        return [_claim("/spec/snapshot/persistentVolumeClaimSpec", claim, "snapshot claim")]
    if existing := snapshot.get("existingPersistentVolumeClaimName"):
        where = "/spec/snapshot/existingPersistentVolumeClaimName"
        return [_claim(where, {}, f"snapshots on the existing claim {existing}")]
    return [_ephemeral("/spec/snapshot", "no snapshot claim: the data is in memory only")]


# OpenSearch operator: each node pool has diskSize on a claim unless persistence says emptyDir
# (docs/userguide/main.md, "Data Persistence"); a pool's required ``roles`` become its nodes'
# ``node.roles`` (pkg/builders/cluster.go), at
# https://github.com/opensearch-project/opensearch-k8s-operator/blob/ef6502ab27126e7a695a9983f7a3caef0532dfe7/opensearch-operator/pkg/builders/cluster.go
# A pool whose roles hold no shards keeps no index on its emptyDir: it is no data lost.
def _opensearch_storage(body: Mapping[str, Any]) -> list[Storage]:
    found: list[Storage] = []
    for i, pool in enumerate(as_list(dig(body, "spec", "nodePools"))):
        path = f"/spec/nodePools/{i}"
        if "emptyDir" not in as_map(dig(pool, "persistence")):
            found.append(_sized(path, dig(pool, "diskSize") or "?", "diskSize"))
        elif holds_shards(dig(pool, "roles")):
            found.append(_ephemeral(f"{path}/persistence", "persistence emptyDir"))
    return found


# Scylla Operator: every rack's members have a claim of storage.capacity.
# https://operator.docs.scylladb.com/stable/api-reference/groups/scylla.scylladb.com/scyllaclusters.html
def _scylla_storage(body: Mapping[str, Any]) -> list[Storage]:
    return [
        _sized(f"/spec/datacenter/racks/{i}/storage", dig(rack, "storage", "capacity") or "?",
               "rack storage")
        for i, rack in enumerate(as_list(dig(body, "spec", "datacenter", "racks")))
    ]  # fmt: skip


def _percona_rs_services(name: str, body: Mapping[str, Any]) -> list[str]:
    sets = [str(as_map(r).get("name")) for r in as_list(dig(body, "spec", "replsets"))]
    return [f"{name}-{r}" for r in sets] + [f"{name}-mongos"]


def _opensearch_services(name: str, body: Mapping[str, Any]) -> list[str]:
    pools = [str(as_map(p).get("component")) for p in as_list(dig(body, "spec", "nodePools"))]
    return [name, *(f"{name}-{p}" for p in pools)]


# Prometheus reaches the Alertmanagers it names by their Service.
# https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.AlertmanagerEndpoints
def _alertmanagers(body: Mapping[str, Any]) -> list[Reference]:
    return [
        Reference("Service", str(as_map(a).get("name")), str(as_map(a).get("namespace") or ""),
                  f"spec.alerting.alertmanagers[{i}]")
        for i, a in enumerate(as_list(dig(body, "spec", "alerting", "alertmanagers")))
        if as_map(a).get("name")
    ]  # fmt: skip


# A CloudNativePG Pooler (PgBouncer) serves the Cluster named in spec.cluster.name.
# https://cloudnative-pg.io/documentation/current/connection_pooling/
def _pooled_cluster(body: Mapping[str, Any]) -> list[Reference]:
    name = dig(body, "spec", "cluster", "name")
    return [Reference("Cluster", str(name), "", "spec.cluster.name")] if name else []


# ECK Logstash: the claim templates of spec.volumeClaimTemplates, else a 1.5Gi logstash-data
# claim per pod; a persisted queue (queue.type: persisted) keeps accepted events there.
# https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-logstash-volumes.html
def _logstash_storage(body: Mapping[str, Any]) -> list[Storage]:
    queue = "persisted queue" if _persisted_queue(body) else "memory queue"
    templates = as_list(dig(body, "spec", "volumeClaimTemplates"))
    if not templates:
        return [_sized("/spec", "1.5Gi", f"default claim logstash-data ({queue})")]
    return [
        _claim(f"/spec/volumeClaimTemplates/{i}", dig(t, "spec"),
               f"claim template {dig(t, 'metadata', 'name')} ({queue})")
        for i, t in enumerate(templates)
    ]  # fmt: skip


def _persisted_queue(body: Mapping[str, Any]) -> bool:
    settings = [as_map(dig(body, "spec", "config"))]
    settings += [as_map(p) for p in as_list(dig(body, "spec", "pipelines"))]
    return any(str(s.get("queue.type", "")).lower() == "persisted" for s in settings)


# ECK associations: Kibana, Beat and Logstash name the Elasticsearch (and Kibana) they use.
# https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-kibana-es.html,
# https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-beat-configuration.html
def elastic_refs(body: Mapping[str, Any]) -> list[Reference]:
    found: list[Reference] = []
    for field, kind in (("elasticsearchRef", "Elasticsearch"), ("kibanaRef", "Kibana")):
        ref = as_map(dig(body, "spec", field))
        if ref.get("name"):
            found.append(Reference(kind, str(ref["name"]), str(ref.get("namespace") or ""),
                                   f"spec.{field}"))  # fmt: skip
    for i, ref in enumerate(as_list(dig(body, "spec", "elasticsearchRefs"))):
        if as_map(ref).get("name"):
            found.append(Reference("Elasticsearch", str(as_map(ref)["name"]),
                                   str(as_map(ref).get("namespace") or ""),
                                   f"spec.elasticsearchRefs[{i}]"))  # fmt: skip
    return found


# A Beat's outputs name the hosts it ships to (output.logstash.hosts, output.elasticsearch.hosts).
# https://www.elastic.co/guide/en/beats/filebeat/current/configuring-output.html
def _beat_refs(body: Mapping[str, Any]) -> list[Reference]:
    found = elastic_refs(body)
    config = as_map(dig(body, "spec", "config"))
    for output in ("logstash", "elasticsearch"):
        hosts = config.get(f"output.{output}.hosts") or dig(config, f"output.{output}", "hosts")
        hosts = hosts or dig(config, "output", output, "hosts")
        for host in as_list(hosts):
            name = str(host).split("://", 1)[-1].split(":", 1)[0].split("/", 1)[0]
            if name:
                found.append(_service_ref(name, f"spec.config output.{output}.hosts"))
    return found


def _no_storage(body: Mapping[str, Any]) -> list[Storage]:
    return []


# Altinity clickhouse-operator: ClickHouse keeps its tables in /var/lib/clickhouse (the Keeper its
# coordination log in /var/lib/clickhouse-keeper), on a claim when a dataVolumeClaimTemplate (in
# spec.defaults.templates or a cluster's templates) names one of spec.templates
# .volumeClaimTemplates or a pod template mounts a volume there; with neither, in each pod's
# container filesystem.
# https://github.com/Altinity/clickhouse-operator/blob/50e8d0490678185f290336acbdfbf9534d60367d/docs/custom_resource_explained.md
_ALTINITY = "https://github.com/Altinity/clickhouse-operator/blob/50e8d0490678185f290336acbdfbf9534d60367d/docs/custom_resource_explained.md"
_ALTINITY_DIRS = ("/var/lib/clickhouse", "/var/lib/clickhouse-keeper")
_TEMPLATE_KEYS = ("dataVolumeClaimTemplate", "volumeClaimTemplate")


def _altinity_storage(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    claims = {
        str(as_map(t).get("name")): (i, as_map(t))
        for i, t in enumerate(as_list(dig(spec, "templates", "volumeClaimTemplates")))
    }
    scopes = [as_map(dig(spec, "defaults", "templates"))] + [
        as_map(dig(c, "templates")) for c in as_list(dig(spec, "configuration", "clusters"))
    ]
    for name in (str(t.get(k)) for t in scopes for k in _TEMPLATE_KEYS if t.get(k)):
        if name in claims:
            i, template = claims[name]
            path = f"/spec/templates/volumeClaimTemplates/{i}"
            return [_claim(path, template.get("spec"), f"dataVolumeClaimTemplate {name}")]
    for i, pod in enumerate(as_list(dig(spec, "templates", "podTemplates"))):
        found = _altinity_pod_storage(f"/spec/templates/podTemplates/{i}", as_map(pod), claims)
        if found:
            return found
    return [_ephemeral("/spec/templates", "no volume claim template: the data directory is in "
                       "each pod's container filesystem")]  # fmt: skip


def _altinity_pod_storage(
    path: str, pod: Mapping[str, Any], claims: Mapping[str, tuple[int, Mapping[str, Any]]]
) -> list[Storage]:
    volumes = {str(as_map(v).get("name")): as_map(v) for v in as_list(dig(pod, "spec", "volumes"))}
    for container in as_list(dig(pod, "spec", "containers")):
        for mount in as_list(as_map(container).get("volumeMounts")):
            name = str(as_map(mount).get("name"))
            if str(as_map(mount).get("mountPath", "")).rstrip("/") not in _ALTINITY_DIRS:
                continue
            if name in claims:
                return [_claim(path, claims[name][1].get("spec"), f"claim template {name}")]
            if "emptyDir" in volumes.get(name, {}):
                return [_ephemeral(f"{path}/spec/volumes", f"volume {name} is an emptyDir")]
            if name in volumes:
                return [_claim(f"{path}/spec/volumes", {}, f"volume {name}")]
    return []


# The ZooKeeper (or Keeper) nodes a ClickHouse installation coordinates through, by host name.
# https://github.com/Altinity/clickhouse-operator/blob/50e8d0490678185f290336acbdfbf9534d60367d/docs/zookeeper_setup.md
def _zookeeper_refs(body: Mapping[str, Any]) -> list[Reference]:
    nodes = as_list(dig(body, "spec", "configuration", "zookeeper", "nodes"))
    return [
        _service_ref(str(as_map(n)["host"]), f"spec.configuration.zookeeper.nodes[{i}].host")
        for i, n in enumerate(nodes)
        if as_map(n).get("host")
    ]


def _service_ref(host: str, where: str) -> Reference:
    """A Service named by a host (``name``, ``name.namespace``, ``name.namespace.svc…``)."""
    short, _, namespace = host.lower().partition(".")
    return Reference("Service", short, namespace.split(".", 1)[0], where)


# K8ssandraCluster: each datacenter's Cassandra nodes get a claim from
# storageConfig.cassandraDataVolumeClaimSpec (the datacenter's own, else the cluster's).
# https://docs.k8ssandra.io/reference/crd/k8ssandra-operator-crds-latest/
def _k8ssandra_storage(body: Mapping[str, Any]) -> list[Storage]:
    key = ("storageConfig", "cassandraDataVolumeClaimSpec")
    shared = dig(body, "spec", "cassandra", *key)
    found: list[Storage] = []
    for i, datacenter in enumerate(as_list(dig(body, "spec", "cassandra", "datacenters"))):
        own = dig(datacenter, *key)
        path = f"/spec/cassandra/datacenters/{i}/" if own else "/spec/cassandra/"
        found.append(
            _claim(path + "/".join(key), own or shared or {}, "cassandraDataVolumeClaimSpec")
        )
    return found


# A K8ssandraCluster names the Reaper that repairs it (control-plane mode).
# https://docs.k8ssandra.io/components/reaper/
def _reaper_ref(body: Mapping[str, Any]) -> list[Reference]:
    ref = as_map(dig(body, "spec", "reaper", "reaperRef"))
    namespace = str(ref.get("namespace") or "")
    return (
        [Reference("Reaper", str(ref["name"]), namespace, "spec.reaper.reaperRef")]
        if ref.get("name")
        else []
    )


# Reaper: storageType local keeps repair schedules and run history on a claim of
# spec.storageConfig; storageType cassandra (the default) keeps them in a Cassandra keyspace.
# https://docs.k8ssandra.io/components/reaper/
def _reaper_storage(body: Mapping[str, Any]) -> list[Storage]:
    if dig(body, "spec", "storageType") != "local":
        return []
    config = as_map(dig(body, "spec", "storageConfig"))
    return [_claim("/spec/storageConfig", config, "storageType local, storageConfig")]


# TiDB Operator v2: a group's instances get a claim per entry of spec.template.spec.volumes
# (DM: dataVolume, relayVolume), each with a storage size.
# https://github.com/pingcap/tidb-operator/blob/42684baa3d1c8cb9c4e37e70a96372b096b99a13/api/core/v1alpha1/common_types.go
_TIDB = "https://github.com/pingcap/tidb-operator/blob/42684baa3d1c8cb9c4e37e70a96372b096b99a13/api/core/v1alpha1/common_types.go"


def _tidb_storage(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(dig(body, "spec", "template", "spec"))
    path = "/spec/template/spec"
    found = [
        _sized(f"{path}/volumes/{i}", as_map(v).get("storage") or "?",
               f"volume {as_map(v).get('name')}")
        for i, v in enumerate(as_list(spec.get("volumes")))
    ]  # fmt: skip
    for key in ("dataVolume", "relayVolume"):
        volume = as_map(spec.get(key))
        if volume:
            found.append(_sized(f"{path}/{key}", volume.get("storage") or "?", key))
    return found


# Members of one TiDB cluster (spec.cluster.name) reach each other through the operator: TiKV
# registers with PD; TiDB reads timestamps and placement from PD and rows from TiKV; TiFlash and
# TiCDC follow TiKV's regions through PD; TiProxy routes to the TiDB servers.
# https://docs.pingcap.com/tidb/stable/tidb-architecture/
_TIDB_PEERS: dict[str, tuple[str, ...]] = {
    "TiKVGroup": ("PDGroup",),
    "TiDBGroup": ("PDGroup", "TiKVGroup"),
    "TiFlashGroup": ("PDGroup", "TiKVGroup"),
    "TiCDCGroup": ("PDGroup", "TiKVGroup"),
    "TiProxyGroup": ("PDGroup", "TiDBGroup"),
}


# What some TiDB components keep is a copy: TiFlash's columnar replicas are Raft learners of
# TiKV's regions, replicated again when lost (https://docs.pingcap.com/tidb/stable/tiflash-overview/);
# a DM worker's relay log copies the upstream MySQL binlog, pulled again while the upstream keeps
# it (https://docs.pingcap.com/tidb/stable/relay-log/).
_TIDB_COPIES = {
    "TiFlashGroup": "columnar learner replicas of TiKV's regions, replicated again from TiKV",
    "DMWorkerGroup": "a relay copy of the upstream binlog, pulled again while the upstream keeps it",
}


def _tidb_refs(kind: str) -> Callable[[Mapping[str, Any]], list[Reference]]:
    def refs(body: Mapping[str, Any]) -> list[Reference]:
        cluster = dig(body, "spec", "cluster", "name")
        found = [
            Reference(peer, str(cluster), "", "spec.cluster.name", ("spec", "cluster", "name"))
            for peer in _TIDB_PEERS.get(kind, ()) if cluster
        ]  # fmt: skip
        group = dig(body, "spec", "dmGroupRef", "name")
        if group:  # a DM worker registers with the DM master group it names
            found.append(Reference("DMGroup", str(group), "", "spec.dmGroupRef"))
        return found

    return refs


# Apache Solr Operator: spec.dataStorage.persistent gives each Solr node a claim from its
# pvcTemplate (5Gi by default); "If neither \"persistent\" or \"ephemeral\" is provided, then
# ephemeral storage will be used by default" (an emptyDir). A provided ZooKeeper keeps the
# cluster state on claims of zookeeperRef.provided.persistence.
# https://github.com/apache/solr-operator/blob/main/api/v1beta1/solrcloud_types.go
_SOLR = "https://apache.github.io/solr-operator/docs/solr-cloud/solr-cloud-crd.html"


def _solr_storage(body: Mapping[str, Any]) -> list[Storage]:
    persistent = dig(body, "spec", "dataStorage", "persistent")
    if isinstance(persistent, Mapping):
        template = as_map(dig(persistent, "pvcTemplate", "spec"))
        found = [_claim("/spec/dataStorage/persistent/pvcTemplate", template, "Solr data claim")]
        if "resources" not in template:
            found = [_sized("/spec/dataStorage/persistent", "5Gi", "default Solr data claim")]
    else:
        found = [_ephemeral("/spec/dataStorage", "no persistent dataStorage: an emptyDir")]
    zookeeper = as_map(dig(body, "spec", "zookeeperRef", "provided", "persistence", "spec"))
    if zookeeper:
        path = "/spec/zookeeperRef/provided/persistence"
        found.append(_claim(path, zookeeper, "provided ZooKeeper claim"))
    return found


# A SolrPrometheusExporter scrapes the SolrCloud named in spec.solrReference.cloud.name.
# https://apache.github.io/solr-operator/docs/solr-prometheus-exporter/
def _solr_cloud_ref(body: Mapping[str, Any]) -> list[Reference]:
    cloud = as_map(dig(body, "spec", "solrReference", "cloud"))
    name = cloud.get("name")
    where = "spec.solrReference.cloud"
    return (
        [Reference("SolrCloud", str(name), str(cloud.get("namespace") or ""), where)]
        if name
        else []
    )


# mariadb-operator: a MaxScale proxies the MariaDB of spec.mariaDbRef (a Backup dumps it); the
# runtime configuration MaxScale keeps on its claim (spec.config.volumeClaimTemplate, 100Mi by
# default) is written again by the operator from the resource.
# https://github.com/mariadb-operator/mariadb-operator/blob/main/docs/maxscale.md
def _maxscale_storage(body: Mapping[str, Any]) -> list[Storage]:
    template = as_map(dig(body, "spec", "config", "volumeClaimTemplate"))
    path = "/spec/config/volumeClaimTemplate"
    if template:
        return [_claim(path, template, "config claim template")]
    return [_sized("/spec/config", "100Mi", "default config claim")]


def _mariadb_ref(body: Mapping[str, Any]) -> list[Reference]:
    ref = as_map(dig(body, "spec", "mariaDbRef"))
    name, namespace = ref.get("name"), str(ref.get("namespace") or "")
    return [Reference("MariaDB", str(name), namespace, "spec.mariaDbRef")] if name else []


def _named(*patterns: str) -> Callable[[str, Mapping[str, Any]], list[str]]:
    """Services named from the resource's name (``{}-rw``)."""
    return lambda name, body: [p.format(name) for p in patterns]


def _logstash_services(name: str, body: Mapping[str, Any]) -> list[str]:
    # https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-logstash-configuration.html
    declared = [str(as_map(s).get("name")) for s in as_list(dig(body, "spec", "services"))]
    return [f"{name}-ls-api", *(f"{name}-ls-{s}" for s in declared if s != "None")]


def _family(
    group: str,
    kind: str,
    role: str,
    storage: Reader,
    source: str,
    refs: Callable[[Mapping[str, Any]], list[Reference]] = lambda body: [],
    services: Callable[[str, Mapping[str, Any]], list[str]] = lambda name, body: [],
    rebuilt: str = "",
    secrets: Callable[[str, Mapping[str, Any]], list[str]] = lambda name, body: [],
) -> Family:
    kind_ = OPERATOR_KINDS[(group, kind)]
    return Family(kind_, role, storage, source, refs, services, rebuilt, secrets)


# Connection Secrets the operators write for their clients: CloudNativePG's <cluster>-app and
# -superuser (https://cloudnative-pg.io/documentation/current/applications/#secrets); PGO's
# <cluster>-pguser-<user>, one per spec.users entry, else for a user named after the cluster
# (https://access.crunchydata.com/documentation/postgres-operator/latest/tutorials/basic-setup/user-management);
# Zalando's <user>.<cluster>.credentials.postgresql.acid.zalan.do per spec.users key
# (https://github.com/zalando/postgres-operator/blob/a7aaad0a0b9517bb46077f2925eb80ae8ebe1a0c/docs/user.md);
# the RabbitmqCluster's <name>-default-user
# (https://www.rabbitmq.com/kubernetes/operator/using-operator#find); ECK's <name>-es-elastic-user
# (https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-deploy-elasticsearch.html).
def _pgo_secrets(name: str, body: Mapping[str, Any]) -> list[str]:
    users = [str(as_map(u).get("name")) for u in as_list(dig(body, "spec", "users"))]
    # Before 5.0's spec.users, the default user's Secret was <cluster>-pguser: the operator
    # still names it, DeprecatedPostgresUserSecret
    # (https://github.com/CrunchyData/postgres-operator/blob/c09468cea76d23cd91a5c4ec0a31e5adcadeca11/internal/naming/names.go).
    legacy = [] if users else [f"{name}-pguser"]
    return [f"{name}-pguser-{user}" for user in users or [name]] + legacy


def _zalando_secrets(name: str, body: Mapping[str, Any]) -> list[str]:
    users = [str(u) for u in as_map(dig(body, "spec", "users"))]
    return [f"{user}.{name}.credentials.postgresql.acid.zalan.do" for user in users]


_MONITORING = "https://prometheus-operator.dev/docs/api-reference/api/"
_STRIMZI = "https://strimzi.io/docs/operators/latest/configuring.html"
_OPSTREE = "https://github.com/OT-CONTAINER-KIT/redis-operator"
_ECK = "https://www.elastic.co/guide/en/cloud-on-k8s/current/"
_MARIADB = "https://github.com/mariadb-operator/mariadb-operator/blob/main/docs/api_reference.md"
# Service names: prometheus-operator's governing Services (prometheus-operated,
# alertmanager-operated); CloudNativePG -rw/-ro/-r (service_management); a Pooler's own name
# (connection_pooling); Zalando's master and -repl (docs/user.md "Connect to PostgreSQL"); the
# RabbitmqCluster's client Service and -nodes; Strimzi's -kafka-bootstrap and -kafka-brokers;
# ECK's -es-http, -kb-http, -ls-api; MongoDBCommunity's -svc; MinIO's minio and -hl;
# the OT redis-operator's own name and -headless.
for _family_ in (
    _family("monitoring.coreos.com", "Prometheus", "monitoring", _monitoring_storage, _MONITORING,
            _alertmanagers, _named("prometheus-operated")),
    _family("monitoring.coreos.com", "Alertmanager", "alerting", _monitoring_storage, _MONITORING,
            services=_named("alertmanager-operated")),
    _family("monitoring.coreos.com", "ThanosRuler", "monitoring", _monitoring_storage, _MONITORING,
            services=_named("thanos-ruler-operated")),
    _family("postgresql.cnpg.io", "Cluster", "database", _cnpg_storage,
            "https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/",
            services=_named("{}-rw", "{}-ro", "{}-r"), secrets=_named("{}-app", "{}-superuser")),
    _family("postgresql.cnpg.io", "Pooler", "pooler", _no_storage,
            "https://cloudnative-pg.io/documentation/current/connection_pooling/", _pooled_cluster,
            _named("{}")),
    _family("acid.zalan.do", "postgresql", "database", _zalando_storage,
            "https://github.com/zalando/postgres-operator/blob/a7aaad0a0b9517bb46077f2925eb80ae8ebe1a0c/docs/reference/cluster_manifest.md",
            services=_named("{}", "{}-repl"), secrets=_zalando_secrets),
    _family("kafka.strimzi.io", "Kafka", "queue", _strimzi_kafka, _STRIMZI,
            services=_named("{}-kafka-bootstrap", "{}-kafka-brokers")),
    _family("kafka.strimzi.io", "KafkaNodePool", "queue", _strimzi_pool, _STRIMZI),
    _family("rabbitmq.com", "RabbitmqCluster", "queue", _rabbitmq_storage,
            "https://www.rabbitmq.com/kubernetes/operator/using-operator",
            services=_named("{}", "{}-nodes"), secrets=_named("{}-default-user")),
    _family("elasticsearch.k8s.elastic.co", "Elasticsearch", "index", _eck_storage,
            _ECK + "k8s-elasticsearch-specification.html",
            services=_named("{}-es-http", "{}-es-transport", "{}-es-internal-http"),
            secrets=_named("{}-es-elastic-user")),
    _family("kibana.k8s.elastic.co", "Kibana", "ui", _no_storage, _ECK + "k8s-kibana.html",
            elastic_refs, _named("{}-kb-http")),
    _family("beat.k8s.elastic.co", "Beat", "shipper", _no_storage, _ECK + "k8s-beat.html",
            _beat_refs),
    _family("logstash.k8s.elastic.co", "Logstash", "pipeline", _logstash_storage,
            _ECK + "k8s-logstash.html", elastic_refs, _logstash_services),
    _family("mongodbcommunity.mongodb.com", "MongoDBCommunity", "database", _mongodb_storage,
            "https://github.com/mongodb/mongodb-kubernetes-operator/blob/f6a53c96128e3e998f4c274964876206ce409305/docs/deploy-configure.md",
            services=_named("{}-svc")),
    _family("minio.min.io", "Tenant", "objects", _minio_storage,
            "https://min.io/docs/minio/kubernetes/upstream/reference/operator-crd.html",
            services=_named("minio", "{}-hl")),
    _family("redis.redis.opstreelabs.in", "Redis", "database", _redis_storage, _OPSTREE,
            services=_named("{}", "{}-headless")),
    _family("redis.redis.opstreelabs.in", "RedisReplication", "database", _redis_storage, _OPSTREE,
            services=_named("{}", "{}-headless")),
    _family("redis.redis.opstreelabs.in", "RedisCluster", "database", _redis_storage, _OPSTREE,
            services=_named("{}-leader", "{}-follower", "{}-leader-headless",
                            "{}-follower-headless")),
    _family("redis.redis.opstreelabs.in", "RedisSentinel", "failover monitor", _no_storage,
            _OPSTREE, _sentinel_ref, _named("{}-sentinel", "{}-sentinel-headless")),
    _family("postgres-operator.crunchydata.com", "PostgresCluster", "database", _pgo_storage,
            "https://access.crunchydata.com/documentation/postgres-operator/latest/references/crd/5.7.x/postgrescluster",
            services=_named("{}-primary", "{}-replicas", "{}-ha", "{}-pgbouncer"),
            secrets=_pgo_secrets),
    _family("pxc.percona.com", "PerconaXtraDBCluster", "database", _pxc_storage,
            "https://docs.percona.com/percona-operator-for-mysql/pxc/operator.html",
            services=_named("{}-pxc", "{}-haproxy", "{}-haproxy-replicas", "{}-proxysql")),
    _family("psmdb.percona.com", "PerconaServerMongoDB", "database", _psmdb_storage,
            "https://docs.percona.com/percona-operator-for-mongodb/operator.html",
            services=_percona_rs_services),
    _family("k8s.mariadb.com", "MariaDB", "database", _mariadb_storage, _MARIADB,
            services=_named("{}", "{}-primary", "{}-secondary")),
    _family("mariadb.mmontes.io", "MariaDB", "database", _mariadb_storage, _MARIADB,
            services=_named("{}", "{}-primary", "{}-secondary")),
    _family("k8s.mariadb.com", "MaxScale", "proxy", _maxscale_storage, _MARIADB, _mariadb_ref,
            _named("{}", "{}-gui"),
            rebuilt="its runtime configuration, written again by the operator from the resource"),
    _family("solr.apache.org", "SolrCloud", "index", _solr_storage, _SOLR,
            services=_named("{}-solrcloud-common", "{}-solrcloud-headless")),
    _family("solr.apache.org", "SolrPrometheusExporter", "exporter", _no_storage,
            "https://apache.github.io/solr-operator/docs/solr-prometheus-exporter/",
            _solr_cloud_ref, _named("{}-solr-metrics")),
    _family("mysql.oracle.com", "InnoDBCluster", "database", _innodb_storage,
            "https://dev.mysql.com/doc/mysql-operator/en/mysql-operator-properties.html",
            services=_named("{}", "{}-instances")),
    _family("databases.spotahome.com", "RedisFailover", "database", _failover_storage,
            "https://github.com/spotahome/redis-operator", services=_named("rfr-{}", "rfs-{}")),
    _family("dragonflydb.io", "Dragonfly", "database", _dragonfly_storage,
            "https://www.dragonflydb.io/docs/managing-dragonfly/operator/snapshot-pvc",
            services=_named("{}")),
    _family("opensearch.opster.io", "OpenSearchCluster", "index", _opensearch_storage,
            "https://github.com/opensearch-project/opensearch-k8s-operator/blob/main/docs/userguide/main.md",
            services=_opensearch_services),
    _family("scylla.scylladb.com", "ScyllaCluster", "database", _scylla_storage,
            "https://operator.docs.scylladb.com/stable/api-reference/groups/scylla.scylladb.com/scyllaclusters.html",
            services=_named("{}-client")),
    _family("clickhouse.altinity.com", "ClickHouseInstallation", "database", _altinity_storage,
            _ALTINITY, _zookeeper_refs, _named("clickhouse-{}")),
    _family("clickhouse-keeper.altinity.com", "ClickHouseKeeperInstallation", "coordination",
            _altinity_storage, _ALTINITY, services=_named("keeper-{}")),
    _family("k8ssandra.io", "K8ssandraCluster", "database", _k8ssandra_storage,
            "https://docs.k8ssandra.io/reference/crd/k8ssandra-operator-crds-latest/", _reaper_ref),
    _family("reaper.k8ssandra.io", "Reaper", "repair scheduler", _reaper_storage,
            "https://docs.k8ssandra.io/components/reaper/"),
    *(_family("core.pingcap.com", kind, role, _tidb_storage, _TIDB, _tidb_refs(kind),
              rebuilt=_TIDB_COPIES.get(kind, ""))
      for kind, role in (("PDGroup", "coordination"), ("TiKVGroup", "database"),
                         ("TiDBGroup", "sql"), ("TiFlashGroup", "index"), ("TiProxyGroup", "proxy"),
                         ("TiCDCGroup", "replication"), ("DMGroup", "coordination"),
                         ("DMWorkerGroup", "replication"))),
):  # fmt: skip
    register_family(_family_)
