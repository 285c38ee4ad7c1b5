"""What the audit knows about images: which hold data, where, and how they are told so.

The data directories are the documented defaults of each image (the image's ``VOLUME`` or its
docs' "where to store data" section). A directory named on the command line or in the
environment (``--storage.tsdb.path=/data``, ``PGDATA``, ``GF_PATHS_DATA``) counts as well, for
any image.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from stateward.analysis.audit import linuxserver
from stateward.analysis.audit.app_catalog import APPS, HOTIO, REBUILT, ROLES, TOOLS
from stateward.analysis.audit.workloads import Container
from stateward.model.filepaths import at_or_under
from stateward.model.kubernetes import as_list, as_map

__all__ = [
    "APPLICATION",
    "DataImage",
    "app_image",
    "celery_beat",
    "celery_process",
    "chosen_store",
    "config_sidecar",
    "configured_data_paths",
    "data_image",
    "declared_family",
    "server_env_family",
    "flag_values",
    "fronts_a_store",
    "image_words",
    "kv_use",
    "memory_by_default",
    "reissued",
    "acme_client",
    "relay_only",
    "repository",
    "repository_family",
    "setting_value",
    "tool_image",
]


@dataclass(frozen=True, slots=True)
class DataImage:
    """A known data-bearing image family."""

    name: str
    role: str
    """database, cache, broker, search, coordination, object store, metrics, data grid."""
    data_dirs: tuple[str, ...]
    """Default data directories; empty for stores that keep everything in memory."""
    rebuilt: str = ""
    """Set when those directories hold only what a fresh start fetches or is issued again
    (certificates, downloaded models, a proxy cache): what, for the finding."""


_POSTGRES = ("/var/lib/postgresql/data", "/var/lib/postgresql", "/bitnami/postgresql")
_MYSQL = ("/var/lib/mysql", "/bitnami/mysql", "/bitnami/mariadb")
_REDIS = ("/data", "/bitnami/redis")
# Oracle Database's container images keep the database they create at first start in
# /opt/oracle/oradata ("The data volume to use for the database ... If omitted the database will
# not be persisted over container recreation"; Express Edition 11g in /u01/app/oracle/oradata),
# created with the SYS password ``ORACLE_PWD`` and the character set ``ORACLE_CHARACTERSET``
# (https://github.com/oracle/docker-images/blob/8e5b0d9dfad15cb0ce74f29d7b9d5f190b46f76d/OracleDatabase/SingleInstance/README.md).
_ORACLE = DataImage("oracle", "database", ("/opt/oracle/oradata", "/u01/app/oracle/oradata"))

# Word prefix (of the image's last path segment or tag) -> family.
_FAMILIES: tuple[tuple[str, DataImage], ...] = (
    ("postgres", DataImage("postgres", "database", _POSTGRES)),
    ("postgis", DataImage("postgres", "database", _POSTGRES)),
    ("timescaledb", DataImage("postgres", "database", _POSTGRES)),
    ("mysql", DataImage("mysql", "database", _MYSQL)),
    ("mariadb", DataImage("mariadb", "database", _MYSQL)),
    ("percona", DataImage("mysql", "database", _MYSQL)),
    ("mongo", DataImage("mongo", "database", ("/data/db", "/bitnami/mongodb"))),
    ("redis", DataImage("redis", "cache/store", _REDIS)),
    ("valkey", DataImage("valkey", "cache/store", _REDIS)),
    ("keydb", DataImage("keydb", "cache/store", _REDIS)),
    ("memcached", DataImage("memcached", "cache", ())),
    ("elasticsearch", DataImage("elasticsearch", "search", ("/usr/share/elasticsearch/data",))),
    ("opensearch", DataImage("opensearch", "search", ("/usr/share/opensearch/data",))),
    # Search engines for an application's instant search, fed from the application's own store
    # (role ``index``); Elasticsearch and OpenSearch are as often the only store of what they
    # are sent (logs, traces, alerts), so they stay ``search``. Meilisearch: the image's
    # WORKDIR and VOLUME, where data.ms lives by default
    # (https://www.meilisearch.com/docs/learn/self_hosted/configure_meilisearch_at_launch#database-path);
    # Typesense: --data-dir /data in the documented container setup
    # (https://typesense.org/docs/guide/install-typesense.html#docker).
    ("meilisearch", DataImage("meilisearch", "index", ("/meili_data",))),
    ("typesense", DataImage("typesense", "index", ("/data",))),
    ("kafka", DataImage("kafka", "broker", ("/var/lib/kafka", "/bitnami/kafka", "/kafka"))),
    ("redpanda", DataImage("redpanda", "broker", ("/var/lib/redpanda/data",))),
    ("zookeeper", DataImage("zookeeper", "coordination", ("/data", "/datalog"))),
    ("rabbitmq", DataImage("rabbitmq", "broker", ("/var/lib/rabbitmq",))),
    ("nats", DataImage("nats", "broker", ("/data",))),
    ("etcd", DataImage("etcd", "coordination", ("/var/lib/etcd", "/etcd-data"))),
    ("minio", DataImage("minio", "object store", ("/data",))),
    ("cassandra", DataImage("cassandra", "database", ("/var/lib/cassandra",))),
    ("scylla", DataImage("scylla", "database", ("/var/lib/scylla",))),
    ("mssql", DataImage("mssql", "database", ("/var/opt/mssql",))),
    ("azure-sql-edge", DataImage("mssql", "database", ("/var/opt/mssql",))),
    ("couchdb", DataImage("couchdb", "database", ("/opt/couchdb/data",))),
    ("influxdb", DataImage("influxdb", "database", ("/var/lib/influxdb", "/var/lib/influxdb2"))),
    ("clickhouse", DataImage("clickhouse", "database", ("/var/lib/clickhouse",))),
    ("neo4j", DataImage("neo4j", "database", ("/data",))),
    ("cockroach", DataImage("cockroachdb", "database", ("/cockroach/cockroach-data",))),
    ("prometheus", DataImage("prometheus", "metrics", ("/prometheus",))),
    ("hazelcast", DataImage("hazelcast", "data grid", ())),
    # Each image's documented data directory: https://hub.docker.com/_/solr ("/var/solr");
    # https://docs.victoriametrics.com/single-server-victoriametrics/ (-storageDataPath
    # victoria-metrics-data in the Docker example);
    # https://grafana.com/docs/loki/latest/setup/install/docker/ (/loki, filesystem storage);
    # https://qdrant.tech/documentation/guides/installation/ (/qdrant/storage);
    # https://weaviate.io/developers/weaviate/installation/docker-compose (PERSISTENCE_DATA_PATH
    # /var/lib/weaviate); https://milvus.io/docs/install_standalone-docker-compose.md
    # (/var/lib/milvus); https://docs.trychroma.com/production/containers/docker (/data, and
    # /chroma/chroma in releases before 1.0); https://hub.docker.com/_/arangodb
    # (/var/lib/arangodb3); https://questdb.com/docs/deployment/docker/ (/var/lib/questdb);
    # https://hub.docker.com/_/rethinkdb (/data). (Consul is left out: a service catalogue its
    # agents register again, as DeathStarBench's is.) Solr's images before 8.0 kept the Solr
    # home, and its cores' data, in /opt/solr/server/solr (the docker-solr README: "Instructions
    # below apply to apache/solr:8.0.0 and above", /var/solr; TYPO3's Solr image, ``FROM
    # solr:7.7.3``, declares ``VOLUME ["/opt/solr/server/solr/data"]``:
    # https://github.com/TYPO3-Solr/ext-solr/blob/4897065d5dc665367e5d3acff8c0a9715ff787db/Dockerfile),
    # where images built on them (IQSS's iqss/solr-k8s for Dataverse) still mount a core's data.
    ("solr", DataImage("solr", "search", ("/var/solr", "/opt/solr/server/solr"))),
    ("victoria-metrics", DataImage("victoriametrics", "metrics", ("/victoria-metrics-data",))),
    ("loki", DataImage("loki", "metrics", ("/loki",))),
    ("qdrant", DataImage("qdrant", "database", ("/qdrant/storage",))),
    ("weaviate", DataImage("weaviate", "database", ("/var/lib/weaviate",))),
    ("milvus", DataImage("milvus", "database", ("/var/lib/milvus",))),
    ("chroma", DataImage("chroma", "database", ("/data", "/chroma/chroma"))),
    ("arangodb", DataImage("arangodb", "database", ("/var/lib/arangodb3",))),
    ("questdb", DataImage("questdb", "database", ("/var/lib/questdb", "/root/.questdb"))),
    ("rethinkdb", DataImage("rethinkdb", "database", ("/data",))),
    # Apache Kvrocks, a Redis-protocol store keeping its keys in RocksDB on disk: the image's
    # ``VOLUME /var/lib/kvrocks``, its ``--dir`` (https://github.com/apache/kvrocks/blob/
    # 0520a145177ed119a1279b0aaecc98d88473ba29/Dockerfile).
    ("kvrocks", DataImage("kvrocks", "database", ("/var/lib/kvrocks",))),
    # KurrentDB (formerly EventStoreDB), an event-store database: its image's ``VOLUME
    # /var/lib/kurrentdb`` (https://github.com/EventStore/EventStore/blob/
    # 3f1acb7e46d5bffd2bbba6c628c256cad8074373/Dockerfile); the EventStoreDB images before the
    # rename keep the same under /var/lib/eventstore
    # (https://developers.eventstore.com/server/v24.10/installation/docker.html).
    ("kurrentdb", DataImage("kurrentdb", "database", ("/var/lib/kurrentdb",))),
    # Apache ActiveMQ Classic keeps its messages in the broker's dataDirectory,
    # ${activemq.base}/data (conf/activemq.xml), under /opt/apache-activemq in its image
    # (:mod:`~stateward.analysis.audit.served_ports`).
    ("activemq", DataImage("activemq", "broker", ("/opt/apache-activemq/data",))),
    ("eventstore", DataImage("eventstore", "database", ("/var/lib/eventstore",))),
    # VerneMQ, an MQTT broker keeping persistent sessions, retained and offline messages in
    # its message store under /vernemq/data, where its operator mounts the pods' volume
    # (``storageDir = "/vernemq/data"``, an emptyDir when ``spec.storage`` is not given,
    # https://github.com/vernemq/vmq-operator/blob/024438f3e065705a52e8c405d4c19eb1a8850ee3/controllers/statefulset.go).
    ("vernemq", DataImage("vernemq", "broker", ("/vernemq/data",))),
    # Parseable, a log store: ``local-store`` keeps the ingested streams in ``P_FS_DIR``
    # (``./data`` of its working directory /parseable) and stages them in ``P_STAGING_DIR``
    # (https://github.com/parseablehq/operator/blob/e800afc3c363743c8e3d76962137628b395825d6/config/samples/parseable-ephemeral.yaml).
    ("parseable", DataImage("parseable", "database", ("/parseable/data", "/parseable/staging"))),
)

# Every family, Oracle's too: it stays out of the prefix table above, where ``oracle`` would also
# start ``oraclelinux`` and the instant client's images.
_ALL_FAMILIES: tuple[DataImage, ...] = (*(f for _, f in _FAMILIES), _ORACLE)

# The repositories Oracle publishes its database images under, whose last segment names the
# edition, not the program: oracle/docker-images' build (``oracle/database``) and Oracle's
# container registry (container-registry.oracle.com/database/enterprise, /free, /express).
# Named by these and by its server's variables only (:data:`_SERVER_ENV`): the word ``oracle``
# starts ``oraclelinux``, a base system, and names Oracle's instant client too.
_ORACLE_REPOSITORIES = frozenset(
    {"oracle/database", "database/enterprise", "database/free", "database/express"}
)

# Words that make an image a tool *around* a store, not the store itself.
_NOT_A_STORE = frozenset(
    {
        "exporter",
        # A bridge named ``<source>-to-<sink>`` carries what it reads from one system to
        # another: prometheus-to-sd "can scrape metrics stored in prometheus text format ... and
        # push them to the Stackdriver" (https://github.com/GoogleCloudPlatform/k8s-stackdriver/
        # blob/daf33ee82c6290dc6874a3ad296b2bec4456c48c/prometheus-to-sd/README.md).
        "to",
        "ui",
        "commander",
        "express",
        "admin",
        "operator",
        "proxy",
        "client",
        # A client's role beside the family's word: Kafka's producers and consumers "are those
        # client applications that publish (write) events to Kafka" and "subscribe to (read and
        # process)" them (https://kafka.apache.org/documentation/#intro_concepts_and_terms); an
        # MQTT client is what "publishes Application Messages" or "subscribes to request" them
        # (https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#_Toc3901013).
        "consumer",
        "producer",
        "publisher",
        "subscriber",
        "cli",
        "backup",
        "dashboards",
        "connect",
        "manager",
        "insight",
        "adapter",
        "gateway",
        "pushgateway",
        "alertmanager",
        "reloader",
        # A sidecar configuring its pod's store: cvallance/mongo-k8s-sidecar is there "to setup
        # a mongo replica set using Kubernetes", adding and removing members, keeping nothing
        # (https://github.com/cvallance/mongo-k8s-sidecar/blob/04479b3a6c7d6ae200431a57b12e3fe8bca9f877/README.md).
        "sidecar",
        "kibana",
        "agent",
        # Log shippers: they tail files and send them to a store, whose name their image's tag
        # often carries (``fluent/fluentd-kubernetes-daemonset:v1-debian-elasticsearch``, the
        # output plugin built in: https://github.com/fluent/fluentd-kubernetes-daemonset).
        "fluentd",
        "fluent",
        "filebeat",
        "promtail",
        "bouncer",
        "pgbouncer",
        # Connection poolers and protocol routers: they listen on the engine's port and URL
        # scheme and forward to the server (PgBouncer, Pgpool-II, PgCat, Supavisor, ProxySQL,
        # MongoDB's mongos, HAProxy).
        "pool",
        "pooler",
        "router",
        "pgpool",
        "pgcat",
        "supavisor",
        "proxysql",
        "mongos",
        "haproxy",
        # A store's protocol served over HTTP: Serverless Redis HTTP is "a Redis proxy and
        # connection pooler that uses HTTP rather than the Redis binary protocol", handed the
        # server's address (``SRH_CONNECTION_STRING``) (https://github.com/hiett/
        # serverless-redis-http/blob/794c5a372fa3997e08320250235f32e5a86338a3/README.md).
        "http",
        "schema",
        "migrate",
        "migrations",
        "init",
        "setup",
        "tools",
        "utils",
        "wait",
    }
)

# Images named like a store that are programs *in front of* one (exact repository names, last
# path segment), each with its upstream description.
_LOOKALIKES: dict[str, str] = {
    "postgrest": "REST API server for a PostgreSQL database (https://postgrest.org)",
    "postgres-meta": "RESTful API for managing PostgreSQL (https://github.com/supabase/postgres-meta)",
    "mysql-router": "routing for InnoDB Cluster (https://dev.mysql.com/doc/mysql-router/8.0/en/)",
    "redisinsight": "GUI for Redis (https://redis.io/docs/latest/operate/redisinsight/)",
    "kcat": "Kafka command-line client (https://github.com/edenhill/kcat)",
    "kafkacat": "Kafka command-line client (https://github.com/edenhill/kcat)",
    "cassandra-reaper": "repair scheduler for Cassandra (https://cassandra-reaper.io)",
    "mongosh": "MongoDB shell (https://www.mongodb.com/docs/mongodb-shell/)",
}

# Environment a database *server* image reads at first start (clients read host/user/password
# variables, never these), with the image documentation naming each: hub.docker.com/_/postgres,
# hub.docker.com/_/mysql, hub.docker.com/_/mariadb, hub.docker.com/_/mongo.
_SERVER_ENV: dict[str, str] = {
    "PGDATA": "postgres",
    "POSTGRES_INITDB_ARGS": "postgres",
    "POSTGRES_HOST_AUTH_METHOD": "postgres",
    "MYSQL_ROOT_PASSWORD": "mysql",
    "MYSQL_ALLOW_EMPTY_PASSWORD": "mysql",
    "MYSQL_RANDOM_ROOT_PASSWORD": "mysql",
    "MARIADB_ROOT_PASSWORD": "mariadb",
    "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD": "mariadb",
    "MONGO_INITDB_ROOT_USERNAME": "mongo",
    "MONGO_INITDB_DATABASE": "mongo",
    # A KurrentDB node's cluster settings (every option is a ``KURRENTDB_``/``EVENTSTORE_``
    # variable: https://docs.kurrent.io/server/v25.0/configuration/): a client is given a
    # connection string, never the size of the cluster or the projections its nodes run.
    "KURRENTDB_CLUSTER_SIZE": "kurrentdb",
    "KURRENTDB_RUN_PROJECTIONS": "kurrentdb",
    "EVENTSTORE_CLUSTER_SIZE": "eventstore",
    "EVENTSTORE_RUN_PROJECTIONS": "eventstore",
    # Oracle Database's image creates its database with these at first start (:data:`_ORACLE`);
    # a client is given a connection string or a user's password, not SYS's.
    "ORACLE_PWD": "oracle",
    "ORACLE_CHARACTERSET": "oracle",
}
# IANA-registered ports of database servers, read only with a name that says "database"
# (``…/user-db``) or a port named for the engine: many proxies listen on them too.
_SERVER_PORTS: dict[int, str] = {5432: "postgres", 3306: "mysql", 27017: "mongo"}

_SPLIT = re.compile(r"[/:._@-]+")


# A last path segment that names an edition, not the program: the program is named before it,
# past a base system's name (mcr.microsoft.com/mssql/server, mcr.microsoft.com/mssql/rhel/server,
# container-registry.oracle.com/mysql/community-server).
_EDITIONS = frozenset({"server", "community", "enterprise", "edition", "standard"})
_BASES = frozenset({"rhel", "ubi8", "ubi9", "ubuntu", "debian", "alpine"})


# Celery's processes called in one word, by a service or its start script: its worker, its beat
# scheduler and Flower, Celery's monitor (LocusZoom's ``celeryworker`` running
# ``/start-celeryworker``, ``celerybeat``, ``flower``).
_CELERY_PROCESS = re.compile(r"celery[-_]?(worker|beat|flower)")


def celery_process(word: str) -> bool:
    """The word names one of Celery's processes (``celeryworker``, ``celery_beat``)."""
    return _CELERY_PROCESS.fullmatch(word.lower()) is not None


# "celery beat is a scheduler. It kicks off tasks at regular intervals, which are then executed
# by the worker nodes available in the cluster"
# (https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html): a process of its own,
# named so by its service or its command (``celery -A app beat``, ``celerybeat``, ``celery_beat``).
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def celery_beat(names: Iterable[str]) -> bool:
    """The names (a service's, its command's words) call the process Celery beat."""
    texts = [t.lower() for t in names]
    if not any("beat" in t for t in texts):  # most containers: no split needed
        return False
    words = {w for t in texts for w in _NOT_WORD.split(t)}
    return {"celery", "beat"} <= words or any(
        celery_process(w) and w.endswith("beat") for w in words
    )


def named(ref: str) -> str:
    """The path segment of an image reference that names its program, with the tag: the last
    one (``demo:2.1-kafka``), or when that names only an edition, the one before it past a base
    system's name (``mcr.microsoft.com/mssql/rhel/server:2022-latest`` -> ``mssql:2022-latest``)."""
    segments = _REGISTRY_HOST.sub("", ref.split("@", 1)[0].lower()).split("/")
    name, colon, tag = segments.pop().partition(":")
    if _EDITIONS.issuperset(w for w in _SPLIT.split(name) if w):
        while segments and segments[-1] in _BASES:
            segments.pop()
        name = segments[-1] if segments else name
    return f"{name}{colon}{tag}"


def image_words(ref: str) -> list[str]:
    """Lower-case words of the segment naming an image's program, and of its tag
    (``demo:2.1-kafka`` -> kafka; :func:`named`)."""
    return [w for w in _SPLIT.split(named(ref)) if w]


@functools.lru_cache(maxsize=4096)  # estates repeat a few images many times
def data_image(ref: str, *, built: bool = False) -> DataImage | None:
    """The data family of an image reference, or None for anything else.

    ``built``: the image is built from the project's own Dockerfile (Compose ``build:``); then
    only the first word of the name or a word of the tag names the family, because a later
    word is a qualifier of the project's own program (``etl-kafka`` is an ETL job, not Kafka).
    """
    words = image_words(ref)
    if not words or fronts_a_store(ref):
        return None
    if found := repository_family(ref):
        return found
    name, _, tag = named(ref).partition(":")
    if built:
        words = [w for w in _SPLIT.split(name) if w][:1] + [w for w in _SPLIT.split(tag) if w]
    for prefix, family in _FAMILIES:
        if "-" in prefix and prefix in name and not built:
            return _linuxserver(ref, _versioned(family, tag))
        if any(word.startswith(prefix) for word in words):
            return _linuxserver(ref, _versioned(family, tag))
    return None


def repository_family(ref: str) -> DataImage | None:
    """The family a published repository whose last segment names no program is known by
    (Oracle's ``database/enterprise``: :data:`_ORACLE_REPOSITORIES`), or None."""
    return _ORACLE if repository(ref) in _ORACLE_REPOSITORIES else None


def _linuxserver(ref: str, family: DataImage) -> DataImage:
    """The family as a LinuxServer.io image packs it: every such image, a database's too, keeps
    its state under ``/config`` (its MariaDB's datadir is ``/config/databases``:
    https://docs.linuxserver.io/images/docker-mariadb/), not at the upstream image's path; so
    do the other repackagings of :data:`_REPACKAGED`."""
    path = repository(ref)
    if path in _REPACKAGED:
        return replace(family, data_dirs=_REPACKAGED[path])
    if not path.startswith(_LINUXSERVER_REPOSITORIES):
        return family
    return replace(family, data_dirs=linuxserver.CONVENTION)


# Database images built by a vendor on its own base, keeping the data files where the vendor's
# scripts put them: Nfrastack's MariaDB writes its datadir to ``DATA_PATH``, ``/data/`` by
# default ("/data/ Datafiles" under "Persistent Storage"; ``update_config … datadir
# "${DATA_PATH%/}"``, and ``/var/lib/mariadb`` made a link to it:
# https://github.com/nfrastack/container-mariadb/blob/fb894c0a62c5974c113e305d4e5df47cfb3133e1/rootfs/container/functions/10-mariadb).
_REPACKAGED: dict[str, tuple[str, ...]] = {"nfrastack/mariadb": ("/data",)}


# From PostgreSQL 18 the official image keeps its cluster in the pg_ctlcluster layout,
# ``PGDATA=/var/lib/postgresql/<major>/docker``, under ``VOLUME /var/lib/postgresql``
# (docker-library/postgres#1259; https://github.com/docker-library/postgres/blob/
# 12eb5762e3cf3c44440ed078b59843b5dfbde570/18/trixie/Dockerfile). The major version is read
# from the tag (``18``, ``18.1-alpine``, TimescaleDB's ``latest-pg18``); a tag naming none
# (``latest``, ``alpine``) is the newest major at that commit.
_PG_MAJOR = re.compile(r"(?:^|pg)(\d+)")
_PG_CLUSTER_FROM = 18
_PG_NEWEST = 18


def _versioned(family: DataImage, tag: str) -> DataImage:
    """The family with the data directory its image version uses, where that moved."""
    if family.name != "postgres":
        return family
    found = _PG_MAJOR.search(tag)
    major = int(found.group(1)) if found else _PG_NEWEST
    if major < _PG_CLUSTER_FROM:
        return family
    cluster = f"/var/lib/postgresql/{major}/docker"
    return replace(family, data_dirs=(cluster, *family.data_dirs))


APPLICATION = "application"
"""Role of a self-hosted application that keeps its users' data in its own directory."""

# Self-hosted applications whose images keep their data (an embedded SQLite database,
# repositories, uploads, configuration made in the UI) in one documented directory; matched on
# the whole repository path (``vaultwarden/server``: its last segment says nothing). Each entry
# cites the image's documentation of the volume to keep. Grafana is left out: provisioned from
# files, its database may hold nothing of its own (the shared corpora's tables do not count a
# Compose Grafana with no volume); on an emptyDir, /var/lib/grafana is data by its name.
_APPS: dict[str, tuple[tuple[str, ...], str]] = {
    "louislam/uptime-kuma": (("/app/data",), "https://github.com/louislam/uptime-kuma/wiki/%F0%9F%94%A7-How-to-Install"),
    "gitea/gitea": (("/data",), "https://docs.gitea.com/installation/install-with-docker"),
    "forgejo/forgejo": (("/data",), "https://forgejo.org/docs/latest/admin/installation-docker/"),
    "vaultwarden/server": (("/data",), "https://github.com/dani-garcia/vaultwarden/wiki"),
    "home-assistant/home-assistant": (("/config",), "https://www.home-assistant.io/installation/linux#docker-compose"),
    "homeassistant/home-assistant": (("/config",), "https://www.home-assistant.io/installation/linux#docker-compose"),
    "jellyfin/jellyfin": (("/config",), "https://jellyfin.org/docs/general/installation/container"),
    "nodered/node-red": (("/data",), "https://nodered.org/docs/getting-started/docker"),
    "portainer/portainer-ce": (("/data",), "https://docs.portainer.io/start/install-ce/server/docker/linux"),
    "registry": (("/var/lib/registry",), "https://distribution.github.io/distribution/about/deploying/"),
    "sonatype/nexus3": (("/nexus-data",), "https://hub.docker.com/r/sonatype/nexus3"),
    "jenkins/jenkins": (("/var/jenkins_home",), "https://github.com/jenkinsci/docker/blob/master/README.md"),
    "matrixdotorg/synapse": (("/data",), "https://hub.docker.com/r/matrixdotorg/synapse"),
    "nextcloud": (("/var/www/html",), "https://hub.docker.com/_/nextcloud"),
    "ghost": (("/var/lib/ghost/content",), "https://hub.docker.com/_/ghost"),
    "pihole/pihole": (("/etc/pihole",), "https://github.com/pi-hole/docker-pi-hole"),
    "adguard/adguardhome": (("/opt/adguardhome/work", "/opt/adguardhome/conf"), "https://hub.docker.com/r/adguard/adguardhome"),
    "syncthing/syncthing": (("/var/syncthing",), "https://github.com/syncthing/syncthing/blob/main/README-Docker.md"),
    "gitlab/gitlab-ce": (("/var/opt/gitlab", "/etc/gitlab"), "https://docs.gitlab.com/install/docker/installation/"),
    "gitlab/gitlab-ee": (("/var/opt/gitlab", "/etc/gitlab"), "https://docs.gitlab.com/install/docker/installation/"),
    "gogs/gogs": (("/data",), "https://github.com/gogs/gogs/blob/main/docker/README.md"),
    "wordpress": (("/var/www/html",), "https://hub.docker.com/_/wordpress"),
    "redmine": (("/usr/src/redmine/files",), "https://hub.docker.com/_/redmine"),
    "odoo": (("/var/lib/odoo",), "https://hub.docker.com/_/odoo"),
    "owncloud/server": (("/mnt/data",), "https://doc.owncloud.com/server/next/admin_manual/installation/docker/"),
    "seafileltd/seafile-mc": (("/shared",), "https://manual.seafile.com/latest/setup/setup_ce_by_docker/"),
    "mattermost/mattermost-team-edition": (("/mattermost/data",), "https://docs.mattermost.com/install/install-docker.html"),
    "mattermost/mattermost-enterprise-edition": (("/mattermost/data",), "https://docs.mattermost.com/install/install-docker.html"),
    "jc21/nginx-proxy-manager": (("/data",), "https://nginxproxymanager.com/setup/"),
    "paperless-ngx/paperless-ngx": (("/usr/src/paperless/data", "/usr/src/paperless/media"), "https://docs.paperless-ngx.com/setup/"),
    "navidrome/navidrome": (("/data",), "https://www.navidrome.org/docs/installation/docker/"),
    "photoprism/photoprism": (("/photoprism/storage",), "https://docs.photoprism.app/getting-started/docker-compose/"),
    "immich-app/immich-server": (("/usr/src/app/upload", "/data"), "https://immich.app/docs/install/docker-compose"),
    "mealie-recipes/mealie": (("/app/data",), "https://docs.mealie.io/documentation/getting-started/installation/sqlite/"),
    "advplyr/audiobookshelf": (("/config", "/metadata"), "https://www.audiobookshelf.org/docs#docker-compose-install"),
    "dgtlmoon/changedetection.io": (("/datastore",), "https://github.com/dgtlmoon/changedetection.io"),
    "freshrss/freshrss": (("/var/www/FreshRSS/data",), "https://github.com/FreshRSS/FreshRSS/tree/edge/Docker"),
    "wallabag/wallabag": (("/var/www/wallabag/data",), "https://github.com/wallabag/docker"),
    "sissbruecker/linkding": (("/etc/linkding/data",), "https://linkding.link/installation/"),
    "actualbudget/actual-server": (("/data",), "https://actualbudget.org/docs/install/docker"),
    "kanboard/kanboard": (("/var/www/app/data",), "https://docs.kanboard.org/v1/admin/docker/"),
    "koenkk/zigbee2mqtt": (("/app/data",), "https://www.zigbee2mqtt.io/guide/installation/02_docker.html"),
    "datalust/seq": (("/data",), "https://docs.datalust.co/docs/getting-started-with-docker"),
    "homebridge/homebridge": (("/homebridge",), "https://github.com/homebridge/docker-homebridge"),
    "esphome/esphome": (("/config",), "https://esphome.io/guides/getting_started_command_line"),
    "louislam/dockge": (("/app/data",), "https://github.com/louislam/dockge"),
    "verdaccio/verdaccio": (("/verdaccio/storage",), "https://verdaccio.org/docs/docker"),
    "directus/directus": (("/directus/uploads", "/directus/database"), "https://docs.directus.io/self-hosted/docker-guide.html"),
    "triliumnext/notes": (("/home/node/trilium-data",), "https://github.com/TriliumNext/Notes"),
    "zadam/trilium": (("/home/node/trilium-data",), "https://github.com/zadam/trilium/wiki/Docker-server-installation"),
    "hedgedoc/hedgedoc": (("/hedgedoc/public/uploads",), "https://docs.hedgedoc.org/setup/docker/"),
    "apache/answer": (("/data",), "https://answer.apache.org/docs/installation"),
    "flowiseai/flowise": (("/root/.flowise",), "https://docs.flowiseai.com/getting-started"),
    "gristlabs/grist": (("/persist",), "https://support.getgrist.com/self-managed/"),
    "kavitareader/kavita": (("/kavita/config",), "https://wiki.kavitareader.com/installation/docker/"),
}  # fmt: skip
# LinuxServer.io images keep an application's state in /config where their page asks for it
# (:mod:`stateward.analysis.audit.linuxserver`).
_LINUXSERVER_REPOSITORIES = ("linuxserver/", "lscr.io/linuxserver/")
_REGISTRY_HOST = re.compile(r"^[^/]*[.:][^/]*/|^localhost/")
# Bitnami's application images keep what they persist under ``/bitnami/<application>``, the
# directory each image's README asks to mount ("Persisting your application": ``/bitnami/wordpress``
# for ``bitnami/wordpress`` and for its NGINX variant ``bitnami/wordpress-nginx``,
# https://github.com/bitnami/containers/blob/main/bitnami/wordpress/README.md), not the
# upstream image's directory: an application of the catalogue above, named by the repository's
# last segment or that segment's first word (the web server a variant adds is no application).
_BITNAMI = "bitnami/"


@functools.lru_cache(maxsize=4096)  # estates repeat a few images many times
def repository(ref: str) -> str:
    """An image's repository path without registry host, tag or digest (``vaultwarden/server``)."""
    path = _REGISTRY_HOST.sub("", ref.split("@", 1)[0].lower()).split(":", 1)[0]
    return path.removeprefix("library/")


@functools.lru_cache(maxsize=4096)
def app_image(ref: str) -> DataImage | None:
    """The self-hosted application an image is, by its documented data directory."""
    path = repository(ref)
    name = path.rsplit("/", 1)[-1]
    if path in REBUILT:
        dirs, _, what = REBUILT[path]
        return DataImage(name, APPLICATION, dirs, what)
    known = _APPS.get(path) or APPS.get(path)
    if known is None and path.startswith(_LINUXSERVER_REPOSITORIES):
        dirs = linuxserver.state_directories(path)
        known = (dirs, linuxserver.SOURCE_URL) if dirs else None
    if known is None and path.startswith("hotio/"):
        known = HOTIO
    if known is None and path.startswith(_BITNAMI):
        app = next((a for a in (name, name.split("-", 1)[0]) if "/" not in a and a in _APPS), "")
        known = ((f"/bitnami/{app}",), _APPS[app][1]) if app else None
    if known is None:
        return None
    return DataImage(name, ROLES.get(path, APPLICATION), known[0])


def tool_image(ref: str) -> DataImage | None:
    """An administration tool keeping its configuration database in its image's ``VOLUME``
    (:data:`~stateward.analysis.audit.app_catalog.TOOLS`: data only where nothing keeps that
    volume across a replacement, as on Kubernetes)."""
    path = repository(ref)
    known = TOOLS.get(path)
    return DataImage(path.rsplit("/", 1)[-1], APPLICATION, known[0]) if known else None


def fronts_a_store(ref: str) -> bool:
    """True for an image named as a tool around a store (exporter, proxy, pooler, UI) or a
    program in front of one (PostgREST): it speaks the store's protocol, it holds no data. A
    look-alike is known by its whole name or by a word of it, as a vendor's prefix keeps the
    program's name a word (Confluent Platform's ``confluentinc/cp-kafkacat``,
    https://hub.docker.com/r/confluentinc/cp-kafkacat)."""
    name = named(ref).partition(":")[0]
    return (
        bool(_NOT_A_STORE.intersection(image_words(ref)))
        or name in _LOOKALIKES
        or not _LOOKALIKES.keys().isdisjoint(_SPLIT.split(name))
    )


def family_by_name(name: str) -> DataImage | None:
    """The family called ``name`` (``postgres``, ``mysql`` …)."""
    return next((f for f in _ALL_FAMILIES if f.name == name), None)


# Environment the official images set in their Dockerfiles (``ENV``), inherited by every image
# built FROM them: hub.docker.com/_/postgres, /_/mysql, /_/mariadb, /_/mongo.
_IMAGE_ENV: dict[str, str] = {
    "PG_MAJOR": "postgres",
    "PGDATA": "postgres",
    "MYSQL_MAJOR": "mysql",
    "MARIADB_MAJOR": "mariadb",
    "MONGO_MAJOR": "mongo",
}


def declared_family(container: Container) -> tuple[DataImage, str] | None:
    """A database family the container declares by its environment or ports, and the evidence;
    for custom images built on an engine (``…/catalogue-db`` built FROM mysql), also what the
    image's own config declares when it was read, and what its clients reach it as."""
    if container.image_config is not None and (found := _image_family(container.image_config)):
        return found
    if container.reached_as is not None:
        engine, evidence = container.reached_as
        reached = family_by_name(engine)
        return (reached, f"reached as {engine} ({evidence})") if reached else None
    if found := server_env_family(container):
        return found
    ports = as_list(container.body.get("ports"))
    if not ports:
        return None
    words = set(image_words(container.image))
    if _NOT_A_STORE.intersection(words):
        return None
    if found := _initialised_server(container, ports):
        return found
    for port in ports:
        number, label = as_map(port).get("containerPort"), str(as_map(port).get("name", ""))
        name = _SERVER_PORTS.get(number) if isinstance(number, int) else None
        if name and (label.startswith(name) or words & {"db", "database"}):
            family = family_by_name(name)
            return (family, f"port {number}") if family else None
    return None


def server_env_family(container: Container) -> tuple[DataImage, str] | None:
    """A database family a variable only its server reads names (``PGDATA``,
    ``MYSQL_ROOT_PASSWORD``), for a container no client or other engine explains; with it."""
    for variable in sorted(container.env_names.intersection(_SERVER_ENV)):
        family = family_by_name(_SERVER_ENV[variable])
        if family and not _client_of(container, family) and not _other_engine(container, family):
            return family, f"{variable} set"
    return None


# The variables with which an official database image creates its first database and user at
# first start (hub.docker.com/_/postgres: ``POSTGRES_PASSWORD`` "required", ``POSTGRES_USER``,
# ``POSTGRES_DB``; /_/mysql: ``MYSQL_DATABASE``, ``MYSQL_USER``, ``MYSQL_PASSWORD``; /_/mongo:
# ``MONGO_INITDB_ROOT_PASSWORD``). A client is given them too, with the host it reaches; a
# service given two of them and no such host, that publishes the engine's own port
# (``ports: ["5432:5432"]``), is the server: Bacula's catalog image ``fametec/bacula-catalog``,
# built FROM postgres
# (https://github.com/fametec/bacula/blob/3b3dbb8932a5a0167149737d38d2c3047466943a/docker/docker-compose.yml).
_INITDB_ENV: dict[str, frozenset[str]] = {
    "postgres": frozenset({"POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB"}),
    "mysql": frozenset({"MYSQL_DATABASE", "MYSQL_USER", "MYSQL_PASSWORD"}),
    "mongo": frozenset({"MONGO_INITDB_ROOT_PASSWORD", "MONGO_INITDB_ROOT_USERNAME"}),
}
_CLIENT_HOSTS = re.compile(r"(^|_)(HOST|HOSTNAME|ADDR|ADDRESS|SERVER|URL|URI)$")


def _initialised_server(container: Container, ports: list[Any]) -> tuple[DataImage, str] | None:
    """A Compose service published on a database engine's port and given that engine's
    first-start variables, no host (:data:`_INITDB_ENV`)."""
    names = container.env_names
    if any(_CLIENT_HOSTS.search(name) for name in names):
        return None
    for port in ports:
        # ``"5432:5432"``, ``"127.0.0.1:5432:5432/tcp"``: the container's port is the last
        target = (
            str(port).split("/", 1)[0].rsplit(":", 1)[-1] if isinstance(port, str | int) else ""
        )
        engine = _SERVER_PORTS.get(int(target)) if target.isdigit() else None
        given = sorted(names & _INITDB_ENV[engine]) if engine else []
        if engine and len(given) >= 2 and (family := family_by_name(engine)) is not None:
            return family, f"port {target} published, {', '.join(given)} set"
    return None


# A client's connection URL, JDBC's ``jdbc:`` prefix included (``jdbc:mariadb://db:3306/app``:
# https://mariadb.com/docs/connectors/mariadb-connector-j/about-mariadb-connector-j,
# https://dev.mysql.com/doc/connector-j/en/connector-j-reference-jdbc-url-format.html,
# https://jdbc.postgresql.org/documentation/use/#connecting-to-the-database).
_CLIENT_URL = re.compile(
    r"^(?:jdbc:)?(?P<scheme>mysql|mariadb|postgres(?:ql)?|mongodb(?:\+srv)?)://"
    r"(?:[^@/\s]*@)?(?P<host>[A-Za-z0-9_.-]+)"
)
_SCHEME_FAMILY = {"mysql": "mysql", "mariadb": "mariadb", "postgres": "postgres",
                  "postgresql": "postgres", "mongodb": "mongo", "mongodb+srv": "mongo"}  # fmt: skip
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "0.0.0.0"})


def _client_of(container: Container, family: DataImage) -> bool:
    """Whether the container is given a URL to a server of ``family`` on another host, or the
    engine's client host variable naming one. One env file shared by an application and its
    database (Compose's ``env_file: .env`` on both) hands the application the server's
    variables too (``MYSQL_ROOT_PASSWORD``); a program told to connect elsewhere to that
    engine is its client, not the server."""
    for value in container.env.values():
        found = _CLIENT_URL.match(value.strip())
        if found is None or found["host"].lower() in _LOOPBACK:
            continue
        named = family_by_name(_SCHEME_FAMILY[found["scheme"]])
        if named is not None and set(named.data_dirs) & set(family.data_dirs):
            return True
    if any(_elsewhere(container, name) for name in container.env_names if _DB_HOST.search(name)):
        return True
    return any(
        (named := family_by_name(engine)) is not None
        and set(named.data_dirs) & set(family.data_dirs)
        and _elsewhere(container, variable)
        for variable, engine in _CLIENT_HOST.items()
    )


def _elsewhere(container: Container, variable: str) -> bool:
    """The variable names a host other than the container itself."""
    host = container.env.get(variable, "").strip().lower()
    return bool(host) and host not in _LOOPBACK and host != container.name.lower()


def _other_engine(container: Container, family: DataImage) -> bool:
    """Whether the container is also given another engine's first-start or server variables
    (:data:`_INITDB_ENV`, :data:`_SERVER_ENV`). Each official image reads its own engine's
    alone (hub.docker.com/_/mysql reads ``MYSQL_*``, /_/postgres ``POSTGRES_*``, /_/mongo
    ``MONGO_INITDB_*``), so a container handed two engines' is neither server: it is a client
    given each server's env file to read its credentials (coturn's ``docker-compose-all.yml``
    hands its relay ``mysql.env``, ``postgresql.env`` and ``mongodb.env``). MySQL and MariaDB
    share a data directory, and the MariaDB image reads the ``MYSQL_`` names too: one engine."""
    names = container.env_names
    given = {e for v, e in _SERVER_ENV.items() if v in names}
    given |= {e for e, variables in _INITDB_ENV.items() if names & variables}
    return any(
        (other := family_by_name(engine)) is not None
        and not set(other.data_dirs) & set(family.data_dirs)
        for engine in given
    )


# The variables an engine's own clients read for the server's host: ``MYSQL_HOST``, "the
# default host name used by the mysql command-line client"
# (https://dev.mysql.com/doc/refman/8.0/en/environment-variables.html), libpq's ``PGHOST``
# (https://www.postgresql.org/docs/16/libpq-envars.html). The servers' images read neither
# (their entrypoints take ``MYSQL_ROOT_HOST``, never ``MYSQL_HOST``:
# https://github.com/docker-library/mysql/blob/e0d43b2a29867c5b7d5c01a8fea30a086861df2b/8.0/docker-entrypoint.sh):
# one naming another host is a client's setting, handed along with the server's in a shared file.
# So are the web clients' own: phpMyAdmin's image takes ``PMA_HOST``, "address/host name of the
# MySQL server", and ``PMA_HOSTS``, a comma-separated list of them
# (https://github.com/phpmyadmin/docker/blob/master/README.md, "Environment variables summary");
# its README sends users to the server image's ``MYSQL_ROOT_PASSWORD`` for the credentials, which
# is how a phpMyAdmin comes to be handed the server's variables.
_CLIENT_HOST: dict[str, str] = {
    "MYSQL_HOST": "mysql", "PGHOST": "postgres", "PMA_HOST": "mysql", "PMA_HOSTS": "mysql",
}  # fmt: skip
# The host of "the database" an application is configured with, whatever its engine
# (``DB_HOST``, ``DATABASE_HOST``, WordPress's ``WORDPRESS_DB_HOST``, "the database host":
# https://hub.docker.com/_/wordpress). No official server image reads one (their entrypoints
# above take no ``*_HOST``): a container told to reach its database on another host is that
# database's client, even when a block of variables shared with the server hands it ``PGDATA``
# too (Dify's ``x-shared-env``, merged into its API, its workers and its plugin daemon:
# https://github.com/0becny/dify/blob/baf26c9ad05cdc738556623eab39d5a8c7ca78ce/docker/docker-compose.yaml).
_DB_HOST = re.compile(r"(^|_)(DB|DATABASE)_(HOST|HOSTNAME|SERVER)$")


def _image_family(config: Mapping[str, Any]) -> tuple[DataImage, str] | None:
    """The family an image config declares: a ``VOLUME`` at a family's data directory, or the
    ``ENV`` its official base image sets."""
    # A one-segment path (``/data``) is declared by too many programs (Redis, MinIO, Portainer,
    # Vaultwarden) to name one database. An image declaring the data directories of several systems bundles them (ONLYOFFICE's
    # Document Server: PostgreSQL, RabbitMQ and Redis directories), running each only when not
    # given an external one: it is not that database.
    volumes = sorted(v for v in as_map(config.get("Volumes")) if v.strip("/").count("/"))
    declared: dict[tuple[str, ...], tuple[DataImage, str]] = {}
    for family in _ALL_FAMILIES:  # by directories: MySQL, MariaDB and Percona share theirs
        for volume in volumes:
            if volume.rstrip("/") in family.data_dirs:
                declared.setdefault(family.data_dirs, (family, volume))
    if len(declared) == 1:
        ((family, volume),) = declared.values()
        if family.role == "database":
            return family, f"image config: VOLUME {volume}"
    names = sorted(str(e).split("=", 1)[0] for e in as_list(config.get("Env")))
    for name in names:
        if name in _IMAGE_ENV and (base := family_by_name(_IMAGE_ENV[name])):
            return base, f"image config: ENV {name}"
    return None


# Sinks whose store is in memory (or a temporary file deleted on exit) unless a variable, or a
# command-line flag (``--…``, ``-dbPath``), chooses another backend: what other services send
# them (spans, caught mails, queued messages) dies with the container. Repository -> setting, each by its
# documentation: Jaeger all-in-one when SPAN_STORAGE_TYPE is not set
# (https://www.jaegertracing.io/docs/1.62/getting-started/#all-in-one,
# https://www.jaegertracing.io/docs/1.62/deployment/#span-storage-backends); Jaeger v2's image
# with its built-in configuration, memory storage, unless ``--config`` names another
# (https://www.jaegertracing.io/docs/2.0/getting-started/); Zipkin with STORAGE_TYPE ``mem`` by
# default (https://github.com/openzipkin/zipkin/tree/master/zipkin-server#storage); Mailpit in a
# temporary database deleted on exit unless MP_DATABASE names a file
# (https://mailpit.axllent.org/docs/configuration/runtime-options/), or its earlier names
# MP_DATA_FILE (a database file) and MP_DATA_DIR (a directory), which older images read (the
# project's former runtime-options page, https://github.com/axllent/mailpit/wiki); MailDev in a
# temporary directory unless MAILDEV_MAIL_DIRECTORY names one
# (https://github.com/maildev/maildev#usage);
# MailHog in memory unless MH_STORAGE chooses maildir or MongoDB
# (https://github.com/mailhog/MailHog/blob/master/docs/CONFIG.md); LocalStack's emulated
# services (SQS queues, SNS topics, S3 buckets) in memory unless PERSISTENCE is on
# (https://docs.localstack.cloud/references/configuration/#core), or, in its releases before
# 1.0, unless DATA_DIR names a directory: persistence was on exactly when it was set
# (https://github.com/localstack/localstack/blob/394b02b511fef4dc306aba9e59984db0eb1fa243/localstack/utils/persistence.py,
# ``is_persistence_enabled``: ``bool(config.dirs.data)``, the DATA_DIR of ``config.py``, at
# v0.14.3; ClearFlask's self-host file sets it beside a bind at its parent); Kuma's counter
# demo, whose one image is both the page and the key-value service it stores the counter in:
# run without ``KV_URL`` it serves its own keys from a map in process memory
# (https://github.com/kumahq/kuma-counter-demo/blob/0c5747ddab5eaa4115240b7c8fc86e0bb3204ea5/app/internal/base/handler.go);
# DynamoDB Local's image, whose command is ``-jar DynamoDBLocal.jar -inMemory`` unless one with
# ``-dbPath`` names a directory for its database file
# (https://hub.docker.com/r/amazon/dynamodb-local, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html:
# "-inMemory — DynamoDB runs in memory instead of using a database file").
# Some keep it there with no setting to choose another (no settings listed): Linkerd's emojivoto
# voting service counts every vote in a map of its process (``inMemoryPoll``), its only store,
# which its server makes at start (``voting.NewPoll()``)
# (https://github.com/BuoyantIO/emojivoto/blob/e490d5789086e75933a474b22f9723fbfa0b29ba/emojivoto-voting-svc/voting/poll.go,
# https://github.com/BuoyantIO/emojivoto/blob/e490d5789086e75933a474b22f9723fbfa0b29ba/emojivoto-voting-svc/cmd/server.go).
_MEMORY_BY_DEFAULT: dict[str, tuple[str, ...]] = {
    "jaegertracing/all-in-one": ("SPAN_STORAGE_TYPE",),
    "jaegertracing/jaeger": ("--config",),
    "openzipkin/zipkin": ("STORAGE_TYPE",),
    "axllent/mailpit": ("MP_DATABASE", "MP_DATA_FILE", "MP_DATA_DIR"),
    "maildev/maildev": ("MAILDEV_MAIL_DIRECTORY",),
    "djfarrelly/maildev": ("MAILDEV_MAIL_DIRECTORY",),
    "mailhog/mailhog": ("MH_STORAGE",),
    "localstack/localstack": ("PERSISTENCE", "DATA_DIR"),
    "kumahq/kuma-counter-demo": ("KV_URL",),
    "amazon/dynamodb-local": ("-dbPath",),
    "buoyantio/emojivoto-voting-svc": (),
}


def memory_by_default(container: Container) -> str | None:
    """Why a known image keeps its store in memory: its default, with the setting that would
    choose another left unset (or none to set); None when the image is not known so or the
    setting is given."""
    settings = _MEMORY_BY_DEFAULT.get(repository(container.image))
    if settings is None or setting_value(container, settings) is not None:
        return None
    if not settings:
        return f"{container.image} keeps its store in process memory: no setting chooses another"
    return f"{settings[0]} unset: {container.image} keeps its store in memory by default"


def chosen_store(container: Container) -> tuple[str, str] | None:
    """(path, variable) where a known memory-by-default image is told by a variable to keep
    its store on disk, that variable's value being the path (LocalStack's ``DATA_DIR``,
    Mailpit's ``MP_DATABASE``): the program keeps its records there whatever the folder is
    named (``/tmp/localstack/data``), as it was told to. None when no such variable names a
    path (``PERSISTENCE=1``, ``STORAGE_TYPE=mysql``)."""
    for setting in _MEMORY_BY_DEFAULT.get(repository(container.image), ()):
        value = container.env.get(setting, "").strip() if not setting.startswith("-") else ""
        if value.startswith("/"):
            return value.rstrip("/") or "/", setting
    return None


def flag_values(words: list[str]) -> Iterator[tuple[str, str]]:
    """(flag, value) for each ``--flag=value`` or ``--flag value`` of a command."""
    for i, word in enumerate(words):
        if not word.startswith("-"):
            continue
        flag, equals, value = word.partition("=")
        if not equals and i + 1 < len(words):
            value = words[i + 1]
        yield f"command {flag}", value


def setting_value(container: Container, settings: tuple[str, ...]) -> str | None:
    """The value the container gives the first of ``settings`` it sets, a variable's or a
    flag's ('' when not known: a variable filled from a Secret, a flag with no value), None
    when it sets none of them."""
    flags = dict(flag_values(container.command))
    for setting in settings:
        if setting.startswith("-"):
            value = flags.get(f"command {setting}")
        else:
            value = container.env.get(setting, "") if setting in container.env_names else None
        if value is not None:
            return value.strip()
    return None


# Certificate stores of ACME clients: the certificates and account keys are issued again by the
# certificate authority when absent (rate limits permitting), so losing them costs a warm-up,
# not data. Caddy keeps them in /data and its autosaved configuration in /config
# (https://hub.docker.com/_/caddy, "Caddy requires write access to two locations");
# caddy-docker-proxy the same (https://github.com/lucaslorentz/caddy-docker-proxy); certbot in
# /etc/letsencrypt (https://eff-certbot.readthedocs.io/en/stable/install.html#running-with-docker);
# Traefik in the acme.json file its ``storage`` option names
# (https://doc.traefik.io/traefik/https/acme/#storage). Whatever the client, a store named for
# ACME (``/letsencrypt``, ``acme.json``, acme.sh's home) holds the same.
_REISSUED: dict[str, tuple[str, ...]] = {
    "caddy": ("/data", "/config"),
    "lucaslorentz/caddy-docker-proxy": ("/data", "/config"),
    "certbot/certbot": ("/etc/letsencrypt",),
}
_ACME_NAMES = frozenset({"letsencrypt", "acme", "acme.json", "acme.sh"})
# A reverse proxy built on one of those clients under another name (a project's own Caddy-based
# proxy image) says so by the ACME settings it is given (``CERT_ACME_CA``, ``ACME_EMAIL``,
# ``LETSENCRYPT_EMAIL``): it keeps the certificates it obtains, and the configuration it saves,
# in the writable directories Caddy uses (``/data``, ``/config``) or ones named for them.
_ACME_VARIABLE = re.compile(r"(^|_)(ACME|LETSENCRYPT)(_|$)", re.IGNORECASE)
_PROXY_WORDS = frozenset({"proxy", "caddy", "traefik", "nginx", "gateway", "ingress", "edge"})
_CERT_DIRS = ("/data", "/config", "/certs", "/certificates", "/etc/ssl", "/ssl")


def acme_client(container: Container) -> tuple[str, ...]:
    """The directories a known ACME client keeps the certificates it obtains in (none for
    another image)."""
    image = container.image
    dirs = _REISSUED.get(repository(image), ())
    if not dirs and image_words(image)[:1] == ["caddy"]:
        # A Caddy built with plugins under its own name (``caddy-l4``, ``caddy-cloudflare``:
        # https://caddyserver.com/docs/build#xcaddy) keeps its storage where Caddy does.
        dirs = _REISSUED["caddy"]
    return dirs


def reissued(container: Container, target: str) -> str:
    """Why a directory of a known ACME client holds only certificates issued again ('' when it
    does not)."""
    target = target.rstrip("/")
    if _acme_off(container):
        return ""
    dirs = (*acme_client(container), *_acme_storage(container))
    if _acme_proxy(container):
        dirs = (*dirs, *_CERT_DIRS)
    if _ACME_NAMES.intersection(target.lower().split("/")) or any(
        at_or_under(target, d) for d in dirs
    ):
        return "ACME certificates and keys, issued again by the certificate authority"
    return ""


# Traefik's certificate resolvers save what they obtain in the file their ``storage`` option
# names ("The storage option sets the location where your ACME certificates are saved to",
# https://doc.traefik.io/traefik/https/acme/#storage), given on the command line
# (``--certificatesresolvers.<name>.acme.storage=/certs/acme.json``) or as a variable
# (``TRAEFIK_CERTIFICATESRESOLVERS_<NAME>_ACME_STORAGE``): its directory holds them.
_ACME_STORAGE = re.compile(
    r"^--certificates_?resolvers\.[^.=]+\.acme\.storage=(/.+)$", re.IGNORECASE
)
_ACME_STORAGE_VARIABLE = re.compile(r"^TRAEFIK_CERTIFICATES_?RESOLVERS_.+_ACME_STORAGE$", re.I)


def _acme_storage(container: Container) -> tuple[str, ...]:
    """The directories of the files an ACME ``storage`` setting names (absolute paths only)."""
    values = [m.group(1) for w in container.command if (m := _ACME_STORAGE.match(w.strip()))]
    values += [str(v) for n, v in container.env.items() if _ACME_STORAGE_VARIABLE.match(n)]
    return tuple(v.rsplit("/", 1)[0] or "/" for v in values if v.startswith("/"))


# Traefik 1.x obtains certificates only with ACME enabled: the ``[acme]`` section, ``--acme`` on
# the command line, is the switch ("Enable ACME (Let's Encrypt): automatic SSL",
# https://doc.traefik.io/traefik/v1.5/configuration/acme). Given ``--acme=false``, the
# ``--acme.*`` settings beside it are inert and the ``acme.json`` it would write stays as the
# project left it: no certificate is kept there, not even one issued again.
_ACME_OFF = frozenset({"--acme=false"})


def _acme_off(container: Container) -> bool:
    """The client is told not to use ACME at all."""
    return any(w.strip().lower() in _ACME_OFF for w in container.command)


def _acme_proxy(container: Container) -> bool:
    """A container named as a reverse proxy and given ACME settings."""
    words = set(image_words(container.image))
    return bool(words & _PROXY_WORDS) and any(_ACME_VARIABLE.search(n) for n in container.env_names)


# Core NATS keeps no messages: it hands each one to the subscribers connected at that moment (at
# most once, https://docs.nats.io/nats-concepts/core-nats). Only JetStream persists streams,
# switched on by ``-js``/``--jetstream`` or a store directory ``-sd``/``--store_dir``
# (https://docs.nats.io/running-a-nats-service/introduction/flags) or in a configuration file
# (``-c``/``--config``, which the audit does not read); the official image's own configuration
# file does not enable it (https://github.com/nats-io/nats-docker).
_RELAYS = frozenset({"nats"})
_PERSISTENCE_FLAGS = frozenset({"-js", "--jetstream", "-sd", "--store_dir", "-c", "--config"})


# A RethinkDB proxy node joins the cluster to route queries and serve the web UI and keeps no
# table of its own (run as ``rethinkdb proxy``: :func:`.programs.other_program`); an image
# whose entrypoint enters that mode when ``PROXY`` is set runs one too (the Kubernetes
# RethinkDB cluster's image, ``if [[ -n "${PROXY}" ]]; then … exec rethinkdb proxy``,
# https://github.com/rosskukulinski/kubernetes-rethinkdb-cluster/blob/f585885fdd33c7f2e2d011214d4bbb16533e1b33/image/run.sh).
_PROXY_SWITCHES = {"rethinkdb": "PROXY"}


def relay_only(family: DataImage, container: Container, writes_a_volume: bool) -> bool:
    """True for a broker that, as configured, relays messages and keeps none (core NATS with no
    JetStream switch, configuration file or volume it writes), and for a database server run
    as a proxy node, which routes to the members that keep the data."""
    if switch := _PROXY_SWITCHES.get(family.name):
        return bool(container.env.get(switch))
    if family.name not in _RELAYS or writes_a_volume:
        return False
    flags = {word.split("=", 1)[0] for word in container.command}
    return not flags & _PERSISTENCE_FLAGS


# What well-known programs keep in the Redis-compatible store they are given, from their own
# documentation (last path segment of the image repository -> use; "relay": messages only).
KV_USES: dict[str, tuple[str, str]] = {
    "nextcloud": (
        "Nextcloud's memory cache and file locking",
        "https://docs.nextcloud.com/server/latest/admin_manual/configuration_server/caching_configuration.html",
    ),
    "synapse": (
        "relay",
        "Synapse's replication stream between its processes (pub/sub): "
        "https://element-hq.github.io/synapse/latest/workers.html",
    ),
    # The Celery executor's broker carries transient messages (queued task commands,
    # acknowledgements); task state, runs and history are rows of the metadata database
    # (https://airflow.apache.org/docs/apache-airflow-providers-celery/stable/celery_executor.html),
    # and a task whose message is lost stays ``queued`` there until the scheduler retries it
    # after ``[scheduler] task_queued_timeout``
    # (https://airflow.apache.org/docs/apache-airflow/stable/configurations-ref.html#task-queued-timeout).
    "airflow": (
        "Airflow's Celery messages, re-sent by the scheduler from the task states it keeps in "
        "its metadata database",
        "https://airflow.apache.org/docs/apache-airflow-providers-celery/stable/celery_executor.html",
    ),
    "zulip-server": (
        "Zulip's rate-limiting counters and short-term stores",
        "https://zulip.readthedocs.io/en/latest/overview/architecture-overview.html#redis",
    ),
    "docker-zulip": (
        "Zulip's rate-limiting counters and short-term stores",
        "https://zulip.readthedocs.io/en/latest/overview/architecture-overview.html#redis",
    ),
    "plane-backend": (
        "Plane's Django cache (django_redis RedisCache)",
        "https://github.com/makeplane/plane/blob/a7eeed17d2579e6a9b7deb94c7b92a80e4b6de43/apps/api/plane/settings/common.py",
    ),
    # Plane's live server syncs documents between instances with Hocuspocus' Redis extension,
    # which "does not persist data; it only syncs data between instances"
    # (https://github.com/ueberdosis/hocuspocus/blob/dd8e208ad17bf28591ec499b9e7af508f0e7b3fb/docs/server/extensions/redis.md).
    "plane-live": (
        "relay",
        "Hocuspocus' Redis extension: https://github.com/ueberdosis/hocuspocus/blob/"
        "dd8e208ad17bf28591ec499b9e7af508f0e7b3fb/docs/server/extensions/redis.md",
    ),
    "searxng": (
        "SearXNG's limiter and bot-detection counters, refilled by traffic",
        "https://docs.searxng.org/admin/searx.limiter.html",
    ),
    # Limitador "will load all the limit definitions from the LIMITS_FILE and keep these in
    # memory"; its ``redis`` storage keeps the counters that track requests, each expiring when
    # its limit's period resets (quay.io/3scale/limitador and quay.io/kuadrant/limitador).
    "limitador": (
        "Limitador's rate-limit counters, each expiring with its limit's period (the limits "
        "are read from its LIMITS_FILE)",
        "https://github.com/Kuadrant/limitador/blob/5e44784c03e2ebf65b14d757c063beba38c62ef2/doc/server/configuration.md",
    ),
    # LibreDesk keeps its conversations, contacts and settings in PostgreSQL; in Redis, each
    # with a TTL: agents' login sessions (a simplesessions Redis store, internal/auth/auth.go),
    # chat-widget sessions (cmd/chat.go), page visits (cmd/widget_ws.go), OAuth state
    # (cmd/oauth.go), rate-limit counters (internal/ratelimit/ratelimit.go) and one-time codes
    # (internal/aiagent/otp.go).
    # Authelia's Redis "is a session provider. By default Authelia uses an in-memory provider":
    # its users' sessions, each with an expiration and an inactivity timeout; users, their
    # second factors and the rest are kept in its storage backend (SQL).
    "authelia": (
        "Authelia's login sessions, expiring (its default provider keeps them in memory)",
        "https://github.com/authelia/authelia/blob/b82bb3bc6ec59b261b0cd4f4ab1126e97dd8b674/docs/content/configuration/session/redis.md",
    ),
    "libredesk": (
        "LibreDesk's sessions, rate-limit counters, OAuth state and one-time codes, all expiring",
        "https://github.com/abhinavxd/libredesk/tree/948ffd8cda71fe4fae820a4da7f17db745d15c09",
    ),
    # WildDuck keeps users, mailboxes, messages and attachments in MongoDB; "WildDuck does not
    # store critical information in Redis, so even if some data loss occurs, it should not be
    # noticeable" (its Redis Sentinel section).
    "wildduck": (
        "WildDuck's pub/sub and counters, no critical information",
        "https://github.com/nodemailer/wildduck/blob/24cb269b87c6515d1764ec7c62a21848faaac859/"
        "docs/in-depth/operating-wildduck.md",
    ),
    # Superdesk keeps its content, users, archive and publish queue in MongoDB; its Redis
    # (``REDIS_URL``) is its cache (``CACHE_URL`` defaults to it) and Celery's broker, whose
    # work beat sends again on a schedule from those records (``publish:transmit`` and
    # ``publish:enqueue`` every 10 s, ingest updates every 30 s, the expiry tasks).
    # Tailchat's services keep their records in MongoDB and their files in MinIO; in Redis,
    # Moleculer's cacher (``cacher: {type: 'Redis', redis: config.redisUrl}``) and, when
    # ``TRANSPORTER`` names it, the messages passed between the services' nodes, which
    # Moleculer's Redis transporter sends by pub/sub and keeps nowhere
    # (https://moleculer.services/docs/0.14/networking.html#Redis-Transporter).
    "tailchat": (
        "Tailchat's Moleculer cache and the messages between its services",
        "https://github.com/msgbyte/tailchat/blob/7f9e87ff1ad2ea8f879acd361a7532d22dfa804e/"
        "server/packages/sdk/src/runner/moleculer.config.ts",
    ),
    # kube-ops-view's RedisStore ("Redis-based backend for deployments with replicas > 1") holds
    # the cluster ids, each cluster's status and data as polled again from the Kubernetes API,
    # a lock, the update pub/sub and screen tokens a user issues again (MemoryStore holds the
    # same in the process when no Redis URL is given).
    "kube-ops-view": (
        "kube-ops-view's cluster data polled again from the Kubernetes API, and screen tokens",
        "https://github.com/hjacobs/kube-ops-view/blob/28f93ed4c2b66e395607ad28d63fd83df2f3e413/"
        "kube_ops_view/stores.py",
    ),
    # OTOBO keeps its tickets, articles and configuration in its database; its Redis is the
    # backend of its cache (Kernel::System::Cache::Redis), every key written with a TTL and the
    # whole store flushed by its cache clean-up.
    "otobo": (
        "OTOBO's cache, every key expiring",
        "https://github.com/RotherOSS/otobo/blob/cfed3c5e056090fe945e87966a18e2f08320a05a/"
        "Kernel/System/Cache/Redis.pm",
    ),
    # OpenVAS keeps in Redis the VT metadata it loads from the feed (DB 1, "NVTI cache") and a
    # knowledge base per running scan and host, deleted when the scan ends; the results go on to
    # gvmd and its PostgreSQL.
    "ospd-openvas": (
        "OpenVAS's cache of the feed's VT metadata and the knowledge bases of running scans",
        "https://github.com/greenbone/openvas-scanner/blob/0fd5aa8b456dc0299d0a7e11b47770311147752a/"
        "doc/redis_data_model.md",
    ),
    "superdesk-server": (
        "Superdesk's cache and Celery messages, re-sent by its beat schedule from MongoDB",
        "https://github.com/superdesk/superdesk-core/blob/00055d9d9d85cfff9c159e0c64dbd79bf0f8d867/"
        "superdesk/default_settings.py",
    ),
}


def kv_use(image: str) -> str | None:
    """What a well-known program keeps in its key-value store ('relay' for messages only), or
    None for a program the catalogue does not know."""
    repository = image.split("@", 1)[0].lower().rsplit("/", 1)[-1].partition(":")[0]
    known = KV_USES.get(repository)
    return known[0] if known else None


# Flags and variables that name a data directory, for any image. A flag's value is the rest of
# its word (``--data-dir=/etcd``) or the next word (``--data-dir /etcd``): Go's flag package
# and Python's argparse take both forms ("-flag=x" and "-flag x",
# https://pkg.go.dev/flag#hdr-Command_line_flag_syntax; https://docs.python.org/3/library/argparse.html#option-value-syntax).
_PATH_FLAGS = re.compile(
    r"^--?(storage\.tsdb\.path|dbpath|datadir|data-dir|data\.dir|data-path|path\.data|"
    r"storage-path|storage\.path)(=(?P<path>/\S*))?$"
)
_PATH_VARIABLES = frozenset(
    {
        "PGDATA",
        "GF_PATHS_DATA",
        "KAFKA_LOG_DIRS",
        "KAFKA_CFG_LOG_DIRS",
        "DATA_DIR",
        "MINIO_VOLUMES",
        "ZOO_DATA_DIR",
        "ETCD_DATA_DIR",
        "RABBITMQ_MNESIA_BASE",
        "path.data",
    }
)


def configured_data_paths(container: Container) -> list[str]:
    """Data directories named on the command line or in the environment."""
    words = container.command
    found = [
        m.group("path") or value
        for w, value in itertools.pairwise([*words, ""])
        if (m := _PATH_FLAGS.match(w)) and (m.group("path") or value[:1] == "/")
    ]
    # MinIO and similar: ``server /storage`` (positional data path after the verb).
    found += [w for i, w in enumerate(words[1:], 1) if words[i - 1] == "server" and w[:1] == "/"]
    env = container.env
    found += [
        p for name in _PATH_VARIABLES for p in env.get(name, "").split(",") if p.startswith("/")
    ]
    return found


# Sidecars that only copy configuration (ConfigMaps, Git) into a shared volume.
_CONFIG_SIDECARS = ("k8s-sidecar", "configmap-reload", "config-reloader", "git-sync")


def config_sidecar(container: Container) -> bool:
    """True for a known configuration-syncing sidecar image."""
    last = container.image.lower().rsplit("/", 1)[-1]
    return any(name in last for name in _CONFIG_SIDECARS)
