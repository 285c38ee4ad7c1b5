"""A MinIO started as a gateway to a cloud backend keeps no objects
(:mod:`stateward.analysis.audit.object_gateways`); a MinIO server, or a NAS gateway writing to
its path, on no volume still loses them."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect
from stateward.model.finding import Severity

from .conftest import Auditor, deployment


@pytest.mark.parametrize(
    ("container", "effect", "severity"),
    [
        ('command: ["sh", "-c", "/usr/bin/docker-entrypoint.sh gateway s3"]', Effect.CONTEXT, Severity.INFO),
        ("args: [gateway, azure]", Effect.CONTEXT, Severity.INFO),
        ("args: [gateway, nas, /shared/nasvol]", Effect.LOSS, Severity.HIGH),
        ("args: [server, /data]", Effect.LOSS, Severity.HIGH),
    ],
)  # fmt: skip
def test_a_minio_gateway_to_a_cloud_backend_loses_nothing(
    audit_files: Auditor, container: str, effect: Effect, severity: Severity
) -> None:
    report = audit_files(
        **{"m.yaml": deployment("objects", "", "minio/minio:RELEASE.2021-06-17T00-10-46Z", container=container)}
    )  # fmt: skip
    (finding,) = [f for f in report.findings if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert report.effect_of(finding) is effect
    assert finding.severity is severity
