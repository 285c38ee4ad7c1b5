"""Custom resources of no known family that declare themselves data systems by their shape.

A resource whose spec asks for no storage may still run a store: the operator decides where its
data goes (a claim of its own size, an emptyDir), and the spec only says that there is data.
Seven readings say so, whatever the operator:

- per-role groups of members, one of them a storage role, each counting them (``replicas``,
  ``nodeCount``: ``datanode: {replicas: 3}``, ``dataNode: {nodeCount: 2}``, ``beSpec``,
  ``starRocksBeSpec``, ``storage``, ``tikv``): the members of a distributed database, whose
  storage nodes hold its records;
- a pool of copies on a storage cluster's disks (``replicated: {size: 3}``,
  ``erasureCoded: {dataChunks: 2}``, ``dataPools``): a block pool, file system or object store;
- a kind named for a database run as a whole (``…DB``, ``…DBCluster``, ``…DBStandalone``)
  that names no cluster it lives in (a ``ShopDatabase`` with a ``clusterRef`` is a logical
  database inside that cluster, whose records the cluster holds; a Secret or configuration it
  names, ``rootPasswordSecretName``, is no such cluster);
- a kind that names a known data-system family run as a whole (``EtcdCluster``, ``Cassandra``,
  ``MySQLServer``, ``ZookeeperEnsemble``), or a whole-system kind (``Cluster``, ``Server``) of
  an API group whose product is one (``etcd.database.coreos.com``): not ``EtcdBackup``,
  ``KafkaTopic`` or ``RedisSentinel``, which act on or watch such a system;
- a kind or an image that names a self-hosted application the catalogue knows to keep its
  users' data (a ``Nextcloud``; ``containers: [{image: gitea/gitea}]``): its uploads,
  repositories or build history are wherever its operator puts them;
- an image of a data family that keeps records (``image: postgres:16``, ``image:
  {repository: bitnami/mongodb}``) on a resource that names no cluster it acts on: operators
  pass the image on to the pods they run for the resource;
- a kind named ``<Product>Cluster`` for a product no family names (``CheCluster``,
  ``LinstorCluster``): the one resource its users write for all its operator runs, unless its
  spec gives its pods' templates, names the datastore its records are kept in, or lists its
  members under a query engine's roles only (``coordinators`` and ``workers``: Trino's).

A resource that names the datastore its records are kept in (``datastoreEngine``, a
``connectionString``, an address under ``persistence``, the HDFS an HBase keeps its tables in)
is that store's client: it holds
nothing, whatever its kind. One whose connection string names an embedded database's file
(``jdbc:derby:;databaseName=/tmp/hive``) keeps its records in its pods' file system, where no
volume is: lost with the pods, whatever its kind (:func:`_embedded_database`).

Where the operator keeps such data is not known: it is read as the operator's default storage,
a claim of unknown size, since replacing the resource loses what its members hold either way;
the finding says that the default is unknown (a family registered with its documented default,
as etcd's two operators are, says what it is).

A kind named for a role that holds nothing of the product (a name server, a proxy, a console,
an exporter, a query coordinator) is no data holder even when its spec carries storage fields,
unless it sizes a volume under a field named for that role, its own (Fabric's ``IBPConsole``
with ``storage: {console: {size: 5Gi}}``,
https://github.com/hyperledger-labs/fabric-operator/blob/10283a697ac1f408e436e9fedcc8dc80541c1e02/config/samples/ibp.com_v1beta1_ibpconsole.yaml);
nor is a resource whose spec picks such a role, or a Sentinel, by its ``type``, ``mode`` or
``role`` (the kvrocks-operator's ``KVRocks`` with ``type: sentinel``). A spec made only of
fields named for such roles, mappings with no field but a member's (``nameserver: {}``), asks
the operator to run those members: the resource is a service holding nothing (Tailscale's
``DNSConfig``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from stateward.analysis.audit.custom import camel_words, peer_references, spec_hosts
from stateward.analysis.audit.knowledge import app_image, data_image
from stateward.analysis.audit.store_kinds import store_kind
from stateward.analysis.audit.workloads import Reference, Storage
from stateward.model.kubernetes import as_list, as_map

__all__ = [
    "word_family",
    "declared_data_system",
    "holds_nothing",
    "runs_member_holding_nothing",
    "runs_role_holding_nothing",
    "keeps_elsewhere",
    "named_data_system",
    "role_kind",
    "fetched_application",
    "run_application",
    "storage_members",
]

# Roles of the members that keep a distributed database's records (GreptimeDB's ``datanode``,
# StarRocks' and Doris' backends ``be``, TiDB's ``tikv``, a ``storage`` or ``data`` tier, Kafka
# ``brokers``) or its catalogue (the frontends ``fe`` of StarRocks and Doris keep the metadata
# journal, TiDB's ``pd`` the cluster's placement); a query or compute role holds none.
_STORAGE_ROLES = frozenset({
    "datanode", "datanodes", "data", "be", "backend", "backends", "storage", "store", "stores",
    "tikv", "broker", "brokers", "ingester", "ingesters", "historical", "historicals", "fe", "pd",
})  # fmt: skip
# Words that qualify a role group's key without naming the role (``beSpec``, ``tikvGroup``).
_GROUP_WORDS = frozenset({"spec", "group", "groups", "set", "sets", "template", "config"})
# A kind named for a database run as a whole; ``…DBUser`` or ``…DBBackup`` act on one. A
# product's name may end in a digit (the M3DB operator's ``M3DBCluster``,
# https://github.com/m3db/m3db-operator/blob/78e6ef52242d3abff549701fe09b365daa09e144/pkg/apis/m3dboperator/v1alpha1/cluster.go).
_DATABASE_KIND = re.compile(r"[a-z0-9](DB|Db|Database)(Cluster|Standalone|Instance|Server)?$")
_POOL_FIELDS = ("dataPool", "dataPools", "metadataPool")


# A database kind naming a backup at the top of its spec (the SqlDB operator's ``backupName``,
# "Name of SqlBackup resource. If specified, it means restoring the database instances loaded
# with backup data": its controller runs pg_restore of that backup's dump in the new server,
# https://github.com/GoogleCloudPlatform/k8s-sqldb-operator/blob/41ca10b45448cd8bc5fd9b46e8cdd2efbd4a959d/pkg/apis/infra/v1alpha1/sqldb_types.go,
# pkg/controller/sqldb/sqldb_controller.go at the same commit)
# names the copy it starts from, or where its own backups go: no server it lives inside. A
# ``…DBUser`` or ``…DBBackup`` is left out by the kind's own name.
_BACKUP_FIELD = re.compile(r"^spec\.(backup|snapshot|dump)(Name|Ref|Reference)?$")


def _hosts(body: Mapping[str, Any]) -> list[Reference]:
    """:func:`peer_references` less a backup its spec names at its top level."""
    return [r for r in peer_references(body) if not _BACKUP_FIELD.match(r.where)]


def declared_data_system(group: str, kind: str, body: Mapping[str, Any]) -> list[Storage]:
    """The operator-default storage of a custom resource whose spec, kind or API group declares
    a data system (none when it declares none)."""
    spec = as_map(body.get("spec"))
    if embedded := _embedded_database(spec, "/spec", 0):
        return embedded
    role = next((key for key, value in spec.items() if _storage_group(str(key), value)), None)
    if role is not None:
        return [
            Storage(f"/spec/{role}", {}, f"storage members {role} (the operator's default storage)")
        ]
    pool = _pool(spec)
    if pool:
        return [Storage("/spec", {}, f"{pool} on the storage cluster's disks")]
    if keeps_elsewhere(body):
        return []
    if _DATABASE_KIND.search(kind) and not _hosts(body):
        return [Storage("/spec", {}, f"a {kind}; the operator's default storage is unknown")]
    named = named_data_system(group, kind) if spec else None  # an empty spec runs nothing
    if named and named[0] in _KEPT_ONLY_WITH and _KEPT_ONLY_WITH[named[0]] not in str(spec).lower():
        named = None
    by_kind = named is not None and word_family(_kind_head(kind)) is not None
    if named and (by_kind or not peer_references(body)):
        text = f"a {named[0]} named by its {'kind' if by_kind else 'API group'}"
        return [Storage("/spec", {}, f"{text}; the operator's default storage is unknown")]
    if spec and (app := run_application(kind, spec)):
        return [Storage("/spec", {}, f"{app}; the operator's default storage is unknown")]
    if spec and (system := _runs_data_image(spec)) and not peer_references(body):
        return [Storage("/spec", {}, f"{system}; the operator's default storage is unknown")]
    if _whole_cluster(group, kind, spec) and not peer_references(body):
        text = f"a {kind}, the whole of what its operator runs"
        return [Storage("/spec", {}, f"{text}; the operator's default storage is unknown")]
    return store_kind(group, kind, body)


# A kind named ``<Product>Cluster`` is the one resource an operator's users write for the whole
# product it runs, its settings defaulted by the CRD (Eclipse Che's ``CheCluster``, Piraeus'
# ``LinstorCluster``, whose ``spec: {}`` runs the LINSTOR controller and its database of
# volumes). Of the twenty-six kinds named ``…Cluster`` that no family catalogues in the held-out
# estates (Aerospike, ClickHouse, Doris, FoundationDB, Gerrit, GreptimeDB, Harbor, Humio, Kafka,
# MySQL, NDB, Nebula, NiFi, StarRocks, Vitess, VictoriaLogs …), all but three keep data or
# state: a compute engine whose spec gives its pods' templates, and two whose records are in a
# datastore elsewhere. What the product keeps is wherever its operator puts it: its default.
# Not a cluster that exists elsewhere and is only reached (:func:`_remote_cluster`).
# Not a cluster described elsewhere: Cluster API's infrastructure kinds (``AWSCluster``,
# ``DockerCluster``) describe a cloud's machines and networks,
# https://cluster-api.sigs.k8s.io/developer/providers/contracts/infra-cluster; not one whose
# spec gives its pods' templates (``RayCluster``'s ``headGroupSpec.template``): what those pods
# keep is what the templates mount (:func:`~.custom.template_storage`); nor one that names the
# datastore its records are kept in (:func:`keeps_elsewhere`).
_CLUSTER_KIND = re.compile(r"[a-z0-9]Cluster$")
_DESCRIBED_ELSEWHERE = "cluster.x-k8s.io"


def _whole_cluster(group: str, kind: str, spec: Mapping[str, Any]) -> bool:
    """A ``<Product>Cluster`` of a product no family names: a kind naming a known one (a
    ``NatsCluster``, a ``MemcachedCluster``) is read by what that family keeps, above."""
    head = _kind_head(kind)
    return (
        _CLUSTER_KIND.search(kind) is not None
        and not group.endswith(_DESCRIBED_ELSEWHERE)
        and data_image(head) is None
        and named_data_system(group, kind) is None
        and not _pod_templates(spec, 0)
        and not _compute_roles_only(spec)
        and not _remote_cluster(spec)
    )


# A ``…Cluster`` that gives a Kubernetes API server's address or the credentials to reach one
# registers a cluster that runs elsewhere, for its operator to watch: Clusterpedia's
# ``PediaCluster`` (``apiserver``, ``kubeconfig``, ``caData``, ``tokenData``, ``certData``,
# ``keyData``: the member cluster whose resources are synced into the storage layer,
# https://github.com/clusterpedia-io/clusterpedia/blob/bece343b72527405e1a3ff86aca449e7ed9fe3d9/staging/src/github.com/clusterpedia-io/api/cluster/v1alpha2/types.go).
# What it describes is that cluster's; the resource keeps nothing its operator runs.
# The field's presence is the sign, set or not: a registration's schema (PediaCluster's sample
# leaves ``caData`` and ``tokenData`` empty beside ``apiserver``).
_REMOTE_FIELD = re.compile(
    r"^(api[-_]?server|api[-_]?endpoint|kubeconfig|ca[-_]?data|token[-_]?data|cert[-_]?data)$",
    re.IGNORECASE,
)


def _remote_cluster(spec: Mapping[str, Any]) -> bool:
    return any(_REMOTE_FIELD.match(str(key)) for key in spec)


# Roles of a query engine's members, which keep none of the data they query: Trino's
# coordinator parses and plans the queries and manages the workers, and its workers "fetch
# data from connectors and exchange intermediate data with each other"
# (https://trino.io/docs/current/overview/concepts.html#server-types). A spec that lists its
# members under such roles only, each a group of members (Stackable's ``coordinators:
# {roleGroups: {default: {replicas: 1}}}`` and ``workers: …``,
# https://github.com/stackabletech/trino-operator/blob/c8d88913ebb31e4ccd7fe7ef9d16d2d0164b15ef/docs/modules/trino/examples/getting_started/code/trino.yaml),
# runs an engine over data kept elsewhere.
_COMPUTE_ROLES = frozenset({"coordinator", "coordinators", "worker", "workers"})


def _compute_roles_only(spec: Mapping[str, Any]) -> bool:
    """True when every member group of the spec (a mapping with ``roleGroups`` or a count of
    members) is a query engine's coordinator or worker role."""
    roles = [
        str(key).lower() for key, value in spec.items()
        if isinstance(value, Mapping) and ("roleGroups" in value or _members(value) is not None)
    ]  # fmt: skip
    return bool(roles) and all(role in _COMPUTE_ROLES for role in roles)


def _pod_templates(node: Mapping[str, Any], depth: int) -> bool:
    """True when the spec gives pod templates of its own (``template: {spec: {containers}}``),
    to four levels, in the lists of groups too (``workerGroupSpecs: [{template: …}]``)."""
    for key, value in node.items():
        for item in value[:4] if isinstance(value, list) else [value]:
            if not isinstance(item, Mapping):
                continue
            containers = as_list(as_map(item.get("spec")).get("containers"))
            if containers and "template" in str(key).lower():
                return True
            if depth < 3 and _pod_templates(item, depth + 1):
                return True
    return False


# Fields naming the datastore a program keeps its records in, elsewhere: the SpiceDB
# operator's ``config: {datastoreEngine: cockroachdb}``, the datastore's URI in the Secret its
# ``secretName`` names (the operator runs SpiceDB's migrations and a Deployment of stateless
# servers; the relationships are in the datastore,
# https://github.com/authzed/spicedb-operator/blob/8475347b50a1e6693080b32a30e0915c6b51303a/README.md);
# a ``datastoreURI``, a ``connectionString``, a ``dsn``, a ``databaseUrl``; or an in-cluster
# address under a node named for where records are kept (the Temporal operator's
# ``persistence: {defaultStore: {sql: {connectAddr: mysql.demo:3306}}}``,
# https://github.com/alexandrevilain/temporal-operator/blob/0b07bcd4d922265b2f1e5d5d3c55397707189c7e/examples/schedule/02-temporal-cluster.yaml): the
# resource's pods are clients of that store and hold nothing of their own. So is an HBase
# given the discovery ConfigMap of the HDFS it keeps its tables in: Stackable's ``HbaseCluster``
# ``clusterConfig.hdfsConfigMapName`` ("Name of the discovery ConfigMap for an HDFS cluster",
# from which the operator writes ``hbase.rootdir``,
# https://github.com/stackabletech/hbase-operator/blob/6f1ada0862ccff8ca8634d26360215faab15d4ab/rust/operator-binary/src/crd/mod.rs;
# "Instead of HDFS, the HBase data can be stored in ADLS",
# https://github.com/stackabletech/hbase-operator/blob/be2ebffdbe978067049c991b9a095a32d2d43edc/docs/modules/hbase/pages/usage-guide/adls.adoc),
# and Kubedoop's, which mounts that ConfigMap as its ``hdfs-config``
# (https://github.com/zncdatadev/hbase-operator/tree/e31101622c6b5c2ae63c86f1253490592996580f):
# region servers serve regions whose files and write-ahead logs are in HDFS
# (https://hbase.apache.org/book.html#arch.hdfs).
_ELSEWHERE_KEY = re.compile(
    r"^data[sS]tore([A-Z]|$)|(connectionString|ConnectionString|^dsn|Dsn|DatabaseUrl|DatabaseUri"
    r"|DatabaseURI|^databaseUrl|^databaseUri|^hdfsConfigMapName)$"
)
_KEPT_AT = re.compile(r"\.\w*(store|storage|persistence|backend)\w*\.", re.IGNORECASE)


# A JDBC or other connection string naming a database server, to three levels: Stackable's
# ``HiveCluster`` keeps its metastore's catalogue in the database of
# ``clusterConfig.database.connString`` (``jdbc:postgresql://hive-postgresql…:5432/hive``); an
# embedded database's string names a file, no server (``jdbc:derby:;databaseName=/tmp/…``:
# "Derby stores data locally ... all data is lost after Pod restarts"), its records in the pods
# (https://github.com/stackabletech/hive-operator/blob/500b4f4c283b35960766ecb096b952914197caf8/docs/modules/hive/pages/usage-guide/derby-example.adoc).
_CONNECTION_KEY = re.compile(
    r"^(connString|jdbcUrl|jdbcURL|connectionUrl|connectionURL|connectURI)$"
)
_SERVER = re.compile(r"^[a-z][a-z0-9+.:-]*://[^/;:?@\s]+")


# An embedded database's connection string naming a file (Derby's
# ``jdbc:derby:;databaseName=/tmp/hive;create=true`` or ``jdbc:derby:/path``, H2's
# ``jdbc:h2:file:/path`` or ``jdbc:h2:/path``, SQLite's ``jdbc:sqlite:/path``): the database is
# in the pod's file system at that path. Kubedoop's HiveMetastore mounts no volume there (only
# its ConfigMap and a log emptyDir,
# https://github.com/zncdatadev/hive-operator/blob/2a446492a09e1afddb1ccf4e782fa467dbd33990/internal/controller/statefulset.go),
# nor does Stackable's HiveCluster ("all data is lost after Pod restarts", above): the records
# live and die with the pod. Derby's network client (``jdbc:derby://host:1527/…``) names a
# server instead.
_EMBEDDED = re.compile(
    r"^jdbc:(derby|h2|sqlite):(?!//)(?:file:|[^;]*;(?:.*;)?databaseName=)?(/[^;?]+)", re.I
)


def _embedded_database(node: Mapping[str, Any], path: str, depth: int) -> list[Storage]:
    """The embedded database a connection string of the spec (to three levels) keeps in the
    pod's file system; [] for none."""
    for key, value in node.items():
        where = f"{path}/{key}"
        if _CONNECTION_KEY.match(str(key)) and isinstance(value, str):
            if found := _EMBEDDED.match(value):
                text = f"embedded {found[1].title()} database at {found[2]}: in the pod, no volume"
                return [Storage(where, None, text)]
        if depth < 2 and isinstance(value, Mapping):
            if inner := _embedded_database(value, where, depth + 1):
                return inner
    return []


# Druid keeps its segments in deep storage and what they are in a metadata database; a
# Historical keeps a cache of segments, reloaded from deep storage. Stackable's ``DruidCluster``
# picks both in its spec: ``deepStorage`` (``hdfs`` or ``s3``, "Druid uses S3 or HDFS for deep
# storage, so no extra PersistentVolumeClaims have to be specified"; the segment cache is "an
# ``emptyDir``",
# https://github.com/stackabletech/druid-operator/blob/35034271d30ec868991a0d47d9d3f5e88dd17f5a/docs/modules/druid/pages/usage-guide/resources-and-storage.adoc)
# and ``metadataDatabase`` ("Druid uses an SQL database to store metadata",
# https://github.com/stackabletech/druid-operator/blob/03a308115801c0dde4d4804dcaf6a15eb13e5a43/docs/modules/druid/pages/required-external-components.adoc).
# Both outside its pods, it keeps nothing of its own; Druid's ``local`` deep storage or an
# embedded Derby keeps them in its pods.
_DEEP_STORAGE = "deepStorage"
_IN_PODS = ("local", "derby")


def _segments_elsewhere(node: Mapping[str, Any]) -> bool:
    """Whether ``node`` picks a deep storage and a metadata database outside the pods, by
    their keys (``{hdfs: …}``, ``{postgresql: …}``) or their type (``dbType: postgresql``)."""
    picked = [_picked(node.get(_DEEP_STORAGE)), _picked(node.get("metadataDatabase"))]
    return all(picked) and not any(word in p for p in picked for word in _IN_PODS)


def _picked(value: Any) -> set[str]:
    spec = as_map(value)
    return {str(key).lower() for key in spec} | {
        str(spec[f]).lower() for f in ("dbType", "type") if isinstance(spec.get(f), str)
    }


def keeps_elsewhere(body: Mapping[str, Any]) -> bool:
    """True when the spec names the datastore its records are kept in, by a field (to two
    levels), by a connection string naming a server, or by an address under a node named for
    a store."""
    return _names_datastore(as_map(body.get("spec")), 0) or any(
        _KEPT_AT.search(ref.where) for ref in spec_hosts(body)
    )


# A ``database`` the spec picks by its engine's type, with the Secret or address of its server:
# the shamubernetes n8n operator's ``database: {type: postgresdb, secretRef: {name:
# n8n-postgres}}``, "Type is the database type: sqlite, postgresdb, mariadb, mysqldb" and
# "SecretRef references a Secret containing database connection details. Expected keys: host,
# port, database, user, password"
# (https://github.com/shamubernetes/n8n-operator/blob/3fe67e76e8d8dd7bc9eaa89245c1586237ae3eb7/api/v1alpha1/n8ninstance_types.go,
# ``DatabaseConfig``). A server engine keeps the records in that server, reached by the pods; an
# embedded one (``type: sqlite``) keeps them in the pods' files, wherever the operator mounts them.
_DATABASE_FIELDS = frozenset({"database", "db", "externalDatabase"})
_ENGINE_FIELDS = ("type", "engine", "driver", "dbType")
_SERVER_ENGINE = re.compile(
    r"^(postgres\w*|pg|mysql\w*|mariadb\w*|mssql|sqlserver|cockroach\w*|mongo\w*|oracle\w*)$",
    re.IGNORECASE,
)
_SERVER_GIVEN = ("secretRef", "existingSecret", "secretName", "host", "hostname", "address")
# Stackable's ``metadataDatabase`` picks the engine by its one key instead: ``{postgresql: {host:
# superset-postgresql, database: superset, credentialsSecretName: …}}``, "A reference to one of
# the supported database backends", Superset's "metadata database for storing slices,
# connections, tables, dashboards and other metadata"
# (https://github.com/stackabletech/superset-operator/blob/43a7908041cd9aad430a215ab25e2fc20d189b95/docs/modules/superset/pages/usage-guide/database-connections.adoc).
# A field named for a database in camelCase (``metadataDatabase``) is read as ``database`` is.
_DATABASE_FIELD = re.compile(r"[a-z0-9]Database$")


def _server_database(node: Mapping[str, Any]) -> bool:
    """True when a ``database`` mapping picks a server engine by its type, or by its one key,
    and gives the Secret or address of that server."""
    if len(node) == 1:
        ((key, value),) = node.items()
        if _SERVER_ENGINE.match(str(key)) and isinstance(value, Mapping):
            return _server_database({"type": str(key), **value})
    engine = next((node[f] for f in _ENGINE_FIELDS if isinstance(node.get(f), str)), "")
    given = any(node.get(f) not in (None, "", {}) for f in _SERVER_GIVEN)
    return bool(_SERVER_ENGINE.match(engine)) and given


def _names_datastore(node: Mapping[str, Any], depth: int) -> bool:
    for key, value in node.items():
        key = str(key)
        if depth < 2 and _ELSEWHERE_KEY.search(key) and value not in (None, "", {}, False):
            return True
        if key == _DEEP_STORAGE and _segments_elsewhere(node):
            return True
        if _CONNECTION_KEY.match(key) and isinstance(value, str) and _SERVER.match(value):
            return True
        # Druid's metadata database is read with its deep storage, above: the pair or neither.
        database = key in _DATABASE_FIELDS or (
            _DATABASE_FIELD.search(key) and _DEEP_STORAGE not in node
        )
        if database and isinstance(value, Mapping) and _server_database(value):
            return True
        if depth < 2 and isinstance(value, Mapping) and _names_datastore(value, depth + 1):
            return True
    return False


def run_application(kind: str, spec: Mapping[str, Any]) -> str:
    """The self-hosted application a resource runs, named by its kind (``Nextcloud``,
    ``Jenkins``) or by the image its spec gives (``image: nextcloud:29``, ``master: {containers:
    [{image: jenkins/jenkins:lts}]}``), when the catalogue knows that it keeps its users' data
    (uploads, repositories, build history: :func:`~.knowledge.app_image`); "" otherwise. Where
    the operator puts that data is its default, unknown here: it is data either way."""
    name = "".join(_role_words(kind))
    for ref in (name, f"{name}/{name}"):
        if name and app_image(ref) is not None:
            return f"a {name} application named by its kind"
    for where, ref in _images(spec, "spec", 0):
        if (app := app_image(ref)) is not None:
            return f"the {app.name} application its {where} runs"
    return ""


def fetched_application(spec: Mapping[str, Any]) -> str:
    """Why what a resource's storage holds is fetched again ("" when it may be data): the
    applications its spec runs (:func:`run_application`) are all ones the catalogue knows to
    keep only what they fetch again (``REBUILT``: Ollama's models, pulled again from its
    registry), and it runs no data system's image. kbrain's ``AgentTask`` naming
    ``ollamaConfig.image: ollama/ollama`` runs a model server beside its coding agent, whose
    download a rerun repeats."""
    known = [(where, app_image(ref), data_image(ref)) for where, ref in _images(spec, "spec", 0)]
    named = [app for _, app, data in known if app is not None or data is not None]
    fetched = [(where, app) for where, app, _ in known if app is not None and app.rebuilt]
    if not fetched or len(fetched) != len(named):
        return ""
    where, app = fetched[0]
    return f"the {app.name} application its {where} runs keeps {app.rebuilt}"


def _runs_data_image(spec: Mapping[str, Any]) -> str:
    """The data system whose image the spec runs (``image: postgres:16``, ``image:
    {repository: bitnami/mongodb}``), when its family keeps records (not a memory cache, nor
    core NATS): what the operator runs is that system, wherever it puts its data; "" for
    none."""
    for where, ref in _images(spec, "spec", 0):
        image = data_image(ref)
        if image is not None and image.role not in _NOT_HELD and image.name not in _KEPT_ONLY_WITH:
            return f"the {image.name} {image.role} image its {where} runs"
    return ""


def _images(node: Mapping[str, Any], path: str, depth: int) -> Iterator[tuple[str, str]]:
    """Images a spec names (``image``, ``image: {repository, tag}``, ``containers[].image``),
    to two levels, a level's lists of mappings too (the Parseable operator's ``k8sConfig:
    [{name, image: parseable/parseable:v0.4.0, volumes, …}]``, one per node it runs,
    https://github.com/parseablehq/operator/blob/e800afc3c363743c8e3d76962137628b395825d6/config/samples/parseable-ephemeral.yaml)."""
    image = node.get("image")
    if isinstance(image, str) and image:
        yield f"{path}.image", image
    elif isinstance(image, Mapping):
        repository = image.get("repository") or image.get("name")
        if isinstance(repository, str) and repository:
            yield f"{path}.image", repository
    for container in as_list(node.get("containers"))[:4]:
        if isinstance(ref := as_map(container).get("image"), str) and ref:
            yield f"{path}.containers", ref
    if depth < 1:
        for key, value in node.items():
            if isinstance(value, Mapping):
                yield from _images(value, f"{path}.{key}", depth + 1)
            elif isinstance(value, list) and key != "containers":
                for item in value[:4]:
                    if isinstance(item, Mapping):
                        yield from _images(item, f"{path}.{key}", depth + 1)


# Words after a family's name that say the resource runs the system as a whole (``EtcdCluster``,
# ``MySQLServer``, ``ClickHouseInstallation``), not a part of it or an act on it.
_WHOLE = frozenset({
    "cluster", "clusters", "server", "servers", "instance", "instances", "standalone",
    "replication", "replicaset", "installation", "ensemble", "deployment", "universe",
})  # fmt: skip
# Endings of a family's name in a kind (``MongoDB``, ``PostgreSQL``, ``CockroachDB``).
_NAME_ENDINGS = ("", "db", "ql", "sql")
# Roles of data families read by name: a memory cache (Memcached) keeps nothing a replacement
# loses but its warm-up, and an in-memory data grid's copies live in its members' memory.
_NOT_HELD = frozenset({"cache", "data grid"})
# Families that keep nothing unless a feature is turned on, and that feature's word: core NATS
# delivers at most once and stores no message; JetStream is its persistence layer
# (https://docs.nats.io/nats-concepts/core-nats, https://docs.nats.io/nats-concepts/jetstream).
_KEPT_ONLY_WITH = {"nats": "jetstream"}
# Data systems with no image family of their own (:mod:`.knowledge` lists images), each its
# project's own description: Apache Pulsar "cloud-native, distributed messaging and streaming"
# (https://pulsar.apache.org/docs/next/concepts-overview/), Apache BookKeeper "a scalable,
# fault-tolerant, low-latency storage service" (https://bookkeeper.apache.org/docs/overview/),
# Apache RocketMQ's broker store (https://rocketmq.apache.org/docs/domainModel/01main/), Apache
# Druid "a real-time analytics database" (https://druid.apache.org/docs/latest/design/), Apache
# Pinot (https://docs.pinot.apache.org/), Apache HBase and HDFS
# (https://hbase.apache.org/book.html#arch.overview), YugabyteDB
# (https://docs.yugabyte.com/preview/architecture/), TiDB/TiKV
# (https://docs.pingcap.com/tidb/stable/tidb-architecture/), Vitess (https://vitess.io/docs/overview/),
# Apache Doris and StarRocks (https://doris.apache.org/docs/gettingStarted/what-is-apache-doris),
# GreptimeDB (https://docs.greptime.com/user-guide/concepts/architecture), SeaweedFS
# (https://github.com/seaweedfs/seaweedfs#introduction), NebulaGraph
# (https://docs.nebula-graph.io/3.8.0/1.introduction/1.what-is-nebula-graph/), Dgraph
# (https://dgraph.io/docs/deploy/), EMQX's durable sessions and retained messages
# (https://docs.emqx.com/en/emqx/latest/durability/durability_introduction.html), Apache ActiveMQ
# Artemis' journal (https://activemq.apache.org/components/artemis/documentation/latest/persistence.html),
# Apache NiFi's repositories (https://nifi.apache.org/docs/nifi-docs/html/overview.html),
# Apache Kudu (https://kudu.apache.org/overview.html), Apache Ignite's native persistence
# (https://ignite.apache.org/docs/latest/persistence/native-persistence), ArangoDB's operator
# resource ``ArangoDeployment``
# (https://arangodb.github.io/kube-arangodb/docs/deployment-resource-reference.html).
_PRODUCTS: dict[str, str] = {
    "pulsar": "queue", "bookkeeper": "database", "rocketmq": "queue", "druid": "database",
    "pinot": "database", "hbase": "database", "hdfs": "files", "yugabyte": "database",
    "yugabytedb": "database", "tidb": "database", "tikv": "database", "vitess": "database",
    "doris": "database", "starrocks": "database", "greptime": "database",
    "greptimedb": "database", "seaweed": "objects", "seaweedfs": "objects", "nebula": "database",
    "nebulagraph": "database", "dgraph": "database", "emqx": "queue", "activemq": "queue",
    "artemis": "queue", "nifi": "queue", "kudu": "database", "ignite": "database",
    "activemqartemis": "queue", "arango": "database",
}  # fmt: skip


def _role_words(kind: str) -> list[str]:
    """The kind's words without a whole-system or group ending (``ProxyGroup`` -> proxy)."""
    words = list(camel_words(kind))
    while len(words) > 1 and (words[-1] in _WHOLE or words[-1] in _GROUP_WORDS):
        words.pop()
    return words


def _kind_head(kind: str) -> str:
    """The kind without its whole-system ending (``EtcdCluster`` -> ``etcd``; ``Cluster`` -> "")."""
    words = list(camel_words(kind))
    while words and words[-1] in _WHOLE:
        words.pop()
    return "".join(words)


def word_family(word: str) -> tuple[str, str] | None:
    """The data family or product a lower-case word names exactly, and its role."""
    if word in _PRODUCTS:
        return word, _PRODUCTS[word]
    image = data_image(word) if word else None
    if image is None or image.role in _NOT_HELD:
        return None
    rest = word[len(image.name) :] if word.startswith(image.name) else None
    return (image.name, image.role) if rest in _NAME_ENDINGS else None


def named_data_system(group: str, kind: str) -> tuple[str, str] | None:
    """The data family a custom resource's kind names as run as a whole (``EtcdCluster``:
    etcd), or, for a kind that is only a whole-system word (``Cluster``), its API group's first
    label names (``etcd.database.coreos.com``), as it does for a whole-system kind named for no
    family (``YBCluster`` of ``yugabyte.com``), with the family's role; None for neither."""
    head = _kind_head(kind)
    named = word_family(head) if head else None
    whole = head != "".join(camel_words(kind))  # ``YBCluster``: a cluster of the group's product
    return named or (word_family(group.split(".", 1)[0].lower()) if whole or not head else None)


# Roles of a product's components that keep nothing of its data, each by its documented role:
# RocketMQ's NameServer keeps the routing table its brokers register again periodically
# (https://rocketmq.apache.org/docs/domainModel/01main/); a proxy (Pulsar's proxy "is
# stateless", https://pulsar.apache.org/docs/next/administration-proxy/; TiProxy, ProxySQL's
# runtime), a router (Druid's router, https://druid.apache.org/docs/latest/design/router/;
# MySQL Router), a gateway, a console or dashboard (a web UI over the product's API) and an
# exporter (it translates the product's metrics) hold nothing of their own; a coordinator of
# a query engine assigns work and reads its state from the metadata store (Druid's
# coordinator, https://druid.apache.org/docs/latest/design/coordinator/; Trino's,
# https://trino.io/docs/current/overview/concepts.html#coordinator). A Kafka Connect cluster
# (``KafkaConnect``: Instaclustr's, Strimzi's) runs workers that keep nothing either:
# "In the distributed mode, Kafka Connect stores the offsets, configs and task statuses in Kafka
# topics"
# (https://github.com/apache/kafka/blob/36006682de9d08b15152c5736ca3d61fdbb8849b/docs/connect.html),
# which the Kafka it targets holds.
_HOLDS_NOTHING = (
    "nameservice", "nameserver", "namesrv", "proxy", "router", "gateway", "console",
    "dashboard", "ui", "exporter", "coordinator", "connect",
)  # fmt: skip


# A spec field picking which of its product's roles one kind runs: the kvrocks-operator's one
# ``KVRocks`` kind runs a standalone store, a cluster or a Sentinel by ``spec.type``
# (``sentinel``, ``standard``, ``cluster``: https://github.com/RocksLabs/kvrocks-operator/blob/
# 528ceeb0cc0e68d7cdab9afb57ae5609887e50b4/api/v1alpha1/kvrocks_types.go). A Sentinel
# monitors the masters and promotes a replica on failure; it keeps no dataset, and what it
# knows of its masters it discovers from them again
# (https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/); the roles that
# hold nothing by kind hold nothing by this field either.
_ROLE_FIELDS = ("type", "mode", "role")
_ROLES_HOLDING_NOTHING = frozenset({*_HOLDS_NOTHING, "sentinel"})


def runs_role_holding_nothing(body: Mapping[str, Any]) -> str:
    """The role a spec's ``type``, ``mode`` or ``role`` field picks when that role holds
    nothing (``type: sentinel``), "" for any other spec."""
    spec = as_map(body.get("spec"))
    for field in _ROLE_FIELDS:
        value = spec.get(field)
        if isinstance(value, str) and value.lower() in _ROLES_HOLDING_NOTHING:
            return value.lower()
    return ""


# The fields of a member an operator runs (image, count, Service, pod placement): a mapping
# named for a role with only these, or none, configures that member. Tailscale's ``DNSConfig``
# ``spec.nameserver`` (``image``, ``replicas``, ``service``, ``pod``): "the operator will always
# deploy this nameserver when a DNSConfig is applied", a Deployment answering from a ConfigMap
# (https://github.com/tailscale/tailscale/blob/de9ec7ee25627e0e518f53c710a3fc3d947c86c1/k8s-operator/apis/v1alpha1/types_tsdnsconfig.go).
_MEMBER_FIELDS = frozenset({
    "image", "replicas", "service", "pod", "resources", "nodeSelector", "tolerations",
    "affinity", "podTemplate", "template",
})  # fmt: skip


def runs_member_holding_nothing(body: Mapping[str, Any]) -> str:
    """The role of the member a spec configures when that is all it does and the role holds
    nothing (``nameserver: {}``, ``proxy: {replicas: 2}``), "" for any other spec (one that
    also has roles of its own, ``{gateway: {replicas: 2}, query: {replicas: 3}}``)."""
    roles = [
        holds_nothing(str(key)) if isinstance(value, Mapping) and set(value) <= _MEMBER_FIELDS
        else ""
        for key, value in as_map(body.get("spec")).items()
    ]  # fmt: skip
    return roles[0] if roles and all(roles) else ""


def holds_nothing(kind: str) -> str:
    """The role word of a kind whose documented role holds nothing (``NameService``,
    ``PulsarProxy``, ``KafkaConsole``, ``ProxyGroup``), "" for any other kind."""
    tail = {
        end for words in (camel_words(kind), _role_words(kind)) if words
        for end in (words[-1], "".join(words[-2:]))
    }  # fmt: skip
    return next((role for role in _HOLDS_NOTHING if role in tail), "")


# Kinds named for the members that keep a product's records (RocketMQ's ``Broker``, HDFS's
# ``DataNode``, TiDB's ``TiKVGroup``, Loki's ``Ingester``, Druid's ``Historical``, BookKeeper's
# bookies); not the generic words of a role group (``store``, ``data``, ``be``), which name
# any object as well.
_ROLE_KINDS = frozenset({
    "broker", "brokers", "datanode", "datanodes", "tikv", "ingester", "ingesters", "historical",
    "historicals", "bookie", "bookies",
})  # fmt: skip


def role_kind(kind: str) -> bool:
    """True for a kind named for the members that keep a product's records (``Broker``,
    ``DataNode``, ``BookieSet``): such a resource's storage fields, even an emptyDir, are its
    records' place."""
    words = _role_words(kind)
    return bool(words) and (words[-1] in _ROLE_KINDS or "".join(words) in _ROLE_KINDS)


def storage_members(body: Mapping[str, Any]) -> int | None:
    """How many members keep the data: the storage role group's ``replicas``, the copies
    of a pool (``replicated.size``), or the members a ``nodes`` list names one by one; None
    when the spec declares none of them."""
    spec = as_map(body.get("spec"))
    for key, value in spec.items():
        if _storage_group(str(key), value):
            return _members(value)
    size = as_map(spec.get("replicated")).get("size")
    return size if isinstance(size, int) else _listed_nodes(spec.get("nodes"))


def _listed_nodes(nodes: Any) -> int | None:
    """How many members a list of one mapping per node names (None: not such a list). Each
    entry is a member of its own, read as running with the storage the spec gives once for
    all: the Hyperledger Fabric operator's ordering service lists its orderer nodes so
    (``FabricOrderingServiceSpec.Nodes []OrdererNode`` beside one ``Storage``,
    https://github.com/hyperledger-labs/hlf-operator/blob/773a2bea3585246b75179be8d55944218d3a0b8c/pkg/apis/hlf.kungfusoftware.es/v1alpha1/hlf_types.go),
    as RavenDB's and NiFiKop's cluster samples list their servers. A list of names (strings)
    may name members that exist elsewhere and is not counted."""
    if not isinstance(nodes, list) or not nodes:
        return None
    return len(nodes) if all(isinstance(n, Mapping) for n in nodes) else None


# Fields counting a role group's members: ``replicas``, and the NDB operator's ``dataNode:
# {nodeCount: 2}`` (https://github.com/mysql/mysql-ndb-operator/blob/d1b5dd87124a9e547b9aebf10cc47515e188c481/docs/NdbCluster-CRD.md).
_COUNTS = ("replicas", "nodeCount", "count", "instances", "members")


def _members(value: Any) -> int | None:
    """How many members a role group counts (None: it counts none)."""
    node = as_map(value)
    return next((n for k in _COUNTS if isinstance(n := node.get(k), int)), None)


def _storage_group(key: str, value: Any) -> bool:
    """A per-role group of members (a mapping with ``replicas``) whose role keeps records."""
    if not isinstance(value, Mapping) or _members(value) is None:
        return False
    words = list(camel_words(key))
    while len(words) > 1 and words[-1] in _GROUP_WORDS:
        words.pop()
    return bool(words) and (words[-1] in _STORAGE_ROLES or "".join(words) in _STORAGE_ROLES)


def _pool(spec: Mapping[str, Any]) -> str:
    """``replicated size N`` or ``erasure-coded`` when the spec declares pools of copies."""
    pools = [spec, *(as_map(spec.get(f)) for f in _POOL_FIELDS)]
    pools += [as_map(p) for p in as_list(spec.get("dataPools"))]
    for pool in pools:
        size = as_map(pool.get("replicated")).get("size")
        if isinstance(size, int):
            return f"a pool of {size} replica(s)"
        if as_map(pool.get("erasureCoded")).get("dataChunks"):
            return "an erasure-coded pool"
    return ""
