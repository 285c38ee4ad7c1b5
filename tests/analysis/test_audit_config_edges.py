"""Dependencies named in config files (ConfigMap volumes) and Services that select one
StatefulSet ordinal are edges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stateward.analysis.audit import audit
from stateward.analysis.audit.dependencies import hosts_in
from stateward.api import observe
from stateward.model.secrets import SecretKeeper

from .conftest import Auditor
from .test_audit_rules import app, docs, service, workload


def _config_map(name: str, **files: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": files}


def _service(name: str, selector: dict[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": selector, "ports": [{"port": 80}]}}  # fmt: skip


def _mounting(name: str, image: str, config: str) -> dict[str, Any]:
    return workload("Deployment", name, {
        "containers": [app(image, volumeMounts=[{"name": "conf", "mountPath": "/etc/app"}])],
        "volumes": [{"name": "conf", "configMap": {"name": config}}],
    })  # fmt: skip


def _target(name: str, image: str, kind: str = "Deployment", **spec: Any) -> dict[str, Any]:
    return workload(kind, name, {"containers": [app(image)]}, **spec)


@pytest.mark.parametrize(
    ("file", "text"),
    [
        (
            "nginx.conf",
            "upstream api {\n  server backend weight=5;\n}\nserver {\n  listen 80;\n}\n",
        ),
        ("nginx.conf", "location / {\n  proxy_pass http://backend;\n}\n"),
        ("haproxy.cfg", "backend b\n  server s1 backend:8080 check\n"),
        ("application.properties", "spring.datasource.url=jdbc:postgresql://backend:5432/app\n"),
        ("redis.conf", "port 6379\nreplicaof backend 6379\n"),
        ("sentinel.conf", "sentinel monitor mymaster backend 6379 2\n"),
        ("elasticsearch.yml", "cluster.name: c\ndiscovery.seed_hosts: [backend]\n"),
        ("elasticsearch.yml", "discovery.zen.ping.unicast.hosts: other, backend:9300\n"),
        ("cassandra.yaml", 'seed_provider:\n  - parameters:\n      - seeds: "backend"\n'),
    ],
)
def test_a_host_in_a_mounted_config_file_is_an_edge(
    audit_files: Auditor, file: str, text: str
) -> None:
    report = audit_files(**{"m.yaml": docs(
        _config_map("conf", **{file: text}),
        _mounting("front", "nginx", "conf"),
        _target("backend", "example/api"),
        _service("backend", {"app": "backend"}),
    )})  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["backend"].id in by_name["front"].depends_on


def test_a_config_map_not_mounted_names_no_one(audit_files: Auditor) -> None:
    report = audit_files(**{"m.yaml": docs(
        _config_map("conf", **{"redis.conf": "replicaof backend 6379\n"}),
        _target("front", "nginx"),
        _target("backend", "example/api"),
        _service("backend", {"app": "backend"}),
    )})  # fmt: skip
    assert {c.name: c for c in report.components}["front"].depends_on == ()


def test_a_service_selecting_one_ordinal_reaches_the_statefulset(audit_files: Auditor) -> None:
    report = audit_files(**{"m.yaml": docs(
        _target("redis", "redis:7", kind="StatefulSet", replicas=3, serviceName="redis"),
        _service("redis-leader", {"statefulset.kubernetes.io/pod-name": "redis-0"}),
        workload("Deployment", "worker", {"containers": [app(
            "example/worker", env=[{"name": "REDIS_HOST", "value": "redis-leader"}])]}),
    )})  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["redis"].id in by_name["worker"].depends_on


@pytest.mark.parametrize(
    "host",
    ["store-1.store:9000", "store-0.store.ns:9000", "store-2.store.ns.svc.cluster.local:9000"],
)
def test_a_statefulset_pod_named_through_its_governing_service_is_an_edge(
    audit_files: Auditor, host: str
) -> None:
    """``<set>-<ordinal>.<service>[.<namespace>[.svc…]]`` is one pod of the StatefulSet."""
    report = audit_files(**{"m.yaml": docs(
        _target("store", "example/store:1", kind="StatefulSet", replicas=3, serviceName="store"),
        _service("store", {"app": "store"}),
        _target("other", "example/other:1"),
        _service("other", {"app": "other"}),
        workload("Deployment", "client", {"containers": [app(
            "example/client", env=[{"name": "PEERS", "value": f"{host},other-0.other:80"}])]}),
    )})  # fmt: skip
    by_name = {c.name: c for c in report.components}
    # ``other`` is a Deployment: an ordinal name through its Service is no pod of it.
    assert by_name["client"].depends_on == (by_name["store"].id,)


def test_directives_name_hosts_but_not_blocks_or_labels() -> None:
    assert hosts_in("", "replicaof redis-0.redis 6379") == {"redis-0.redis"}
    assert hosts_in("", "server {\n listen 80;\n server_name example.org;\n}") == set()
    assert hosts_in("", "sentinel monitor m db 6379 2\n") == {"db"}


def test_a_configuration_key_whose_last_word_is_host_names_a_host() -> None:
    """A YAML file's ``streamer_host: mixer`` as ``host: mixer``; a word ending in host
    (``vhost``), a key merely beginning with it (``host_port``) or a dotenv line setting a
    variable (``CACHE_HOST=cache``: what reads it is the application's choice) names none."""
    text = "player:\n  streamer_host: mixer\n  streamer_port: 1234\n  vhost: /radio\n"
    assert hosts_in("", text) == {"mixer"}
    assert hosts_in("", "queue:\n  vhost: radio\n  host_port: 1234\n") == set()
    assert hosts_in("", "CACHE_HOST=cache\nCACHE_PORT=6379\n") == set()


def test_a_variable_named_for_a_store_whose_value_is_a_service_name_is_an_edge(
    audit_files: Auditor,
) -> None:
    """``REDIS=votes-store``: no scheme, port or ``_HOST``, but the variable names the peer it
    reaches by what it is, and the value is the name of a Service of the estate."""
    text = docs(
        workload("Deployment", "front", {"containers": [
            app("example/front", env=[{"name": "REDIS", "value": "votes-store"},
                                      {"name": "POSTGRES_DB", "value": "front"}])]}),
        workload("Deployment", "votes", {"containers": [app("redis:7")]}),
        {**service("votes"), "metadata": {"name": "votes-store"}},
        service("front"),
    )  # fmt: skip
    report = audit_files(**{"m.yaml": text})
    front = report.component("k8s:Deployment/default/front")
    votes = report.component("k8s:Deployment/default/votes")
    assert front is not None and votes is not None
    assert front.depends_on == (votes.id,)
    assert votes.depends_on == ()


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("setup.json", '{"defaults": {"mongo": {"host": "mongo", "port": 27017}}}'),
        ("config.toml", '[database]\nhost = "mongo"\nport = 27017\n'),
        ("settings.yaml", "database:\n  host: 'mongo'\n"),
    ],
)
def test_a_quoted_host_key_in_a_bound_config_file_is_an_edge(
    tmp_path: Path, file: str, text: str
) -> None:
    """JSON quotes its keys and strings, TOML its strings: ``"host": "mongo"`` names the
    peer as ``host: mongo`` does. (Only the Compose file is named to the source, as the
    configuration file would be read as a manifest of its own otherwise.)"""
    (tmp_path / file).write_text(text, encoding="utf-8")
    compose = tmp_path / "compose.yaml"
    compose.write_text(f"""
services:
  forum:
    image: example/forum:1
    volumes: ['./{file}:/app/{file}']
  mongo:
    image: mongo:7
    volumes: ['data:/data/db']
  other:
    image: example/other:1
volumes: {{data: {{}}}}
""", encoding="utf-8")  # fmt: skip
    report = audit(observe([str(compose)], estate="t", keeper=SecretKeeper(b"s" * 32)))
    by_name = {c.name: c for c in report.components}
    assert by_name["forum"].depends_on == (by_name["mongo"].id,)


def test_a_variable_named_for_an_address_is_a_host(audit_files: Auditor) -> None:
    """``faas_nats_address``: the variable's last word says its value is a host."""
    assert hosts_in("faas_nats_address", "nats.openfaas.svc.cluster.local") == {
        "nats.openfaas.svc.cluster.local"
    }
    assert hosts_in("NATS_CHANNEL", "faas-request") == set()
    report = audit_files(**{"m.yaml": docs(
        _target("nats", "nats-streaming:0.25"),
        _service("nats", {"app": "nats"}),
        workload("Deployment", "gateway", {"containers": [app(
            "example/gateway", env=[{"name": "faas_nats_address",
                                     "value": "nats.default.svc.cluster.local"}])]}),
    )})  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["gateway"].depends_on == (by_name["nats"].id,)


def test_a_variable_named_for_a_host_name_is_a_host() -> None:
    """``MONGO_DB_HOSTNAME=mongodb`` names its peer as ``MONGO_DB_HOST`` would; the container's
    own ``HOSTNAME`` names no peer."""
    assert hosts_in("MONGO_DB_HOSTNAME", "mongodb") == {"mongodb"}
    assert hosts_in("db_hostname", "postgres") == {"postgres"}
    assert hosts_in("HOSTNAME", "mongodb") == set()
    assert hosts_in("MONGO_DB_HOSTNAMES", "mongodb") == {"mongodb"}
    assert hosts_in("MONGO_DB_NAME", "mongodb") == set()


def test_a_dsn_host_specification_names_its_peer() -> None:
    """``…_HOSTSPEC`` is a DSN's host specification (LibreBooking's database ``hostspec``); a
    word merely ending so names no host."""
    assert hosts_in("LB_DATABASE_HOSTSPEC", "db") == {"db"}
    assert hosts_in("GHOSTSPEC", "db") == frozenset()


def test_a_variable_named_for_servers_lists_its_hosts() -> None:
    """``VESPA_CONFIGSERVERS=a,b``: each item of a comma-separated list is a host, its port
    dropped; a list in a variable named for something else, or with any word no host takes, is not."""
    assert hosts_in("VESPA_CONFIGSERVERS", "cs-0.cs.default.svc.cluster.local,\n cs-1.cs") == {
        "cs-0.cs.default.svc.cluster.local", "cs-1.cs",
    }  # fmt: skip
    assert hosts_in("CASSANDRA_HOSTS", "cass-a:9042, cass-b") == {"cass-a", "cass-b"}
    assert hosts_in("FEATURE_FLAGS", "search,upload") == set()
    assert hosts_in("BROKERS", "a b, c") == set()  # an item with a space: no list of hosts


def test_every_node_listing_its_config_servers_depends_on_them(audit_files: Auditor) -> None:
    """The nodes that take the servers' list from a ConfigMap depend on the StatefulSet whose
    pods it names, the servers themselves on nothing of their own."""
    config = _config_map("vespa", VESPA_CONFIGSERVERS="cs-0.internal,cs-1.internal")
    env_from = [{"configMapRef": {"name": "vespa"}}]
    report = audit_files(**{"m.yaml": docs(
        config,
        _service("internal", {"app": "cs"}),
        workload("StatefulSet", "cs", {"containers": [app("example/vespa", envFrom=env_from)]},
                 replicas=2, serviceName="internal"),
        workload("Deployment", "query", {"containers": [app("example/vespa", envFrom=env_from)]}),
    )})  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["query"].depends_on == (by_name["cs"].id,)
    assert by_name["cs"].depends_on == ()


def _peer_script(env: list[dict[str, Any]]) -> dict[str, Any]:
    script = "exec server --peer store-0.store.${POD_NAMESPACE}.svc.cluster.local:5080"
    return workload(
        "StatefulSet",
        "client",
        {"containers": [app("example/client", command=["bash", "-c", script], env=env)]},
        serviceName="client",
    )


def test_a_shell_variable_the_downward_api_sets_to_the_namespace_is_expanded(
    audit_files: Auditor,
) -> None:
    """``${POD_NAMESPACE}`` in a ``bash -c`` script is the pod's namespace when the downward
    API sets it: the script then names a pod of the StatefulSet ``store``."""
    downward = {"valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}
    objects = (
        _target("store", "example/store:1", kind="StatefulSet", replicas=3, serviceName="store"),
        _service("store", {"app": "store"}),
    )
    report = audit_files(**{"m.yaml": docs(
        *objects, _peer_script([{"name": "POD_NAMESPACE", **downward}]))})  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["client"].depends_on == (by_name["store"].id,)
    # A variable set to something else says nothing of the namespace.
    other = {"valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}
    report = audit_files(**{"m.yaml": docs(
        *objects, _peer_script([{"name": "POD_NAMESPACE", **other}]))})  # fmt: skip
    assert {c.name: c for c in report.components}["client"].depends_on == ()


def test_a_dns_srv_name_is_the_service_it_looks_up(audit_files: Auditor) -> None:
    """``dnssrv+_grpc._tcp.store.ns`` (Thanos' and Cortex' peer lookup) asks for the SRV records
    of the Service ``store`` in ``ns``: an edge to what it selects; an SRV name of no Service of
    the estate is none."""
    assert hosts_in("", "--endpoint=dnssrv+_grpc._tcp.store.ns") == {"store.ns"}
    assert hosts_in("", "--name=_private_value") == set()
    report = audit_files(**{"m.yaml": docs(
        _target("store", "example/store:1", kind="StatefulSet", serviceName="store"),
        _service("store", {"app": "store"}),
        workload("Deployment", "query", {"containers": [app("example/query", args=[
            "--endpoint=dnssrv+_grpc._tcp.store.default",
            "--endpoint=dnssrv+_grpc._tcp.missing.default"])]}),
    )})  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["query"].depends_on == (by_name["store"].id,)


def test_a_seed_list_names_its_hosts_and_nothing_else() -> None:
    assert hosts_in("", 'discovery.seed_hosts: [es-0.es, "es-1:9300"]') == {"es-0.es", "es-1"}
    # the nodes that vote in the first election are node names, not addresses
    assert hosts_in("", "cluster.initial_master_nodes: [es-master-0]") == frozenset()
    assert hosts_in("", "seeds_file: /etc/seeds") == frozenset()
