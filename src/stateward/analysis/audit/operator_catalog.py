"""More operator families: widely used operators of observability, streaming, databases and
identity, each read from the operator's own CRD source or documentation (cited per family).

What matters most is the operator's *default*: a ``VMSingle``, ``VMAlertmanager`` or EMQX core
that asks for no storage gets an emptyDir, a ``TempoMonolithic`` or ``Jaeger`` keeps its traces in
memory, while a ``ZookeeperCluster`` or a KubeDB database asks for a claim by itself (20Gi;
``storageType: Durable``). Resources that run no store of their own (Kafka Connect, a Flink
session job, Keycloak) are components for the edges they name: the Kafka bootstrap Service, the
Flink deployment, the database host.

Registered like a plugin's families (:func:`~stateward.analysis.audit.operators.register_family`),
so the tables of :mod:`.operators` stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from stateward.analysis.audit.custom import host_refs
from stateward.analysis.audit.operators import FAMILIES, Family, Reference, register_family
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_list, as_map, dig

__all__: list[str] = []

Refs = Callable[[Mapping[str, Any]], list[Reference]]


def _size(quantity: Any) -> dict[str, Any]:
    return {"resources": {"requests": {"storage": str(quantity)}}}


def _named(*patterns: str) -> Callable[[str, Mapping[str, Any]], list[str]]:
    return lambda name, body: [p.format(name) for p in patterns]


# VictoriaMetrics operator StorageSpec: "If neither `emptyDir` nor `volumeClaimTemplate` is
# specified, then by default an EmptyDir will be used" (api/operator/v1beta1/vmextra_types.go);
# a VMSingle's spec.storage is a claim spec, "by default it`s empty dir", unless storageDataPath
# points into volumes of the user's own (vmsingle_types.go).
_VM = "https://github.com/VictoriaMetrics/operator/blob/d0d258c86b5aed0df47dd2b3c52c5a97e40e6b48/api/operator/v1beta1/"


def _storage_spec(path: str, spec: Any) -> list[Storage]:
    template = as_map(dig(spec, "volumeClaimTemplate", "spec"))
    if template and "emptyDir" not in as_map(spec):
        return [Storage(f"{path}/volumeClaimTemplate", template, "claim template")]
    return [Storage(path, None, "no claim template: the operator mounts an emptyDir")]


def _vmsingle(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    if spec.get("storageDataPath"):
        claims = [
            as_map(v) for v in as_list(spec.get("volumes")) if "persistentVolumeClaim" in as_map(v)
        ]
        if claims:
            return [
                Storage("/spec/volumes", {}, f"storageDataPath on volume {claims[0].get('name')}")
            ]
        return [Storage("/spec/storageDataPath", None, "storageDataPath on no claim")]
    if as_map(spec.get("storage")):
        return [Storage("/spec/storage", as_map(spec["storage"]), "storage")]
    return [Storage("/spec/storage", None, "no storage: the operator mounts an emptyDir")]


def _vmcluster(body: Mapping[str, Any]) -> list[Storage]:
    vmstorage = dig(body, "spec", "vmstorage")
    if not isinstance(vmstorage, Mapping):
        return []
    return _storage_spec("/spec/vmstorage/storage", vmstorage.get("storage"))


def _vmalertmanager(body: Mapping[str, Any]) -> list[Storage]:
    return _storage_spec("/spec/storage", dig(body, "spec", "storage"))


# Tempo operator TempoMonolithic: spec.storage.traces.backend defaults to memory, "storing traces
# in a tmpfs" of 2Gi; pv is a claim of 10Gi by default; s3, azure and gcs keep them in a bucket.
# api/tempo/v1alpha1/tempomonolithic_types.go and tempomonolithic_defaults.go
_TEMPO = "https://github.com/grafana/tempo-operator/blob/049c8f2404158fbe719d908e0b918e9a0df3c643/api/tempo/v1alpha1/tempomonolithic_types.go"


def _tempo_monolithic(body: Mapping[str, Any]) -> list[Storage]:
    traces = as_map(dig(body, "spec", "storage", "traces"))
    backend = str(traces.get("backend") or "memory")
    path = "/spec/storage/traces"
    if backend == "memory":
        size = traces.get("size") or "2Gi"
        return [Storage(path, None, f"backend memory (the default): traces on a {size} tmpfs")]
    if backend == "pv":
        return [Storage(path, _size(traces.get("size") or "10Gi"), "backend pv")]
    return []  # object storage: the bucket keeps the traces


# Jaeger operator: "JaegerMemoryStorage ... This is the default storage type" (apis/v1/
# jaeger_types.go); badger keeps spans in a temporary directory unless badger.ephemeral is false
# (https://www.jaegertracing.io/docs/1.62/deployment/#badger---local-storage); Cassandra,
# Elasticsearch, Kafka and gRPC plugins are stores outside the Jaeger pods.
_JAEGER = "https://github.com/jaegertracing/jaeger-operator/blob/87d8ae049d910a65015a14c409dbdd1a8e561099/apis/v1/jaeger_types.go"


def _option(options: Mapping[str, Any], prefix: str, key: str) -> Any:
    """A Jaeger storage option, flat (``es.server-urls``) or nested (``es: {server-urls}``)."""
    return options.get(f"{prefix}.{key}", as_map(options.get(prefix)).get(key))


def _jaeger(body: Mapping[str, Any]) -> list[Storage]:
    storage = as_map(dig(body, "spec", "storage"))
    kind = str(storage.get("type") or "memory").lower()
    if kind == "memory":
        return [Storage("/spec/storage/type", None, "storage type memory (the default)")]
    if kind != "badger":
        return []
    if str(_option(as_map(storage.get("options")), "badger", "ephemeral")).lower() != "false":
        return [Storage("/spec/storage/options", None, "badger ephemeral (the default)")]
    volumes = as_list(dig(body, "spec", "volumes")) + as_list(
        dig(body, "spec", "allInOne", "volumes")
    )
    if any("persistentVolumeClaim" in as_map(v) for v in volumes):
        return [Storage("/spec/volumes", {}, "badger directory on a claim")]
    return [Storage("/spec/storage/options", None, "badger directory on no claim")]


def _jaeger_refs(body: Mapping[str, Any]) -> list[Reference]:
    options = as_map(dig(body, "spec", "storage", "options"))
    return [
        *host_refs(_option(options, "es", "server-urls"), "spec.storage.options.es.server-urls"),
        *host_refs(
            _option(options, "cassandra", "servers"), "spec.storage.options.cassandra.servers"
        ),
    ]


# Pravega zookeeper-operator: "Default StorageType is Persistence storage", with a claim of
# DefaultZookeeperCacheVolumeSize (20Gi) unless persistence.spec says otherwise; storageType
# ephemeral is an emptyDir. api/v1beta1/zookeepercluster_types.go
_ZOOKEEPER = "https://github.com/pravega/zookeeper-operator/blob/462635bcc436dc9da7573119693743068ec3394d/api/v1beta1/zookeepercluster_types.go"


def _zookeeper(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    if str(spec.get("storageType", "")).lower() == "ephemeral":
        return [Storage("/spec/storageType", None, "storageType ephemeral: an emptyDir")]
    claim = as_map(dig(spec, "persistence", "spec"))
    if dig(claim, "resources", "requests", "storage"):
        return [Storage("/spec/persistence/spec", claim, "persistence")]
    return [Storage("/spec/persistence", {**claim, **_size("20Gi")}, "default persistence claim")]


# KubeDB: "StorageTypeDurable ... default storage type and requires spec.storage to be
# configured", StorageTypeEphemeral "Uses emptyDir as storage"; a topology (Elasticsearch) or
# sharded MongoDB declares storage per node kind. apis/kubedb/v1/types.go
_KUBEDB = "https://github.com/kubedb/apimachinery/blob/104ef5739e1d7a54c0afb6c4c04700c04a3203c5/apis/kubedb/v1/types.go"


def _kubedb(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    if spec.get("storageType") == "Ephemeral":
        return [Storage("/spec/storageType", None, "storageType Ephemeral: an emptyDir")]
    nodes = [("/spec", spec)] + [
        (f"/spec/{key}/{name}", as_map(node))
        for key in ("topology", "shardTopology")
        for name, node in as_map(spec.get(key)).items()
    ]
    claims = [
        Storage(f"{path}/storage", as_map(node["storage"]), "storage")
        for path, node in nodes
        if as_map(node.get("storage"))
    ]
    return claims or [Storage("/spec/storage", _size("?"), "storageType Durable (the default)")]


# EMQX operator (apps.emqx.io/v2beta1): the core nodes' data directory is a claim when
# coreTemplate.spec.volumeClaimTemplates is set, otherwise an emptyDir.
# controllers/apps/v2beta1/add_emqx_core.go
_EMQX = "https://github.com/emqx/emqx-operator/blob/2ca6a10d73e14bdaada8ee95603ddeddf114302d/controllers/apps/v2beta1/add_emqx_core.go"


def _emqx(body: Mapping[str, Any]) -> list[Storage]:
    path = "/spec/coreTemplate/spec"
    claim = as_map(dig(body, "spec", "coreTemplate", "spec", "volumeClaimTemplates"))
    if claim:
        return [Storage(f"{path}/volumeClaimTemplates", claim, "core volumeClaimTemplates")]
    return [Storage(path, None, "no volumeClaimTemplates: the core nodes' data is an emptyDir")]


# CockroachDB operator CrdbCluster: spec.dataStore is a claim (pvc.spec) or a hostPath
# (apis/v1alpha1/cluster_types.go). The operator writes the CA and node certificates to
# <name>-node and the root client's to <name>-root, which client pods mount
# (pkg/resource/cluster.go NodeTLSSecretName and ClientTLSSecretName at the same commit;
# examples/client-secure-operator.yaml).
_CRDB = "https://github.com/cockroachdb/cockroach-operator/blob/f019f0eb00ec0b4bbb248bc872c301d994484fef/apis/v1alpha1/cluster_types.go"


def _cockroach(body: Mapping[str, Any]) -> list[Storage]:
    store = as_map(dig(body, "spec", "dataStore"))
    claim = as_map(dig(store, "pvc", "spec"))
    if claim:
        return [Storage("/spec/dataStore/pvc/spec", claim, "dataStore claim")]
    if "hostPath" in store:
        return [Storage("/spec/dataStore/hostPath", {}, "dataStore hostPath on each node")]
    return []


# Strimzi Kafka Connect, MirrorMaker 2 and the HTTP bridge keep their offsets and configuration
# in Kafka topics; they reach the clusters in their bootstrapServers.
# https://strimzi.io/docs/operators/latest/configuring.html
_STRIMZI = "https://strimzi.io/docs/operators/latest/configuring.html"


def _bootstrap_refs(body: Mapping[str, Any]) -> list[Reference]:
    spec = as_map(body.get("spec"))
    found = list(host_refs(spec.get("bootstrapServers"), "spec.bootstrapServers"))
    for i, cluster in enumerate(as_list(spec.get("clusters"))):
        servers = as_map(cluster).get("bootstrapServers")
        found += host_refs(servers, f"spec.clusters[{i}].bootstrapServers")
    for side in ("target", "source"):
        servers = dig(spec, side, "bootstrapServers")
        found += host_refs(servers, f"spec.{side}.bootstrapServers")
    return found


# Flink Kubernetes Operator: a FlinkSessionJob runs in the session cluster its spec.deploymentName
# names (FlinkSessionJobSpec.java); a FlinkDeployment's job state goes to the checkpoint and
# savepoint directories its configuration names, outside its pods.
_FLINK = "https://github.com/apache/flink-kubernetes-operator/blob/6e9caeb48118934f4311534725196c52159eaa21/flink-kubernetes-operator-api/src/main/java/org/apache/flink/kubernetes/operator/api/spec/FlinkSessionJobSpec.java"


def _flink_session(body: Mapping[str, Any]) -> list[Reference]:
    name = dig(body, "spec", "deploymentName")
    return [Reference("FlinkDeployment", str(name), "", "spec.deploymentName")] if name else []


# Keycloak operator: the Keycloak keeps its realms and users in the database at spec.db.host.
# https://www.keycloak.org/operator/basic-deployment
_KEYCLOAK = "https://www.keycloak.org/operator/basic-deployment"


def _keycloak_refs(body: Mapping[str, Any]) -> list[Reference]:
    return list(host_refs(dig(body, "spec", "db", "host"), "spec.db.host"))


def _none(body: Mapping[str, Any]) -> list[Storage]:
    return []


# Thanos operator: each kind asks for a claim of ``storage.size`` (ThanosReceive per hashring of
# its ingesters; api/v1alpha1/*_types.go), but only Receive's head blocks and Ruler's rule
# results are on it alone until uploaded. The Store gateway keeps "a small amount of information
# about all remote blocks ... generally safe to delete across restarts"
# (https://github.com/thanos-io/thanos/blob/e3c1f5f43360cbb05bc289219e12edc5ecfca73a/docs/components/store.md),
# the Compactor "intermediate data for its processing as well as bucket state cache"
# (https://github.com/thanos-io/thanos/blob/ef0f7fab7e31eacd333c8533ad3f909c4c408719/docs/components/compact.md):
# both read again from the bucket. A ThanosQuery keeps nothing.
_THANOS = "https://github.com/thanos-community/thanos-operator/blob/8bd18cc3c430be4a64a659a11b51ecd504bcec3b/api/v1alpha1/"
_BUCKET = "the object storage bucket it reads its blocks from"


def _thanos_storage(body: Mapping[str, Any]) -> list[Storage]:
    size = dig(body, "spec", "storage", "size")
    return [Storage("/spec/storage", _size(size), "storage")] if size else []


def _thanos_receive(body: Mapping[str, Any]) -> list[Storage]:
    hashrings = as_list(dig(body, "spec", "ingesterSpec", "hashrings"))
    return [
        Storage(f"/spec/ingesterSpec/hashrings/{i}/storage", _size(size), "ingester storage")
        for i, ring in enumerate(hashrings)
        if (size := dig(ring, "storage", "size"))
    ]


# Google's Airflow operator (airflow.k8s.io, archived): an AirflowBase runs Airflow's metadata
# database, MySQL or PostgreSQL, on a claim only when spec.mysql or spec.postgres has a
# volumeClaimTemplate, and on an emptyDir otherwise (templates/mysql-sts.yaml,
# templates/postgres-sts.yaml: ``{{if ...VolumeClaimTemplate}} {{else}} volumes: - emptyDir``);
# spec.storage adds an NFS file server for the cluster's shared files, on
# spec.storage.volumeClaimTemplate else an emptyDir (templates/nfs-sts.yaml); spec.sqlproxy
# reaches a Cloud SQL instance, which keeps the database outside the cluster
# (pkg/apis/airflow/v1alpha1/airflowbase_types.go). An AirflowCluster's scheduler, workers, UI
# and Redis broker run on the base its spec.airflowbase names (airflowcluster_types.go); the
# broker's queue is sent again from the task states in the base's database.
_AIRFLOW = "https://github.com/GoogleCloudPlatform/airflow-operator/blob/13d25fa355d833d01cab69dec647d75cfe02cc3e/"


def _airflow_base(body: Mapping[str, Any]) -> list[Storage]:
    found = []
    for key in ("mysql", "postgres", "storage"):
        spec = dig(body, "spec", key)
        if not isinstance(spec, Mapping):
            continue
        template = as_map(dig(spec, "volumeClaimTemplate", "spec"))
        path = f"/spec/{key}/volumeClaimTemplate"
        found.append(
            Storage(path, template, f"{key} volumeClaimTemplate")
            if template
            else Storage(f"/spec/{key}", None, f"{key}: no volumeClaimTemplate, an emptyDir")
        )
    return found


def _airflow_cluster_refs(body: Mapping[str, Any]) -> list[Reference]:
    name = dig(body, "spec", "airflowbase", "name")
    return [Reference("AirflowBase", str(name), "", "spec.airflowbase.name")] if name else []


# OpenStack's operators (openstack-k8s-operators) keep each service's records in the MariaDB
# their spec.databaseInstance names; the claims some services ask for hold what is made again
# from those records. An Ironic's conductors each get a claim of storageRequest at
# /var/lib/ironic (api/v1beta1/ironicconductor_types.go, internal/ironicconductor/volumes.go):
# deploy images, HTTP and TFTP boot files and the master image cache, fetched again from the
# Image service for the next deployment (``[pxe]images_path``, ``instance_master_path``:
# https://docs.openstack.org/ironic/latest/configuration/config.html). A Designate's BIND9
# backend keeps its zone files on a claim at /var/named-persistent
# (internal/designatebackendbind9/volumes.go), written from the zones in Designate's database,
# which designate-mdns transfers to the DNS servers
# (https://docs.openstack.org/designate/latest/contributor/architecture.html).
_IRONIC = "https://github.com/openstack-k8s-operators/ironic-operator/blob/66f6112fc035e396464299851012b4fa7d6df85b/api/v1beta1/ironicconductor_types.go"
_DESIGNATE = "https://github.com/openstack-k8s-operators/designate-operator/blob/bc820e193cf5ff4f2480f875346b0c5628860367/api/v1beta1/designatebackendbind9_types.go"
_OPENSTACK_DB = "the service's records in the MariaDB its databaseInstance names"


def _requested(path: str, spec: Any, storage_class: Any, text: str) -> list[Storage]:
    """A claim an OpenStack service spec asks for by ``storageRequest`` (none without one)."""
    request = as_map(spec).get("storageRequest")
    if not request:
        return []
    claim = {**_size(request), **({"storageClassName": storage_class} if storage_class else {})}
    return [Storage(f"{path}/storageRequest", claim, text)]


def _ironic(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    return [
        found
        for i, conductor in enumerate(as_list(spec.get("ironicConductors")))
        for found in _requested(
            f"/spec/ironicConductors/{i}",
            conductor,
            as_map(conductor).get("storageClass") or spec.get("storageClass"),
            "conductor storageRequest at /var/lib/ironic",
        )
    ]


def _designate(body: Mapping[str, Any]) -> list[Storage]:
    bind = as_map(dig(body, "spec", "designateBackendbind9"))
    where = "/spec/designateBackendbind9"
    return _requested(where, bind, bind.get("storageClass"), "BIND9 zone files storageRequest")


# Apache Uniffle, a remote shuffle service: its shuffle servers "receive the shuffle data, merge
# them and write to storage" for the running jobs of the engines that push it (README.md), and
# drop an application's data once it sends no heartbeat (rss.server.app.expired.withoutHeartbeat,
# docs/server_guide.md); a lost shuffle file is recomputed by the engine's stage retry. The
# RemoteShuffleService's shuffleServer.volumeClaimTemplates give each server its claims
# (deploy/kubernetes/operator/api/uniffle/v1alpha1/remoteshuffleservice_types.go).
_UNIFFLE = (
    "https://github.com/apache/incubator-uniffle/blob/b7969b47a2cd723414c1a37bd9467ef78045ed49/"
)


def _uniffle(body: Mapping[str, Any]) -> list[Storage]:
    path = "/spec/shuffleServer/volumeClaimTemplates"
    return [
        Storage(f"{path}/{i}", as_map(as_map(template).get("spec")), "shuffle server claim")
        for i, template in enumerate(
            as_list(dig(body, "spec", "shuffleServer", "volumeClaimTemplates"))
        )
    ]


# dev4devs' PostgreSQL operator (postgresql.dev4devs.com): a Database runs PostgreSQL with its
# data at /var/lib/pgsql/data on a claim of databaseStorageRequest, 1Gi by default
# (pkg/resource/deployments.go, pkg/resource/pvs.go, pkg/config/database.go); a Backup is a
# CronJob dumping the Database its databaseCRName names, "database" by default
# (pkg/config/backup.go, pkg/utils/backup_mandatory_specs.go), to an S3 bucket: it keeps
# nothing of its own.
_DEV4DEVS = "https://github.com/dev4devs-com/postgresql-operator/blob/c71c742743270ded079188ada7ced2132b7c820f/"


def _dev4devs_database(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
    request = spec.get("databaseStorageRequest")
    text = "databaseStorageRequest" if request else "default claim (databaseStorageRequest)"
    return [Storage("/spec/databaseStorageRequest", _size(request or "1Gi"), text)]


def _dev4devs_backup_refs(body: Mapping[str, Any]) -> list[Reference]:
    name = dig(body, "spec", "databaseCRName")
    where = "spec.databaseCRName" if name else "spec.databaseCRName (default database)"
    return [Reference("Database", str(name or "database"), "", where)]


# Kotal (https://github.com/kotalco/kotal at 74f7bc5a94b58b31fc9c6776f599f76ea433dfeb): the
# operator gives every node it runs a PersistentVolumeClaim of ``spec.resources.storage``
# (controllers/ipfs/peer_controller.go, cluster_peer_controller.go,
# controllers/ethereum2/validator_controller.go) and puts the client's data directory on it
# (clients/ipfs/kubo_client.go: IPFS_PATH; go_ipfs_cluster_client.go: IPFS_CLUSTER_PATH;
# clients/ethereum2/lighthouse_validator_client.go: --datadir). Only the kinds whose directory no
# peer refills are listed: an IPFS Peer's blocks, pins and key, a ClusterPeer's pinset, a
# Validator's slashing-protection database (what it has signed); a beacon or execution node's
# chain is re-synced from its network. Each is reached at a Service of its own name.
_KOTAL = "https://github.com/kotalco/kotal/blob/74f7bc5a94b58b31fc9c6776f599f76ea433dfeb/"


def _kotal_storage(default: str) -> Callable[[Mapping[str, Any]], list[Storage]]:
    def storage(body: Mapping[str, Any]) -> list[Storage]:
        request = dig(body, "spec", "resources", "storage")
        text = "resources.storage" if request else f"default claim ({default})"
        return [Storage("/spec/resources/storage", _size(request or default), text)]

    return storage


def _kotal_refs(*fields: str) -> Refs:
    """The peers named by the multiaddresses or URLs in ``fields`` of the spec."""

    def refs(body: Mapping[str, Any]) -> list[Reference]:
        spec = as_map(body.get("spec"))
        found: list[Reference] = []
        for field in fields:
            for value in as_list(spec.get(field)) or [spec.get(field)]:
                # A multiaddress (/dns4/host/tcp/5001) names its host after the protocol.
                parts = str(value or "").split("/")
                host = parts[2] if str(value).startswith("/dns") and len(parts) > 2 else value
                found += host_refs(host, f"spec.{field}")
        return found

    return refs


# lexfrei's minecraft-operator runs each PaperMCServer as a one-replica StatefulSet whose pod
# template mounts the claim template ``data`` at ``/data``, always ``defaultStorageSize`` (10Gi):
# the spec has no storage field, so the resource never names the claim that keeps its worlds,
# player data and plugins (internal/controller/papermcserver_controller.go,
# ``buildVolumeClaimTemplates``); its pods carry ``app.kubernetes.io/instance: <name>`` and
# ``app.kubernetes.io/name: papermc`` (internal/controller/labels.go). A ``Plugin`` runs no pod
# of its own (it is downloaded into the servers it selects): no component.
_PAPERMC = "https://github.com/lexfrei/minecraft-operator/blob/3e1f93cbe9b7fe30505abbc7d1cb78a01ae2f348/internal/controller/papermcserver_controller.go"


def _papermc(body: Mapping[str, Any]) -> list[Storage]:
    claim = {**_size("10Gi"), "accessModes": ["ReadWriteOnce"]}
    return [Storage("/spec", claim, "claim template data (10Gi) the controller adds")]


# Amadeus' Redis-Operator runs a RedisCluster's nodes from ``spec.podTemplate`` (its pods
# labelled ``redis-operator.k8s.io/cluster-name``: pkg/api/redis/v1/const.go), and its node
# image's configuration keeps the keys in memory only: every ``save`` line commented out,
# ``appendonly no``, ``dir /redis-data`` (docker/redisnode/redis-cluster.conf). So whatever
# volume the template mounts there holds no copy: the cluster's keys are lost with it, replicas
# aside. A template naming an image of its own may configure otherwise; its claim is read then.
_AMADEUS = "https://github.com/AmadeusITGroup/Redis-Operator/blob/f651441f33d720882f9db1a81ee5fba9a29a73c6/"
_REDISNODE = "redisoperator/redisnode"


def _amadeus_redis(body: Mapping[str, Any]) -> list[Storage]:
    template = as_map(dig(body, "spec", "podTemplate", "spec"))
    images = {str(as_map(c).get("image", "")) for c in as_list(template.get("containers"))}
    if images and not all(_REDISNODE in image for image in images):
        claims = [as_map(v) for v in as_list(template.get("volumes"))
                  if "persistentVolumeClaim" in as_map(v)]  # fmt: skip
        if claims:
            return [Storage("/spec/podTemplate/spec/volumes", {}, "a claim in the pod template")]
    return [Storage("/spec/podTemplate", None, "the node image keeps no RDB nor AOF: in memory")]


_INSTANCE = "app.kubernetes.io/instance"
_PGO = FAMILIES[("postgres-operator.crunchydata.com", "PostgresCluster")]

# 3scale's SaaS operator (saas.3scale.net RedisShard, "testing purpose only" in its README): a
# redis-server StatefulSet of slaveCount + 1 pods (slaveCount 2 by default) whose /data is the
# emptyDir redis-data, whatever its spec; pods labelled redis-shard=<name>, Service
# redis-shard-<name> (pkg/generators/redisshard/statefulset.go, generator.go).
_REDIS_SHARD = "https://github.com/3scale-ops/saas-operator/blob/a10ed06aaf25ea75bab159132f49b60b988a3f70/pkg/generators/redisshard/statefulset.go"


def _redis_shard(body: Mapping[str, Any]) -> list[Storage]:
    return [Storage("/spec", None, "redis-server's /data on the emptyDir redis-data")]


for _family in (
    Family(OperatorKind("operator.victoriametrics.com", "VMSingle", ("spec", "replicaCount"), _INSTANCE),
           "monitoring", _vmsingle, _VM + "vmsingle_types.go", services=_named("vmsingle-{}")),
    Family(OperatorKind("operator.victoriametrics.com", "VMCluster",
                 ("spec", "vmstorage", "replicaCount"), _INSTANCE),
           "monitoring", _vmcluster, _VM + "vmcluster_types.go",
           services=_named("vmstorage-{}", "vmselect-{}", "vminsert-{}")),
    Family(OperatorKind("operator.victoriametrics.com", "VMAlertmanager", ("spec", "replicaCount"),
                 _INSTANCE),
           "alerting", _vmalertmanager, _VM + "vmalertmanager_types.go",
           services=_named("vmalertmanager-{}")),
    Family(OperatorKind("tempo.grafana.com", "TempoMonolithic", (), _INSTANCE), "tracing",
           _tempo_monolithic, _TEMPO, services=_named("tempo-{}")),
    Family(OperatorKind("jaegertracing.io", "Jaeger", (), _INSTANCE), "tracing", _jaeger, _JAEGER,
           _jaeger_refs, _named("{}-query", "{}-collector", "{}-collector-headless")),
    Family(OperatorKind("zookeeper.pravega.io", "ZookeeperCluster", ("spec", "replicas"), "app"),
           "coordination", _zookeeper, _ZOOKEEPER,
           services=_named("{}-client", "{}-headless")),
    *(Family(OperatorKind("kubedb.com", kind, ("spec", "replicas"), _INSTANCE), role, _kubedb, _KUBEDB,
             services=_named("{}", "{}-pods"), secrets=_named("{}-auth"))
      for kind, role in (("Postgres", "database"), ("MySQL", "database"), ("MariaDB", "database"),
                         ("MongoDB", "database"), ("Redis", "database"),
                         ("Elasticsearch", "index"))),
    Family(OperatorKind("apps.emqx.io", "EMQX", ("spec", "coreTemplate", "spec", "replicas"),
                 "apps.emqx.io/instance"),
           "queue", _emqx, _EMQX, services=_named("{}-listeners", "{}-dashboard", "{}-headless")),
    Family(OperatorKind("crdb.cockroachlabs.com", "CrdbCluster", ("spec", "nodes"), _INSTANCE),
           "database", _cockroach, _CRDB, services=_named("{}", "{}-public"),
           secrets=_named("{}-node", "{}-root")),
    Family(OperatorKind("pgv2.percona.com", "PerconaPGCluster", ("spec", "instances", "*", "replicas"),
                 "postgres-operator.crunchydata.com/cluster"),
           "database", _PGO.storage,
           "https://github.com/percona/percona-postgresql-operator/blob/adafb34ff17cb2df8b491d725cccdd46c0607d44/pkg/apis/pgv2.percona.com/v2/perconapgcluster_types.go",
           services=_named("{}-primary", "{}-replicas", "{}-pgbouncer", "{}-ha"),
           secrets=_PGO.secrets),
    *(Family(OperatorKind("kafka.strimzi.io", kind, ("spec", "replicas"), "strimzi.io/cluster"), role,
             _none, _STRIMZI, _bootstrap_refs, _named(service))
      for kind, role, service in (("KafkaConnect", "connector", "{}-connect-api"),
                                  ("KafkaMirrorMaker2", "replication", "{}-mirrormaker2-api"),
                                  ("KafkaBridge", "proxy", "{}-bridge-service"))),
    Family(OperatorKind("flink.apache.org", "FlinkDeployment", ("spec", "jobManager", "replicas"), "app"),
           "stream processing", _none, _FLINK, services=_named("{}-rest")),
    # A session job has no pods of its own: it runs in its session cluster's.
    Family(OperatorKind("flink.apache.org", "FlinkSessionJob", (), "app"), "job", _none, _FLINK,
           _flink_session),
    Family(OperatorKind("k8s.keycloak.org", "Keycloak", ("spec", "instances"), _INSTANCE), "identity",
           _none, _KEYCLOAK, _keycloak_refs, _named("{}-service", "{}-discovery")),
    Family(OperatorKind("monitoring.thanos.io", "ThanosReceive",
                 ("spec", "ingesterSpec", "hashrings", "*", "replicas"), _INSTANCE),
           "monitoring", _thanos_receive, _THANOS + "thanosreceive_types.go"),
    Family(OperatorKind("monitoring.thanos.io", "ThanosRuler", ("spec", "replicas"), _INSTANCE),
           "alerting", _thanos_storage, _THANOS + "thanosruler_types.go"),
    Family(OperatorKind("monitoring.thanos.io", "ThanosStore", ("spec", "replicas"), _INSTANCE),
           "monitoring", _thanos_storage, _THANOS + "thanosstore_types.go", rebuilt=_BUCKET),
    Family(OperatorKind("monitoring.thanos.io", "ThanosCompact", (), _INSTANCE),
           "monitoring", _thanos_storage, _THANOS + "thanoscompact_types.go", rebuilt=_BUCKET),
    Family(OperatorKind("monitoring.thanos.io", "ThanosQuery", ("spec", "replicas"), _INSTANCE),
           "monitoring", _none, _THANOS + "thanosquery_types.go"),
    Family(OperatorKind("airflow.k8s.io", "AirflowBase", (), _INSTANCE), "database",
           _airflow_base, _AIRFLOW + "pkg/apis/airflow/v1alpha1/airflowbase_types.go"),
    Family(OperatorKind("airflow.k8s.io", "AirflowCluster", ("spec", "scheduler", "replicas"),
                        _INSTANCE),
           "workflow", _none, _AIRFLOW + "pkg/apis/airflow/v1alpha1/airflowcluster_types.go",
           _airflow_cluster_refs),
    Family(OperatorKind("postgresql.dev4devs.com", "Database", ("spec", "size"), _INSTANCE),
           "database", _dev4devs_database, _DEV4DEVS + "pkg/resource/pvs.go"),
    Family(OperatorKind("postgresql.dev4devs.com", "Backup", (), _INSTANCE), "backup", _none,
           _DEV4DEVS + "pkg/config/backup.go", _dev4devs_backup_refs),
    Family(OperatorKind("ironic.openstack.org", "Ironic", (), _INSTANCE), "bare metal", _ironic,
           _IRONIC, rebuilt=_OPENSTACK_DB),
    Family(OperatorKind("designate.openstack.org", "Designate",
                        ("spec", "designateBackendbind9", "replicas"), _INSTANCE),
           "dns", _designate, _DESIGNATE, rebuilt=_OPENSTACK_DB),
    Family(OperatorKind("uniffle.apache.org", "RemoteShuffleService",
                        ("spec", "shuffleServer", "replicas"), _INSTANCE),
           "shuffle", _uniffle,
           _UNIFFLE + "deploy/kubernetes/operator/api/uniffle/v1alpha1/remoteshuffleservice_types.go",
           rebuilt="the running jobs' stages, recomputed by the engine (expired with their application)"),
    Family(OperatorKind("ipfs.kotal.io", "Peer", ("spec", "replicas"), _INSTANCE), "objects",
           _kotal_storage("10Gi"), _KOTAL + "controllers/ipfs/peer_controller.go",
           services=_named("{}")),
    Family(OperatorKind("ipfs.kotal.io", "ClusterPeer", ("spec", "replicas"), _INSTANCE), "database",
           _kotal_storage("10Gi"), _KOTAL + "controllers/ipfs/cluster_peer_controller.go",
           _kotal_refs("peerEndpoint", "bootstrapPeers"), _named("{}")),
    Family(OperatorKind("ethereum2.kotal.io", "Validator", ("spec", "replicas"), _INSTANCE),
           "database", _kotal_storage("200Gi"),
           _KOTAL + "controllers/ethereum2/validator_controller.go",
           _kotal_refs("beaconEndpoints"), _named("{}")),
    Family(OperatorKind("mc.k8s.lex.la", "PaperMCServer", (), _INSTANCE,
                        fixed_labels=(("app.kubernetes.io/name", "papermc"),)),
           "game server", _papermc, _PAPERMC, services=_named("{}")),
    Family(OperatorKind("redisoperator.k8s.io", "RedisCluster", ("spec", "numberOfMaster"),
                        "redis-operator.k8s.io/cluster-name"),
           "database", _amadeus_redis, _AMADEUS + "docker/redisnode/redis-cluster.conf"),
    Family(OperatorKind("saas.3scale.net", "RedisShard", (), "redis-shard"), "database",
           _redis_shard, _REDIS_SHARD, services=_named("redis-shard-{}")),
):  # fmt: skip
    register_family(_family)
