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

from collections.abc import Callable, Mapping
from typing import Any

from stateward.analysis.audit.custom import custom_references
from stateward.analysis.audit.operator_catalog import host_refs
from stateward.analysis.audit.operators import Family, Reference, register_family
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


def _urls(*paths: tuple[str, ...]) -> Callable[[Mapping[str, Any]], list[Reference]]:
    """References to the Services named by the URLs at ``paths`` (a ``*`` step: every item)."""

    def refs(body: Mapping[str, Any]) -> list[Reference]:
        found: list[Reference] = []
        for path in paths:
            for where, value in _values(body, path, ""):
                found += host_refs(value, where)
        return found

    return refs


def _values(node: Any, path: tuple[str, ...], where: str) -> list[tuple[str, Any]]:
    if not path:
        return [(where, node)] if isinstance(node, str) else []
    head, rest = path[0], path[1:]
    if head == "*":
        items = enumerate(as_list(node))
        return [hit for i, item in items for hit in _values(item, rest, f"{where}[{i}]")]
    return _values(as_map(node).get(head), rest, f"{where}.{head}" if where else head)


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
# spec.config.database (grafana.ini) moves the database to a server.
# https://github.com/grafana/grafana-operator/blob/15e2a59f9e0cb945b2b8d70a76c199c8e3574353/controllers/reconcilers/grafana/deployment_reconciler.go
# https://grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/#database
_GRAFANA = "https://github.com/grafana/grafana-operator/blob/15e2a59f9e0cb945b2b8d70a76c199c8e3574353/controllers/reconcilers/grafana/deployment_reconciler.go"
_SERVER_DATABASES = ("postgres", "mysql")


def _grafana(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(body.get("spec"))
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


def _grafana_refs(body: Mapping[str, Any]) -> list[Reference]:
    return list(
        host_refs(dig(body, "spec", "config", "database", "host"), "spec.config.database.host")
    )


# VictoriaMetrics operator: a VMAlert evaluates rules against spec.datasource.url and sends
# alerts to spec.notifier(s).url, writing state to remoteWrite.url; a VMAuth proxies to the
# URLs of its VMUsers; neither keeps data. Services vmalert-<name>, vmauth-<name>.
_VM = "https://github.com/VictoriaMetrics/operator/blob/d0d258c86b5aed0df47dd2b3c52c5a97e40e6b48/api/operator/v1beta1/"
_VMALERT_URLS = _urls(
    ("spec", "datasource", "url"), ("spec", "notifier", "url"), ("spec", "notifiers", "*", "url"),
    ("spec", "remoteWrite", "url"), ("spec", "remoteRead", "url"),
)  # fmt: skip

# Redpanda Console: a UI over the cluster of spec.clusterRef.
_CONSOLE = "https://docs.redpanda.com/current/deploy/console/kubernetes/deploy/"


def _kinds() -> list[Family]:
    return [
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
               "dashboards", _grafana, _GRAFANA, _grafana_refs, _named("{}-service")),
        Family(OperatorKind("operator.victoriametrics.com", "VMAlert", ("spec", "replicaCount"),
                            _INSTANCE),
               "rule evaluator", _none, _VM + "vmalert_types.go", _VMALERT_URLS,
               _named("vmalert-{}")),
        Family(OperatorKind("operator.victoriametrics.com", "VMAuth", ("spec", "replicaCount"),
                            _INSTANCE),
               "proxy", _none, _VM + "vmauth_types.go",
               _urls(("spec", "unauthorizedUserAccessSpec", "url_prefix")), _named("vmauth-{}")),
    ]  # fmt: skip


for _family in _kinds():
    register_family(_family)
