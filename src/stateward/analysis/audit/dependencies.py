"""Who depends on whom: hosts named in env, args and ConfigMaps, Compose ``depends_on``/``links``.

A host is read from a URL (``postgres://db:5432/app``), a ``host:port`` pair
(``redis-cart:6379``), a connection-string or configuration key, quoted or not
(``Host=postgresql;``, ``host: db``, JSON's ``"host": "mongo"``), a seed list
(``discovery.seed_hosts: [es-master]``, Cassandra's ``seeds: "a,b"``), a client-side discovery's
Service (Stork's ``…service-discovery.application: rest-heroes``), a wait loop
(``nc -z kafka 9092``), a DNS SRV name (``dnssrv+_grpc._tcp.thanos-store.thanos``), or a
whole value of a variable whose name says it holds a host
(``MYSQL_HOST=db``, ``faas_nats_address=nats.openfaas``, or a comma-separated list of them:
``VESPA_CONFIGSERVERS=cs-0.cs,cs-1.cs``) or names the peer it reaches by
what that peer is (``REDIS=votes-back``, ``CACHE=sessions``: a store or broker's name as the variable's last word). A host resolves to a Kubernetes Service (short name in the workload's
namespace, ``name.ns``, ``name.ns.svc.cluster.local``; a script's ``${POD_NAMESPACE}`` is the
pod's namespace when the downward API sets it) and through its selector to workloads
(a StatefulSet's pod by its stable name, ``name-0.service[.ns]``, to that StatefulSet), or
to a Compose service (name, ``container_name``, network alias or the static address the project
pins it to, ``ipv4_address``: a cluster's seed list of ``10.0.0.12:2113``) of the same project, failing
that of another Compose file of the same directory (files run together with ``-f a -f b``).
Besides env values, args and ConfigMap files, the configuration files a Compose service binds
from its project directory are read (an nginx ``upstream``, a settings file's ``redis.url``),
a service that mounts a database's socket directory (:func:`.sharing.socket_servers`) connects
through it, and a service on the host's network (``network_mode: host``) that names ``localhost:<port>``
reaches the service of its project publishing that port; a pod that mounts a node's run-time
directory read-only reaches the workload serving its socket there (:func:`.sharing.node_socket_servers`). A
Service named ``name.ns`` that is not in ``ns`` may be one whose manifest names no namespace (it
is placed at ``kubectl apply -n`` time). A reverse proxy that reads its routes from the project's
containers (Traefik's ``traefik.*`` labels, caddy-docker-proxy's ``caddy`` labels, nginx-proxy's
``VIRTUAL_HOST``) depends on the services it routes to. A container that takes its environment
from the connection Secret an operator writes for a resource (``<cluster>-pguser-<user>``)
depends on that resource; so does a pod mounting the certificates an operator writes, a
workload whose injection annotation names an operator's resource, a client logging in with
the credentials a server is configured with (:mod:`.by_name`), and a workload a NetworkPolicy
lets connect to another (:mod:`.policies`). A Service name that nothing
answers but that derives from an operator resource's name (``orders-primary``) reaches that
resource. Operator resources reach what their spec names (below), and the hosts of what
their spec hands their pods to read: its ``env`` lists and inline configuration files (Druid's
``common.runtime.properties``); a ``<product>Ref`` naming no resource of that kind names
the Service of a plain workload (``zookeeperRef: zk``), and a field spelled as a kind of the
estate names the resource of that kind (:mod:`.kind_fields`: ``sgInstanceProfile: size-m``). A StatefulSet's pod named by its stable network identity
(``zk-0.zk``, ``zk-0.zk.ns.svc.cluster.local``) is that StatefulSet. The NFS
server of a PersistentVolume a workload mounts is a dependency too, and so is the workload running
the provisioner of its claims' StorageClass (:mod:`.provisioners`) and one an init container
waits for (:mod:`.waits`: ``k8s-wait-for``'s ``job <name>``, ``kubectl wait job/<name>``). A custom resource holding
nothing that names, as the cluster it is a member of (``cluster``, ``clusterName``), a name no
resource answers depends on the resources of its kind naming the same cluster that hold data:
the tiers of one cluster (a storage-disabled proxy tier and the storage tier). A Kubernetes
workload holding nothing that runs a state holder's image and names the ZooKeeper that holder
names reaches the members registered there (:mod:`.registered`: BookKeeper's auto-recovery and
DistributedLog tools find the bookies so). A workload that names no
peer but discovers them (``GET_HOSTS_FROM``) or pulls its work as a background worker (no
Service, no port) is taken to depend on the state holders defined in its own directory.
A single-page app's browser-side variable (``REACT_APP_…``) naming ``localhost:<port>``
reaches the Compose service publishing that port, and ``<ip>:<port>`` naming a Service's
external address reaches the workloads behind it (:mod:`.outside_addresses`); a Compose service
mounting the folder where an ACME client of its project keeps its certificates depends on that
client (:mod:`.certificate_readers`), and an official web server's service serving a volume or
folder another service of its project writes depends on that writer
(:func:`.sharing.served_writers`). A service binding a host folder that holds the folder a
fetcher of its project fills (GeoIP databases, models, certificates) depends on that fetcher
(:mod:`.filled_folders`). Values already replaced by a secret digest say nothing and are skipped
(a limitation: a connection string with a password in it hides its host as well); but a variable
taken from a Secret whose name locates object storage (``OBJSTORE_CONFIG``) reaches the one
object store of its namespace, and one locating Redis (``REDIS_URL``), a Celery broker
(``CELERY_BROKER_URL``) or a database (``MYSQL_HOST``) the one of that kind there
(:mod:`.hidden_stores`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from stateward.analysis.audit.by_name import (
    annotated_targets,
    claim_classes,
    claim_providers,
    cluster_keepers,
    controller_config_maps,
    mounted_secret_writers,
    shared_credential_servers,
)
from stateward.analysis.audit.certificate_readers import certificate_issuers
from stateward.analysis.audit.cluster_api import cluster_control_planes
from stateward.analysis.audit.custom import CLAIM, spec_strings
from stateward.analysis.audit.envoy_configs import envoy_upstreams
from stateward.analysis.audit.estate import Estate, directory_of, env_secrets
from stateward.analysis.audit.exec_targets import exec_targets
from stateward.analysis.audit.filled_folders import fetchers_filling
from stateward.analysis.audit.hidden_stores import hidden_object_stores
from stateward.analysis.audit.kind_fields import kind_named, names_by_kind
from stateward.analysis.audit.operators import Reference, references
from stateward.analysis.audit.outside_addresses import browser_side, external_address_targets
from stateward.analysis.audit.probes import declared_ports
from stateward.analysis.audit.registered import registered_members
from stateward.analysis.audit.rules.host import holds_socket
from stateward.analysis.audit.sharing import node_socket_servers, served_writers, socket_servers
from stateward.analysis.audit.stateful_claims import templated_claim_users
from stateward.analysis.audit.waits import awaited
from stateward.analysis.audit.workloads import Container, Workload, remembered
from stateward.model.kubernetes import as_list, as_map, dig
from stateward.model.secrets import is_secret_digest, secret_remainder

__all__ = [
    "BARE_HOST",
    "Edge",
    "compose_declared",
    "config_files",
    "config_map_values",
    "dependency_edges",
    "discovery_edges",
    "edges_of",
    "hosts_in",
    "hosts_reached",
    "resolve_host",
]

_URL = re.compile(r"[a-z][a-z0-9+.-]*://(?:[^@/\s]*@)?([A-Za-z0-9_.-]+)", re.IGNORECASE)
_HOST_PORT = re.compile(r"(?<![\w.:/-])([A-Za-z][A-Za-z0-9_.-]*):(\d{2,5})\b")
# A peer given by its IPv4 address and port (KurrentDB's ``GOSSIP_SEED=172.30.240.12:2113,…``):
# it names a Compose service when the project pins that service to the address
# (:func:`_compose_names`), and nothing otherwise.
_IP_PORT = re.compile(r"(?<![\w.:/-])((?:\d{1,3}\.){3}\d{1,3}):\d{2,5}\b")
# ``Host=db;`` (a connection string), ``host: db`` (a YAML configuration file's key), or the
# same key and value quoted, as JSON writes them (``"host": "mongo"``, RFC 8259 §4) and TOML
# its strings (``host = "db"``, https://toml.io/en/v1.0.0#string).
_KEYED = re.compile(
    r"\b(?:host|server|data source|address)[\"']?\s*[=:]\s*[\"']?([A-Za-z][\w.-]*)", re.I
)
# A YAML configuration file's lower-case snake_case key whose last word says so (LibreTime's
# ``playout: {liquidsoap_host: liquidsoap}``,
# https://github.com/libretime/libretime/blob/f371bcfcbfd207a0069a51f20ed1c2a49edf0109/docker/example/config.yml);
# not a dotenv file's ``REDIS_HOST=redis`` line, which says only that the variable is set: what
# reads it is the application's choice (:mod:`.laravel_drivers`).
_SNAKE_KEYED = re.compile(r"(?<=[a-z0-9]_)(?:host|server|address)\s*:\s*[\"']?([A-Za-z][\w.-]*)")
# A PHP settings file's constant named for a host: ``const DB_HOST = 'mysql';`` (Easy!Appointments'
# config-sample.php,
# https://github.com/alextselegidis/easyappointments/blob/e46b4c6befb88c8f00e0a1e0eecdaa0e9c6294fb/config-sample.php)
# or ``define( 'DB_HOST', 'mysql' );`` (WordPress's wp-config-sample.php,
# https://github.com/WordPress/WordPress/blob/aaf99e691391cfceb004d848450dbbf3344b1bee/wp-config-sample.php). Not a bare
# ``X_HOST=`` line: a dotenv file may name a server no driver uses.
_PHP_CONSTANT = re.compile(
    r"(?:\bconst\s+|\bdefine\s*\(\s*['\"])(?:\w*_)?HOST['\"]?\s*[=,]\s*['\"]([A-Za-z][\w.-]*)['\"]"
)
# The host may be quoted by the shell (``nc -z "fineract-server" 8443``, Fineract's kubernetes
# manifests), the same word to nc once the shell has read it.
_WAIT = re.compile(r"\b(?:nc|netcat)\b[^;|&]*?\s['\"]?([A-Za-z][\w.-]*)['\"]?\s+\d{2,5}\b")
# A command-line option naming the peer: ``-h edge-router``, ``--host=db``, ``--server api``
# (only an option's value, and only a name the estate resolves, becomes an edge), quoted or not
# (``-h "db"``: the shell removes the quotes).
_OPTION = re.compile(
    r"(?:^|\s)--?(?:h|host|hostname|server|addr|address)(?:=|\s+)[\"']?([A-Za-z][\w.-]*)"
)
# An option named for the peer it connects to: ``--<peer>-port``, ``--<peer>-proto``,
# ``--<peer>-hostname(s)`` set the connection to the peer called so, whose host name is then
# the image's default. TheHive 4's entrypoint takes ``--cortex-port <port>`` ("define port to
# connect to Cortex") and defaults ``CORTEX_HOSTNAMES`` to ``cortex``
# (https://github.com/TheHive-Project/TheHive/blob/25a561ac639018ff1a52b50ab5a935139ccbafae/package/docker/entrypoint).
# Only a name the estate resolves becomes an edge.
_PEER_OPTION = re.compile(r"(?:^|\s)--([a-z][a-z0-9]*)-(?:port|proto|hostnames?)(?==|\s|$)")
# A relay's connecting address: socat's ``TCP:<host>:<port>`` (and its TCP4/TCP6/TCP-CONNECT,
# OPENSSL, UDP forms: http://www.dest-unreach.org/socat/doc/socat.html#ADDRESS_TCP_CONNECT),
# which the host:port reading skips for the address type before it.
_RELAY = re.compile(
    r"\b(?:TCP[46]?|TCP-CONNECT|OPENSSL|OPENSSL-CONNECT|UDP[46]?|UDP-CONNECT):"
    r"([A-Za-z][\w.-]*):\d{1,5}\b",
    re.IGNORECASE,
)
# Config-file directives that name a peer without a URL or host:port: redis.conf ``replicaof``
# (https://redis.io/docs/latest/operate/oss_and_stack/management/replication/), sentinel.conf
# ``sentinel monitor`` (https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/),
# and nginx ``server`` lines of an ``upstream`` block (https://nginx.org/en/docs/http/ngx_http_upstream_module.html#server).
_DIRECTIVE = re.compile(
    r"^\s*(?:replicaof|slaveof|sentinel\s+monitor\s+\S+)\s+([A-Za-z][\w.-]*)\s+\d{2,5}\b"
    r"|^\s*server\s+([A-Za-z][\w.-]*)(?::\d{2,5})?\s*(?:;|\s\w+=)",
    re.IGNORECASE | re.MULTILINE,
)
# Caddy's ``reverse_proxy [<matcher>] [<upstreams...>]``: its upstreams are network addresses,
# ``[scheme://]host[:port]``, after an optional matcher token (``*``, a path, ``@name``)
# (https://caddyserver.com/docs/caddyfile/directives/reverse_proxy#syntax,
# https://caddyserver.com/docs/caddyfile/matchers#syntax); a port may be an environment
# placeholder the host:port reading does not take (scrumlr's
# ``reverse_proxy @api scrumlr-backend:{$SCRUMLR_SERVER_PORT}``).
_REVERSE_PROXY = re.compile(r"^[ \t]*reverse_proxy((?:[ \t]+[^\s{#]+)+)", re.MULTILINE)
_UPSTREAM_SCHEME = re.compile(r"^[a-z][a-z0-9+]*://", re.IGNORECASE)
# A configuration key that lists the peers to join or seed from, as a YAML flow list or a
# comma-separated value: Elasticsearch's ``discovery.seed_hosts: [es-master]`` ("a list of the
# addresses of all the master-eligible nodes in the cluster"; its older name
# ``discovery.zen.ping.unicast.hosts``,
# https://www.elastic.co/guide/en/elasticsearch/reference/7.7/discovery-settings.html),
# Cassandra's ``seeds: "cass-0,cass-1"`` ("a comma-delimited list of addresses",
# https://github.com/apache/cassandra/blob/8a96ec702168430eea7400d41fc476b93c7e7404/conf/cassandra.yaml).
_SEEDS = re.compile(
    r"^\s*[\w.-]*[._](?:seed_hosts|unicast\.hosts)\s*[:=]\s*\[?([^\]\n#]*)"
    r"|^\s*-?\s*seeds\s*[:=]\s*[\"']?([^\"'\n#]*)",
    re.MULTILINE,
)
_SEED = re.compile(r"[\s\"'\[\]]+")
# A DNS SRV name, ``_<port>._<proto>.<service>.<namespace>[.svc…]`` (Kubernetes DNS
# specification §2.3.2 and §2.4.2, https://github.com/kubernetes/dns/blob/
# 00f97cb14c316087cd9a01af4954c4ff0b2756ba/docs/specification.md), as Thanos, Cortex and Loki
# look peers up (``--endpoint=dnssrv+_grpc._tcp.thanos-store.thanos``): the Service it names.
_SRV = re.compile(
    r"(?<![\w.-])_[A-Za-z0-9-]+\._(?:tcp|udp|sctp)\.([A-Za-z][\w-]*(?:\.[\w-]+)*)", re.I
)
# ``…_CONTAINER`` names a container of the project by its name (acme-companion's
# ``NGINX_PROXY_CONTAINER=nginx-proxy``, "the name or id of the nginx-proxy container":
# https://github.com/nginx-proxy/acme-companion/blob/main/docs/Getting-containers-IDs.md).
# ``…_HOSTNAME`` names the peer's host as ``…_HOST`` does (Eclipse Ditto's services take their
# MongoDB as ``MONGO_DB_HOSTNAME=mongodb``: https://github.com/eclipse-ditto/ditto/blob/
# 4e3576844b73fb5e00d1b501f5d7ee6511a7fdc1/deployment/docker/docker-compose.yml), and so does
# a dotted property key's last word (JanusGraph's image takes ``janusgraph.<option>`` variables
# as options of its ``janusgraph.properties``, https://docs.janusgraph.org/operations/container/,
# and ``storage.hostname`` is "the hostname or comma-separated list of hostnames of storage
# backend servers", https://docs.janusgraph.org/configs/configuration-reference/); a bare
# ``HOSTNAME`` is the container's own name, never a peer's. ``…_CLUSTER`` names the Service of
# the cluster a member or proxy joins (the Kubernetes RethinkDB image's ``RETHINK_CLUSTER``,
# "Using service name: ${RETHINK_CLUSTER}", looked up as ``${RETHINK_CLUSTER}.${POD_NAMESPACE}
# .svc.cluster.local``: https://github.com/rosskukulinski/kubernetes-rethinkdb-cluster/blob/
# f585885fdd33c7f2e2d011214d4bbb16533e1b33/image/run.sh); a bare ``CLUSTER`` is a name of its own.
# ``…_HOSTSPEC`` is a PEAR-style DSN's host specification, LibreBooking's database host
# (``$conf['settings']['database']['hostspec']``, "ip, dns or named pipe",
# https://github.com/LibreBooking/app/blob/014ffb41b79a0399de1e93bbae30c59f910a691c/config/config.dist.php):
# a variable named for it (``LB_DATABASE_HOSTSPEC=db``) names the database's host.
_HOST_NAME = re.compile(
    r"(HOST|(?<=_)HOSTSPEC|(?<=[_.])HOSTNAME|ADDR(?:ESS)?|SERVER|ENDPOINT|URL|URI|BROKERS?|SEEDS|NODES|CONTAINER"
    r"|(?<=_)CLUSTER)S?$",
    re.I,
)
# A client-side service discovery naming the Kubernetes Service whose pods it picks from:
# SmallRye Stork's ``stork.<name>.service-discovery.application`` ("The Kubernetes application
# Id; if not defined Stork service name will be used"; "Stork looks for the Kubernetes Service
# with the given name",
# https://github.com/smallrye/smallrye-stork/blob/d4c466e4862a574e52e15afbfac727e2a5a9d142/docs/service-discovery/kubernetes.md),
# Quarkus's ``quarkus.stork.…`` the same.
_DISCOVERED = re.compile(r"service-discovery\.application$", re.I)
# A storage setting that lists its backend as ``<kind>|<host>?<options>`` (Huly's
# ``STORAGE_CONFIG=minio|minio?accessKey=…``, several backends separated by ``;``): each bare
# name between those separators may be the server it reaches.
_STORAGE_SETTING = re.compile(r"(^|_)STORAGE(_|$)", re.I)
_LISTED = re.compile(r"(?:^|[|;,])([A-Za-z][\w-]*)(?=[|?;,]|$)")
# A variable named for the peer it reaches (its last word): ``REDIS``, ``MONGO_BACKEND``; not
# ``POSTGRES_DB`` or ``REDIS_PASSWORD``, whose last word says what else the value is.
_PEER_WORDS = frozenset({
    "REDIS", "VALKEY", "MONGO", "MONGODB", "POSTGRES", "POSTGRESQL", "MYSQL", "MARIADB",
    "MEMCACHE", "MEMCACHED", "KAFKA", "RABBITMQ", "ELASTICSEARCH", "OPENSEARCH", "SOLR",
    "ZOOKEEPER", "ETCD", "NATS", "CACHE", "BROKER", "BACKEND", "UPSTREAM",
})  # fmt: skip
# A bare host name; a Compose service's name may hold underscores (``redis_activity``: the
# specification's ``^[a-zA-Z0-9._-]+$``, https://github.com/compose-spec/compose-spec/blob/
# b2835e8acc1e42e7aecbc27a9bc4a1fc66ef21ba/schema/compose-spec.json), and its network answers it.
BARE_HOST = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$")
_CLUSTER_SUFFIX = re.compile(r"\.svc(\.cluster\.local)?\.?$")
# Names that are never another component of the estate.
_NOT_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "http", "https", "tcp", "udp"})


@dataclass(frozen=True, slots=True)
class Edge:
    """``source`` depends on ``target``; ``via`` says where that was read."""

    source: str
    target: str
    via: str


def hosts_in(name: str, value: str) -> frozenset[str]:
    """Host names mentioned in one variable (``name`` may be empty for args)."""
    # An estate says the same variable many times (each copy of a chart, each replica set of
    # a rollout), and seven patterns search each string: short ones are searched once.
    # Long ones (a configuration file's text) are not kept, so the cache stays small.
    if len(value) <= _CACHED_VALUE:
        return _cached_hosts_in(name, value)
    return _hosts_in(name, value)


def _hosts_in(name: str, value: str) -> frozenset[str]:
    if is_secret_digest(value):
        value = secret_remainder(value)  # a redacted URL keeps its host
    found = {
        m.group(1)
        for pattern in (
            _URL,
            _HOST_PORT,
            _IP_PORT,
            _KEYED,
            _SNAKE_KEYED,
            _PHP_CONSTANT,
            _WAIT,
            _OPTION,
            _PEER_OPTION,
            _RELAY,
            _SRV,
        )
        for m in pattern.finditer(value)
    }
    found.update(m.group(1) or m.group(2) for m in _DIRECTIVE.finditer(value))
    found.update(_seeds(value))
    found.update(_upstreams(value))
    if name and "|" in value and _STORAGE_SETTING.search(name):
        found.update(_LISTED.findall(value))
    named = (
        _HOST_NAME.search(name) is not None
        or name.upper().rsplit("_", 1)[-1] in _PEER_WORDS
        or _DISCOVERED.search(name) is not None
    )
    if name and named:
        found.update(_listed_hosts(value))
    return frozenset({h.lower().rstrip(".") for h in found} - _NOT_HOSTS)


# A variable named for its hosts holds one bare name or a comma-separated list of them, each
# with an optional port: Vespa's ``VESPA_CONFIGSERVERS`` holds "one or more config sources (the
# addresses of config servers)" every node reads its configuration from
# (https://docs.vespa.ai/en/operations-selfhosted/config-proxy.html), written
# ``VESPA_CONFIGSERVERS=myserver0.mydomain.com,myserver1.mydomain.com,…``
# (https://docs.vespa.ai/en/operations-selfhosted/configuration-server.html#redundancy).
_HOST_LIST = re.compile(r"\s*,\s*")
_PORT = re.compile(r":\d{1,5}$")
# An address in place of a name: a Compose service's static address on its network, a
# Kubernetes Service's pinned cluster IP (:func:`_resolved`); any other reaches nothing known.
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def _listed_hosts(value: str) -> list[str]:
    """The bare host names of a variable named for hosts: its whole value, or each item of a
    comma-separated list (a port after a name is dropped); none when any item is something else
    (a list of words, a trailing comma), which a client given its servers would not hold."""
    hosts = [_PORT.sub("", item) for item in _HOST_LIST.split(value.strip())]
    return hosts if all(BARE_HOST.match(h) or _IPV4.match(h) for h in hosts) else []


def _seeds(value: str) -> Iterator[str]:
    """The bare names and ``host:port`` hosts of a seed list (``discovery.seed_hosts: [a, b]``)."""
    for match in _SEEDS.finditer(value) if "seed" in value or "unicast" in value else ():
        for item in (match.group(1) or match.group(2) or "").split(","):
            host = _SEED.sub("", item).rsplit(":", 1)[0].lower()
            if BARE_HOST.match(host):
                yield host


def _upstreams(value: str) -> Iterator[str]:
    """The hosts of a Caddyfile's ``reverse_proxy`` upstreams (its matcher token skipped)."""
    for match in _REVERSE_PROXY.finditer(value) if "reverse_proxy" in value else ():
        for token in match.group(1).split():
            host = _UPSTREAM_SCHEME.sub("", token).split(":", 1)[0].lower()
            if not token.startswith(("@", "/", "*")) and BARE_HOST.match(host):
                yield host


_CACHED_VALUE = 512
_cached_hosts_in = functools.lru_cache(maxsize=8192)(_hosts_in)


def _strings(workload: Workload, estate: Estate) -> Iterator[tuple[str, str, str]]:
    """(variable name, value, where) for every string a workload is configured with."""
    for container in workload.all_containers():
        env = container.env
        for name, value in env.items():
            yield name, _expand(value, env), f"{container.name}: env {name}"
        words = _shell_expand(_expand(" ".join(container.command), env), container, workload)
        if words:
            yield "", words, f"{container.name}: command"
        yield from config_map_values(workload, container, estate)
        yield from config_files(workload, container, estate)
    if workload.platform == "kubernetes":
        yield from controller_config_maps(workload, estate)
    if workload.operated is not None:  # its operator hands these to the pods it runs
        for name, value, where in spec_strings(workload.body):
            yield name, value, f"{where} in its spec"
    yield from _file_servers(workload, estate)


def hosts_reached(workload: Workload, estate: Estate) -> set[str]:
    """Ids of the workloads ``workload`` names by host in what it is configured with
    (variables, command, configuration files) or declares it needs (Compose ``depends_on``,
    ``links``, ``volumes_from``)."""
    found = {
        target.id
        for name, value, _ in _strings(workload, estate)
        for host in hosts_in(name, value)
        for target in resolve_host(host, workload, estate)
    }
    if workload.platform == "compose":
        found.update(
            target.id
            for name, _ in compose_declared(workload)
            for target in resolve_host(name.lower(), workload, estate)
        )
    found.discard(workload.id)
    return found


_REFERENCE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


def _expand(value: str, env: Mapping[str, str]) -> str:
    """Kubernetes dependent variables: ``$(NAME)`` takes NAME's value from the same container's
    env (one level; an unknown name stays as written, as the kubelet leaves it), or for a
    Service's variable the kubelet sets, that Service's name (:func:`_service_host`)."""

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        return env[name] if name in env else _service_host(name) or match.group(0)

    return _REFERENCE.sub(value_of, value)


# The kubelet gives every container ``{SVCNAME}_SERVICE_HOST`` for each Service of its
# namespace, "where the Service name is upper-cased and dashes are converted to underscores"
# (https://kubernetes.io/docs/concepts/services-networking/service/#environment-variables):
# ``$(SVC_OBPROXY_SERVICE_HOST)`` is the address of the Service ``svc-obproxy``.
_SERVICE_HOST = re.compile(r"^([A-Z][A-Z0-9_]*)_SERVICE_HOST$")


def _service_host(name: str) -> str:
    """The Service a kubelet-set ``*_SERVICE_HOST`` variable addresses ("" for another name)."""
    found = _SERVICE_HOST.match(name)
    return found.group(1).lower().replace("_", "-") if found else ""


# A shell's parameter expansion in a command (``${NAME}``, ``$NAME``: POSIX sh §2.6.2,
# https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_06_02) takes
# the container's variables, and the pod's namespace where the downward API hands it over
# (``fieldRef: {fieldPath: metadata.namespace}``,
# https://kubernetes.io/docs/concepts/workloads/pods/downward-api/): how a script addresses a
# StatefulSet's pods from any namespace (``dgraph-zero-0.dgraph-zero.${POD_NAMESPACE}.svc``).
_SHELL_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def _shell_expand(words: str, container: Container, workload: Workload) -> str:
    """``words`` with the shell variables the container is given replaced by their values, a
    Service's ``*_SERVICE_HOST`` the kubelet sets by that Service's name (:func:`_service_host`:
    dataverse-k8s' ``pg_isready -h "${POSTGRESQL_SERVICE_HOST}"``); an unknown one stays as
    written."""
    if "$" not in words:
        return words
    values = {**container.env, **_downward_namespace(container, workload)}

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return values[name] if name in values else _service_host(name) or match.group(0)

    return _SHELL_REFERENCE.sub(value_of, words)


def _downward_namespace(container: Container, workload: Workload) -> dict[str, str]:
    """The variables the downward API sets to the pod's namespace."""
    return {
        str(entry["name"]): workload.namespace
        for entry in as_list(container.body.get("env"))
        if isinstance(entry, Mapping) and "name" in entry
        and dig(entry, "valueFrom", "fieldRef", "fieldPath") == "metadata.namespace"
    }  # fmt: skip


def _file_servers(workload: Workload, estate: Estate) -> Iterator[tuple[str, str, str]]:
    """The NFS and SMB servers of the pod's volumes: inline (``nfs: {server, path}``,
    https://kubernetes.io/docs/concepts/storage/volumes/#nfs), through a claim's volume, or
    the ``server`` of a claim's StorageClass: the NFS CSI driver provisions each volume as "a
    new sub directory under NFS server" at ``server`` ("NFS Server address", e.g.
    ``nfs-server.default.svc.cluster.local``,
    https://github.com/kubernetes-csi/csi-driver-nfs/blob/0de047c0238e81fdce939e3dea71e421bda37e74/docs/driver-parameters.md).
    The SMB CSI driver's class (or volume, ``volumeAttributes``) names its share by ``source``,
    "Samba Server address" ``//smb-server-address/sharename``
    (https://github.com/kubernetes-csi/csi-driver-smb/blob/013d044cca471348e4d992e1856fd01d396e8751/docs/driver-parameters.md):
    the pod's files are on that server."""
    for name, (_, source) in workload.volumes.items():
        server = dig(source, "nfs", "server")
        if isinstance(server, str) and server:
            yield "server", server, f"volume {name} nfs server"
    for mount in workload.mounts:
        claim = (
            estate.named("PersistentVolumeClaim", workload.namespace, mount.source)
            if mount.kind == "persistentVolumeClaim"
            else None
        )
        volume = estate.volume_of_claim(claim) if claim is not None else None
        spec = volume.body.get("spec") if volume is not None else None
        nfs = spec.get("nfs") if isinstance(spec, Mapping) else None
        if volume is not None and isinstance(nfs, Mapping) and nfs.get("server"):
            yield "server", str(nfs["server"]), f"PersistentVolume {volume.key.name} nfs server"
        share = _smb_host(dig(spec, "csi", "volumeAttributes", "source"))
        if volume is not None and share:
            yield "server", share, f"PersistentVolume {volume.key.name} smb source"
    for claimed, name, storage_class in claim_classes(workload, estate):
        parameters = as_map(storage_class.body.get("parameters"))
        server = parameters.get("server")
        if isinstance(server, str) and server:
            yield "server", server, f"claim {claimed}: StorageClass {name} server"
        if share := _smb_host(parameters.get("source")):
            yield "server", share, f"claim {claimed}: StorageClass {name} smb source"


def _smb_host(source: object) -> str:
    """The server of an SMB share address, ``//host/share`` (or a Windows UNC path, with
    backslashes); '' for anything else."""
    if not isinstance(source, str):
        return ""
    text = source.replace("\\", "/")
    if not text.startswith("//"):
        return ""
    return text[2:].split("/", 1)[0]


def config_map_values(
    workload: Workload, container: Container, estate: Estate
) -> tuple[tuple[str, str, str], ...]:
    """Values a container takes from ConfigMaps: whole maps (``envFrom``) and single keys
    (``env[].valueFrom.configMapKeyRef``), each under the variable name it is given, with where
    it came from. Kept with the workload: the edges, the derived settings and the searches each
    ask for them."""
    return remembered(
        workload,
        container,
        "config map values",
        lambda: tuple(_config_map_values(workload, container, estate)),
    )


def container_settings(workload: Workload, container: Container, estate: Estate) -> dict[str, str]:
    """Every variable value a container is known to be given: those of the ConfigMaps it loads
    (:func:`config_map_values`), its own winning."""
    found = {name: value for name, value, _ in config_map_values(workload, container, estate)}
    return {**found, **container.env}


def _config_map_values(
    workload: Workload, container: Container, estate: Estate
) -> Iterator[tuple[str, str, str]]:
    for entry in as_list(container.body.get("envFrom")):
        ref = dig(entry, "configMapRef", "name")
        prefix = str(dig(entry, "prefix") or "")
        for key, value in _config_data(workload, estate, ref).items():
            yield prefix + key, value, f"{container.name}: ConfigMap {ref} {key}"
    for entry in as_list(container.body.get("env")):
        selector = dig(entry, "valueFrom", "configMapKeyRef")
        ref, key = dig(selector, "name"), str(dig(selector, "key"))
        found = _config_data(workload, estate, ref).get(key)
        if found is not None:
            yield str(dig(entry, "name")), found, f"{container.name}: ConfigMap {ref} {key}"


def config_files(
    workload: Workload, container: Container, estate: Estate
) -> Iterator[tuple[str, str, str]]:
    """Config files a container reads from ConfigMap volumes (nginx.conf, redis.conf, Java
    properties …), or a Compose service binds from its project directory (the source keeps
    them beside the service: :mod:`stateward.sources.bound`): each file's text, where hosts are
    named as in env values."""
    for mount in workload.mounts_of(container):
        if mount.kind == "configMap":
            ref = as_map(mount.spec).get("name")
            for key, text in _config_data(workload, estate, ref).items():
                yield "", text, f"{container.name}: ConfigMap {ref} file {key}"
    if workload.platform == "compose":
        for path, text in workload.resource.files:
            yield "", text, f"{container.name}: bound file {path}"
        yield from _inline_configs(workload, estate)


def _inline_configs(workload: Workload, estate: Estate) -> Iterator[tuple[str, str, str]]:
    """The text of the top-level configs a Compose service is given whose ``content`` the file
    holds inline ("the content is created with the inlined value",
    https://docs.docker.com/reference/compose-file/configs/): a file the program reads as it
    reads a bound one (Vector's ``vector.toml`` naming its ClickHouse sink)."""
    for entry in as_list(workload.body.get("configs")):
        name = entry.get("source") if isinstance(entry, Mapping) else entry
        config = estate.compose_config(workload.namespace, str(name)) if name else None
        content = config.body.get("content") if config is not None else None
        if isinstance(content, str) and content:
            yield "", content, f"config {name} (inline)"


def _config_data(workload: Workload, estate: Estate, ref: Any) -> dict[str, str]:
    config = estate.named("ConfigMap", workload.namespace, str(ref)) if ref else None
    data = as_map(config.body.get("data")) if config is not None else {}
    return {str(k): str(v) for k, v in data.items()}


def resolve_host(host: str, workload: Workload, estate: Estate) -> list[Workload]:
    """The workloads a host name in ``workload``'s configuration reaches (Compose service names
    and aliases; Kubernetes Services, short or ``name.namespace[.svc…]``, and a StatefulSet's
    pods through its governing Service, ``name-0.service[.namespace[.svc…]]``). The answer is
    shared, so callers must not change it."""
    # Kept with the workload: the rules ask one workload the same host several times (the
    # edges, the readers, the backups, the caches and the clients of each store each ask it).
    # A workload belongs to one estate, whose indexes are fixed once built (build_estate).
    key = ("host", host)
    found: list[Workload] | None = workload.facts.get(key)
    if found is None:
        found = workload.facts[key] = _resolved(host, workload, estate)
    return found


def _resolved(host: str, workload: Workload, estate: Estate) -> list[Workload]:
    if workload.platform == "compose":
        found = [w for w in estate.compose_project(workload.namespace) if host in _compose_names(w)]
        # Failing its own project, a service of another Compose file of the same directory: such
        # files are run together (``-f compose.yml -f compose.database.yml``), as one project.
        return found or [
            w for w in estate.compose_neighbours(workload)
            if w.namespace != workload.namespace and host in _compose_names(w)
        ]  # fmt: skip
    if _IPV4.match(host):  # a Service's pinned cluster IP, from any namespace
        pinned = estate.services_with_cluster_ip(host)
        return [w for s in pinned for w in estate.behind_service(s.key.namespace, s.key.name)]
    short = _CLUSTER_SUFFIX.sub("", host)
    parts = short.split(".")
    if len(parts) > 2:
        return _stateful_pod(parts, workload, estate)
    namespace = parts[1] if len(parts) == 2 else workload.namespace
    found = _behind_service(namespace, parts[0], workload, estate)
    return found or (_stateful_pod(parts, workload, estate) if len(parts) == 2 else [])


# A StatefulSet's pod is addressed as ``<statefulset>-<ordinal>.<governing Service>``, with
# ``.<namespace>[.svc.cluster.local]`` from elsewhere
# (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id).
_POD_ORDINAL = re.compile(r"^([a-z0-9-]+)-\d+$")


def _stateful_pod(parts: list[str], workload: Workload, estate: Estate) -> list[Workload]:
    """The workload whose pod ``pod.service[.namespace]`` names: the one behind the Service
    that the pod's name is made from, else any behind it whose pods can have stable names (a
    custom resource's StatefulSet is named after the resource, not always after its pods)."""
    pod = _POD_ORDINAL.match(parts[0])
    if pod is None or len(parts) > 3:
        return []
    namespace = parts[2] if len(parts) == 3 else workload.namespace
    behind = _behind_service(namespace, parts[1], workload, estate)
    named = [w for w in behind if w.name == pod.group(1) and w.kind not in _GENERATED_NAMES]
    return named or [w for w in behind if w.kind not in _GENERATED_NAMES]


_GENERATED_NAMES = frozenset({"Deployment", "ReplicaSet", "DaemonSet", "Job", "CronJob"})
"""Controllers whose pods take generated names, never ``<name>-<ordinal>``."""


def _compose_names(workload: Workload) -> set[str]:
    """What a Compose service answers to on its networks: its name, ``container_name``, each
    network's ``aliases``, and the static ``ipv4_address``/``ipv6_address`` the project pins it
    to there ("a static IP address for a service container when joining the network",
    https://docs.docker.com/reference/compose-file/services/#ipv4_address-ipv6_address; the
    keys of a service's network entry in https://github.com/compose-spec/compose-spec/blob/
    b2835e8acc1e42e7aecbc27a9bc4a1fc66ef21ba/schema/compose-spec.json)."""
    body = workload.body
    names = {workload.name, str(body.get("container_name", workload.name))}
    networks = body.get("networks")
    if isinstance(networks, Mapping):
        for spec in networks.values():
            if isinstance(spec, Mapping):
                names.update(str(a) for a in as_list(spec.get("aliases")))
                names.update(str(spec[k]) for k in _PINNED_ADDRESSES if spec.get(k))
    return {n.lower() for n in names}


_PINNED_ADDRESSES = ("ipv4_address", "ipv6_address")


def compose_declared(workload: Workload) -> Iterator[tuple[str, str]]:
    """The services a Compose service declares it needs (``depends_on``, ``links``,
    ``volumes_from``), and where. ``volumes_from`` mounts every volume of another service
    (``name``, ``service:name``, with ``:ro``/``:rw``; ``container:name`` is a container
    outside the project: https://docs.docker.com/reference/compose-file/services/#volumes_from):
    the service keeps its files in that one's volumes."""
    depends: Any = workload.body.get("depends_on") or []
    for name in depends if isinstance(depends, list | Mapping) else []:
        yield str(name), f"depends_on {name}"
    for link in as_list(workload.body.get("links")):
        yield str(link).split(":")[0], f"links {link}"
    for source in as_list(workload.body.get("volumes_from")):
        parts = str(source).split(":")
        if parts[0] != "container":
            yield (
                parts[1] if parts[0] == "service" and len(parts) > 1 else parts[0],
                (f"volumes_from {source}"),
            )


def edges_of(workload: Workload, estate: Estate) -> list[Edge]:
    """Every edge out of one workload, without self-edges and duplicates."""
    seen: dict[str, Edge] = {}
    compose = workload.platform == "compose"
    on_host = compose and workload.body.get("network_mode") == "host"
    named_ports: set[tuple[str, str]] = set()  # ``host:port`` pairs, for namespace guests
    for name, value, where in _strings(workload, estate):
        if compose:
            named_ports.update((h.lower(), p) for h, p in _NAMED_PORT.findall(value))
        for host in sorted(hosts_in(name, value)):
            for target in resolve_host(host, workload, estate):
                seen.setdefault(target.id, Edge(workload.id, target.id, f"{where} names {host}"))
        # a browser's variable is read on the host, as a host-network service's are
        local = on_host or (compose and browser_side(name))
        for target, port in _published_locally(value, workload, estate) if local else []:
            via = f"{where} names localhost:{port}, which {target.name} publishes"
            seen.setdefault(target.id, Edge(workload.id, target.id, via))
        if workload.platform == "kubernetes":
            for target, address in external_address_targets(value, estate):
                via = f"{where} names {address}"
                seen.setdefault(target.id, Edge(workload.id, target.id, via))
    if compose:
        for name, where in compose_declared(workload):
            for target in resolve_host(name.lower(), workload, estate):
                seen.setdefault(target.id, Edge(workload.id, target.id, where))
        for target, where in _label_routes(workload, estate):
            seen.setdefault(target.id, Edge(workload.id, target.id, where))
        for target, where in [*_relayed(workload, estate), *_through_steps(workload, estate)]:
            seen.setdefault(target.id, Edge(workload.id, target.id, where))
        for target, where in [
            *_namespace_guests(named_ports, workload, estate),
            *_logins(workload, estate),
        ]:
            seen.setdefault(target.id, Edge(workload.id, target.id, where))
        for target, where in [
            *socket_servers(workload, estate),
            *certificate_issuers(workload, estate),
            *served_writers(workload, estate),
            *fetchers_filling(workload, estate),
        ]:
            seen.setdefault(target.id, Edge(workload.id, target.id, where))
    else:
        for target, where in [
            *node_socket_servers(workload, estate),
            *awaited(workload, estate),
            *exec_targets(workload, estate),
            *envoy_upstreams(workload, estate, resolve_host),
        ]:
            seen.setdefault(target.id, Edge(workload.id, target.id, where))
    for target, where in _named_peers(workload, estate):
        seen.setdefault(target.id, Edge(workload.id, target.id, where))
    for ref in references(workload):
        for target in _referenced(ref, workload, estate):
            seen.setdefault(
                target.id, Edge(workload.id, target.id, f"{ref.where} names {ref.name}")
            )
    for target, where in [
        *estate.linked(workload), *_tier_holders(workload, estate),
        *cluster_control_planes(workload, estate),
    ]:  # fmt: skip
        seen.setdefault(target.id, Edge(workload.id, target.id, where))
    for target, where in registered_members(workload, estate, hosts_reached):
        seen.setdefault(target.id, Edge(workload.id, target.id, where))
    seen.pop(workload.id, None)
    return list(seen.values())


# A service on the host's network (``network_mode: host``) reaches what another service publishes
# on the host at ``localhost:<published port>``
# (https://docs.docker.com/engine/network/drivers/host/); Compose ``ports`` give the published
# port as ``[IP:]PUBLISHED:TARGET`` or ``published:``
# (https://docs.docker.com/reference/compose-file/services/#ports).
_LOCAL = re.compile(r"(?<![\w.-])(?:localhost|127\.0\.0\.1|\[::1\]):(\d{2,5})\b", re.IGNORECASE)


def _published_locally(
    value: str, workload: Workload, estate: Estate
) -> Iterator[tuple[Workload, str]]:
    """The project's services that publish a port ``value`` reaches on the local host."""
    ports = set(_LOCAL.findall(value))
    if not ports:
        return
    for other in estate.compose_project(workload.namespace):
        for port in sorted(ports & _published(other)):
            if other.id != workload.id:
                yield other, port


def _published(workload: Workload) -> set[str]:
    found = set()
    for entry in as_list(workload.body.get("ports")):
        if isinstance(entry, Mapping):
            found.add(str(entry.get("published", "")))
        else:
            parts = str(entry).split("/", 1)[0].rsplit(":", 2)
            found.add(parts[-2] if len(parts) > 1 else "")
    return found - {""}


# Reverse proxies that find their routes on the project's other containers, through the engine's
# socket: Traefik's Docker provider reads ``traefik.*`` labels, ``traefik.enable=false`` opting a
# container out (https://doc.traefik.io/traefik/providers/docker/#routing-configuration);
# caddy-docker-proxy reads ``caddy*`` labels
# (https://github.com/lucaslorentz/caddy-docker-proxy#labels-to-caddyfile-conversion); nginx-proxy
# routes to the containers that set ``VIRTUAL_HOST`` (https://github.com/nginx-proxy/nginx-proxy).
# Other tools that discover their backends through the socket name their labels after
# themselves: mc-router "will automatically watch for any containers with the label
# `mc-router.host`" when it runs in Docker
# (https://github.com/itzg/mc-router/blob/e997cc29d72697a63563b5623cdcb4cd95eaf234/README.md):
# a service holding the engine's socket routes to the project's services labelled
# ``<its image's repository>.*``.
_LABEL_ROUTERS = {"traefik": "traefik.", "caddy-docker-proxy": "caddy"}
_ENV_ROUTERS = {"nginx-proxy": "VIRTUAL_HOST"}


def _label_routes(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The Compose services a label-discovering reverse proxy routes to, and the evidence."""
    image = workload.primary.image.lower() if workload.primary else ""
    repository = image.split("@", 1)[0].rsplit("/", 1)[-1].partition(":")[0]
    prefix = _LABEL_ROUTERS.get(repository)
    if prefix is None and repository and holds_socket(workload):
        prefix = f"{repository}."
    variable = _ENV_ROUTERS.get(repository)
    if prefix is None and variable is None:
        return
    for other in estate.compose_project(workload.namespace):
        labels = other.labels
        routed = sorted(k for k in labels if prefix and k.startswith(prefix))
        if routed and labels.get("traefik.enable", "").lower() != "false":
            yield other, f"routes by the label {routed[0]} on {other.name}"
        elif variable and other.primary and variable in other.primary.env_names:
            yield other, f"routes by {variable} on {other.name}"


# A relay that listens (socat's ``TCP-LISTEN:<port>``) in another service's network namespace
# (``network_mode: service:<name>``: https://docs.docker.com/reference/compose-file/services/#network_mode)
# forwards that service's ``localhost:<port>`` to the address it connects to.
_LISTEN = re.compile(r"\b(?:TCP[46]?|UDP[46]?|OPENSSL)-LISTEN:\d{1,5}", re.IGNORECASE)


def _relayed(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """What the relays in a Compose service's network namespace connect it to."""
    mode = f"service:{workload.name}"
    for relay in estate.compose_project(workload.namespace):
        if relay.body.get("network_mode") != mode or relay.primary is None:
            continue
        command = " ".join(relay.primary.command)
        if not _LISTEN.search(command):
            continue
        for host in sorted({m.group(1).lower() for m in _RELAY.finditer(command)}):
            for target in resolve_host(host, workload, estate):
                yield target, f"relay {relay.name} in its network namespace connects to {host}"


# A service run in another's network namespace (``network_mode: service:<name>``) answers on
# that service's address: "the container shares the network stack of the referenced service"
# (https://docs.docker.com/reference/compose-file/services/#network_mode), so ``<name>:<port>``
# reaches the guest that listens on the port, as a qBittorrent behind a VPN container serves
# its Web UI at ``http://gluetun:8080``. The guest says which port is its own: a variable named
# for a port holding it (``WEBUI_PORT=8080``), or its ``expose`` list.
_NAMED_PORT = re.compile(r"(?<![\w.-])([A-Za-z][\w-]*):(\d{2,5})\b")


def _namespace_guests(
    pairs: set[tuple[str, str]], workload: Workload, estate: Estate
) -> Iterator[tuple[Workload, str]]:
    """The services in another service's network namespace that ``workload`` reaches at the
    port they listen on there, through that service's name (``pairs``: the ``host:port`` its
    strings name)."""
    for host, port in sorted(pairs):
        for owner in resolve_host(host, workload, estate):
            mode = f"service:{owner.name}"
            for guest in estate.compose_project(owner.namespace):
                if guest.body.get("network_mode") == mode and port in _own_ports(guest):
                    yield guest, f"{host}:{port}, which {guest.name} serves in {host}'s network"


def _own_ports(workload: Workload) -> set[str]:
    """The ports a service says it listens on: its ``expose`` list (a guest in another's network
    namespace publishes no ``ports``), and the values of its variables named for a port."""
    exposed = {str(p) for p in declared_ports(workload.body)}
    env = workload.primary.env if workload.primary else {}
    named = {
        v.strip() for k, v in env.items() if k.upper().endswith("PORT") and v.strip().isdigit()
    }
    return exposed | named


# A client given a login named for a state holder of its project (``CLICKHOUSE_USER``,
# ``CLICKHOUSE_PASSWORD`` beside a ``clickhouse`` service configured with the same variables)
# logs in to that server, at the address its driver defaults to, the service's name: with no
# host named, the login says which server. Only the login's own words count (user, password,
# database): a holder's name alone before another word (``REDIS_PREFIX``) is a setting.
_LOGIN_WORDS = frozenset({"USER", "USERNAME", "PASSWORD", "PASS", "DB", "DATABASE"})


def _logins(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """State holders of the Compose project whose credential variables this client is given
    under the same names."""
    if workload.id in estate.holders or workload.primary is None:
        return
    names = {n.upper() for n in workload.primary.env_names}
    for holder in estate.compose_project(workload.namespace):
        if holder.id not in estate.holders or holder.primary is None:
            continue
        prefix = holder.name.upper().replace("-", "_") + "_"
        shared = sorted(
            n for n in names & {h.upper() for h in holder.primary.env_names}
            if n.startswith(prefix) and n.removeprefix(prefix) in _LOGIN_WORDS
        )  # fmt: skip
        if shared:
            yield holder, f"{shared[0]}: a login {holder.name} is configured with"


# A step a service waits to finish (``depends_on: {step: {condition:
# service_completed_successfully}}``, "a dependency is expected to run to successful completion
# before starting a dependent service":
# https://docs.docker.com/reference/compose-file/services/#depends_on) is often the program's
# migration, run from its image against the store it waits for in turn. Where the service is
# given every variable the step is given (Kan's ``migrate`` and ``web`` both take
# ``POSTGRES_URL``, left for the operator to set:
# https://github.com/kanbn/kan/blob/0e1f25fc2c524ee3fd1d490a3227aad0d3bfde4c/docker-compose.yml), it is configured to reach what the
# step reaches, though its own file names no host and waits for the store only through the step.
_COMPLETED = "service_completed_successfully"


def _through_steps(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """What the steps a Compose service waits to complete wait for, when the service is given
    every variable the step is given."""
    depends: Any = workload.body.get("depends_on")
    if not isinstance(depends, Mapping):
        return
    names = workload.primary.env_names if workload.primary else set()
    for step_name, spec in depends.items():
        if not (isinstance(spec, Mapping) and spec.get("condition") == _COMPLETED):
            continue
        for step in resolve_host(str(step_name).lower(), workload, estate):
            given = step.primary.env_names if step.primary else set()
            if not given or not given <= names:
                continue
            for name, _ in compose_declared(step):
                for target in resolve_host(name.lower(), step, estate):
                    if target.id != workload.id:
                        shared = ", ".join(sorted(given))
                        yield (
                            target,
                            (
                                f"depends_on {step_name} (completed), which waits for {name} "
                                f"and is given the same {shared}"
                            ),
                        )


def _named_peers(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """Peers named with no host: Secrets an operator writes (env or volume), injection
    annotations, credentials shared with a server (:mod:`.by_name`)."""
    if workload.platform != "kubernetes":
        return
    yield from _connection_secrets(workload, estate)
    yield from mounted_secret_writers(workload, estate)
    yield from annotated_targets(workload, estate)
    yield from shared_credential_servers(workload, estate)
    yield from claim_providers(workload, estate)
    yield from cluster_keepers(workload, estate)
    yield from hidden_object_stores(workload, estate)
    yield from kind_named(workload, estate)
    for target, where in estate.admitted(workload):
        yield target, f"{where} lets it connect to {target.name}"
    for target, where in estate.proxied(workload):
        yield target, f"RoleBinding {where} lets it proxy to {target.name}"


def _connection_secrets(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """Operator resources whose connection Secret a Kubernetes container takes its environment
    from (``secretKeyRef``, ``envFrom.secretRef``): the operator wrote the address there."""
    for name in sorted(env_secrets(workload)):
        for target in estate.secret_writers(workload.namespace, name):
            yield target, f"env from Secret {name}, written for {target.name}"


def _referenced(ref: Reference, workload: Workload, estate: Estate) -> list[Workload]:
    if not ref.name and not ref.field:  # names none: the cluster of its group it is made in,
        # unless that cluster names it as what it is built from (``sgInstanceProfile: size-m``)
        return [c for c in estate.group_cluster(workload) if not names_by_kind(c, workload)]
    if ref.kind == "Service":
        found = _behind_service(ref.namespace or workload.namespace, ref.name, workload, estate)
        # ``etcd-0.etcd`` is ``name.namespace`` or a StatefulSet's pod behind its governing
        # Service, as in a container's configuration (:func:`resolve_host`)
        if found or not ref.namespace:
            return found
        return _stateful_pod([ref.name, ref.namespace], workload, estate)
    if ref.kind == CLAIM:  # a claim named outside its own storage: whoever mounts it, or
        # whose claim template makes it for one of its pods (``data-ds-idrepo-0``)
        where = ref.namespace or workload.namespace
        found = estate.claim_users(where, ref.name) or [
            w for w in templated_claim_users(estate, where, ref.name) if w is not workload
        ]
    else:
        found = _named_resource(ref, ref.namespace or workload.namespace, estate, workload)
    if not found and not ref.namespace:
        # A manifest that names no namespace is applied into the one chosen at ``kubectl apply
        # -n`` time: the peer of a resource in ``kafka`` may be one read as ``default``.
        if ref.kind == CLAIM:
            found = estate.claim_users("default", ref.name) or [
                w for w in templated_claim_users(estate, "default", ref.name) if w is not workload
            ]
        else:
            found = _named_resource(ref, "", estate, workload)
        found = [w for w in found if not dig(w.body, "metadata", "namespace")]
    if ref.kind == CLAIM:
        return found
    if not found and not ref.namespace and not dig(workload.body, "metadata", "namespace"):
        found = _applied_beside(ref, workload, estate)
    if found or not ref.kind:
        return found
    # No resource of that kind: a field named for the peer's product (``zookeeperRef: zk``)
    # may name the Service of one run as a plain workload, and a name nothing answers may be
    # one an operator derived from its resource's (KubeBlocks names the backup policy it makes
    # for a cluster ``<cluster>-<component>-backup-policy``,
    # https://kubeblocks.io/docs/preview/user_docs/maintenance/backup-and-restore/backup/backup-repo):
    # :meth:`.Estate.service_owner`.
    return _behind_service(ref.namespace or workload.namespace, ref.name, workload, estate)


# Fields naming the cluster a resource is a member of, by a name no resource answers: the
# Coherence operator's tiers of one cluster (``cluster: example-cluster`` on a storage tier and
# on its storage-disabled proxy and application tiers, "all three deployments ... form a single
# Coherence cluster",
# https://github.com/oracle/coherence-operator/blob/8b32a5a1961fbdc9b801db3f5a47a99b9b14d6bb/examples/021_deployment/README.adoc).
_MEMBER_OF = ("cluster", "clusterName")


def _tier_holders(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The members holding data of the cluster a custom resource holding none is a tier of:
    resources of its kind naming the same cluster, which no resource of the estate answers."""
    operated = workload.operated
    # Inferred from its fields, or of a family whose storage-disabled members keep nothing (a
    # Coherence proxy tier, :mod:`.data_grids`); the kind is the cluster's.
    if operated is None or operated.storage or workload.id in estate.holders:
        return
    spec = as_map(workload.body.get("spec"))
    field = next((f for f in _MEMBER_OF if isinstance(spec.get(f), str) and spec[f]), None)
    if field is None or estate.workloads_named(workload.namespace, spec[field]):
        return
    for other in estate.in_namespace(workload.namespace):
        if (
            other.kind == workload.kind and other.id in estate.holders
            and as_map(other.body.get("spec")).get(field) == spec[field]
        ):  # fmt: skip
            yield other, f"spec.{field} {spec[field]}: a tier of the cluster {other.name} holds"


def _applied_beside(ref: Reference, workload: Workload, estate: Estate) -> list[Workload]:
    """The other way round: a resource whose own manifest names no namespace is applied into
    the one of the resource it names, when exactly one namespace holds a resource of its API
    group by that name: TigerGraph's sample ``TigerGraphBackupSchedule``, placed by none,
    names ``backupTemplate.clusterName: test-cluster``
    (https://github.com/tigergraph/ecosys/blob/089e8f430e0f1ac464f474352810e00a013cc374/k8s/docs/10-samples/backup-restore/backup-schedule-s3.yaml),
    the ``TigerGraph`` its cluster sample puts in ``tigergraph``
    (``k8s/docs/10-samples/deploy/tigergraph-cluster.yaml`` there)."""
    group = workload.resource.key.group
    found = [
        w for w in _named_resource(ref, "", estate, workload)
        if w.resource.key.group == group and w.namespace != workload.namespace
    ]  # fmt: skip
    return found if len({w.namespace for w in found}) == 1 else []


def _named_resource(
    ref: Reference, namespace: str, estate: Estate, source: Workload
) -> list[Workload]:
    """The resources ``ref`` (of ``source``) names in ``namespace`` ("": any namespace)."""
    named = [
        w for w in (
            estate.workloads_named(namespace, ref.name) if namespace
            else estate.operated_anywhere(ref.name) + _placed_by_none(ref, estate)
        )
        if w is not source  # a ScaledObject named as the Deployment it scales
    ]  # fmt: skip
    if not ref.kind:  # a field that names no kind: the operator resource of that name
        return [w for w in named if w.operated is not None]
    # Kinds compare regardless of case: a field names its kind in camel case (``dmGroupRef``).
    kind = ref.kind.lower()
    if ref.field:  # the members of a cluster: every resource of the kind that names it
        return [
            w for w in estate.in_namespace(namespace)
            if w.kind.lower() == kind and (dig(w.body, *ref.field) or "") == ref.name
        ]  # fmt: skip
    # A field may qualify the kind it names (``localOutputRefs``: Outputs), or name it without
    # its product's prefix (``namespaceRef``: a TemporalNamespace).
    found = [
        w for w in named
        if kind == (own := w.kind.lower()) or kind.endswith(own) or own.endswith(kind)
    ]  # fmt: skip
    # Failing that kind, a field named for a role (``deploymentName``, ``streamName``) may name
    # the operator resource of that name, whatever its kind; and a reference to the target it
    # acts on (``scaleTargetRef: {name: x}``, KEDA's ScaledObject naming what it scales, "kind
    # ... default: Deployment", https://keda.sh/docs/2.16/reference/scaledobject-spec/#scaletargetref,
    # as autoscaling/v2's HorizontalPodAutoscaler does, and a VerticalPodAutoscaler's
    # ``targetRef``) the workload of that name in its namespace, whatever it is.
    found = found or [w for w in named if w.operated is not None]
    if found or not ref.where.lower().endswith(_TARGET_REFERENCES):
        return found
    return list(named)


_TARGET_REFERENCES = ("targetref", "targetreference")


def _placed_by_none(ref: Reference, estate: Estate) -> list[Workload]:
    """The plain workloads named as ``ref`` names one whose manifest names no namespace: read
    into ``default``, they are applied into the one chosen at ``kubectl apply -n`` time (a
    Deployment a kustomization places beside the Canary naming it by ``targetRef: {kind:
    Deployment, name: podinfo}``). Only a reference that says a kind looks there."""
    if not ref.kind:
        return []
    return [
        w for w in estate.workloads_named("default", ref.name)
        if w.operated is None and not dig(w.body, "metadata", "namespace")
    ]  # fmt: skip


def _behind_service(
    namespace: str, name: str, workload: Workload, estate: Estate
) -> list[Workload]:
    """The workloads behind Service ``name.namespace``. A manifest that names no namespace is
    applied into the one chosen at ``kubectl apply -n`` time (the ZooKeeper of a quick start,
    put in ``zoo1ns``; Flagger's load tester, put in ``test`` beside the Canary that calls
    ``http://flagger-loadtester.test/``), so failing such a Service, one of that name whose
    manifest names no namespace, read beside the workload's own or as ``default``, is taken
    for it; so is an operator resource of such a manifest whose operator names that Service
    (chia-operator's farmer reaching ``chianode-sample-node.chiaca.svc`` of the ChiaNode
    ``chianode-sample`` its sample applies with no namespace). The other way round, a workload
    whose own manifest names no namespace, addressing a bare name no Service of its namespace
    answers, is applied beside the one Service of that name the estate declares (Firebolt's
    engine example reaching ``http://floci:4566``, "floci must run in this engine's
    namespace", beside floci's Service in ``firebolt``,
    https://github.com/firebolt-db/firebolt-kubernetes-operator/blob/db4766e5da8ef70cb5a907f6fc82aec9c19a3ee0/examples/engine-basic.yaml).
    Such a Service, read as ``default`` for want of a namespace, selecting no pod there, selects
    those of the client's namespace it is applied into (a Flux Kustomization or ``kubectl apply
    -n`` places the whole folder: a Deployment naming its namespace beside a Service naming
    none)."""
    found = estate.behind_service(namespace, name)
    if not found and not estate.named("Service", namespace, name):
        found = estate.service_owner(namespace, name)
    if found or estate.named("Service", namespace, name):
        return found
    for where in dict.fromkeys((workload.namespace, "default")):
        service = estate.named("Service", where, name)
        if service is not None and not dig(service.body, "metadata", "namespace"):
            # applied beside the client: its selector picks the pods of the client's namespace
            selector = as_map(dig(service.body, "spec", "selector"))
            return estate.behind_service(where, name) or estate.selected(
                workload.namespace, selector
            )
        if service is None and not _ORDINAL.search(name):
            if owners := _unplaced(estate.service_owner(where, name), workload):
                return owners
    if namespace == workload.namespace and not dig(workload.body, "metadata", "namespace"):
        elsewhere = estate.service_namespaces(name)
        if len(elsewhere) == 1:
            return estate.behind_service(elsewhere[0], name)
    return _unserved(namespace, name, estate)


def _unserved(namespace: str, name: str, estate: Estate) -> list[Workload]:
    """A namespace of whose manifests the estate holds no Service at all was given only in part
    (its Services kept in files not read, or made by a tool): a Service is named for the workload
    it selects by the common convention of the Kubernetes examples (a Deployment ``redis`` behind
    the Service ``redis``, https://kubernetes.io/docs/tutorials/stateless-application/guestbook/),
    so the bare name is taken for the Kubernetes workload of that name in the namespace."""
    if estate.declares("Service", namespace):
        return []
    return [
        w for w in estate.workloads_named(namespace, name)
        if w.platform == "kubernetes" and w.kind in _SERVED_KINDS
    ]  # fmt: skip


_SERVED_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod"})


# A name ending in an ordinal is a StatefulSet's pod (``tiny-cluster-zk-0``), not a Service an
# operator names after its resource.
_ORDINAL = re.compile(r"-\d+$")


def _unplaced(workloads: list[Workload], asking: Workload) -> list[Workload]:
    """The workloads whose manifest names no namespace, but the one asking."""
    return [
        w for w in workloads if w.id != asking.id and not dig(w.body, "metadata", "namespace")
    ]  # fmt: skip


def dependency_edges(estate: Estate) -> list[Edge]:
    """Every dependency edge of the estate."""
    return [edge for w in estate.workloads for edge in edges_of(w, estate)]


def _background(workload: Workload, estate: Estate) -> bool:
    """A long-running Kubernetes workload that no Service reaches and that opens no port."""
    if workload.platform != "kubernetes" or workload.kind in ("Pod", "Job", "CronJob"):
        return False
    if workload.operated is not None:
        return False  # its pods are the operator's; what they reach is in its references
    ports = any(c.body.get("ports") for c in workload.containers)
    served = estate.served(workload)
    return not ports and not served and workload.pod.get("hostNetwork") is not True


def discovery_edges(workload: Workload, estate: Estate) -> list[Edge]:
    """Edges of a workload that finds its peers without naming them.

    ``GET_HOSTS_FROM=dns|env`` (the Kubernetes guestbook convention) means the code looks up
    Service names the manifest does not show; a background worker (no Service reaches it, it
    opens no port) must pull its work from somewhere. Either way its dependencies are taken to
    be the state holders defined in the same directory, the application's own manifests. A
    state holder itself is not taken for such a worker: a store without a Service is still
    a store, not a client of its neighbours.
    """
    discovers = any("GET_HOSTS_FROM" in c.env for c in workload.containers)
    worker = workload.id not in estate.holders and _background(workload, estate)
    if not (discovers or worker):
        return []
    why = "GET_HOSTS_FROM" if discovers else "background worker with no Service or port"
    return [
        Edge(workload.id, other.id, f"{why} (state holder in the same directory)")
        for other in estate.holders_in(directory_of(workload))
        if other.id != workload.id
    ]
