"""Operator families whose state is decided by a default: a Redpanda broker gets a 100Gi claim
it never asked for, a Grafana keeps its SQLite database on the operator's emptyDir, an
Apicurio registry keeps its artifacts in memory. Read from each operator's source at a pinned
commit or its documentation (cited per family), registered like a plugin's families
(:func:`~stateward.analysis.audit.operators.register_family`).

Resources that run no store of their own (a Redpanda Console, a ``VMAlert``, an Elastic APM
server) are components for the edges they name: the URLs of their spec, the cluster they
reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from stateward.analysis.audit.custom import custom_references, host_refs
from stateward.analysis.audit.operators import (
    Family,
    Reference,
    elastic_refs,
    register_family,
    volume_spec,
)
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_list, as_map, dig

__all__: list[str] = []

_INSTANCE = "app.kubernetes.io/instance"


def _size(quantity: Any) -> dict[str, Any]:
    return {"resources": {"requests": {"storage": str(quantity)}}}


def _named(*patterns: str) -> Callable[[str, Mapping[str, Any]], list[str]]:
    return lambda name, body: [p.format(name) for p in patterns]


def _none(body: Mapping[str, Any]) -> list[Storage]:
    return []


# Redpanda operator (redpanda.vectorized.io Cluster): every broker gets the claim template
# ``datadir`` of spec.storage.capacity, "100Gi" by default (defaultDatadirCapacity); the
# operator's Services are the headless <name> and <name>-cluster.
# https://github.com/redpanda-data/redpanda-operator/blob/f10f98941afa1eb0e9134d5911666a95595a62be/operator/pkg/resources/statefulset.go
_REDPANDA_V1 = "https://github.com/redpanda-data/redpanda-operator/blob/f10f98941afa1eb0e9134d5911666a95595a62be/operator/pkg/resources/statefulset.go"


def _redpanda_cluster(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    capacity = storage.get("capacity") or "100Gi"
    text = "datadir claim" if storage.get("capacity") else "default datadir claim"
    return [Storage("/spec/storage", _size(capacity), text)]


# Redpanda (cluster.redpanda.com): spec.clusterSpec is the Redpanda Helm chart's values, whose
# storage.persistentVolume is enabled with size 20Gi by default; disabled, the data directory is
# storage.hostPath when set, else an emptyDir (charts/redpanda/chart/values.yaml).
_REDPANDA_V2 = "https://github.com/redpanda-data/redpanda-operator/blob/13aeda8539673c3a5b99363c7ecf8bb29d01108a/charts/redpanda/chart/values.yaml"


def _redpanda(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "clusterSpec", "storage"))
    volume = as_map(storage.get("persistentVolume"))
    path = "/spec/clusterSpec/storage"
    if volume.get("enabled") is not False:
        size = volume.get("size") or "20Gi"
        text = "persistentVolume" if volume.get("size") else "chart default persistentVolume"
        return [Storage(f"{path}/persistentVolume", _size(size), text)]
    if storage.get("hostPath"):
        return [Storage(f"{path}/hostPath", {}, "hostPath on each node")]
    return [Storage(path, None, "persistentVolume disabled, no hostPath: an emptyDir")]


# grafana-operator v5: the Grafana's data directory /var/lib/grafana (its SQLite database of
# users, dashboards made in the UI and alert state) is the volume grafana-data, an emptyDir,
# unless spec.persistentVolumeClaim asks for a claim or spec.deployment replaces the volume;
# spec.config.database (grafana.ini) moves the database to a server; spec.external.url names a
# Grafana run elsewhere, which the operator only configures (its edge is that URL).
# https://grafana.github.io/grafana-operator/docs/examples/grafana/external_grafana/readme
# https://github.com/grafana/grafana-operator/blob/15e2a59f9e0cb945b2b8d70a76c199c8e3574353/controllers/reconcilers/grafana/deployment_reconciler.go
# https://grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/#database
_GRAFANA = "https://github.com/grafana/grafana-operator/blob/15e2a59f9e0cb945b2b8d70a76c199c8e3574353/controllers/reconcilers/grafana/deployment_reconciler.go"
_SERVER_DATABASES = ("postgres", "mysql")


def _grafana(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    if as_map(spec.get("external")).get("url"):
        return []  # a Grafana run elsewhere, which the operator only configures
    database = as_map(dig(spec, "config", "database"))
    kind = str(database.get("type") or database.get("url") or "sqlite3").lower()
    if kind.startswith(_SERVER_DATABASES):
        return []  # the database server keeps it
    claim = as_map(dig(spec, "persistentVolumeClaim", "spec"))
    if claim:
        return [Storage("/spec/persistentVolumeClaim/spec", claim, "SQLite on a claim")]
    volumes = as_list(dig(spec, "deployment", "spec", "template", "spec", "volumes"))
    data = next((as_map(v) for v in volumes if as_map(v).get("name") == "grafana-data"), {})
    if "persistentVolumeClaim" in data:
        path = "/spec/deployment/spec/template/spec/volumes"
        return [Storage(path, {}, "SQLite on the claim of volume grafana-data")]
    return [Storage("/spec/config/database", None, "SQLite (the default) in the operator's "
                    "emptyDir grafana-data")]  # fmt: skip


# chia-operator ChiaDataLayer: a Deployment running Chia's DataLayer server, whose store
# database (the contents of the stores this node owns; the chain records only their root
# hashes) is under CHIA_ROOT. CHIA_ROOT is kept "persistently a couple of different ways:
# either with a host mount or a persistent volume claim" given in ``spec.storage.chiaRoot``
# (https://github.com/Chia-Network/chia-operator/blob/027292e827308f03460cdf278f56c6dadc5c1ffa/docs/chianode.md,
# the same for every kind, docs/storage.md); given neither, it is in the pod.
_CHIA = "https://github.com/Chia-Network/chia-operator/blob/0320863bbd9e0128fe4e73df63131926de8b9026/docs/chiadatalayer.md"


def _chia_datalayer(body: Mapping[str, Any]) -> list[Storage]:
    root = as_map(dig(body, "spec", "storage", "chiaRoot"))
    path = "/spec/storage/chiaRoot"
    if claim := as_map(root.get("persistentVolumeClaim")):
        size = claim.get("resourceRequest") or "?"
        return [Storage(f"{path}/persistentVolumeClaim", _size(size), "CHIA_ROOT on a claim")]
    if root.get("hostPathVolume"):
        return [Storage(f"{path}/hostPathVolume", {}, "CHIA_ROOT on a host directory")]
    return [Storage(path, None, "no chiaRoot storage: the DataLayer's stores in the pod")]


# Solace PubSub+ event broker operator: each broker node's StatefulSet (<name>-pubsubplus-p,
# -b and -m when spec.redundancy) gets the claim template ``data`` for its message spool and
# configuration, of spec.storage.messagingNodeStorageSize ("30Gi" by default, 7Gi for a
# spec.developer broker); a size "0" leaves it on ephemeral storage, and a customVolumeMount
# puts it on a claim of the user's. The broker Service is <name>-pubsubplus.
# https://github.com/SolaceProducts/pubsubplus-kubernetes-operator/blob/6353e0c55e4af80c9018886d78b3e5d5abb2d06c/controllers/statefulset.go
_PUBSUBPLUS = "https://github.com/SolaceProducts/pubsubplus-kubernetes-operator/blob/6353e0c55e4af80c9018886d78b3e5d5abb2d06c/api/v1beta1/eventbroker_types.go"


def _pubsubplus(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    storage = as_map(spec.get("storage"))
    if as_list(storage.get("customVolumeMount")):
        return [
            Storage("/spec/storage/customVolumeMount", {}, "message spool on a claim of its own")
        ]
    size = str(storage.get("messagingNodeStorageSize") or "").strip()
    if spec.get("developer") is True:
        return [Storage("/spec/developer", _size("7Gi"), "developer broker's message spool claim")]
    if size == "0":
        return [Storage("/spec/storage/messagingNodeStorageSize", None,
                        "message spool on ephemeral storage (messagingNodeStorageSize 0)")]  # fmt: skip
    if size:
        return [
            Storage("/spec/storage/messagingNodeStorageSize", _size(size), "message spool claim")
        ]
    return [Storage("/spec/storage", _size("30Gi"), "default message spool claim")]


# DevWorkspace operator: a workspace clones its projects into /projects, where the developer's
# edits not yet pushed live only in the workspace's storage. Its storage policy is the template's
# attribute controller.devfile.io/storage-type (pkg/provision/storage/provisioner.go): none,
# ``common`` or ``per-user`` mount subpaths of the namespace's shared claim claim-devworkspace,
# ``async`` syncs to a deployment mounting it, ``per-workspace`` provisions a 10Gi claim of its
# own (pkg/config/defaults.go), ``ephemeral`` puts every volume on emptyDir ("When a DevWorkspace
# is stopped, all local changes are lost", pkg/constants/constants.go). A workspace with no
# project, container or volume needs no storage (WorkspaceNeedsStorage, shared.go).
_DEVWORKSPACE = "https://github.com/devfile/devworkspace-operator/blob/f91eefec7b139f1e7e87c4573d06f344d027fc21/pkg/provision/storage/provisioner.go"
_STORAGE_TYPE = "controller.devfile.io/storage-type"


def _devworkspace(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    template = as_map(spec.get("template"))
    if not (as_list(template.get("projects")) or as_list(template.get("components"))
            or as_list(spec.get("contributions"))):  # fmt: skip
        return []
    policy = str(as_map(template.get("attributes")).get(_STORAGE_TYPE) or "per-user")
    path = "/spec/template/attributes"
    if policy == "ephemeral":
        return [Storage(path, None, "projects and volumes on emptyDir (storage-type ephemeral)")]
    if policy == "per-workspace":
        return [Storage(path, _size("10Gi"), "projects on the workspace's own claim")]
    return [Storage(path, {}, f"projects on a subpath of the namespace's shared claim "
                    f"claim-devworkspace (storage-type {policy})")]  # fmt: skip


# VictoriaMetrics operator: a VMAlert evaluates rules against spec.datasource.url and sends
# alerts to spec.notifier(s).url, writing state to remoteWrite.url; a VMAuth proxies to the
# URLs of its VMUsers; neither keeps data. Services vmalert-<name>, vmauth-<name>.
_VM = "https://github.com/VictoriaMetrics/operator/blob/d0d258c86b5aed0df47dd2b3c52c5a97e40e6b48/api/operator/v1beta1/"
# Redpanda Console: a UI over the cluster of spec.clusterRef.
_CONSOLE = "https://docs.redpanda.com/current/deploy/console/kubernetes/deploy/"


# MongoDB Enterprise operator (mongodb.com MongoDB): spec.persistent is true by default, a claim
# per member of podSpec.persistence.single (or multiple.data), "16GB for data" when no size is
# given; persistent false keeps the data in the pod. Service <name>-svc.
# https://www.mongodb.com/docs/kubernetes-operator/current/tutorial/configure-mongodb-specific-storage/
_MONGODB = "https://www.mongodb.com/docs/kubernetes-operator/current/tutorial/configure-mongodb-specific-storage/"
_POD_SPECS = ("podSpec", "shardPodSpec", "configSrvPodSpec")


def _mongodb_enterprise(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    if spec.get("persistent") is False:
        return [Storage("/spec/persistent", None, "persistent false: the data is in the pod")]
    for key in _POD_SPECS:
        persistence = as_map(dig(spec, key, "persistence"))
        size = dig(persistence, "single", "storage") or dig(
            persistence, "multiple", "data", "storage"
        )
        if size:
            return [Storage(f"/spec/{key}/persistence", _size(size), "persistence")]
    return [Storage("/spec/persistent", _size("16G"), "default data claim")]


# StackGres SGCluster: every instance's PGDATA is a claim of spec.pods.persistentVolume.size
# (required). Services <name> (primary) and <name>-replicas.
# https://stackgres.io/doc/latest/reference/crd/sgcluster/
_STACKGRES = "https://stackgres.io/doc/latest/reference/crd/sgcluster/"


def _stackgres(body: Mapping[str, Any]) -> list[Storage]:
    volume = as_map(dig(body, "spec", "pods", "persistentVolume"))
    return [
        Storage("/spec/pods/persistentVolume", _size(volume.get("size") or "?"), "persistentVolume")
    ]


# Percona Operator for MySQL (PerconaServerMySQL): spec.mysql.volumeSpec, a claim, an emptyDir
# or a hostPath, as in Percona's other operators. Services <name>-mysql, -mysql-primary,
# -haproxy, -router.
# https://docs.percona.com/percona-operator-for-mysql/ps/operator.html
_PERCONA_PS = "https://docs.percona.com/percona-operator-for-mysql/ps/operator.html"


def _percona_ps(body: Mapping[str, Any]) -> list[Storage]:
    return volume_spec("/spec/mysql/volumeSpec", dig(body, "spec", "mysql", "volumeSpec"))


# Apicurio Registry operator: "Type of storage used by Apicurio Registry, one of: mem, sql,
# kafkasql. Default value is `mem`": in memory, artifacts are lost with the pod; sql and kafkasql
# keep them in the database or Kafka topic named in the spec.
_APICURIO = "https://github.com/Apicurio/apicurio-registry-operator/blob/1fe88903de1d9921f9dc826ac6a1cefadf061da9/api/v1/apicurioregistry_types.go"


def _apicurio(body: Mapping[str, Any]) -> list[Storage]:
    persistence = str(dig(body, "spec", "configuration", "persistence") or "mem")
    if persistence == "mem":
        return [Storage("/spec/configuration/persistence", None, "persistence mem (the default): "
                        "artifacts in memory")]  # fmt: skip
    return []


# Tempo operator TempoStack: traces go to the object storage of spec.storage.secret; the
# ingesters' write-ahead log is on claims of spec.storageSize, "Defaults to 10Gi".
_TEMPO_STACK = "https://github.com/grafana/tempo-operator/blob/f6e744f05a898b535f58df88e8e3970796be0c02/api/tempo/v1alpha1/tempostack_types.go"


def _tempo_stack(body: Mapping[str, Any]) -> list[Storage]:
    size = dig(body, "spec", "storageSize") or "10Gi"
    return [
        Storage("/spec/storageSize", _size(size), "ingester WAL claim (traces in object storage)")
    ]


# Loki operator LokiStack: chunks go to the object storage of spec.storage.secret; ingesters,
# the compactor and index gateways keep their WAL and index on claims sized by spec.size.
# https://loki-operator.dev/docs/api.md/
_LOKI = "https://loki-operator.dev/docs/api.md/"


def _loki_stack(body: Mapping[str, Any]) -> list[Storage]:
    size = dig(body, "spec", "size") or "?"
    return [Storage("/spec/size", _size("?"), f"WAL and index claims of size {size} (chunks in "
                    "object storage)")]  # fmt: skip


# Couchbase Autonomous Operator: a server class keeps its data on the claim templates its
# volumeMounts name (default, data, index …); with no volumeMounts its pods are ephemeral.
# https://docs.couchbase.com/operator/current/resource/couchbasecluster.html
_COUCHBASE = "https://docs.couchbase.com/operator/current/resource/couchbasecluster.html"


def _couchbase(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    templates = {
        str(dig(t, "metadata", "name")): as_map(dig(t, "spec"))
        for t in as_list(spec.get("volumeClaimTemplates"))
    }
    found: list[Storage] = []
    for i, server in enumerate(as_list(spec.get("servers"))):
        mounts = as_map(as_map(server).get("volumeMounts"))
        name = str(mounts.get("default") or mounts.get("data") or "")
        path = f"/spec/servers/{i}"
        if name in templates:
            found.append(Storage(f"{path}/volumeMounts", templates[name], f"claim template {name}"))
        else:
            found.append(Storage(path, None, "no volumeMounts: the server's data is in the pod"))
    return found


# Redis Enterprise operator: spec.persistentSpec.enabled is true by default, a claim per node of
# volumeSize (five times the node's memory by default). Services <name> (API) and <name>-ui.
# https://redis.io/docs/latest/operate/kubernetes/reference/api/redis_enterprise_cluster_api/
_REDIS_ENTERPRISE = (
    "https://redis.io/docs/latest/operate/kubernetes/reference/api/redis_enterprise_cluster_api/"
)


def _redis_enterprise(body: Mapping[str, Any]) -> list[Storage]:
    persistent = as_map(dig(body, "spec", "persistentSpec"))
    if persistent.get("enabled") is False:
        return [Storage("/spec/persistentSpec", None, "persistentSpec disabled: no claim")]
    size = persistent.get("volumeSize") or "?"
    return [Storage("/spec/persistentSpec", _size(size), "persistentSpec (enabled by default)")]


# Rook CephCluster: the OSDs keep every pool's objects on the nodes' devices (storage
# useAllDevices/nodes) or on claims of storage.storageClassDeviceSets; the monitors keep the
# cluster map under dataDirHostPath (/var/lib/rook) on each node.
# https://rook.io/docs/rook/latest/CRDs/Cluster/ceph-cluster-crd/
_ROOK = "https://rook.io/docs/rook/latest/CRDs/Cluster/ceph-cluster-crd/"


def _ceph(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    sets = as_list(storage.get("storageClassDeviceSets"))
    found = [
        Storage(f"/spec/storage/storageClassDeviceSets/{i}", {}, "OSD claims of device set "
                f"{as_map(s).get('name')}")
        for i, s in enumerate(sets)
    ]  # fmt: skip
    return found or [Storage("/spec/storage", {}, "OSDs on the nodes' devices")]


# etcd's own operator (operator.etcd.io EtcdCluster): with spec.storageSpec each member gets the
# claim template etcd-data of volumeSizeRequest (ReadWriteOnce), or all mount the one claim
# pvcName (ReadWriteMany); without it the StatefulSet has no volume at all and the data
# directory /var/lib/etcd is in each member's container filesystem. Headless Service <name>,
# pods labelled app=<name>. createOrPatchStatefulSet in internal/controller/utils.go:
_ETCD = "https://github.com/etcd-io/etcd-operator/blob/01c27b8f9223fc6aad7a124ff794af1dece071ac/internal/controller/utils.go"


def _etcd(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storageSpec"))
    path = "/spec/storageSpec"
    if not storage:
        return [Storage(path, None, "no storageSpec: /var/lib/etcd in each member's container "
                        "filesystem")]  # fmt: skip
    if storage.get("accessModes") == "ReadWriteMany":
        shared = {"accessModes": ["ReadWriteMany"]}
        return [Storage(f"{path}/pvcName", shared, f"the shared claim {storage.get('pvcName')}")]
    claim = {"accessModes": ["ReadWriteOnce"], **_size(storage.get("volumeSizeRequest") or "?")}
    return [Storage(path, claim, "storageSpec claim etcd-data")]


# CoreOS etcd-operator (etcd.database.coreos.com EtcdCluster): a claim per member of
# spec.pod.persistentVolumeClaimSpec, else the member's data directory is an emptyDir
# (AddEtcdVolumeToPod). Services <name>-client and <name>; pods labelled etcd_cluster=<name>.
_ETCD_COREOS = "https://github.com/coreos/etcd-operator/blob/b2a63ce924602be64a156361f3ee85498843026a/pkg/util/k8sutil/k8sutil.go"


def _etcd_coreos(body: Mapping[str, Any]) -> list[Storage]:
    claim = as_map(dig(body, "spec", "pod", "persistentVolumeClaimSpec"))
    path = "/spec/pod/persistentVolumeClaimSpec"
    if claim:
        return [Storage(path, claim, "persistentVolumeClaimSpec")]
    return [Storage(path, None, "no persistentVolumeClaimSpec: the data directory is an emptyDir")]


# HashiCorp Vault by Bank-Vaults: the storage stanza of spec.config decides; file and raft keep
# the encrypted data under a path of the pod, on a claim only when spec.volumeClaimTemplates or
# a claim of spec.volumes holds it; consul, etcd, a cloud bucket or a database keep it outside.
# https://bank-vaults.dev/docs/operator/
_VAULT = "https://bank-vaults.dev/docs/operator/"


def _vault(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    backends = as_map(dig(spec, "config", "storage"))
    if not {"file", "raft"} & set(backends):
        return []
    if as_list(spec.get("volumeClaimTemplates")) or any(
        "persistentVolumeClaim" in as_map(v) for v in as_list(spec.get("volumes"))
    ):
        return [Storage("/spec/config/storage", {}, "file or raft storage on a claim")]
    return [Storage("/spec/config/storage", None, "file or raft storage on no claim")]


# OpenTelemetry Collector: no store of its own; it exports to the endpoints of its config's
# exporters. Service <name>-collector.
# https://github.com/open-telemetry/opentelemetry-operator/blob/c13b5608ad994416701091fdac9ed9fb13e96a3a/README.md
_OTEL = "https://github.com/open-telemetry/opentelemetry-operator/blob/c13b5608ad994416701091fdac9ed9fb13e96a3a/README.md"
_ENDPOINT = re.compile(r"\bendpoints?:\s*[\"']?([^\s\"',]+)")


def _collector_refs(body: Mapping[str, Any]) -> list[Reference]:
    config = dig(body, "spec", "config")
    exporters = as_map(config).get("exporters") if isinstance(config, Mapping) else None
    if isinstance(exporters, Mapping):
        values = [str(as_map(e).get("endpoint") or "") for e in exporters.values()]
    else:
        values = _ENDPOINT.findall(str(config or ""))
    return [r for value in values for r in host_refs(value, "spec.config exporters")]


# Keycloak operator: a KeycloakRealmImport imports a realm into the Keycloak named by
# spec.keycloakCRName, whose database keeps it.
# https://www.keycloak.org/operator/realm-import
def _realm_target(body: Mapping[str, Any]) -> list[Reference]:
    name = dig(body, "spec", "keycloakCRName")
    return [Reference("Keycloak", str(name), "", "spec.keycloakCRName")] if name else []


# ECK: Elastic Agent ships to the Elasticsearch it names (and enrols with a Fleet Server);
# Enterprise Search, APM Server and Elastic Maps keep what they store in Elasticsearch.
# https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-elastic-agent.html
_ECK = "https://www.elastic.co/guide/en/cloud-on-k8s/current/"


def _agent_refs(body: Mapping[str, Any]) -> list[Reference]:
    fleet = as_map(dig(body, "spec", "fleetServerRef"))
    found = elastic_refs(body)
    if fleet.get("name"):
        found.append(Reference("Agent", str(fleet["name"]), str(fleet.get("namespace") or ""),
                               "spec.fleetServerRef"))  # fmt: skip
    return found


# AWX operator (awx.ansible.com AWX): with no postgres_configuration_secret the operator runs a
# PostgreSQL StatefulSet whose claim is postgres_storage_requirements, 8Gi by default, in
# postgres_storage_class (roles/installer/defaults/main.yml); the secret names the database to
# use instead. Its Redis is a cache on a socket and its projects an emptyDir unless
# projects_persistence: fetched again from source control.
_AWX = "https://github.com/ansible/awx-operator/blob/01fe816fe815901a779870f15e41f2e001827a63/roles/installer/defaults/main.yml"


def _awx(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    if spec.get("postgres_configuration_secret"):
        return []  # the database the Secret names, kept outside the resource
    claim = _size(dig(spec, "postgres_storage_requirements", "requests", "storage") or "8Gi")
    if spec.get("postgres_storage_class"):
        claim["storageClassName"] = str(spec["postgres_storage_class"])
    text = "the managed PostgreSQL's claim (no postgres_configuration_secret)"
    return [Storage("/spec/postgres_storage_requirements", claim, text)]


# Cryostat operator (operator.cryostat.io Cryostat): the operator runs a PostgreSQL for
# Cryostat's records (discovered targets, automated rules, stored credentials, the audit log)
# and an object storage for its archived JFR recordings and templates, each on a claim it makes
# "by default" when storageOptions configures none ("If no configurations are specified, a PVC
# will be created by default", StorageConfiguration), ``<name>-database`` and ``<name>-storage``
# (internal/controller/common/resource_definitions/resource_definitions.go at the same commit);
# ``emptyDir: {enabled: true}`` puts either on an emptyDir instead. The older inline
# ``storageOptions.pvc``/``emptyDir`` applies to both (LegacyStorageConfiguration, read at
# 0329a9cd6404f5a6b875c1df86f7f4db93a1a998).
_CRYOSTAT = "https://github.com/cryostatio/cryostat-operator/blob/7a5d1100017f612b29e898c6081a837ccac8f15d/api/v1beta2/cryostat_types.go"
_CRYOSTAT_STORES = (("database", "database", "its PostgreSQL"),
                    ("objectStorage", "storage", "its object storage (JFR recordings)"))  # fmt: skip


def _cryostat(body: Mapping[str, Any]) -> list[Storage]:
    options = as_map(dig(body, "spec", "storageOptions"))
    found = []
    for key, claim, what in _CRYOSTAT_STORES:
        node = as_map(options.get(key)) or options
        where = f"/spec/storageOptions/{key}"
        if as_map(node.get("emptyDir")).get("enabled") is True:
            found.append(Storage(f"{where}/emptyDir", None, f"{what} on an emptyDir"))
        else:
            spec = as_map(dig(node, "pvc", "spec"))
            found.append(Storage(where, spec, f"{what} on the claim <name>-{claim} (the default)"))
    return found


# OpenStack's operators (openstack-k8s-operators) run kinds that keep nothing of their own but
# are parts of the estate its services reach: infra-operator's ``Memcached`` runs a memcached
# StatefulSet of spec.replicas, the OpenStack services' token and API cache, in memory
# (apis/memcached/v1beta1/memcached_types.go), behind the headless Service <name> selecting
# ``app: <name>`` (pkg/memcached/service.go, read at 335e32b1dc655589062a07fc22949c8341eff1a4);
# ovn-operator's ``OVNNorthd`` runs the StatefulSet ``ovn-northd`` (pkg/ovnnorthd/statefulset.go,
# read at 4a1c2f342d16b00ba1bad00de3adb2b20cf7647c), whose ovn-northd translates the
# Northbound database into the Southbound one and keeps neither, its run directory in /tmp
# (https://github.com/openstack-k8s-operators/ovn-operator/tree/0a0ad59d7e6254151726e046a186b42bd7dd43b2,
# ovn-architecture(7)); mariadb-operator's ``MariaDBDatabase`` asks for a database and its user
# on the Galera instance its ``dbName`` label names, whose claims hold the rows
# (https://github.com/openstack-k8s-operators/mariadb-operator/tree/1e127e728e624669b9055bb4a67a2908a1dce7e5).
_MEMCACHED_OS = "https://github.com/openstack-k8s-operators/infra-operator/blob/18e54edd62e6090733892b48441f495d2ee785f7/apis/memcached/v1beta1/memcached_types.go"
_OVN_OS = "https://github.com/openstack-k8s-operators/ovn-operator/tree/0a0ad59d7e6254151726e046a186b42bd7dd43b2"
_MARIADB_OS = "https://github.com/openstack-k8s-operators/mariadb-operator/tree/1e127e728e624669b9055bb4a67a2908a1dce7e5"


# Logging operator (logging.banzaicloud.io): a Logging's Fluentd aggregator keeps its buffer
# (records on their way to the outputs) on bufferStorageVolume, a 20Gi claim fluentd-buffer
# unless disablePvc (FluentdSpec.SetDefaults); a FluentbitAgent keeps its read positions and
# chunks in flight on host directories, /opt/logging-operator/<name>/<volume> by default
# (common_types.go HostPath): read again from the node's logs.
_LOGGING = "https://github.com/kube-logging/logging-operator/blob/01a15d869c473c7103b68c953e7d2435990c79c4/pkg/sdk/logging/api/v1beta1/"


def _fluentd_buffer(body: Mapping[str, Any]) -> list[Storage]:
    fluentd = dig(body, "spec", "fluentd")
    if not isinstance(fluentd, Mapping):
        return []  # no aggregator of its own here (syslog-ng, or a FluentdConfig resource)
    path, volume = "/spec/fluentd/bufferStorageVolume", as_map(fluentd.get("bufferStorageVolume"))
    if fluentd.get("disablePvc") or "emptyDir" in volume:
        return [Storage(path, None, "the buffer on an emptyDir (disablePvc)")]
    if "hostPath" in volume:
        return [Storage(path, {}, "the buffer on a host directory of each node")]
    claim = as_map(dig(volume, "pvc", "spec"))
    size = dig(claim, "resources", "requests", "storage") or "20Gi"
    return [Storage(path, {**claim, **_size(size)}, "buffer claim fluentd-buffer")]


def _agent_buffers(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    return [
        Storage(f"/spec/{field}", {}, f"{field} on a host directory of each node")
        for field in ("positiondb", "bufferStorageVolume")
        if "emptyDir" not in as_map(spec.get(field))
    ]


def _logging_of(body: Mapping[str, Any]) -> list[Reference]:
    """The Logging whose aggregator an agent forwards to: the one with its loggingRef (none
    on either side: the Logging with none)."""
    name = str(dig(body, "spec", "loggingRef") or "")
    return [Reference("Logging", name, "", "spec.loggingRef", ("spec", "loggingRef"))]


# Jenkins Operator (jenkins.io Jenkins): Jenkins home, where build records, logs and archived
# artifacts are kept, is the volume jenkins-home, an emptyDir, or with
# spec.master.storageSettings.useEphemeralStorage a generic ephemeral volume (a claim that lives
# and dies with the pod): getJenkinsHomeStorageSettings. Configuration comes back from
# Configuration as Code and the seed jobs; the jobs' history does not. Pods labelled
# jenkins-cr=<name> (meta.go BuildResourceLabels).
_JENKINS = "https://github.com/jenkinsci/kubernetes-operator/blob/a725b0b8c6b0b3aa3fd31b2362a2ccf91be555c9/pkg/configuration/base/resources/pod.go"


def _jenkins(body: Mapping[str, Any]) -> list[Storage]:
    ephemeral = dig(body, "spec", "master", "storageSettings", "useEphemeralStorage") is True
    volume = "a generic ephemeral volume" if ephemeral else "the operator's emptyDir"
    return [Storage("/spec/master", None, f"Jenkins home (build history, logs, artifacts) on "
                    f"{volume} jenkins-home")]  # fmt: skip


# Mattermost operator (installation.mattermost.com Mattermost): Database.SetDefaults and
# FileStore.SetDefaults make both operator-managed unless database.external.secret, or
# fileStore.external.url, externalVolume.volumeClaimName or local.enabled, says otherwise: a
# MySQL cluster and a MinIO of storageSize, 50Gi each by default (DefaultStorageSize,
# DefaultFilestoreStorageSize in mattermost_utils.go); a local file store is a claim of its own.
_MATTERMOST = "https://github.com/mattermost/mattermost-operator/blob/f11b91628a41ee46d70fc90dc4c1a0ae027293d0/apis/mattermost/v1beta1/db_util.go"
# (file_store_util.go: https://github.com/mattermost/mattermost-operator/blob/8e4450c60cd6b349504131e131d70333a5629e71/apis/mattermost/v1beta1/file_store_util.go;
# mattermost_utils.go: https://github.com/mattermost/mattermost-operator/blob/07a736bbb8d6c1e8cf76bdc935d1f08c47307a69/apis/mattermost/v1beta1/mattermost_utils.go)


def _mattermost(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    database, files = as_map(spec.get("database")), as_map(spec.get("fileStore"))
    found = []
    if not as_map(database.get("external")).get("secret"):
        size = dig(database, "operatorManaged", "storageSize") or "50Gi"
        found.append(Storage("/spec/database", _size(size), "the operator's MySQL cluster"))
    if as_map(files.get("local")).get("enabled") is True:
        size = dig(files, "local", "storageSize") or "50Gi"
        found.append(Storage("/spec/fileStore/local", _size(size), "the local file store claim"))
    elif not (dig(files, "external", "url") or dig(files, "externalVolume", "volumeClaimName")):
        size = dig(files, "operatorManaged", "storageSize") or "50Gi"
        found.append(Storage("/spec/fileStore", _size(size), "the operator's MinIO file store"))
    elif name := dig(files, "externalVolume", "volumeClaimName"):
        found.append(Storage("/spec/fileStore/externalVolume", {}, f"the file store claim {name}"))
    return found


# Argo Events: a native EventBus runs NATS Streaming (spec.nats.native) or JetStream
# (spec.jetstream) as a StatefulSet whose store /data/stan is a claim of persistence.volumeSize
# (10Gi by default) when persistence is set, else the emptyDir stan-data (nats.go
# buildStatefulSetSpec); an exotic bus (spec.nats.exotic, jetstreamExotic, kafka) is run
# elsewhere. EventSources and Sensors use the EventBus of their eventBusName, "default" when
# none is given ("The common practice is to create an EventBus named default in the namespace",
# docs/eventbus/eventbus.md); a Sensor's dependencies name the EventSources it waits on.
_EVENTS = "https://github.com/argoproj/argo-events/blob/e7ed3ea8d22d17b22cea3faecdec247754374df3/pkg/reconciler/eventbus/installer/nats.go"
_EVENTS_DOCS = "https://github.com/argoproj/argo-events/blob/6e543e333057423820f4de50e9a49a9f75558d75/docs/eventbus/eventbus.md"


def _event_bus(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    for path, server in (("/spec/nats/native", dig(spec, "nats", "native")),
                         ("/spec/jetstream", spec.get("jetstream"))):  # fmt: skip
        if isinstance(server, Mapping):
            persistence = as_map(server.get("persistence"))
            if persistence:
                size = persistence.get("volumeSize") or "10Gi"
                return [Storage(f"{path}/persistence", _size(size), "the bus's claim template")]
            return [Storage(path, None, "no persistence: the bus's store on an emptyDir")]
    return []  # an exotic bus, run elsewhere


def _bus_of(body: Mapping[str, Any]) -> list[Reference]:
    name = str(dig(body, "spec", "eventBusName") or "default")
    return [Reference("EventBus", name, "", "spec.eventBusName (default: default)")]


def _sensor_refs(body: Mapping[str, Any]) -> list[Reference]:
    sources = {
        str(as_map(d).get("eventSourceName"))
        for d in as_list(dig(body, "spec", "dependencies"))
        if as_map(d).get("eventSourceName")
    }
    found = [
        Reference("EventSource", s, "", "spec.dependencies eventSourceName")
        for s in sorted(sources)
    ]
    return _bus_of(body) + found


# YDB operator: a Database is a tenant of the Storage its storageClusterRef names; with
# resources.storageUnits its tables are written into storage groups allocated to it there, on
# the storage nodes' disks; its own dynamic nodes keep no volume
# (https://ydb.tech/docs/en/concepts/topology, "storage nodes" and "database nodes"; the
# operator's samples/database.yaml at
# https://github.com/ydb-platform/ydb-kubernetes-operator/blob/f09e83139db5c740b6850d99c0e4a0bf7a825f80/samples/database.yaml).
_YDB = "https://ydb.tech/docs/en/concepts/topology"


def _ydb_database(body: Mapping[str, Any]) -> list[Storage]:
    units = as_list(dig(body, "spec", "resources", "storageUnits"))
    if not units:
        return []
    return [Storage("/spec/resources/storageUnits", {}, "its tables in storage groups of the "
                    "storage cluster it names")]  # fmt: skip


def _ydb_storage_of(body: Mapping[str, Any]) -> list[Reference]:
    name = dig(body, "spec", "storageClusterRef", "name")
    return [Reference("Storage", str(name), "", "spec.storageClusterRef")] if name else []


# Confluent for Kubernetes (platform.confluent.io): ksqlDB and Control Center are Kafka Streams
# applications whose claim of spec.dataVolumeCapacity holds their state stores. ksqlDB: "RocksDB
# is used internally to store state for tables and aggregations, with Kafka topics providing a
# changelog for RocksDB" (https://developer.confluent.io/courses/ksqldb/under-the-covers/); a
# state store missing at start "will restore from the changelog topic"
# (https://developer.confluent.io/courses/kafka-streams/stateful-fault-tolerance/). Control
# Center "stores cluster metadata and user data (alerts triggers/actions) in the
# _confluent-command topic"
# (https://docs.confluent.io/platform/7.0/control-center/installation/configure-control-center.html).
# Their records are in Kafka; the claims hold what is restored from it.
_CONFLUENT = "https://developer.confluent.io/courses/kafka-streams/stateful-fault-tolerance/"


def _state_stores(body: Mapping[str, Any]) -> list[Storage]:
    capacity = dig(body, "spec", "dataVolumeCapacity")
    if not capacity:
        return []
    return [Storage("/spec/dataVolumeCapacity", _size(capacity), "state stores' claim")]


# prefect-operator (prefect.io PrefectServer): with ``spec.sqlite`` the server's SQLite database
# (flows, deployments, runs) is on the claim ``<name>-data`` of ``sqlite.size`` at
# /var/lib/prefect/; with ``spec.postgres`` it is in that server; with neither the operator
# falls back to ``Ephemeral``, the same directory on the emptyDir ``prefect-data``
# (prefectServerDeployment, ephemeralDeploymentSpec).
_PREFECT = "https://github.com/PrefectHQ/prefect-operator/blob/02728aed5123bccd077e6c742aac42ae81935bea/internal/controller/prefectserver_controller.go"


def _prefect_server(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    if spec.get("sqlite") is not None:
        size = as_map(spec.get("sqlite")).get("size") or "1Gi"
        return [Storage("/spec/sqlite", _size(size), "SQLite at /var/lib/prefect on a claim")]
    if spec.get("postgres") is not None:
        return []  # the PostgreSQL server its settings name keeps it
    return [Storage("/spec", None, "SQLite at /var/lib/prefect on the emptyDir prefect-data "
                    "(no sqlite or postgres given: ephemeral)")]  # fmt: skip


# KAITO (kaito.sh RAGEngine): "Storage specifies how to access the vector database used to save
# the embedding vectors. If this field is not specified, by default, an in-memory vector DB will
# be used. The data will not be persisted."; with ``storage.persistentVolumeClaim`` the vector
# database is on that existing claim (RAGEngineSpec, StorageSpec).
_KAITO_RAG = "https://github.com/kaito-project/kaito/blob/4244a144057f01a2ef560cd45c5b116ae40cd42b/api/v1alpha1/ragengine_types.go"


def _rag_engine(body: Mapping[str, Any]) -> list[Storage]:
    claim = dig(body, "spec", "storage", "persistentVolumeClaim")
    if isinstance(claim, str) and claim:
        path = "/spec/storage/persistentVolumeClaim"
        return [Storage(path, {}, f"the vector database on the claim {claim}")]
    return [Storage("/spec", None, "the in-memory vector database (no spec.storage)", memory=True)]


# kaniop (kaniop.rs Kanidm): each replica group is a StatefulSet whose volume ``kanidm-data`` at
# /data holds the server's database (``KANIDM_DB_PATH=/data/kanidm.db``: accounts, groups,
# credentials, OAuth2 clients), https://github.com/pando85/kaniop/blob/b84c057db401c5440b8e92b73a02ff8e7207fadc/libs/operator/src/kanidm/reconcile/statefulset.rs;
# its StorageSpec: "If no storage option is specified, then by default an EmptyDir will be
# used", and "priority will be given as follows: 1. emptyDir 2. ephemeral 3.
# volumeClaimTemplate" (the field's documentation, as the project's examples/kanidm.yaml
# carries it at 5b9805d9ef28e3a341626e73d947a9547c67df77).
_KANIOP = "https://github.com/pando85/kaniop/blob/b84c057db401c5440b8e92b73a02ff8e7207fadc/libs/operator/src/kanidm/reconcile/statefulset.rs"


def _kanidm(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    for picked in ("emptyDir", "ephemeral"):
        if storage.get(picked) is not None:
            return [Storage(f"/spec/storage/{picked}", None, f"the database on {picked}")]
    claim = as_map(dig(storage, "volumeClaimTemplate", "spec"))
    if claim:
        return [Storage("/spec/storage/volumeClaimTemplate/spec", claim, "the database on a claim")]
    return [Storage("/spec/storage", None, "the database on the default emptyDir (no storage)")]


# koku-metrics-operator (KokuMetricsConfig, and CostManagementMetricsConfig, the same operator's
# downstream kind with the same spec): the reports it builds from Prometheus queries are kept on
# the claim spec.volume_claim_template names, else the default koku-metrics-operator-data of
# 10Gi. Uploading (``upload_toggle``, default true), "Reports are removed as soon as they are
# uploaded" and "Data may be recollected ... setting collect_previous_data: true", up to 90
# days from Prometheus: a warm-up. Air-gapped (``upload_toggle: false``), "The reports must be
# manually downloaded and uploaded ... every week, or they will be deleted and the data will be
# lost": the claim keeps what exists nowhere else.
_KOKU = "https://github.com/project-koku/koku-metrics-operator/blob/b3525a536a402d5bed9b5bbd739fb6a89c8e92e0/docs/csv-description.md"


def _koku_reports(body: Mapping[str, Any]) -> list[Storage]:
    template = as_map(dig(body, "spec", "volume_claim_template"))
    claim = as_map(template.get("spec")) or _size("10Gi")
    name = dig(template, "metadata", "name") or "koku-metrics-operator-data"
    return [Storage("/spec/volume_claim_template", claim, f"packaged reports on the claim {name}")]


def _koku_uploaded(body: Mapping[str, Any]) -> str:
    if dig(body, "spec", "upload", "upload_toggle") is False:
        return ""  # air-gapped: the reports wait for an administrator, kept nowhere else
    return "reports removed once uploaded, collected again from Prometheus (up to 90 days)"


# stolostron's multicluster-observability-operator (MultiClusterObservability): StatefulSets on
# claims of the sizes spec.storageConfig gives, by default thanos-receive 100Gi, Alertmanager and
# thanos-rule 1Gi, thanos-compact 100Gi and thanos-store 10Gi (StorageConfig's kubebuilder
# defaults). What each loses (the project's docs/MoreAboutPersistentStorage.md): the receivers'
# metrics not yet uploaded to the object store (up to two hours), Alertmanager's silences and
# notification log, the rules' results; the compactor's and the store gateway's claims are
# caches of the bucket, left out here.
_MCO = "https://github.com/stolostron/multicluster-observability-operator/blob/85259c1976a30294720bfb575f8e76ecd5bc2de0/operators/multiclusterobservability/api/v1beta2/multiclusterobservability_types.go"
_MCO_KEPT = (("receiveStorageSize", "100Gi", "thanos-receive's metrics not yet uploaded"),
             ("alertmanagerStorageSize", "1Gi", "Alertmanager's silences and notification log"),
             ("ruleStorageSize", "1Gi", "thanos-rule's rule results"))  # fmt: skip


def _multicluster_observability(body: Mapping[str, Any]) -> list[Storage]:
    config = as_map(dig(body, "spec", "storageConfig"))
    return [
        Storage(f"/spec/storageConfig/{field}", _size(config.get(field) or default), what)
        for field, default, what in _MCO_KEPT
    ]


# krestomatio's moodle-operator (m4e.krestomat.io Moodle): its Ansible role mounts the Moodle
# dataroot (``moodle_config_dataroot``, /var/moodledata: course files, submissions, backups) from
# the claim ``<name>-moodle-moodledata-pvc`` it creates, ReadWriteOnce of 1Gi unless
# ``moodlePvcDataSize`` or autoexpansion says otherwise; with ``moodleNfsMetaName`` the
# dataroot is the share of that NFS Server resource instead, none of the Moodle's own.
_MOODLE = "https://github.com/krestomatio/ansible-collection-k8s/blob/1c82942b4b59fc9dc163a0d3009d2496aed8c709/roles/v1alpha1/m4e/moodle/defaults/main/moodle.yml"


def _moodledata(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    if spec.get("moodleNfsMetaName"):
        return []
    claim = {"accessModes": [spec.get("moodlePvcDataStorageAccessMode") or "ReadWriteOnce"],
             **_size(spec.get("moodlePvcDataSize") or "1Gi")}  # fmt: skip
    return [
        Storage("/spec/moodlePvcDataSize", claim, "the Moodle dataroot on the moodledata claim")
    ]


def _kinds() -> list[Family]:
    return [
        *(Family(OperatorKind("platform.confluent.io", kind, ("spec", "replicas"), "app"),
                 role, _state_stores, _CONFLUENT, custom_references, _named("{}"),
                 rebuilt="Kafka Streams state stores, restored from their Kafka changelog topics")
          for kind, role in (("KsqlDB", "stream processing"), ("ControlCenter", "monitoring ui"))),
        Family(OperatorKind("jenkins.io", "Jenkins", (), "jenkins-cr"), "ci", _jenkins,
               _JENKINS, services=_named("jenkins-operator-http-{}")),
        Family(OperatorKind("installation.mattermost.com", "Mattermost", ("spec", "replicas"),
                            "v1alpha1.mattermost.com/installation"),
               "application", _mattermost, _MATTERMOST, services=_named("{}")),
        Family(OperatorKind("argoproj.io", "EventBus", ("spec", "nats", "native", "replicas"),
                            "eventbus-name"),
               "queue", _event_bus, _EVENTS, services=_named("eventbus-{}-stan-svc",
                                                             "eventbus-{}-js-svc")),
        Family(OperatorKind("argoproj.io", "EventSource", ("spec", "replicas"),
                            "eventsource-name"),
               "ingest", _none, _EVENTS_DOCS, _bus_of),
        Family(OperatorKind("argoproj.io", "Sensor", ("spec", "replicas"), "sensor-name"),
               "trigger", _none, _EVENTS_DOCS, _sensor_refs),
        Family(OperatorKind("ydb.tech", "Database", ("spec", "nodes"), _INSTANCE), "database",
               _ydb_database, _YDB, _ydb_storage_of),
        Family(OperatorKind("awx.ansible.com", "AWX", ("spec", "replicas"), _INSTANCE),
               "application", _awx, _AWX),
        Family(OperatorKind("operator.cryostat.io", "Cryostat", (), _INSTANCE), "application",
               _cryostat, _CRYOSTAT),
        Family(OperatorKind("memcached.openstack.org", "Memcached", ("spec", "replicas"), "app"),
               "cache", _none, _MEMCACHED_OS, services=_named("{}"),
               rebuilt="tokens and API results cached in memory"),
        Family(OperatorKind("ovn.openstack.org", "OVNNorthd", ("spec", "replicas"), "service",
                            fixed_labels=(("service", "ovn-northd"),)),
               "translator", _none, _OVN_OS),
        Family(OperatorKind("mariadb.openstack.org", "MariaDBDatabase", (), _INSTANCE),
               "database", _none, _MARIADB_OS, pods=False),
        Family(OperatorKind("logging.banzaicloud.io", "Logging",
                            ("spec", "fluentd", "scaling", "replicas"), _INSTANCE),
               "queue", _fluentd_buffer, _LOGGING + "fluentd_types.go"),
        Family(OperatorKind("logging.banzaicloud.io", "FluentbitAgent", (), _INSTANCE),
               "shipper", _agent_buffers, _LOGGING + "common_types.go", _logging_of,
               rebuilt="read positions and chunks in flight, read again from the node's logs"),
        Family(OperatorKind("workspace.devfile.io", "DevWorkspace", (),
                            "controller.devfile.io/devworkspace_name"),
               "workspace", _devworkspace, _DEVWORKSPACE),
        Family(OperatorKind("k8s.chia.net", "ChiaDataLayer", (), _INSTANCE), "database",
               _chia_datalayer, _CHIA, custom_references),
        Family(OperatorKind("prefect.io", "PrefectServer", (), _INSTANCE), "application",
               _prefect_server, _PREFECT, custom_references, _named("{}")),
        Family(OperatorKind("kaito.sh", "RAGEngine", (), _INSTANCE), "index", _rag_engine,
               _KAITO_RAG, custom_references),
        Family(OperatorKind("m4e.krestomat.io", "Moodle", ("spec", "moodleSize"), "app"),
               "application", _moodledata, _MOODLE),
        Family(OperatorKind("kaniop.rs", "Kanidm", (), _INSTANCE), "database", _kanidm, _KANIOP,
               custom_references, _named("{}")),
        Family(OperatorKind("observability.open-cluster-management.io",
                            "MultiClusterObservability", (), _INSTANCE),
               "monitoring", _multicluster_observability, _MCO),
        *(Family(OperatorKind(group, kind, (), _INSTANCE), "job", _koku_reports, _KOKU,
                 rebuilt_by=_koku_uploaded)
          for group, kind in (("koku-metrics-cfg.openshift.io", "KokuMetricsConfig"),
                              ("costmanagement-metrics-cfg.openshift.io",
                               "CostManagementMetricsConfig"))),
        Family(OperatorKind("pubsubplus.solace.com", "PubSubPlusEventBroker", (), _INSTANCE),
               "queue", _pubsubplus, _PUBSUBPLUS, services=_named("{}-pubsubplus")),
        Family(OperatorKind("redpanda.vectorized.io", "Cluster", ("spec", "replicas"), _INSTANCE),
               "queue", _redpanda_cluster, _REDPANDA_V1,
               services=_named("{}", "{}-cluster", "{}-external")),
        Family(OperatorKind("cluster.redpanda.com", "Redpanda",
                            ("spec", "clusterSpec", "statefulset", "replicas"), _INSTANCE),
               "queue", _redpanda, _REDPANDA_V2, services=_named("{}", "{}-external")),
        *(Family(OperatorKind(group, "Console", ("spec", "deployment", "replicas"), _INSTANCE),
                 "ui", _none, _CONSOLE, custom_references, _named("{}", "{}-console"))
          for group in ("redpanda.vectorized.io", "cluster.redpanda.com")),
        Family(OperatorKind("grafana.integreatly.org", "Grafana",
                            ("spec", "deployment", "spec", "replicas"), "app"),
               "dashboards", _grafana, _GRAFANA, services=_named("{}-service")),
        Family(OperatorKind("operator.victoriametrics.com", "VMAlert", ("spec", "replicaCount"),
                            _INSTANCE),
               "rule evaluator", _none, _VM + "vmalert_types.go", services=_named("vmalert-{}")),
        Family(OperatorKind("operator.victoriametrics.com", "VMAuth", ("spec", "replicaCount"),
                            _INSTANCE),
               "proxy", _none, _VM + "vmauth_types.go", services=_named("vmauth-{}")),
        Family(OperatorKind("mongodb.com", "MongoDB", ("spec", "members"), "app"), "database",
               _mongodb_enterprise, _MONGODB, services=_named("{}-svc")),
        Family(OperatorKind("stackgres.io", "SGCluster", ("spec", "instances"), "stackgres.io/cluster-name"),
               "database", _stackgres, _STACKGRES, custom_references,
               _named("{}", "{}-primary", "{}-replicas")),
        Family(OperatorKind("ps.percona.com", "PerconaServerMySQL", ("spec", "mysql", "size"), _INSTANCE),
               "database", _percona_ps, _PERCONA_PS,
               services=_named("{}-mysql", "{}-mysql-primary", "{}-haproxy", "{}-router")),
        Family(OperatorKind("registry.apicur.io", "ApicurioRegistry", ("spec", "deployment", "replicas"),
                            "apicur.io/name"),
               "registry", _apicurio, _APICURIO, services=_named("{}-service")),
        Family(OperatorKind("tempo.grafana.com", "TempoStack", (), _INSTANCE), "tracing",
               _tempo_stack, _TEMPO_STACK,
               services=_named("tempo-{}-distributor", "tempo-{}-query-frontend", "tempo-{}-gateway")),
        Family(OperatorKind("loki.grafana.com", "LokiStack", (), _INSTANCE), "logs", _loki_stack,
               _LOKI, services=_named("{}-gateway-http", "{}-distributor-http",
                                      "{}-query-frontend-http")),
        Family(OperatorKind("couchbase.com", "CouchbaseCluster", ("spec", "servers", "*", "size"),
                            "couchbase_cluster"),
               "database", _couchbase, _COUCHBASE, services=_named("{}", "{}-srv", "{}-ui")),
        Family(OperatorKind("app.redislabs.com", "RedisEnterpriseCluster", ("spec", "nodes"),
                            "redis.io/cluster"),
               "database", _redis_enterprise, _REDIS_ENTERPRISE, services=_named("{}", "{}-ui")),
        Family(OperatorKind("ceph.rook.io", "CephCluster", (), "rook_cluster"), "objects", _ceph,
               _ROOK),
        Family(OperatorKind("operator.etcd.io", "EtcdCluster", ("spec", "size"), "app"),
               "database", _etcd, _ETCD, services=_named("{}")),
        Family(OperatorKind("etcd.database.coreos.com", "EtcdCluster", ("spec", "size"),
                            "etcd_cluster"),
               "database", _etcd_coreos, _ETCD_COREOS, services=_named("{}-client", "{}")),
        Family(OperatorKind("vault.banzaicloud.com", "Vault", ("spec", "size"), "vault_cr"),
               "secrets", _vault, _VAULT, services=_named("{}")),
        Family(OperatorKind("opentelemetry.io", "OpenTelemetryCollector", ("spec", "replicas"),
                            _INSTANCE),
               "collector", _none, _OTEL, _collector_refs, _named("{}-collector")),
        Family(OperatorKind("k8s.keycloak.org", "KeycloakRealmImport", (), _INSTANCE),
               "realm import", _none, "https://www.keycloak.org/operator/realm-import",
               _realm_target),
        Family(OperatorKind("agent.k8s.elastic.co", "Agent", ("spec", "deployment", "replicas"),
                            "agent.k8s.elastic.co/name"),
               "shipper", _none, _ECK + "k8s-elastic-agent.html", _agent_refs,
               _named("{}-agent-http")),
        *(Family(OperatorKind(group, kind, ("spec", "count"), label), role, _none, _ECK + page,
                 elastic_refs, _named(service))
          for group, kind, label, role, page, service in (
              ("enterprisesearch.k8s.elastic.co", "EnterpriseSearch",
               "enterprisesearch.k8s.elastic.co/name", "search ui", "k8s-enterprise-search.html",
               "{}-ent-http"),
              ("apm.k8s.elastic.co", "ApmServer", "apm.k8s.elastic.co/name", "tracing",
               "k8s-apm-server.html", "{}-apm-http"),
              ("maps.k8s.elastic.co", "ElasticMapsServer", "maps.k8s.elastic.co/name", "maps",
               "k8s-maps.html", "{}-ems-http"))),
    ]  # fmt: skip


for _family in _kinds():
    register_family(_family)
