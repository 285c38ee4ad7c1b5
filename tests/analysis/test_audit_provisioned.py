"""A Grafana on Kubernetes with no volume at its data directory: provisioned from mounted
ConfigMaps it comes back with its data sources and dashboards (a warm-up); provisioned from
nothing mounted, its database is the only copy of what it holds (data)."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, deployment

_PROVISIONING = (
    "volumes: [{name: ds, configMap: {name: grafana-datasources}}]",
    "volumeMounts: [{name: ds, mountPath: /etc/grafana/provisioning/datasources}]",
)


def _loss(report: AuditReport) -> tuple[str, str]:
    (finding,) = [f for f in report.findings if f.rule == "APP_DATA_NO_VOLUME"]
    (component,) = report.components
    return str(component.loss), finding.message


def test_a_grafana_provisioned_from_mounted_configmaps_loses_only_ui_edits(
    audit_files: Auditor,
) -> None:
    pod, container = _PROVISIONING
    image = "grafana/grafana:11.4.0"
    report = audit_files(**{"g.yaml": deployment("grafana", pod, image, container=container)})
    loss, message = _loss(report)
    assert loss == "rebuildable"
    assert "/etc/grafana/provisioning/datasources" in message


def test_a_grafana_with_nothing_provisioned_keeps_its_dashboards_only_in_its_database(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"g.yaml": deployment("grafana", image="grafana/grafana:11.4.0")})
    assert _loss(report)[0] == "data"


def test_a_mount_elsewhere_than_the_provisioning_directory_provisions_nothing(
    audit_files: Auditor,
) -> None:
    pod = "volumes: [{name: ini, configMap: {name: grafana-ini}}]"
    container = "volumeMounts: [{name: ini, mountPath: /etc/grafana-config}]"
    report = audit_files(
        **{"g.yaml": deployment("grafana", pod, "grafana/grafana:11.4.0", container=container)}
    )
    assert _loss(report)[0] == "data"


def _statefulset(provisioned: bool) -> str:
    pod, container = _PROVISIONING if provisioned else ("", "")
    return (
        deployment("grafana", pod, "grafana/grafana:8.0.4", container=container)
        .replace("kind: Deployment", "kind: StatefulSet")
        .replace("spec:\n  selector", "spec:\n  serviceName: grafana\n  selector")
    )


def test_a_provisioned_grafana_statefulset_without_claims_loses_a_warm_up_not_data(
    audit_files: Auditor,
) -> None:
    """The agent operator's example Grafana: a StatefulSet with no claim, its data source
    provisioned from a ConfigMap; beside it the same StatefulSet provisioned from nothing."""
    for provisioned, severity, loss in ((True, "low", "rebuildable"), (False, "high", "data")):
        report = audit_files(**{"g.yaml": _statefulset(provisioned)})
        (finding,) = [f for f in report.findings if f.rule == "STS_NO_PERSISTENCE"]
        assert (str(finding.severity), str(report.components[0].loss)) == (severity, loss)
