"""SonarQube pointed at an outside database keeps only the Elasticsearch indexes it rebuilds
from it (:mod:`stateward.analysis.audit.indexed_apps`); with no such variable, or one naming
its embedded H2 database, its directory holds the records and a pod with no volume loses them."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect
from stateward.model.finding import Severity

from .conftest import Auditor, deployment

_SECRET_URL = "env: [{name: SONARQUBE_JDBC_URL, valueFrom: {secretKeyRef: {name: db, key: url}}}]"


@pytest.mark.parametrize(
    ("container", "effect", "severity", "loss"),
    [
        (_SECRET_URL, Effect.WARM_UP, Severity.LOW, "rebuildable"),
        ("env: [{name: SONAR_JDBC_URL, value: 'jdbc:postgresql://db:5432/sonar'}]", Effect.WARM_UP, Severity.LOW, "rebuildable"),
        ("env: [{name: SONAR_JDBC_URL, value: 'jdbc:h2:tcp://localhost:9092/sonar'}]", Effect.LOSS, Severity.HIGH, "data"),
        ("env: [{name: SONAR_JDBC_USERNAME, value: sonar}]", Effect.LOSS, Severity.HIGH, "data"),
        ("", Effect.LOSS, Severity.HIGH, "data"),
    ],
)  # fmt: skip
def test_sonarqube_with_an_outside_database_loses_only_its_indexes(
    audit_files: Auditor, container: str, effect: Effect, severity: Severity, loss: str
) -> None:
    report = audit_files(
        **{"s.yaml": deployment("sonar", "", "sonarqube:6.0", container=container)}
    )
    (finding,) = [f for f in report.findings if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert report.effect_of(finding) is effect
    assert finding.severity is severity
    (component,) = report.components
    assert str(component.loss) == loss


def test_another_application_given_a_jdbc_url_still_loses_its_data(audit_files: Auditor) -> None:
    """The variable speaks for SonarQube only: Nexus keeps its repositories in its directory."""
    container = "env: [{name: SONAR_JDBC_URL, value: 'jdbc:postgresql://db:5432/sonar'}]"
    report = audit_files(
        **{"n.yaml": deployment("nexus", "", "sonatype/nexus3:3.70", container=container)}
    )
    (finding,) = [f for f in report.findings if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert report.effect_of(finding) is Effect.LOSS
