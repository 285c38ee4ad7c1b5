"""Bitnami application images keep what they persist under ``/bitnami/<application>``
(:func:`stateward.analysis.audit.knowledge.app_image`): a claim at the upstream image's
directory does not keep it; one at ``/bitnami`` does, and the upstream image is unchanged."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor, deployment, rules_of


def _deployment(name: str, image: str, target: str) -> str:
    """A Deployment of ``image`` with a claim of its own at ``target``."""
    return deployment(
        name,
        pod=f"volumes: [{{name: files, persistentVolumeClaim: {{claimName: {name}-files}}}}]",
        image=image,
        container=f"volumeMounts: [{{name: files, mountPath: {target}}}]",
    )


def _named(report: AuditReport, name: str) -> ComponentAudit:
    return next(c for c in report.components if c.name == name)


@pytest.mark.parametrize("image", ["bitnami/wordpress:5.7.2", "bitnami/wordpress-nginx:5.7.2"])
def test_a_bitnami_app_with_its_directory_unmounted_loses_its_data(
    audit_files: Auditor, image: str
) -> None:
    report = audit_files(**{
        "beside.yaml": _deployment("beside", image, "/var/www/html"),
        "kept.yaml": _deployment("kept", image, "/bitnami/wordpress"),
        "upstream.yaml": _deployment("upstream", "wordpress:6", "/var/www/html"),
    })  # fmt: skip
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "beside")
    assert str(_named(report, "beside").loss) == "data"
    for name in ("kept", "upstream"):  # the directory its image keeps is on the claim
        assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, name)
        assert str(_named(report, name).lifecycle) == "persistent"


def test_a_bitnami_image_of_no_catalogued_application_is_not_read(audit_files: Auditor) -> None:
    report = audit_files(**{"tool.yaml": _deployment("tool", "bitnami/kubectl:1.30", "/work")})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "tool")
