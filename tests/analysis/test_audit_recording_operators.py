"""Media recorders placed by their operator (:mod:`stateward.analysis.audit.recording_operators`):
Jitsi's Jibri writes recordings to an emptyDir unless it sends them to a bucket."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, rules_of


def _jitsi(spec: str, api: str = "apps.jit.si/v1alpha1") -> str:
    return f"apiVersion: {api}\nkind: Jitsi\nmetadata: {{name: meet}}\nspec: {spec}\n"


def test_jibri_enabled_with_no_bucket_loses_its_recordings_with_the_pod(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"cr.yaml": _jitsi("{domain: d, jibri: {enabled: true}}")})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert str(component.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report)


@pytest.mark.parametrize("spec", [
    "{domain: d}",  # no recorder: meetings are live, nothing kept
    "{domain: d, jibri: {enabled: false}}",
    "{domain: d, jibri: {enabled: true, bucket: {host: s3.example.org, name: rec}}}",
])  # fmt: skip
def test_no_recorder_or_a_bucket_keeps_nothing_in_the_estate(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _jitsi(spec)})
    assert all(c.lifecycle is not Lifecycle.PERSISTENT for c in report.components)
    assert "OPERATOR_EPHEMERAL" not in rules_of(report)


def test_the_kind_in_another_group_is_not_read_so(audit_files: Auditor) -> None:
    report = audit_files(**{"cr.yaml": _jitsi("{jibri: {enabled: true}}", "example.org/v1")})
    assert "OPERATOR_EPHEMERAL" not in rules_of(report)
