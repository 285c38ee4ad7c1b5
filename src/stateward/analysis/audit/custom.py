"""Custom resources of no known operator family, read by what their spec asks for.

One whose ``spec.template`` is a pod template running images (Zalando's
``ElasticsearchDataSet``, which its operator makes a StatefulSet of) is read as the workload
of those pods, as a Deployment is.

An operator's custom resource that asks for persistent storage (a claim template or claim spec,
an existing claim a claim field names, ``pvc: files``, a storage size or a size named for its volume such as ``dataVolumeCapacity``, a storage class,
a node's directory, ``dataVolumeSource: {hostPath: …}``, a size beside the directory it is
mounted at (``mounts: [{path: /ais1, size: 10Gi}]``), a size in snake case
(``file_storage_size: 375Gi``, an Ansible-based operator's), or a claim or a writable host
directory in its pod template) is read as a component holding data
on claims, at a moderate confidence: the CRD's documentation is not known, only the shape of its
fields, which operators share because they pass them on to the StatefulSets and claims they
create. A field that picks the kind of volume (``storageMode: EmptyDir``, ``storageType:
ephemeral``) or turns persistence off decides over the claim templates beside it: the data is
then on an emptyDir, which counts for a data system or the members keeping its records
(:mod:`.data_systems`); a switch turning persistence on with no size or claim beside it
(``persistenceEnabled: true``, ``persistence: {enabled: true}``) asks for a claim of the
operator's default size, unless the resource names the cluster it lives in (a map of a data
grid, ``persistenceEnabled: true``: the grid's members keep it); a store of the resource's own picked as memory (``stateStore: {memory:
true}``, ``storage: {type: memory}``) is its records, lost on replacement. A bare field naming
the backend its records are kept in (a JetStream stream's ``storage: file``, ``storage:
memory``) says the same: a file store is on its server's disk, a memory store is lost. A
retention period as the spec's own field (``retention: 1d``) with no storage asked for keeps
that period of what the resource's pods receive on the emptyDir a monitoring operator gives
them by default: its records, lost on replacement, whatever its kind. A claim
that already exists, named under a node for storage (``imageChartStorage: {filesystem:
{registryPersistentVolume: {claimName: x}}}``), keeps its data; named elsewhere (a restore's
``target: {folder: {claimName: x}}``), it is the data of the workloads mounting it, which the
resource acts on. A resource named for a backup, dump, snapshot or export (``Backup``,
``ArgoCDExport``) holds on its claims a copy of what its source still holds, written again by
the next run: a warm-up, not data; so does one named for a cache that names the ``source``
it pulls from (``NIMCache``: a model pulled again, :mod:`.refilled`); so do storage fields named for where a reader is in what
it reads (Fluent Bit's ``positionDB``, offsets, cursors), read again from the source. Its name
references
(``reaperRef: {name: r}``, ``cluster: {name: c}``) are edges to the resources of the kind the
field is named for; a field named for a cluster, a
reference or a name of no kind (``clusterRef``, ``pgCluster: c1``,
``rabbitmqClusterReference``, ``deploymentName``, ``hazelcastResourceName``) or a reference
object under any field
(``backupService: {name: b, namespace: n}``, not a Secret's or an issuer's) names the operator
resource of that name, whatever its kind; fields in snake case (``deployment_name``, an
Ansible-based operator's) read as their camel-case twins, and a ``<kind>Refs`` list
(``localOutputRefs: [file]``) names resources of that kind. A ``<kind>Name`` field names a
resource of that kind (``streamName``: a Stream; ``namespaceRef`` may name an
``AcmeNamespace``, the kind without its product's prefix), failing one the operator resource of
that name; so do such fields of the mappings a spec lists (a Sensor's ``dependencies:
[{eventSourceName: hook}]``, a trigger's ``authenticationRef``) and the ``…Ref`` fields of the
mappings those list (an Instaclustr ``KafkaConnect``'s ``targetCluster: [{managedCluster: [{clusterRef: …}]}]``),
which make a quiet resource a component as the spec's own fields do. A manifest that names no namespace is applied into the one chosen
at ``kubectl apply -n`` time: a peer found nowhere else may be such a resource read as
``default``. A name no resource answers that begins with an operator resource's name
(``pg-main-postgresql-backup-policy``) is something its operator made for it. A reference to
the target a resource acts on (an autoscaler's ``scaleTargetRef: {name: consumer}``) names the
workload of that name in its namespace, whatever its kind. A database naming the primary it is
made from (``primaryDatabaseRef: main`` with ``createAs: standby``, a standby or a cache of
it) holds a copy filled again from that primary: a warm-up.
Every operator resource also reaches
the in-cluster Services its URL, endpoint, address, host and peer-Service fields
(``zookeeperService: zk``, ``redisAddress: redis:6379``, a ``…Peer`` holding ``host:port``) address
(not its own ingress or external names); a Service no manifest declares, named as an operator
resource is (``bootstrapEndpoint: kafka:9071``), is that resource's: operators name their
members' Service after the resource.
A resource that names no peer at all is made in the one cluster (kind ``…Cluster``) of its
API group in its namespace, when there is exactly one: Rook's pools, file systems and object
stores belong to the ``CephCluster`` of their namespace; one that would stay quiet (below) is
then a component holding nothing, applied to that cluster (Piraeus's satellite and node
connection settings of its ``LinstorCluster``, :func:`.operators.made_in_cluster`).

A custom resource that asks for no storage is a component only when it names the cluster,
database or resource it acts on, or addresses a peer in a URL or endpoint field (a backup
request, a queue, a database user, a connector: it holds nothing, its edge counts toward the
peer's gravity; but a queue or a stream, by its kind or its ``durable: true``, declared in a
broker of the estate that keeps claims, holds its messages there: replacing the resource
deletes them, as the RabbitMQ topology operator's ``Queue`` and ``SuperStream`` do; not one
``durable: false``, nor a topic or repository, the cluster's configuration), or runs an image (``image``: a service its peers address by the resource's
name, as is one counting its ``replicas`` behind a Service whose ``serviceType`` or
``portBindings`` it gives, or one giving the ``port`` its own server listens on, with no host
beside it) or groups of members each with its ``replicas`` (``componentSpecs``: their environment's
addresses are its edges); otherwise it stays quiet, no component at all (a
ServiceMonitor, a Certificate, an Istio route, an Application of a deployment tool), unless a
component names it: by kind and name (``tokenIssuer: {name: t, kind: Issuer}``), by a reference
field (``cluster: grid``, a resource of its own API group; ``agentConfigName: c``, a
``ClusterAgentConfig``, the cluster-scoped twin of the kind), by a field named for its kind or by
a label selector (:mod:`.links`). Then it is a component holding nothing, for that edge (named
as the cluster a backup, dump or snapshot of its API group copies, ``GridBackup: {cluster:
grid}``, it holds that data, where its operator keeps it), and
what it names or selects in turn is read the same way (a configuration selecting its outputs);
not a Secret, certificate, issuer, account, class, source or template a component names, which
hold nothing of a store. A reference that says its kind (``{kind, name}``, with
``apiVersion``/``apiGroup`` and ``namespace``: the API conventions' object reference) names the
resource of that kind wherever it sits in the spec, a few levels down or in a list, and a
resource a component names so names its own that way in turn (a Certificate its
``issuerRef: {kind: ClusterIssuer, name: ca}``, a resource of a cluster-scoped kind). Custom
controllers that run pods from a template of their own (Argo Rollouts ``Rollout``, OpenKruise
``CloneSet``, Knative ``Service``) are workloads, read as a Deployment is; one that takes its
template from a workload it references (a Rollout's ``workloadRef``) is read for what it names,
and depends on that workload.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from stateward.analysis.audit.kubelet import kubelet_directory
from stateward.analysis.audit.workloads import Reference, Storage
from stateward.model.kubernetes import as_list, as_map, dig, is_kubernetes, is_map
from stateward.model.resource import Resource, ResourceKey

__all__ = [
    "CLAIM", "camel_words", "claim_refs", "custom_pod_spec", "custom_references", "custom_storage", "retained",
    "depends_on", "discovery_references", "host_refs",
    "is_custom", "kinded_references", "listed_references", "named_fields", "names_a_peer",
    "peer_references",
    "read_positions",
    "runs_members", "spec_hosts", "spec_strings", "spilled", "template_storage",
]  # fmt: skip

# The words of a kind or a spec field, camel case split (``SQSQueue`` -> sqs, queue;
# ``dataVolumeClaimTemplate`` -> data, volume, claim, template).
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")


@cache
def camel_words(name: str) -> tuple[str, ...]:
    """The lower-case words of a camel-case name."""
    return tuple(w.lower() for w in _CAMEL.findall(name))


# Fields that hold a claim spec or template (``volumeClaimTemplate(s)``,
# ``dataVolumeClaimTemplate``, ``cassandraDataVolumeClaimSpec``, ``pvc``, ``pvcTemplate``, ``pvcSpec``,
# ``persistentVolumeClaim``, ``storageConfig``).
_CLAIM_FIELD = re.compile(
    r"(volumeclaimtemplates?|volumeclaimspec|pvc(template|spec)?s?"
    r"|persistentvolumeclaim(spec|template)?|storageconfig)$",
    re.IGNORECASE,
)
# The claim fields that may hold a claim's name (``pvc: x``): a template or spec is a mapping.
_CLAIM_STRINGS = ("pvc", "Pvc", "PVC", "persistentVolumeClaim", "PersistentVolumeClaim")
# The fields of a claim spec or template (core/v1 PersistentVolumeClaimSpec, with ``spec`` and
# ``metadata`` of a template): a claim field holding none of them is a group of claim fields
# (cass-operator's ``storageConfig: {cassandraDataVolumeClaimSpec: …, additionalVolumes: …}``).
_CLAIM_KEYS = frozenset({
    "spec", "metadata", "resources", "accessModes", "storageClassName", "volumeMode",
    "selector", "dataSource", "dataSourceRef", "volumeName",
})  # fmt: skip
# Fields that size storage, and the words that say a plain ``size`` is a disk's.
_SIZE_FIELDS = frozenset({"storage", "size", "disksize", "volumesize", "storagesize", "capacity"})
_STORAGE_WORDS = re.compile(r"storage|persist|volume|disk|data", re.IGNORECASE)
_SIZE_SUFFIX = re.compile(r"(Capacity|Size|Storage|StorageRequest)$")
_CLAIM_WORDS = re.compile(r"pvc|claim", re.IGNORECASE)
# A Kubernetes quantity of bytes (``20Gi``, ``500M``); a bare number is a count, not a size.
_QUANTITY = re.compile(r"^\d+(\.\d+)?([KMGTPE]i?)$")
# Subtrees that say nothing of this resource's own persistence: storage that does not outlive a
# pod; the values a deployment tool passes to a chart (a HelmRelease's ``values``, an Argo CD
# Application's ``valuesObject``), which describe the objects the chart creates, read themselves;
# and a machine's boot disks (Karpenter's ``blockDeviceMappings``, Cluster API's ``rootVolume``).
_SKIPPED = frozenset({
    "emptyDir", "ephemeral", "tmpfs", "values", "valuesObject", "valuesContent",
    "blockDeviceMappings", "rootVolume", "osDisk", "bootDisk",
})  # fmt: skip
_DEPTH = 10
_MOST = 16


# Custom controllers that run pods from a pod template of their own, as a Deployment does:
# Argo Rollouts' Rollout (https://argo-rollouts.readthedocs.io/en/stable/features/specification/),
# OpenKruise's CloneSet (https://openkruise.io/docs/user-manuals/cloneset/) and Knative Serving's
# Service (https://knative.dev/docs/serving/reference/serving-api/#serving.knative.dev/v1.Service).
# (OpenKruise's Advanced StatefulSet and DaemonSet keep the built-in kinds' names and shapes.)
_POD_SPECS = {
    ("argoproj.io", "Rollout"): "/spec/template/spec",
    ("apps.kruise.io", "CloneSet"): "/spec/template/spec",
    ("serving.knative.dev", "Service"): "/spec/template/spec",
}


def custom_pod_spec(resource: Resource, known: bool = False) -> str | None:
    """Where a custom controller keeps the spec of the pods it runs (None: it runs none);
    ``known`` when its operator's family is known, and read as the family says instead."""
    found = _POD_SPECS.get((resource.key.group, resource.key.kind))
    if found is not None or known or not is_custom(resource.key):
        # the template is read only in a custom resource (_TEMPLATE_SPEC): a built-in kind's
        # body is not even inflated (a Service, a ConfigMap: ~90 % of the objects asked, and
        # 0.16 s of the audit's CPU at 20k objects of the bench, before any rule runs)
        return found
    # canonical JSON writes the key as this, with no space: a body without it is not decoded
    # (most are not); one with it is read and let go, as kept decoded every unknown kind's
    # body would be held to the audit's end (at 50k objects of the bench, 356 -> 535 MiB)
    text = resource.canonical
    if text and b'"template":' not in text:
        return None
    return _TEMPLATE_SPEC if _runs_template(resource.read_body()) else None


# A custom resource of no known kind whose ``spec.template`` is a PodTemplateSpec running
# images, the shape the built-in controllers embed ("template is the object that describes the
# pod that will be created", apps/v1 StatefulSetSpec,
# https://github.com/kubernetes/api/blob/d6dbde39dfe405c153d298c2121971233b88fdce/apps/v1/types.go),
# runs those pods through a workload its operator makes from it: Zalando's
# ``ElasticsearchDataSet`` makes a StatefulSet of its ``spec.template``
# (https://github.com/zalando-incubator/es-operator/blob/106675f35502069d9d4c7dfe66507e20a454f86c/docs/zalando.org_elasticsearchdatasets.yaml).
# A known family's resource is read as its family says.
_TEMPLATE_SPEC = "/spec/template/spec"


def _runs_template(body: Mapping[str, Any]) -> bool:
    containers = dig(body, "spec", "template", "spec", "containers")
    return isinstance(containers, list) and any(
        is_map(c) and isinstance(c.get("image"), str) and c["image"] for c in containers[:_MOST]
    )


def is_custom(key: ResourceKey) -> bool:
    """True for a Kubernetes custom resource: an API group with a dot that is not one of
    Kubernetes' own (``*.k8s.io``). A subproject's ``*.x-k8s.io`` group is a custom one its
    CRDs define (Kueue's ``kueue.x-k8s.io``,
    https://github.com/kubernetes-sigs/kueue/blob/6af03d770e6ecc28e966bdcd904f9ce1dc1f3566/config/components/crd/bases/kueue.x-k8s.io_clusterqueues.yaml)."""
    group = key.group
    own = group == "k8s.io" or group.endswith(".k8s.io")
    return is_kubernetes(key) and "." in group and not own


def custom_storage(body: Mapping[str, Any]) -> list[Storage]:
    """The persistent storage a custom resource's spec asks for (none: no data holder)."""
    found = list(_walk(as_map(body.get("spec")), "/spec", 0))
    if not found and (kept := _retained(as_map(body.get("spec")))):
        found = [kept]
    if any(_SWITCHED.search(s.path) for s in found) and peer_references(body):
        # A switch alone on a resource that names the cluster it lives in turns on that
        # cluster's persistence for it (Hazelcast's ``Map``: ``hazelcastResourceName: h,
        # persistenceEnabled: true``): the members' claims keep it, not one of its own.
        found = [s for s in found if not _SWITCHED.search(s.path)]
    return found[:_MOST]


# A retention period as its spec's own field (``retention: 1d``, Prometheus's duration syntax,
# https://prometheus.io/docs/prometheus/latest/configuration/configuration/#duration) says the
# resource's pods keep what they receive for that long; asking for no storage, they keep it
# where a monitoring operator puts it by default: "By default, the operator configures Pods to
# store data on ``emptyDir`` volumes which aren't persisted when the Pods are redeployed"
# (https://github.com/prometheus-operator/prometheus-operator/blob/e9e5df0a72b53be0ec92a6fd6e70b150526853ce/Documentation/platform/storage.md;
# rhobs' ``MonitoringStack`` with ``retention`` and no ``prometheusConfig.persistentVolumeClaim``).
# Only a duration at the top of the spec counts, not a retention policy nested in an engine's
# settings (a topic's ``config: {retention.ms: …}``).
_RETENTION = re.compile(r"^(\d+(ms|s|m|h|d|w|y))+$")


def retained(storage: Storage) -> bool:
    """True for the storage a retention period asks for (:func:`_retained`): what the resource
    keeps for that period, its records whatever its kind."""
    return storage.path == _RETAINED_AT


_RETAINED_AT = "/spec/retention"


def _retained(spec: Mapping[str, Any]) -> Storage | None:
    value = spec.get("retention")
    if isinstance(value, str) and _RETENTION.match(value.strip()):
        return Storage(_RETAINED_AT, None, f"retention {value}, no storage asked: an emptyDir")
    return None


# A field saying which kind of volume the operator mounts (RocketMQ's ``storageMode:
# EmptyDir|HostPath|StorageClass``, ``storageType: ephemeral``, ``persistence: {type:
# emptyDir}``); a bare ``type``, ``mode`` or ``medium`` only in a node named for storage.
_MODE_FIELD = re.compile(r"^(storage|persistence|volume|data)(Mode|Type|Medium)$")
_BARE_MODES = frozenset({"type", "mode", "medium"})
_EPHEMERAL_MODES = frozenset({"emptydir", "ephemeral", "memory", "inmemory", "tmpfs"})
_HOST_MODES = frozenset({"hostpath"})
# Switches that turn persistence off (MongoDB Enterprise's ``persistent``, ActiveMQ Artemis'
# ``persistenceEnabled``), and volumes that die with the pod.
_SWITCHES = frozenset({"persistent", "persistence", "persistenceEnabled"})
_EPHEMERAL_FIELDS = ("emptyDir", "ephemeral", "tmpfs")
# A store the resource keeps picked as memory (RisingWave's ``metaStore: {memory: true}`` and
# ``stateStore: {memory: true}``, "only for test usage ... any kinds exit of the process will
# cause a permanent loss of the data",
# https://github.com/risingwavelabs/risingwave-operator/blob/bd4b41a53dd1fa6cf2e52f30be520ce719220d35/docs/general/api.md;
# a ``storage: {type: memory}``): in a node named for a store, a switch naming memory.
_STORE_NODE = re.compile(r"(store|storage|persistence|backend)$", re.IGNORECASE)
_MEMORY_SWITCHES = frozenset({"memory", "inMemory", "inmemory", "mem"})
# Names of the node that holds what is kept (``storage``, ``persistence``, ``dataVolume``), not
# a scratch or work volume.
_KEPT_WORDS = re.compile(r"storage|persist|data", re.IGNORECASE)
# A bare field naming the backend the resource's own records are kept in: JetStream's stream
# ``storage: file`` ("Storage: The storage type for stored messages (file or memory)",
# https://docs.nats.io/nats-concepts/jetstream/streams): a file store is on the server's disk,
# which its operator or chart keeps; ``memory`` is lost with the server.
_BACKEND_FIELDS = frozenset({"storage", "storageBackend", "persistence", "backend"})
_DISK_BACKENDS = frozenset({"file", "files", "disk", "filesystem", "persistent"})


def _mode(node: Mapping[str, Any], path: str) -> Storage | None:
    """The storage a node picks over any claim template beside it: an emptyDir or a host
    directory named by its mode field, or an emptyDir when its persistence is switched off
    (``persistent: false``, ``persistenceEnabled: false``) or, in a node named for what is kept
    (``storage``, ``persistence``, ``dataVolume``), an ``emptyDir``/``ephemeral`` volume with
    no claim beside it. (RocketMQ's operator, getVolumes
    and getVolumeClaimTemplates: mode EmptyDir mounts an emptyDir named for
    ``volumeClaimTemplates[0]`` and makes no claim, HostPath mounts ``spec.hostPath``;
    https://github.com/apache/rocketmq-operator/blob/00209d4c0dd6bf2f4c3834fd35c5dde68375e139/pkg/controller/broker/broker_controller.go)"""
    storage_node = _STORAGE_WORDS.search(path.rsplit("/", 1)[-1]) is not None
    store_node = _STORE_NODE.search(path.rsplit("/", 1)[-1]) is not None
    for key, value in node.items():
        key, where = str(key), f"{path}/{_escape(str(key))}"
        if key in _BACKEND_FIELDS and isinstance(value, str):
            backend = re.sub(r"[-_ ]", "", value).lower()
            if backend in _MEMORY_SWITCHES:
                return Storage(where, None, f"{key} {value}: kept in memory", memory=True)
            if backend in _DISK_BACKENDS:
                return Storage(where, {}, f"{key} {value}: on the server's disk")
        if key in _SWITCHES and value is False:
            return Storage(where, None, f"{key} false: an emptyDir")
        if store_node and key in _MEMORY_SWITCHES and value is True:
            return Storage(where, None, f"{key} true: kept in memory", memory=True)
        if isinstance(value, str) and (
            _MODE_FIELD.match(key) or ((storage_node or store_node) and key in _BARE_MODES)
        ):
            mode = re.sub(r"[-_ ]", "", value).lower()
            if store_node and mode in _MEMORY_SWITCHES:
                return Storage(where, None, f"{key} {value}: kept in memory", memory=True)
            if mode in _EPHEMERAL_MODES:
                return Storage(where, None, f"{key} {value}: an emptyDir")
            if mode in _HOST_MODES:
                return Storage(where, {}, f"{key} {value} on each node")
    kept = _KEPT_WORDS.search(path.rsplit("/", 1)[-1]) is not None  # not a work volume
    if kept and not any(_CLAIM_FIELD.search(str(k)) for k in node):
        picked = next((k for k in _EPHEMERAL_FIELDS if node.get(k) not in (None, False)), None)
        if picked is not None:
            return Storage(f"{path}/{picked}", None, f"{picked}: storage that dies with the pod")
    return None


# Nodes whose ``enabled`` turns on the resource's own storage (not ``externalDatabase``).
_PERSIST_NODE = re.compile(r"persist|^(storage|volume|dataVolume|dataStorage)$", re.IGNORECASE)
_SWITCHED = re.compile(r"/(persistent|persistence|persistenceEnabled|enabled)$")


# Nodes holding where a reader is in what it reads (Fluent Bit's ``positionDB``, the offsets of
# the files it tails, "the database file to keep track of monitored files and offsets",
# https://docs.fluentbit.io/manual/pipeline/inputs/tail; a cursor, a bookmark): read again from
# the source when lost, a warm-up.
# (camel-case words: not ``compositionStorage``)
_POSITIONS = re.compile(r"/(position|offset|cursor|bookmark)|Position|Offset|Cursor|Bookmark")


def read_positions(storage: list[Storage]) -> str:
    """Why the storage holds only read positions ("" when it holds anything else)."""
    if storage and all(_POSITIONS.search(s.path) for s in storage):
        return "read positions in what it reads, read again from the source"
    return ""


# Nodes holding what a store in memory writes out when its memory runs short: Vineyard's
# ``spill`` (``path``, ``persistentVolumeClaimSpec``), "the low watermark of spilling memory",
# "the high watermark of triggering spilling"
# (https://github.com/v6d-io/v6d/blob/5179cb9df937b5d2b7e9e2f170c54c1be955e8c4/docs/notes/cloud-native/vineyard-operator.rst).
# Overflow of what it holds in memory, which a restart empties anyway: a warm-up.
_SPILL = re.compile(r"/spill(/|$)|Spill", re.IGNORECASE)


def spilled(storage: list[Storage]) -> str:
    """Why the storage holds only what memory spilled over ("" when it holds anything else)."""
    if storage and all(_SPILL.search(s.path) for s in storage):
        return "what it spills out of memory when memory runs short, an overflow of its memory"
    return ""


def _switched_on(node: Mapping[str, Any], path: str) -> str:
    """The switch that turns persistence on with no size or claim beside it
    (``persistenceEnabled: true``, ActiveMQ Artemis' "By default, each broker instance requires
    storage of 2 GiB",
    https://github.com/arkmq-org/activemq-artemis-operator/blob/a5ce940f04cdbc8d704c7e1d2fb02234e8bfd12b/docs/help/operator.md;
    ``persistence: {enabled: true}``): the operator makes a claim of its own default size."""
    switch = next((k for k in _SWITCHES if node.get(k) is True), "")
    if not switch and node.get("enabled") is True and _PERSIST_NODE.search(path.rsplit("/", 1)[-1]):
        switch = "enabled"
    return switch


def _walk(node: Mapping[str, Any], path: str, depth: int) -> Iterator[Storage]:
    if depth > _DEPTH:
        return
    if as_map(node).get("enabled") is False:  # ``persistence: {enabled: false}``
        if _STORAGE_WORDS.search(path.rsplit("/", 1)[-1]):
            yield Storage(path, None, f"{path.rsplit('/', 1)[-1]} disabled: no claim")
        return
    if (mode := _mode(node, path)) is not None:
        yield mode
        return
    if (claim := _named_claim(node, path)) is not None:
        yield claim
        return
    found = list(_fields(node, path, depth))
    yield from found
    if found:
        return
    for field in ("storageClassName", "storageClass"):
        if isinstance(node.get(field), str) and node[field]:
            yield Storage(f"{path}/{field}", {}, f"{field} {node[field]}")
            return
    if switch := _switched_on(node, path):
        yield Storage(
            f"{path}/{switch}", {}, f"{switch} true: a claim of the operator's default size"
        )


def _fields(node: Mapping[str, Any], path: str, depth: int) -> Iterator[Storage]:
    """The sizes and claims of a node's fields, and of the nodes under it."""
    host = str(dig(node, "hostPath", "path") or "")
    if _node_storage(host):
        yield Storage(f"{path}/hostPath", {}, f"hostPath {host} on each node")
        return
    if disk := _node_disk(node, path):
        yield Storage(path, {}, disk)
        return
    for key, value in node.items():
        key = str(key)
        if key in _SKIPPED:
            continue
        if not isinstance(value, Mapping | list):  # most fields: only a size says anything
            if _COPIED_CLAIM.match(key):
                continue  # a claim the resource copies from or into: a peer's (claim_refs)
            if key.endswith(_CLAIM_STRINGS) and isinstance(value, str) and value:
                # A claim field naming an existing claim (Kubeflow's ``PVCViewer``: ``pvc:
                # x``, "the PVC we are watching", mounted at /data for its file browser,
                # https://github.com/kubeflow/notebooks/blob/177b098656264a36af71ea27d098c2ad14999eec/components/pvcviewer-controller/config/samples/_v1alpha1_pvcviewer.yaml)
                yield Storage(f"{path}/{_escape(key)}", {}, f"the claim {value}")
            elif _sized(key, value, path) or (key == "size" and _sized_mount(node, value)):
                where = f"{path}/{_escape(key)}"
                yield Storage(
                    where, {"resources": {"requests": {"storage": value}}}, f"{key} {value}"
                )
            continue
        where = f"{path}/{_escape(key)}"
        claim_field = _CLAIM_FIELD.search(key) is not None
        if claim_field and is_map(value) and _CLAIM_KEYS.isdisjoint(value):
            yield from _walk(value, where, depth + 1)
        elif claim_field and value:
            yield from _claims(where, value)
        elif is_map(value):
            yield from _walk(value, where, depth + 1)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if is_map(item):
                    yield from _walk(item, f"{where}/{i}", depth + 1)


def _node_disk(node: Mapping[str, Any], path: str) -> str:
    """A storage list's item naming a node and a device or directory of that node, where a
    storage system keeps what it serves (Kadalu's ``storage: [{node: kube1, device:
    /dev/vdc}]``, or ``path:`` for a directory,
    https://github.com/kadalu/kadalu/blob/ebe8797c10aff2dd35b114ee291986deb87b2cd9/examples/sample-storage.yaml):
    the node's own disk, durable. A device may be under /dev; a directory may not be one of
    the node's system views."""
    where = node.get("node")
    if not isinstance(where, str) or not _STORAGE_WORDS.search(path):
        return ""
    device, directory = node.get("device"), node.get("path")
    if isinstance(device, str) and device.startswith("/"):
        return f"device {device} of node {where}"
    if isinstance(directory, str) and directory.startswith("/"):
        return f"{directory} on node {where}" if _node_storage(directory) else ""
    return ""


# Fields naming a claim that already exists (core/v1 PersistentVolumeClaimVolumeSource's
# ``claimName``; ``existingClaim``, ``volumeClaimName``: Harbor's
# ``imageChartStorage.filesystem.registryPersistentVolume.claimName``, Mattermost's
# ``fileStore.externalVolume.volumeClaimName``).
CLAIM_NAMES = ("claimName", "existingClaim", "volumeClaimName")
_CLAIM_NAME_SET = frozenset(CLAIM_NAMES)
# A node called for a claim names an existing one by ``name`` (samba-operator's
# ``storage.pvc.name``, "The name of a PersistentVolumeClaim to use for SMB shares",
# https://github.com/samba-in-kubernetes/samba-operator/blob/23c78d76a60c3ac0e7382845f53286bad193da06/docs/resources/SmbShare.md),
# unless it embeds the claim's ``spec`` too, which the operator creates (read as a claim spec).
_CLAIM_NODES = frozenset({"pvc", "persistentVolumeClaim"})


def _named_claim(node: Mapping[str, Any], path: str) -> Storage | None:
    """The existing claim a node named for storage keeps the resource's data on. A claim named
    elsewhere (a restore's target, ``restoreMethod.folder.claimName``) is a peer's, read as a
    reference (:func:`claim_refs`)."""
    if _CLAIM_NAME_SET.isdisjoint(node):  # most nodes: one set operation
        return _claim_node(node, path)
    name = next((node[k] for k in CLAIM_NAMES if isinstance(node.get(k), str) and node[k]), None)
    if name is None or not _STORAGE_WORDS.search(path):
        return None
    return Storage(path, {}, f"the claim {name}")


def _claim_node(node: Mapping[str, Any], path: str) -> Storage | None:
    name = node.get("name")
    if not isinstance(name, str) or not name or "spec" in node:
        return None
    if path.rsplit("/", 1)[-1] not in _CLAIM_NODES or not _STORAGE_WORDS.search(path):
        return None
    return Storage(path, {}, f"the claim {name}")


def claim_refs(body: Mapping[str, Any]) -> list[Reference]:
    """Claims a resource's spec names outside its own storage (a restore writing into a claim
    that a workload mounts): the workloads mounting them are its peers."""
    return list(_claim_refs(as_map(body.get("spec")), "/spec", 0))


# A claim named as the source or the destination of a copy (VolSync's ReplicationSource
# ``sourcePVC``, "the name of the PersistentVolumeClaim (PVC) to replicate", and
# ReplicationDestination's ``destinationPVC``,
# https://volsync.readthedocs.io/en/stable/usage/restic/index.html): the claim of the workload
# that mounts it, which the resource copies on its schedule, not storage of its own.
# So is a claim named as what the resource acts on, ``claimTo<Verb>`` (ForgeRock's
# DirectoryBackup ``claimToBackup``, "the PVC that contains the directory data",
# https://github.com/ForgeRock/ds-operator/blob/c951b0b9194a1616d0a2e42917890679ecd7c9a1/api/v1alpha1/directorybackup_types.go).
_COPIED_CLAIM = re.compile(
    r"^(source|src|target|destination|dest|origin)(PVC|Pvc|PersistentVolumeClaim|ClaimName"
    r"|VolumeClaimName)$|^(claim|pvc|volumeClaim)To[A-Z][a-z]+$"
)


def _claim_refs(node: Mapping[str, Any], path: str, depth: int) -> Iterator[Reference]:
    for key, value in node.items():
        if _COPIED_CLAIM.match(str(key)) and isinstance(value, str) and value:
            yield Reference(CLAIM, value, "", f"{path}/{key}".replace("/", ".")[1:])
    if not _CLAIM_NAME_SET.isdisjoint(node):
        if _named_claim(node, path) is not None:
            return
        for key in CLAIM_NAMES:
            if isinstance(node.get(key), str) and node[key]:
                yield Reference(CLAIM, str(node[key]), "", f"{path}/{key}".replace("/", ".")[1:])
    if depth < _CLAIM_DEPTH:
        for key, value in node.items():
            if is_map(value) and str(key) not in _SKIPPED:
                yield from _claim_refs(value, f"{path}/{_escape(str(key))}", depth + 1)


CLAIM = "PersistentVolumeClaim"
_CLAIM_DEPTH = 3  # ``spec.restoreMethod.folder.claimName``; pod templates lie deeper


def _sized(key: str, value: Any, path: str) -> bool:
    if not isinstance(value, str) or not _QUANTITY.match(value):
        return False
    # Snake case read as camel case (:func:`_camel`): the Ansible-based galaxy-operator's
    # ``file_storage_size: 375Gi``, the claim of Pulp's content directory
    # (https://github.com/ansible/galaxy-operator/blob/8abf98ada89993fd9fd8d1ced398027d098fe7de/config/samples/galaxy_v1beta1_galaxy_cr.galaxy-demo.yaml).
    key = _camel(key)
    if key.lower() not in _SIZE_FIELDS:
        # A size named for the storage it sizes: ``dataVolumeCapacity`` (Confluent),
        # ``logVolumeSize``, ``walStorage``, or for the claim it sizes (the DocumentDB
        # operator's ``storage.pvcSize``, "the size of the persistent volume claim for
        # DocumentDB storage",
        # https://github.com/documentdb/documentdb-kubernetes-operator/blob/726440ee978e1af33090f3e2e596fee32a1989c5/operator/src/api/preview/documentdb_types.go),
        # or the storage request of its claim (OpenStack telemetry's MetricStorage
        # ``monitoringStack.storage.persistent.pvcStorageRequest``, the Prometheus claim's
        # request,
        # https://github.com/openstack-k8s-operators/telemetry-operator/blob/001a83461c7416053866ab36f4f6381da90d7b76/internal/metricstorage/monitoring_stack.go);
        # not ``cacheSize`` or ``memorySize``.
        named = _STORAGE_WORDS.search(key) or _CLAIM_WORDS.search(key)
        return _SIZE_SUFFIX.search(key) is not None and named is not None
    return key.lower() != "size" or bool(_STORAGE_WORDS.search(path))


def _sized_mount(node: Mapping[str, Any], value: Any) -> bool:
    """A size beside the directory it is mounted at: a volume the operator makes of that size
    (AIStore's target ``mounts: [{path: /ais1, size: 10Gi}]``, a claim per mount path,
    https://github.com/NVIDIA/ais-k8s/blob/8bb21bf84ef86b99fd2f66a75687921d2c62f946/operator/config/samples/ais_v1beta1_aistore.yaml),
    whatever the node is called."""
    where = next((node[k] for k in _MOUNT_PATHS if isinstance(node.get(k), str)), "")
    return where.startswith("/") and isinstance(value, str) and bool(_QUANTITY.match(value))


_MOUNT_PATHS = ("mountPath", "path")


def _claims(path: str, value: Mapping[str, Any] | list[Any]) -> Iterator[Storage]:
    items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
    for i, item in items:
        template = as_map(item)
        spec = as_map(template.get("spec")) or template
        where = path if i is None else f"{path}/{i}"
        size = as_map(as_map(spec.get("resources")).get("requests")).get("storage", "?")
        yield Storage(where, spec, f"{path.rsplit('/', 1)[-1]} {size}")


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")  # RFC 6901


def custom_references(body: Mapping[str, Any]) -> list[Reference]:
    """Name references in a custom resource's spec: a ``<kind>Ref`` field or a ``cluster``
    field naming a resource (``{name: x[, namespace: y]}`` or the bare name); the kind is the
    field's name without ``Ref`` (``reaperRef`` -> Reaper, matched regardless of case). A field
    named for a cluster, a reference or a name of no kind (``pgCluster: c1``,
    ``rabbitmqClusterReference``, ``deploymentName``) names the operator resource of that name,
    whatever its kind: only a resource of the estate makes an edge."""
    return list(_references(as_map(body.get("spec")), "spec", 0))


# A client of a Stackable cluster names it by its discovery ConfigMap, which the operator names
# for the cluster ("The name of the HDFS cluster, which is also the name of the created
# discovery ConfigMap",
# https://github.com/stackabletech/hdfs-operator/blob/a2482e3d32a7aa598ac7abac42a73d3e617e22da/docs/modules/hdfs/pages/reference/discovery.adoc),
# in a mapping named for the product: Druid's ``deepStorage: {hdfs: {configMapName:
# simple-hdfs}}`` ("Name of the HDFS cluster discovery config map",
# https://github.com/stackabletech/druid-operator/blob/94ee5a1f3062d0e0dc6680e1241edaafb64168db/docs/modules/druid/pages/usage-guide/deep-storage.adoc),
# or as ``configMap`` alone, a name where a volume would give a mapping: a ``TrinoCatalog``'s
# ``connector: {hive: {metastore: {configMap: simple-hive}}}`` ("The name of your Hive
# Stacklet", or of a ConfigMap written by hand for a Hive outside Stackable,
# https://github.com/stackabletech/trino-operator/blob/723b3cd468b954baaeb17ea17cefd1824c0ac77b/docs/modules/trino/pages/usage-guide/catalogs/hive.adoc).
_DISCOVERY = "configMapName"
_DISCOVERY_NAME = "configMap"


def discovery_references(body: Mapping[str, Any]) -> list[Reference]:
    """The ``configMapName`` and string ``configMap`` fields of a spec's mappings (to four
    levels), each a reference of
    no kind, with the key of its mapping last in ``where`` before the field
    (``spec.clusterConfig.deepStorage.hdfs.configMapName``): the caller keeps those named for
    a product."""
    return list(_discovery(as_map(body.get("spec")), "spec", 0))


def _discovery(node: Mapping[str, Any], path: str, depth: int) -> Iterator[Reference]:
    for key, value in node.items():
        if key in (_DISCOVERY, _DISCOVERY_NAME) and depth > 0 and isinstance(value, str) and value:
            yield Reference("", value, "", f"{path}.{key}")
        elif is_map(value) and depth < 4:
            yield from _discovery(value, f"{path}.{key}", depth + 1)


def peer_references(body: Mapping[str, Any]) -> list[Reference]:
    """:func:`custom_references` less the fields naming what the resource mounts or trusts
    (``rootPasswordSecretName``, ``tlsIssuerRef``): the peers it lives in or acts on."""
    return [r for r in custom_references(body) if not _MOUNTED.search(r.where.rsplit(".", 1)[-1])]


def listed_references(body: Mapping[str, Any]) -> list[Reference]:
    """References in the lists of a spec (Argo Events' Sensor ``dependencies:
    [{eventSourceName: webhook}]``): ``<kind>Name`` and ``<kind>Ref`` fields of the mappings
    listed, the first few of each list, as edges only (a list of its own users or members may
    name anything; it does not say which cluster the resource lives in)."""
    return list(_in_lists(as_map(body.get("spec")), "spec", 0))


# Lists of what the operator runs, not peers it names: containers, their environment, volumes.
_POD_LISTS = frozenset({
    "containers", "initContainers", "env", "envFrom", "volumes", "volumeMounts", "ports",
    "tolerations", "args", "command", "imagePullSecrets",
})  # fmt: skip


def _in_lists(node: Mapping[str, Any], path: str, depth: int) -> Iterator[Reference]:
    # The lists of a listed mapping too: an Instaclustr ``KafkaConnect`` names its Kafka as
    # ``targetCluster: [{managedCluster: [{clusterRef: {name, clusterKind}}]}]``, optional
    # objects its API gives as lists of at most one
    # (https://github.com/instaclustr/operator/blob/bd2be1beb4b42a45ef3a085059db22c048fd7f86/apis/clusters/v1beta1/kafkaconnect_types.go).
    for key, value in node.items():
        key = str(key)
        if is_map(value) and depth < 1:
            yield from _in_lists(value, f"{path}.{key}", depth + 1)
        elif isinstance(value, list) and key not in _SKIPPED and key not in _POD_LISTS:
            for item in value[:_MOST]:
                for ref in _references(as_map(item), f"{path}.{key}", 2):
                    if not _NOT_A_PEER.search(_camel(ref.where.rsplit(".", 1)[-1])):
                        yield ref
                if depth < 2:  # only reference fields there: a kinded mapping says its kind
                    nested = _in_lists(_only_lists(item), f"{path}.{key}", 2)
                    yield from (r for r in nested if _REFERENCE_FIELD.search(r.where))


_REFERENCE_FIELD = re.compile(r"(Ref|Reference)$")


def named_fields(body: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(field, name, where) for each field of a spec holding a name, a string or ``{name: …}``,
    to five levels (``spec.configurations.backups[].sgObjectStorage``) and the first few items
    of each list, none of what the operator runs (``containers``, ``env``, ``volumes``): the
    caller keeps a field spelled as the kind of a resource of that name (:mod:`.kind_fields`)."""
    return list(_named_fields(as_map(body.get("spec")), "spec", 0))


def _named_fields(node: Mapping[str, Any], path: str, depth: int) -> Iterator[tuple[str, str, str]]:
    for key, value in node.items():
        if (key := str(key)) in _POD_LISTS or key in _SKIPPED:
            continue
        where = f"{path}.{key}"
        name = value.get("name") if is_map(value) else value
        if isinstance(name, str) and name:
            yield key, name, where
        for item in (value[:_MOST] if isinstance(value, list) else [value]) if depth < 4 else ():
            if is_map(item):
                yield from _named_fields(item, where, depth + 1)


def _only_lists(item: Any) -> dict[str, Any]:
    """A listed mapping's lists (its mappings were read with it)."""
    return {k: v for k, v in as_map(item).items() if isinstance(v, list)}


def names_a_peer(body: Mapping[str, Any]) -> bool:
    """True when the spec names the cluster, database or operator resource it acts on
    (``pgCluster``, ``clusterRef``, ``cluster``, ``mariaDbRef``, ``hazelcastResourceName``, a
    reference object ``backupService: {name: b, namespace: n}``) or addresses a peer in a URL
    or endpoint field (``dependencies.kafka.bootstrapEndpoint: kafka:9071``); not an issuer, a
    secret store or a source (``issuerRef``), which are no peers holding state, nor a list of
    host names (an Istio route's ``hosts`` are its own). Any other field naming a resource of
    a kind (``streamName``, ``namespaceRef``, ``backupPolicyName``, a listed
    ``eventSourceName``) names a peer too: not a secret, a configuration, a certificate, an
    account or a source it reads, which hold nothing of a store; and a claim named outside its
    own storage (a restore's target) is the data of whoever mounts it."""
    spec = as_map(body.get("spec"))
    named = any(
        _ACTS_ON.search(field := _camel(r.where.rsplit(".", 1)[-1]))
        or not _NOT_A_PEER.search(field)
        for r in itertools.chain(_references(spec, "spec", 0), _in_lists(spec, "spec", 0))
    )
    return (
        named
        or bool(depends_on(body))
        or any(
            (_URL.search(field := r.where.rsplit(".", 1)[-1]) or _PEER.search(field))
            and not _SOURCE.search(field)
            for r in _hosts(as_map(body.get("spec")), "spec", 0)
        )
        or bool(claim_refs(body))  # acts on the data of whoever mounts that claim
    )


def runs_members(body: Mapping[str, Any]) -> bool:
    """True when the spec runs an image (``image``, or one named for its role:
    ``nameServiceImage``, ``brokerImage``), or counts its replicas behind a Service whose type
    or ports it gives, or those of the Deployment it makes, or gives the port its own server
    listens on: the operator runs a service that its peers may address by the resource's name."""
    spec = as_map(body.get("spec"))
    return (
        bool(spec.get("image"))
        or _serves(spec)
        or _listens(spec)
        or _runs_controller(spec, 0)
        or any(
            (str(key).endswith("Image") and isinstance(value, str) and value)
            or _member_groups(value)
            for key, value in spec.items()
        )
    )


# A spec counting its ``replicas`` and the ports of the Service its operator puts in front of
# them runs pods its peers address, whatever image the operator picks: ShardingSphere's
# ``ComputeNode`` (``replicas``, ``portBindings: [{containerPort, servicePort}]``,
# ``serviceType``) is its proxy, "a stateless application ... managed using Kubernetes' native
# workload Deployment, meanwhile using ConfigMap and Service"
# (https://github.com/apache/shardingsphere-on-cloud/blob/136905e3094c459357dd1f0f3229d08b4dfcc203/docs/content/user-manual/cn-sn-operator/_index.en.md).
_SERVICE_FIELDS = ("serviceType", "portBindings", "servicePort")


def _serves(spec: Mapping[str, Any]) -> bool:
    """True when the spec counts its replicas and gives its Service's type or ports."""
    replicas = spec.get("replicas")
    return (
        isinstance(replicas, int)
        and not isinstance(replicas, bool)
        and any(spec.get(field) for field in _SERVICE_FIELDS)
    )


# A spec giving a ``port`` with no host beside it gives the port the resource's own server
# listens on, whatever image the operator picks: osp-director's ``OpenStackProvisionServer``
# (``port: 6190``, "The port on which the Apache server should listen", beside the
# ``baseImageUrl`` that server downloads and serves,
# https://github.com/openstack-k8s-operators/osp-director-operator/blob/a3c03f8cb2642469ee65010351d87dd33054a485/api/v1beta1/openstackprovisionserver_types.go).
# Beside a host, the port is that peer's (Stackable's ``S3Connection: {host: minio, port: 9000}``).
_PEER_HOST_FIELDS = ("host", "hostname", "hosts", "address", "server", "endpoint", "url")


def _listens(spec: Mapping[str, Any]) -> bool:
    """True when the spec gives the port its own server listens on."""
    port = spec.get("port")
    return (
        isinstance(port, int) and not isinstance(port, bool) and 0 < port < 65536
        and not any(field in spec for field in _PEER_HOST_FIELDS)
    )  # fmt: skip


# A spec that counts the replicas of the Deployment or StatefulSet its operator makes runs their
# pods, whatever image it picks: Kamaji's ``TenantControlPlane`` runs its API server as
# ``spec.controlPlane.deployment`` ("the options for the deployed Tenant Control Plane as
# Deployment resource", ``replicas`` in ``DeploymentSpec``,
# https://github.com/clastix/kamaji/blob/ddbabd87ed0e8d7c319414383e153c46f21733a9/api/v1alpha1/tenantcontrolplane_types.go).
_CONTROLLERS = frozenset({"deployment", "statefulSet", "daemonSet"})


def _runs_controller(node: Mapping[str, Any], depth: int) -> bool:
    """True when a field named for a controller, at most two levels down, counts replicas."""
    for key, value in node.items():
        if not is_map(value):
            continue
        replicas = value.get("replicas")
        if key in _CONTROLLERS and isinstance(replicas, int) and not isinstance(replicas, bool):
            return True
        if depth < 1 and _runs_controller(value, depth + 1):
            return True
    return False


def _member_groups(value: Any) -> bool:
    """A list of member groups, each with its ``replicas`` (KubeBlocks' ``componentSpecs:
    [{name: meta, replicas: 1, env: …}]``), or in the spec of the resource each group is
    (NVIDIA's ``NIMPipeline``: ``services: [{name, enabled, spec: {image, replicas: 1, …}}]``,
    https://github.com/NVIDIA/k8s-nim-operator/blob/f63f74d7ad22eaea7943cc640e545f4ccdbb8077/config/samples/nim/pipelines/rag/rag-pipeline.yaml):
    the operator runs their pods."""
    return (
        isinstance(value, list) and bool(value)
        and all(isinstance(_replicas(as_map(g)), int) for g in value[:_MOST])
    )  # fmt: skip


def _replicas(group: Mapping[str, Any]) -> Any:
    return group.get("replicas", as_map(group.get("spec")).get("replicas"))


# The field of a resource that acts on a cluster, a database, a store or another resource:
# ``pgCluster``, ``clusterRef``, ``cluster``, ``kafkaClusterReference``, ``mariaDbRef``,
# ``postgresClusterName``, ``hazelcastResourceName``, ``backupService``, ``filesystemName``
# (a Rook subvolume group in its ``CephFilesystem``), ``poolRef``; the deployment of a product a
# backup or an ingress acts on, and the backup a restore reads (the AWX operator's
# ``deployment_name`` and ``backup_name``).
_ACTS_ON = re.compile(
    r"(cluster|db|database|resource|service|filesystem|pool|store|deployment|backup)"
    r"(Ref|Reference|Name)?$",
    re.IGNORECASE,
)
# Address fields that name one peer to connect to (not ``host``/``hosts``, which may be names
# a resource answers to): ``redisAddress: redis:6379`` (KubeRay's GCS fault tolerance),
# ``connectAddr: mysql.demo:3306`` (the Temporal operator's SQL stores).
_URL = re.compile(
    r"(url|uri|endpoint|endpoints|servers|address|addresses|addr|addrs)$", re.IGNORECASE
)
# A repository a deployment tool reads its manifests or charts from is a source, not a peer;
# an address the resource binds, listens on or advertises is its own, and a mail address
# (cert-manager's ``emailAddresses``) no host.
_SOURCE = re.compile(r"repo|bind|listen|advertise|mail", re.IGNORECASE)
# Fields naming what a resource mounts, trusts, reads its definition from or runs as, not a
# peer holding state (``issuerRef``, ``secretName``, ``sourceRef``, ``passwordRef``,
# ``serviceAccountName``, ``templateRef``, ``nodeName``), or a name it gives what it makes
# (``commonName``, ``displayName``, ``databaseName``, ``topicName``).
_NOT_A_PEER = re.compile(
    r"secret|config|credential|tls|cert|issuer|key|account|class|password|source|template"
    r"|image|node|owner|user|role|priority|scheduler|runtime|common|display|dns|host|domain"
    r"|database|bucket|topic|table|file|path|subject|^name$",
    re.IGNORECASE,
)


@cache
def _camel(key: str) -> str:
    """A field's name in camel case (``deployment_name`` -> ``deploymentName``): operators
    built with the Operator SDK's Ansible plugin hand their spec to roles as variables, so
    their fields are in snake case (the AWX operator's ``deployment_name``,
    https://github.com/ansible/awx-operator/blob/01fe816fe815901a779870f15e41f2e001827a63/roles/installer/defaults/main.yml)."""
    head, *rest = key.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


# Fields ending in ``Name`` that name no peer: what the operator creates or mounts.
_NOT_PEERS = frozenset({
    "secretName", "serviceName", "storageClassName", "configMapName", "serviceAccountName",
    "priorityClassName", "schedulerName", "claimName", "volumeName", "containerName",
    "imageName", "hostName", "nodeName", "runtimeClassName", "issuerName", "repoName",
    "databaseName", "userName", "bucketName", "topicName", "tableName", "fileName", "keyName",
    "commonName", "displayName",
})  # fmt: skip
# A field named for a cluster, a reference or a name, of no kind (camel case: ``pgCluster``).
_ANY_KIND = re.compile(r".(Cluster|Reference|Name)$")


# The fields of a reference object (core/v1 ObjectReference's identifying fields): a field
# holding only these names the resource, whatever the field is called (``backupService:
# {name: b, namespace: n}``) ...
_REFERENCE_KEYS = frozenset({"name", "namespace", "kind", "apiVersion"})
# ... unless it is named for what a resource mounts or trusts, which is no peer.
_MOUNTED = re.compile(r"secret|config|credential|tls|cert|issuer|key|account|class", re.IGNORECASE)


def _object_reference(key: str, value: Any) -> bool:
    return (
        is_map(value)
        and isinstance(value.get("name"), str)
        and set(value) <= _REFERENCE_KEYS
        and not _MOUNTED.search(key)
    )


# A bare ``cluster`` or ``instance`` names the server the resource acts on, of whatever kind its
# operator calls it: El Carro's ``Backup``, ``BackupSchedule`` (in its ``backupSpec``) and
# ``Database`` name their Oracle ``Instance`` at ``instance``
# (https://github.com/GoogleCloudPlatform/elcarro-oracle-operator/blob/0c8c9a643716f7e91f7eddc5db998f95e5a70cba/common/api/v1alpha1/backup.go:
# "Instance is a name of an instance to take a backup for").
_SERVER_FIELDS = frozenset({"cluster", "instance"})


def _references(node: Mapping[str, Any], path: str, depth: int) -> Iterator[Reference]:
    for key, value in node.items():
        key = str(key)
        field = _camel(key)
        if field.endswith("Refs") and isinstance(value, list):
            yield from _listed(field[: -len("Refs")], value, f"{path}.{key}")
            continue
        kind = field[: -len("Ref")] if field.endswith("Ref") else ""
        if not kind and field.endswith("Name") and field not in _NOT_PEERS:
            kind = field[: -len("Name")]  # ``streamName``: a Stream, failing one any resource
        if kind.lower().endswith("cluster"):
            kind = ""  # ``clusterRef``, ``cluster``, ``kafkaClusterRef``: a cluster of any kind
        named = field.endswith("Ref") or field in _SERVER_FIELDS
        named = named or (_ANY_KIND.search(field) is not None and field not in _NOT_PEERS)
        named = named or _object_reference(key, value)
        name = as_map(value).get("name") if is_map(value) else value
        if named and isinstance(name, str) and name:
            namespace = str(as_map(value).get("namespace") or "")
            yield Reference(kind, name, namespace, f"{path}.{key}")
        elif is_map(value) and depth < 2:
            yield from _references(value, f"{path}.{key}", depth + 1)


def kinded_references(body: Mapping[str, Any]) -> list[Reference]:
    """References that say the kind they name (``tokenIssuer: {name: t, kind: Issuer}``,
    Harbor's core naming the cert-manager Issuer of its token certificate): whatever the field,
    that resource is a peer, one the resource cannot start without.

    The Kubernetes API conventions make an object reference a ``{kind, name}`` pair, qualified
    by ``apiGroup``/``apiVersion`` and ``namespace`` ("Object references": core/v1
    ObjectReference, TypedLocalObjectReference, autoscaling's CrossVersionObjectReference,
    https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#object-references),
    so such a mapping names its kind wherever it is: in a list (a step's ``[{kind: Task, name:
    t}]``) and a few levels down (Argo Rollouts' ``workloadRef: {apiVersion: apps/v1, kind:
    Deployment, name: d}``, a Flagger ``Canary``'s ``targetRef``, cert-manager's ``issuerRef:
    {kind: ClusterIssuer, name: ca}``).

    A ``dependsOn`` list of ``{name[, namespace]}`` names resources of the resource's own kind
    that must be ready before it is reconciled: Flux's Kustomization ("refer to other
    Kustomization objects that the Kustomization depends on",
    https://fluxcd.io/flux/components/kustomize/kustomizations/#dependencies) and HelmRelease
    (https://fluxcd.io/flux/components/helm/helmreleases/#dependencies), a ``meta.v1``
    ``NamespacedObjectReference`` of the same kind. So does a ``dependencies`` mapping of such
    lists by what they are: an alustan App's ``dependencies: {service: [{name: web-service}]}``
    ("Dependencies defines the App dependencies", api/app/v1alpha1/crd.yaml;
    examples/app/basic-dependent.yaml, both at
    https://github.com/alustan/alustan/tree/82c43e3331002f6033dc02ab3647b1f0bcc25921)."""
    return list(_kinded(as_map(body.get("spec")), "spec", 0)) + depends_on(body)


def depends_on(body: Mapping[str, Any]) -> list[Reference]:
    """The resources of its own kind a spec's ``dependsOn`` list names (names or
    ``{name[, namespace]}``; an item saying its kind is read as a kinded reference), and the
    lists of its ``dependencies`` mapping alike."""
    kind = body.get("kind")
    spec = as_map(body.get("spec"))
    if not isinstance(kind, str):
        return []
    lists = [("spec.dependsOn", spec.get("dependsOn"))] + [
        (f"spec.dependencies.{key}", items)
        for key, items in as_map(spec.get("dependencies")).items()
    ]
    found = []
    for where, items in lists:
        for item in items[:_MOST] if isinstance(items, list) else []:
            name = as_map(item).get("name") if is_map(item) else item
            if isinstance(name, str) and name and not (is_map(item) and "kind" in item):
                namespace = str(as_map(item).get("namespace") or "")
                found.append(Reference(kind, name, namespace, where))
    return found


def _analysis_template(item: Mapping[str, Any], where: str) -> Reference:
    """An Argo Rollouts analysis's ``templates: [{templateName: t[, clusterScope: true]}]``:
    "the AnalysisTemplate" of that name in the resource's namespace, or with ``clusterScope:
    true`` the ClusterAnalysisTemplate
    (https://argo-rollouts.readthedocs.io/en/stable/features/analysis/), as a Rollout's steps,
    background analysis and an Experiment's ``analyses`` name them."""
    kind = "ClusterAnalysisTemplate" if item.get("clusterScope") is True else "AnalysisTemplate"
    return Reference(kind, str(item["templateName"]), "", where)


# The fields of a reference that says its kind (ObjectReference, TypedLocalObjectReference).
_KINDED_KEYS = frozenset({"name", "namespace", "kind", "apiVersion", "group", "apiGroup"})


# Five levels (``spec.strategy.canary.steps[].analysis.templates[]``).
_KINDED_DEPTH = 4


def _kinded(node: Mapping[str, Any], path: str, depth: int) -> Iterator[Reference]:
    # Five levels (``spec.strategy.canary.steps[].analysis.templates[]``): a mapping holding only a
    # reference's fields is read as one; what the operator runs (``containers``, ``env``,
    # ``volumes``) and the values handed to a chart are no reference of this resource.
    for key, value in node.items():
        key = str(key)
        if key in _SKIPPED or key in _POD_LISTS:
            continue
        items = value[:_MOST] if isinstance(value, list) else (value,)
        for item in items:
            if not is_map(item):
                continue
            if key == "templates" and isinstance(item.get("templateName"), str):
                yield _analysis_template(item, f"{path}.{key}")
                continue
            name, kind = item.get("name"), item.get("kind")
            if isinstance(name, str) and isinstance(kind, str) and name and kind:
                if set(item) <= _KINDED_KEYS:
                    namespace = str(item.get("namespace") or "")
                    yield Reference(kind, name, namespace, f"{path}.{key}")
                    continue
            if depth < _KINDED_DEPTH:
                yield from _kinded(item, f"{path}.{key}", depth + 1)


def _listed(kind: str, items: list[Any], where: str) -> Iterator[Reference]:
    """A list of references to resources of one kind (``localOutputRefs: [file]``, the
    Logging operator's Flow naming its Outputs), names or ``{name[, namespace]}``."""
    for item in items[:_MOST]:
        name = as_map(item).get("name") if isinstance(item, Mapping) else item
        if isinstance(name, str) and name:
            yield Reference(kind, name, str(as_map(item).get("namespace") or ""), where)


# A pod template's volumes (``podTemplate``: Flink, ECK, cass-operator, Percona): a claim or a
# writable host directory there is storage the operator mounts into the resource's pods.
_TEMPLATE = re.compile(r"^pod(Template|TemplateSpec|Spec)$")
# Host directories that are views of the node, not storage an application writes (the
# kubelet's own are :func:`~stateward.analysis.audit.kubelet.kubelet_directory`).
_NODE_VIEWS = ("/proc", "/sys", "/dev", "/run", "/var/run", "/etc", "/var/log", "/lib/modules",
               "/usr", "/var/lib/docker")  # fmt: skip


def _node_storage(directory: str) -> bool:
    """A node's directory where an application keeps what it writes: not the root, a view of
    the node, or the kubelet's."""
    return (
        directory not in ("", "/")
        and not directory.startswith(_NODE_VIEWS)
        and not kubelet_directory(directory)
    )


def template_storage(body: Mapping[str, Any]) -> list[Storage]:
    """The claims and writable host directories a custom resource's pod templates mount."""
    found = list(_templates(as_map(body.get("spec")), "/spec", 0))
    return found[:_MOST]


def _templates(node: Mapping[str, Any], path: str, depth: int) -> Iterator[Storage]:
    for key, value in node.items():
        where = f"{path}/{_escape(str(key))}"
        if not is_map(value) or depth > 3 or str(key) in _SKIPPED:
            continue
        if _TEMPLATE.match(str(key)):
            pod = as_map(value.get("spec")) if "spec" in value else value
            yield from _pod_volumes(pod, f"{where}/spec" if "spec" in value else where)
        else:
            yield from _templates(value, where, depth + 1)


def _pod_volumes(pod: Mapping[str, Any], path: str) -> Iterator[Storage]:
    writable = {
        str(as_map(m).get("name"))
        for c in [*as_list(pod.get("containers")), *as_list(pod.get("initContainers"))]
        for m in as_list(as_map(c).get("volumeMounts"))
        if not as_map(m).get("readOnly")
    }
    for i, volume in enumerate(as_list(pod.get("volumes"))):
        volume = as_map(volume)
        name, where = str(volume.get("name")), f"{path}/volumes/{i}"
        claim = dig(volume, "persistentVolumeClaim", "claimName")
        host = str(dig(volume, "hostPath", "path") or "")
        if name not in writable:
            continue
        if claim:
            yield Storage(where, {}, f"pod template volume {name} (claim {claim})")
        elif _node_storage(host):
            yield Storage(where, {}, f"pod template volume {name} (hostPath {host} on each node)")


def host_refs(value: Any, where: str) -> Iterator[Reference]:
    """Services named by a list of hosts or URLs (``a:9092,b:9092``, ``http://es:9200``); a
    headless Service's endpoint names that Service (``etcd-0.etcd.ns.svc``)."""
    for item in str(value or "").replace(" ", ",").split(","):
        host = item.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
        if host and not host[0].isdigit():
            if pod := _HEADLESS_ENDPOINT.match(host.lower()):
                yield Reference("Service", pod.group(1), pod.group(2), where)
                continue
            short, _, namespace = host.lower().partition(".")
            yield Reference("Service", short, namespace.split(".", 1)[0], where)


# An endpoint of a headless Service (a StatefulSet's pod) answers to
# ``<hostname>.<service>.<ns>.svc.<zone>`` (Kubernetes DNS-Based Service Discovery §2.4.1,
# https://github.com/kubernetes/dns/blob/9aa70b8f97dc751445a7370960cd45e411506003/docs/specification.md):
# only with its ``.svc`` suffix, so that an outside name of three labels stays one.
_HEADLESS_ENDPOINT = re.compile(
    r"^[a-z0-9-]+\.([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?\.?$"
)


# Spec fields that hold a peer's address (``datasource.url``, ``remoteWrite[].url``,
# ``database.host``, ``bootstrapServers``, ``notifiers[].url``) ...
# (``seed-nodes[].host-name``: Aerospike's backup service configuration; ``node-address-ports:
# ["dst-0-0 3000"]``: its XDR destinations, host and port apart)
# (``zookeeperService: zk-client``, ``metadataService``: the Service of a peer, named for what
# it is; a bare ``service`` is the resource's own, below)
# (``database.hostname``: Debezium's connectors' database server, a ``DebeziumServer``'s
# ``source.config``,
# https://github.com/debezium/debezium/blob/6c5b02b0bd0dccd2a92cdc006e286759f82fdbb7/documentation/modules/ROOT/pages/connectors/postgresql.adoc)
_ADDRESS = re.compile(r"(url|urls|url_prefix|uri|endpoint|endpoints|host|hostname|hosts|host-name|address|addresses|addr|addrs|servers)([-_]?ports)?$"
                      r"|.(Service|Services|-service)$", re.IGNORECASE)  # fmt: skip
# ... and the subtrees whose hosts are this resource's own names for the outside world.
_OWN_NAMES = frozenset({
    "ingress", "route", "routes", "httpRoute", "gateway", "tls", "externalAccess",
    "listeners", "service", "serviceSpec", "expose", "certificates",
})  # fmt: skip
# ... and a field named for the peer it reaches, holding its ``host:port`` (chia-operator's
# ``fullNodePeer: "node.default.svc.cluster.local:8444"``, the full node a farmer, wallet or
# timelord connects to,
# https://github.com/Chia-Network/chia-operator/blob/fdcc58d6c8f72239a1fa8f1f3381a529136e78b4/config/samples/chiafarmer.yaml);
# with no port it may be a switch or a name of anything (``enablePeer``).
_PEER = re.compile(r"[a-z]Peers?$")
# An in-cluster address: a Service name, ``name.namespace`` or ``name.namespace.svc[…]``.
_IN_CLUSTER = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)?(\.svc(\.cluster\.local)?)?\.?$")


def spec_hosts(body: Mapping[str, Any]) -> list[Reference]:
    """The in-cluster Services a resource's spec addresses in its URL, endpoint, host and
    server fields: whatever the operator, a client's address names its peer."""
    return list(_hosts(as_map(body.get("spec")), "spec", 0))


def _peer_fields(node: Mapping[str, Any], depth: int) -> Iterator[tuple[str, Any]]:
    """The fields of a spec node that may name a peer, for :func:`spec_hosts` and
    :func:`spec_strings` alike: none deeper than six levels, none of the resource's own names
    for the outside world (``_OWN_NAMES``), none of the subtrees that describe scratch storage
    or other objects (``_SKIPPED``)."""
    if depth > 6:
        return
    for key, value in node.items():
        if (name := str(key)) not in _OWN_NAMES and name not in _SKIPPED:
            yield name, value


def _hosts(node: Mapping[str, Any], path: str, depth: int) -> Iterator[Reference]:
    for key, value in _peer_fields(node, depth):
        if isinstance(value, str):  # most fields: a path is built only for an address
            if _ADDRESS.search(key) or (_PEER.search(key) and ":" in value):
                yield from _in_cluster(value, f"{path}.{key}")
            continue
        if is_map(value):
            yield from _hosts(value, f"{path}.{key}", depth + 1)
        elif isinstance(value, list):
            where = f"{path}.{key}"
            for item in value[:_MOST]:
                if is_map(item) and (named := _named_address(item)):
                    yield from _in_cluster(named[1], f"{where}.{named[0]}")
                elif is_map(item):
                    yield from _hosts(item, where, depth + 1)
                elif _ADDRESS.search(key) and isinstance(item, str):
                    yield from _in_cluster(item, where)


def _named_address(item: Mapping[str, Any]) -> tuple[str, str] | None:
    """A listed ``{name, value}`` pair naming an address (the shape of a container's env var,
    which operators use for their products' parameters: OceanBase's ``parameters: [{name:
    obconfig_url, value: http://svc-ob-configserver.oceanbase.svc:8080/…}]``,
    https://github.com/oceanbase/ob-operator/blob/9f1ab81d62fd06e947ef867cfe7af503c010beeb/example/sysbench/obcluster.yaml)."""
    name, value = item.get("name"), item.get("value")
    if isinstance(name, str) and isinstance(value, str) and _ADDRESS.search(name):
        return name, value
    return None


def _in_cluster(value: str, where: str) -> Iterator[Reference]:
    for ref in host_refs(value, where):
        host = value.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
        first = host.replace(" ", ",").split(",", 1)[0]  # ``a:9092,b:9092``, ``a 3000``
        name = first.split(":", 1)[0].lower()
        if _IN_CLUSTER.match(name) or _HEADLESS_ENDPOINT.match(name):
            yield ref


def spec_strings(body: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(variable name, value, where) for what a resource's spec hands its pods to read: the
    ``env`` lists operators pass on to their containers (``{name, value}``), and configuration
    files written inline (a multi-line value: Druid's ``common.runtime.properties``, a
    ``config`` block), read for hosts as a ConfigMap's files are."""
    yield from _strings(as_map(body.get("spec")), "spec", 0)


def _strings(node: Mapping[str, Any], path: str, depth: int) -> Iterator[tuple[str, str, str]]:
    for key, value in _peer_fields(node, depth):
        if isinstance(value, str):  # a path is built only for a configuration file's text
            if "\n" in value.strip():
                yield "", value, f"{path}.{key}"
            continue
        where = f"{path}.{key}"
        if is_map(value):
            yield from _strings(value, where, depth + 1)
        elif isinstance(value, list):
            for item in value[:_MOST]:
                item = as_map(item)
                name, text = item.get("name"), item.get("value")
                if key == "env" and isinstance(name, str) and isinstance(text, str):
                    yield name, text, f"{where} {name}"
                elif item:
                    yield from _strings(item, where, depth + 1)
