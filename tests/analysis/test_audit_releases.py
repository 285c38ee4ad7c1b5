"""A Helm release declared as a custom resource whose chart is named for a data system runs that
store, on the chart's storage unless its values turn persistence off; a chart of no data system
stays quiet."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, custom_resource

V1 = "helm.fluxcd.io/v1"
V2 = "helm.toolkit.fluxcd.io/v2"


@pytest.mark.parametrize(
    ("api", "spec"),
    [
        (V1, "spec: {chart: {repository: 'https://charts.example', name: redis, version: 15.0.0}}"),
        (
            V2,
            "spec: {chart: {spec: {chart: postgresql, sourceRef: {kind: HelmRepository, name: r}}}}",
        ),
        (
            V2,
            "spec: {chart: {spec: {chart: ./charts/mongodb, sourceRef: {kind: GitRepository, name: g}}}}",
        ),
    ],
)
def test_a_release_of_a_data_systems_chart_holds_its_records(
    audit_files: Auditor, api: str, spec: str
) -> None:
    report = audit_files(**{"hr.yaml": custom_resource(api, "HelmRelease", spec, "store")})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    (finding,) = [f for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE"]
    assert "chart's default storage is unknown" in finding.message


def test_a_release_turning_persistence_off_keeps_its_records_on_an_emptydir(
    audit_files: Auditor,
) -> None:
    spec = "spec: {chart: {name: redis}, values: {master: {persistence: {enabled: false}}}}"
    report = audit_files(**{"hr.yaml": custom_resource(V1, "HelmRelease", spec, "store")})
    (component,) = report.components
    assert str(component.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in {f.rule for f in report.findings}


@pytest.mark.parametrize(
    "chart",
    ["podinfo", "cert-manager", "./charts/web"],
)
def test_a_release_of_a_chart_of_no_data_system_stays_quiet(
    audit_files: Auditor, chart: str
) -> None:
    spec = f"spec: {{chart: {{spec: {{chart: '{chart}', sourceRef: {{kind: HelmRepository, name: r}}}}}}}}"
    report = audit_files(**{"hr.yaml": custom_resource(V2, "HelmRelease", spec, "app")})
    assert all(c.lifecycle is not Lifecycle.PERSISTENT for c in report.components)
