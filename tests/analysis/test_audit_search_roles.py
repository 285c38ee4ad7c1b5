"""An Elasticsearch/OpenSearch node that is neither a data node nor master-eligible holds nothing.

Synthetic estates shaped like the images' documented settings (the official images' dotted
variables and ``-E`` options, pires' ``NODE_DATA``/``NODE_MASTER``, Bitnami's
``ELASTICSEARCH_NODE_ROLES``), not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect
from stateward.analysis.audit.search_roles import holds_no_shards
from stateward.analysis.audit.workloads import Container

from .conftest import Auditor
from .test_audit_rules import app, docs, workload

_RULES = ("DATA_IMAGE_NO_VOLUME", "DATA_ON_EPHEMERAL")


def _container(env: dict[str, str], command: list[str] | None = None) -> Container:
    body = {"environment": env, **({"command": command} if command else {})}
    return Container("es", "elasticsearch:8.15.0", body, "/services/es")


@pytest.mark.parametrize(
    ("env", "command"),
    [
        ({"node.roles": "ingest"}, None),
        ({"node.roles": "[]"}, None),
        ({"node.roles": "ingest,ml,remote_cluster_client"}, None),
        ({}, ["elasticsearch", "-Enode.roles=ingest"]),
        ({}, ["elasticsearch", "-E", "node.roles=transform"]),
        ({"node.data": "false", "node.master": "false"}, None),
        ({"NODE_DATA": "false", "NODE_MASTER": "false", "NODE_INGEST": "true"}, None),
        ({"ELASTICSEARCH_NODE_ROLES": "ingest"}, None),
    ],
)
def test_a_node_with_neither_data_nor_master_holds_no_shards(
    env: dict[str, str], command: list[str] | None
) -> None:
    assert holds_no_shards(_container(env, command))


@pytest.mark.parametrize(
    ("env", "command"),
    [
        ({}, None),  # every role by default
        ({"node.roles": "master"}, None),  # the cluster state
        ({"node.roles": "ingest,data_hot"}, None),
        ({"node.roles": "cluster_manager"}, None),  # OpenSearch's master
        ({"node.roles": ""}, None),  # an empty variable is skipped: every role
        ({"ELASTICSEARCH_NODE_ROLES": ""}, None),  # Bitnami: not dedicated, every role
        ({"NODE_DATA": "false"}, None),  # still master-eligible
        ({"NODE_MASTER": "false"}, None),  # still a data node
        ({}, ["elasticsearch", "-Enode.roles=data"]),
    ],
)
def test_a_node_with_data_or_master_may_hold_data(
    env: dict[str, str], command: list[str] | None
) -> None:
    assert holds_no_shards(_container(env, command)) == ""


def _effects(report: AuditReport, name: str) -> list[Effect]:
    return [
        report.effect_of(f)
        for f in report.findings
        if f.rule in _RULES and (f.component or "").endswith("/" + name)
    ]


def _node(name: str, **env: str) -> dict[str, object]:
    pairs = [{"name": k, "value": v} for k, v in env.items()]
    container = app(
        "quay.io/pires/docker-elasticsearch-kubernetes:6.3.2",
        env=pairs,
        volumeMounts=[{"name": "storage", "mountPath": "/data"}],
    )
    return workload(
        "Deployment",
        name,
        {"containers": [container], "volumes": [{"name": "storage", "emptyDir": {}}]},
    )


def test_an_ingest_node_on_an_empty_dir_loses_nothing(audit_files: Auditor) -> None:
    """The split cluster of pires' manifests: the ingest node's emptyDir is context; the data and
    master nodes' are still data lost."""
    report = audit_files(
        **{
            "m.yaml": docs(
                _node("es-ingest", NODE_MASTER="false", NODE_DATA="false"),
                _node("es-master", NODE_MASTER="true", NODE_DATA="false"),
                _node("es-data", NODE_MASTER="false", NODE_INGEST="false"),
            )
        }
    )
    assert _effects(report, "es-ingest") == [Effect.CONTEXT]
    assert _effects(report, "es-master") == [Effect.LOSS]
    assert _effects(report, "es-data") == [Effect.LOSS]


def test_a_coordinating_compose_node_with_no_volume_is_context(audit_files: Auditor) -> None:
    compose = """
services:
  coordinating:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
    environment: ["node.roles=[]", "discovery.seed_hosts=data"]
  data:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
    environment: ["node.roles=data,master"]
"""
    report = audit_files(**{"compose.yaml": compose})
    assert _effects(report, "coordinating") == [Effect.CONTEXT]
    assert _effects(report, "data") == [Effect.LOSS]
