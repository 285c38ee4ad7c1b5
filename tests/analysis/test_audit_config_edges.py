"""Dependencies named in config files (ConfigMap volumes) and Services that select one
StatefulSet ordinal are edges."""

from __future__ import annotations

from typing import Any

import pytest

from stateward.analysis.audit.dependencies import hosts_in

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
