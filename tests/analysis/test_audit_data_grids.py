"""In-memory data grids (:mod:`stateward.analysis.audit.data_grids`): Coherence members keep
their caches in their heap unless persistence is configured; storage-disabled ones keep none."""

from __future__ import annotations

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, rules_of

_API = "apiVersion: coherence.oracle.com/v1\nkind: Coherence\n"


def _member(name: str, coherence: str = "{}", cluster: str = "shop") -> str:
    return (f"{_API}metadata: {{name: {name}, namespace: ns}}\n"
            f"spec: {{cluster: {cluster}, replicas: 1, coherence: {coherence}, "
            f"ports: [{{name: http, port: 7001, service: {{name: {name}-api}}}}]}}\n")  # fmt: skip


def test_a_storage_member_with_no_persistence_loses_its_caches(audit_files: Auditor) -> None:
    report = audit_files(**{
        "carts.yaml": _member("carts"),
        "proxy.yaml": _member("proxy", "{storageEnabled: false}"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "carts")
    assert str(by_name["carts"].loss) == "data"
    assert str(by_name["proxy"].lifecycle) == "ephemeral-safe"
    # The storage-disabled member reads the caches of its cluster's storage members.
    assert by_name["carts"].id in by_name["proxy"].depends_on


def test_a_member_persisting_on_a_claim_keeps_its_caches(audit_files: Auditor) -> None:
    claim = "{persistence: {mode: active, persistentVolumeClaim: {accessModes: [ReadWriteOnce], "
    claim += "resources: {requests: {storage: 1Gi}}}}}"
    report = audit_files(**{"s.yaml": _member("storage", claim)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert "OPERATOR_EPHEMERAL" not in rules_of(report)


def test_the_service_of_a_port_reaches_the_member(audit_files: Auditor) -> None:
    client = """apiVersion: apps/v1
kind: Deployment
metadata: {name: front, namespace: ns}
spec:
  selector: {matchLabels: {app: front}}
  template:
    metadata: {labels: {app: front}}
    spec:
      containers:
        - name: front
          image: example/front:1
          env: [{name: CARTS_URL, value: "http://carts-api:7001"}]
"""
    report = audit_files(**{"carts.yaml": _member("carts"), "front.yaml": client})
    by_name = {c.name: c for c in report.components}
    assert by_name["carts"].id in by_name["front"].depends_on
