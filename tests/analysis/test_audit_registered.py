"""Clients that find a store's members in the ZooKeeper they register in (:mod:`.registered`).

Hand-made estates in the shape of a BookKeeper deployment (bookies on claims, a ZooKeeper, an
auto-recovery Deployment of the same image), not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor
from .test_audit_rules import docs


def _zookeeper(port: int = 2181) -> dict[str, object]:
    return {
        "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "zk"},
        "spec": {"serviceName": "zookeeper", "selector": {"matchLabels": {"app": "zk"}},
                 "template": {"metadata": {"labels": {"app": "zk"}}, "spec": {"containers": [
                     {"name": "zk", "image": "example/zk:3",
                      "ports": [{"containerPort": port}]}]}}},
    }  # fmt: skip


_SERVICE = {
    "apiVersion": "v1", "kind": "Service", "metadata": {"name": "zookeeper"},
    "spec": {"selector": {"app": "zk"}, "ports": [{"port": 2181}]},
}  # fmt: skip


def _bookies() -> dict[str, object]:
    claim = {
        "metadata": {"name": "ledgers"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}},
    }
    return {
        "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "bookie"},
        "spec": {"serviceName": "bookie", "selector": {"matchLabels": {"app": "bookie"}},
                 "volumeClaimTemplates": [claim],
                 "template": {"metadata": {"labels": {"app": "bookie"}}, "spec": {"containers": [
                     {"name": "bookie", "image": "apache/bookkeeper:4.16.5",
                      "args": ["bookkeeper", "bookie"],
                      "env": [{"name": "BK_zkServers", "value": "zookeeper"}],
                      "volumeMounts": [{"name": "ledgers", "mountPath": "/ledgers"}]}]}}},
    }  # fmt: skip


def _client(image: str, init: bool = False) -> dict[str, object]:
    container = {"name": "c", "image": image, "args": ["bookkeeper", "autorecovery"],
                 "env": [{"name": "BK_zkServers", "value": "zookeeper"}]}  # fmt: skip
    pod: dict[str, object] = {"containers": [container]}
    if init:  # the client's own program, and a BookKeeper tool binding its namespace first
        tool = {
            "name": "bind",
            "image": image,
            "command": [
                "sh",
                "-c",
                "dlog admin bind -l /ledgers -s zookeeper:2181 distributedlog://zookeeper/x",
            ],
        }
        pod = {"initContainers": [tool], "containers": [{"name": "c", "image": "example/app:1"}]}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "client"},
        "spec": {"selector": {"matchLabels": {"app": "client"}},
                 "template": {"metadata": {"labels": {"app": "client"}}, "spec": pod}},
    }  # fmt: skip


def _depends(report: AuditReport, name: str) -> set[str]:
    (component,) = [c for c in report.components if c.name == name]
    return {ident.rsplit("/", 1)[-1] for ident in component.depends_on}


@pytest.mark.parametrize("init", [False, True])
def test_a_client_of_the_holders_image_naming_their_zookeeper_depends_on_them(
    audit_files: Auditor, init: bool
) -> None:
    estate = docs(_zookeeper(), _SERVICE, _bookies(), _client("apache/bookkeeper:4.16.5", init))
    report = audit_files(**{"bk.yaml": estate})
    assert _depends(report, "client") == {"zk", "bookie"}


@pytest.mark.parametrize(
    ("zookeeper", "client"),
    [
        (_zookeeper(), "example/other:1"),  # another program naming the same ZooKeeper
        (_zookeeper(port=8080), "apache/bookkeeper:4.16.5"),  # a shared peer that is no ZooKeeper
    ],
)
def test_no_edge_without_the_holders_image_or_a_zookeeper(
    audit_files: Auditor, zookeeper: dict[str, object], client: str
) -> None:
    report = audit_files(**{"bk.yaml": docs(zookeeper, _SERVICE, _bookies(), _client(client))})
    assert "bookie" not in _depends(report, "client")
