"""Application servers placed by their operator's defaults
(:mod:`stateward.analysis.audit.server_defaults`): a Seata server always gets its session-store
claim; a SkyWalking OAP server with no storage keeps its telemetry in the H2 in memory of the
images that still ship it, and nothing from 10.2 on, or when it names a storage; a Tailscale
session recorder keeps its recordings on an emptyDir unless it sends them to S3."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor, rules_of


def _named(report: AuditReport, name: str) -> ComponentAudit:
    return next(c for c in report.components if c.name == name)


def _seata(spec: str) -> str:
    return (
        "apiVersion: operator.seata.apache.org/v1alpha1\nkind: SeataServer\n"
        f"metadata: {{name: tc, namespace: ns}}\nspec: {spec}\n"
    )


@pytest.mark.parametrize(
    ("spec", "size"),
    [("{}", "5Gi"), ("{persistence: {spec: {resources: {requests: {storage: 20Gi}}}}}", "20Gi")],
)
def test_a_seata_server_keeps_its_sessions_on_a_claim(
    audit_files: Auditor, spec: str, size: str
) -> None:
    report = audit_files(**{"tc.yaml": _seata(spec)})
    server = _named(report, "tc")
    assert str(server.lifecycle) == "persistent"
    claims = [f.message for f in report.findings if f.rule == "OPERATOR_CLAIMS"]
    assert any(f" {size} " in m and "session store" in m for m in claims), claims


def _oap(spec: str) -> str:
    return (
        "apiVersion: operator.skywalking.apache.org/v1alpha1\nkind: OAPServer\n"
        f"metadata: {{name: oap, namespace: ns}}\nspec: {spec}\n"
    )


@pytest.mark.parametrize(
    "spec",
    [
        "{version: 9.5.0, instances: 1}",
        "{version: 10.4.0, image: 'apache/skywalking-oap-server:9.1.0', instances: 1}",
        "{version: 10.1.0, instances: 1}",
        "{version: 10.4.0, instances: 1, config: [{name: SW_STORAGE, value: h2}]}",
    ],
)
def test_an_oap_server_with_h2_by_default_loses_its_telemetry(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"oap.yaml": _oap(spec)})
    assert str(_named(report, "oap").loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "oap")


@pytest.mark.parametrize(
    "spec",
    [
        "{version: 10.2.0, instances: 1}",  # BanyanDB by default, another server
        "{version: 9.5.0, instances: 1, storage: {name: es}}",
        "{version: 9.5.0, instances: 1, config: [{name: SW_STORAGE, value: elasticsearch}]}",
    ],
)
def test_an_oap_server_writing_to_another_store_holds_nothing(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"oap.yaml": _oap(spec)})
    assert str(_named(report, "oap").loss) == "none"


def _recorder(spec: str) -> str:
    return (
        "apiVersion: tailscale.com/v1alpha1\nkind: Recorder\n"
        f"metadata: {{name: rec}}\nspec: {spec}\n"
    )


def test_a_recorder_without_s3_loses_its_recordings(audit_files: Auditor) -> None:
    report = audit_files(**{"rec.yaml": _recorder("{enableUI: true}")})
    assert str(_named(report, "rec").loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "rec")


def test_a_recorder_sending_to_s3_holds_nothing(audit_files: Auditor) -> None:
    s3 = "{storage: {s3: {endpoint: s3.example.com, bucket: rec}}}"
    report = audit_files(**{"rec.yaml": _recorder(s3)})
    assert str(_named(report, "rec").loss) == "none"
