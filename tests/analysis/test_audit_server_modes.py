"""A binary that keeps the cluster's records only when run as a server (Dkron's ``--server``)
holds data at its default data directory when nothing is mounted there; run as an agent it
holds none. Small hand-made Compose projects."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, rules_of


def _dkron(command: str, volumes: str = "") -> str:
    return f"services:\n  dkron:\n    image: dkron/dkron:4.0.4\n    command: {command}\n{volumes}"


def _loss(report: AuditReport) -> str:
    (component,) = report.components
    return str(component.loss)


def test_a_server_with_no_volume_at_its_default_data_directory_loses_its_records(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": _dkron("agent --server --bootstrap-expect=1")})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "dkron")
    assert _loss(report) == "data"


@pytest.mark.parametrize(
    ("command", "volumes"),
    [
        # an agent runs the jobs it is given and keeps none of them
        ("agent --retry-join=dkron-server:8946 --tag agent=true", ""),
        # a server whose data directory is kept
        ("agent --server", "    volumes: ['dkron:/dkron.data']\nvolumes: {dkron: {}}\n"),
        ("agent --server --data-dir=/data", "    volumes: ['dkron:/data']\nvolumes: {dkron: {}}\n"),
    ],
)
def test_an_agent_or_a_kept_server_loses_nothing(
    audit_files: Auditor, command: str, volumes: str
) -> None:
    report = audit_files(**{"compose.yaml": _dkron(command, volumes)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "dkron")
