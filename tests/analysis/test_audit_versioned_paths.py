"""A data image whose default data directory moved between versions: PostgreSQL 18's image keeps
its cluster at ``/var/lib/postgresql/<major>/docker`` (docker-library/postgres#1259), earlier
majors at ``/var/lib/postgresql/data``. The major is read from the tag. Hand-made Compose files."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, rules_of


def _db(image: str, target: str) -> str:
    return f"services:\n  db:\n    image: {image}\n    volumes: ['./pg:{target}']\n"


def _lifecycle(report: AuditReport) -> str:
    (component,) = report.components
    return str(component.lifecycle)


@pytest.mark.parametrize(
    ("image", "target"),
    [
        ("postgres:18", "/var/lib/postgresql/18/docker"),
        ("postgres:18.1-alpine", "/var/lib/postgresql/18/docker"),
        ("postgres:latest", "/var/lib/postgresql/18/docker"),
        ("postgres:19", "/var/lib/postgresql/19/docker"),
        ("timescale/timescaledb:latest-pg18", "/var/lib/postgresql/18/docker"),
        ("postgres:18", "/var/lib/postgresql"),
        ("postgres:17", "/var/lib/postgresql/data"),
    ],
)
def test_a_bind_at_the_versions_data_directory_keeps_the_data(
    audit_files: Auditor, image: str, target: str
) -> None:
    report = audit_files(**{"compose.yaml": _db(image, target)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report)
    assert _lifecycle(report) == "persistent"


def test_an_older_major_does_not_keep_its_data_at_the_new_layout(audit_files: Auditor) -> None:
    """PostgreSQL 17 keeps its cluster in ``/var/lib/postgresql/data``: a bind at the 18 layout
    leaves it in the container."""
    report = audit_files(**{"compose.yaml": _db("postgres:17", "/var/lib/postgresql/18/docker")})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)
    (component,) = report.components
    assert str(component.loss) == "data"
