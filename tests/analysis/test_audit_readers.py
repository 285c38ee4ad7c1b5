"""A query-only reader's claim holds what it pulled from a writer of the same program it names
(Arc's ``ARC_CLUSTER_ROLE: reader``): a warm-up; a reader naming no such writer keeps its data."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor


def _node(
    name: str,
    role: str,
    seeds: str,
    image: str = "ghcr.io/acme/tsdb:1",
    var: str = "TSDB_CLUSTER_ROLE",
) -> str:
    return (
        "apiVersion: apps/v1\nkind: StatefulSet\n"
        f"metadata: {{name: {name}, namespace: ns}}\n"
        f"spec:\n  serviceName: {name}\n  replicas: 1\n"
        f"  selector: {{matchLabels: {{app: {name}}}}}\n"
        f"  template:\n    metadata: {{labels: {{app: {name}}}}}\n"
        "    spec:\n      containers:\n"
        f"      - name: db\n        image: {image}\n"
        f"        env: [{{name: {var}, value: {role}}}, "
        f"{{name: TSDB_CLUSTER_SEEDS, value: '{seeds}'}}]\n"
        "        volumeMounts: [{name: data, mountPath: /data}]\n"
        "  volumeClaimTemplates:\n  - metadata: {name: data}\n"
        "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"
        "---\napiVersion: v1\nkind: Service\n"
        f"metadata: {{name: {name}, namespace: ns}}\n"
        f"spec: {{clusterIP: None, selector: {{app: {name}}}, ports: [{{port: 9100}}]}}\n"
    )


def _lifecycle(report: AuditReport, name: str) -> str:
    return next(str(c.lifecycle) for c in report.components if c.name == name)


def test_a_reader_naming_a_writer_of_its_program_holds_a_copy(audit_files: Auditor) -> None:
    report = audit_files(**{
        "w.yaml": _node("writer", "writer", "writer-0.writer.ns.svc.cluster.local:9100"),
        "r.yaml": _node("reader", "reader", "writer-0.writer.ns.svc.cluster.local:9100"),
    })  # fmt: skip
    assert _lifecycle(report, "writer") == "persistent"
    assert _lifecycle(report, "reader") == "ephemeral-with-warm-up"
    by_name = {c.name: c for c in report.components}
    assert by_name["writer"].gravity > by_name["reader"].gravity


@pytest.mark.parametrize(
    ("peer_role", "peer_image"),
    [("reader", "ghcr.io/acme/tsdb:1"),  # only readers: nobody to pull from
     ("writer", "ghcr.io/other/db:1")],  # a writer of another program
)  # fmt: skip
def test_a_reader_naming_no_writer_of_its_program_keeps_its_data(
    audit_files: Auditor, peer_role: str, peer_image: str
) -> None:
    report = audit_files(**{
        "w.yaml": _node("peer", peer_role, "", image=peer_image),
        "r.yaml": _node("reader", "reader", "peer-0.peer.ns.svc.cluster.local:9100"),
    })  # fmt: skip
    assert _lifecycle(report, "reader") == "persistent"


def test_a_worker_naming_the_master_of_its_program_holds_a_copy(audit_files: Auditor) -> None:
    """A Wazuh manager cluster's worker (``WAZUH_NODE_TYPE: worker``) receives the agent keys
    and groups from its master: a copy, below the master; a worker naming only workers keeps
    its data."""
    seeds = "master-0.master.ns.svc.cluster.local:1516"
    report = audit_files(**{
        "m.yaml": _node("master", "master", seeds, var="WAZUH_NODE_TYPE"),
        "w.yaml": _node("worker", "worker", seeds, var="WAZUH_NODE_TYPE"),
    })  # fmt: skip
    assert _lifecycle(report, "master") == "persistent"
    assert _lifecycle(report, "worker") == "ephemeral-with-warm-up"
    by_name = {c.name: c for c in report.components}
    assert by_name["master"].gravity > by_name["worker"].gravity
    alone = audit_files(**{
        "m.yaml": _node("other", "worker", "", var="WAZUH_NODE_TYPE"),
        "w.yaml": _node("worker", "worker", "other-0.other.ns.svc.cluster.local:1516",
                        var="WAZUH_NODE_TYPE"),
    })  # fmt: skip
    assert _lifecycle(alone, "worker") == "persistent"
