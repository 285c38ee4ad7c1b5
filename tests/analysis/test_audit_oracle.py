"""Oracle Database's images (:data:`stateward.analysis.audit.knowledge._ORACLE`): named by the
repositories Oracle publishes them under, or by the SYS password its server is created with;
their database is in /opt/oracle/oradata. Without them, none of the containers below is a store."""

from __future__ import annotations

from stateward.model.finding import Severity

from .conftest import Auditor, deployment, rules_of

_SERVER = "env: [{name: ORACLE_SID, value: ORCLCDB}, {name: ORACLE_PWD, value: changeit}]"
_ON_CLAIM = "volumes: [{name: d, persistentVolumeClaim: {claimName: oradata}}]"
_MOUNT = "volumeMounts: [{name: d, mountPath: /opt/oracle/oradata}]"


def _ported(text: str, port: int) -> str:
    return text.replace("containerPort: 8080", f"containerPort: {port}")


def test_a_server_created_with_the_sys_password_keeps_its_database(audit_files: Auditor) -> None:
    report = audit_files(
        **{
            "db.yaml": _ported(deployment("orcl-db", "", "registry.example/odb:19", container=_SERVER), 1521),
            "kept.yaml": _ported(
                deployment("kept-db", _ON_CLAIM, "registry.example/odb:19", container=f"{_SERVER}\n{_MOUNT}"), 1521
            ),
            "app.yaml": deployment(
                "app", "", "example/app:1",
                container="env: [{name: DB_HOST, value: orcl-db}, {name: ORACLE_PWD, value: changeit}]",
            ),
        }
    )  # fmt: skip
    (finding,) = [f for f in report.findings if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert finding.component is not None and finding.component.endswith("/orcl-db")
    assert "/opt/oracle/oradata" in finding.message
    assert finding.severity is Severity.HIGH  # the variable, the name and the listener's port
    loss = {c.name: c.loss for c in report.components}
    assert loss["orcl-db"] == "data" and loss["app"] == "none"


def test_oracles_published_repository_names_the_database(audit_files: Auditor) -> None:
    report = audit_files(
        **{
            "db.yaml": deployment("db", "", "container-registry.oracle.com/database/enterprise:19.3.0.0"),
            "os.yaml": deployment("base", "", "oraclelinux:8"),
        }
    )  # fmt: skip
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "db")
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "base")


def test_the_listeners_port_is_the_second_signal_of_a_server_named_for_nothing(
    audit_files: Auditor,
) -> None:
    """With a name that says nothing, the SYS password alone gives medium; the listener's port
    (1521) beside it makes two signals, high."""
    severity = {}
    for port in (1521, 8080):
        report = audit_files(
            **{"db.yaml": _ported(deployment("store", "", "registry.example/odb:19", container=_SERVER), port)}
        )  # fmt: skip
        (finding,) = [f for f in report.findings if f.rule == "DATA_IMAGE_NO_VOLUME"]
        severity[port] = finding.severity
    assert severity == {1521: Severity.HIGH, 8080: Severity.MEDIUM}
