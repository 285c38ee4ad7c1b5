"""One-shot steps: a Compose service the project waits to complete runs a command, keeps no data.

Small hand-made estates, not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor

STEP = """
services:
  prepare:
    image: postgres:16
    command:
      - bash
      - -c
      - |
        cd /tmp
        wget -O ext.tar.gz "https://example.com/ext.tar.gz"
        tar -xzf ext.tar.gz -C /extensions
    volumes: ["./extensions:/extensions"]
  db:
    image: postgres:16
    volumes: ["pgdata:/var/lib/postgresql/data", "./extensions:/extensions:ro"]
    depends_on:
      prepare: {condition: %s}
volumes: {pgdata: {}}
"""


def _effects(report: AuditReport, name: str) -> dict[str, Effect]:
    return {
        f.rule: report.effect_of(f)
        for f in report.findings
        if (f.component or "").endswith("/" + name)
    }


def test_a_database_image_run_as_a_step_the_project_waits_for_holds_no_data(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": STEP % "service_completed_successfully"})
    found = _effects(report, "prepare")
    assert found["DATA_IMAGE_NO_VOLUME"] is Effect.CONTEXT
    assert found["STARTUP_FETCH"] is Effect.CONTEXT
    step = next(c for c in report.components if c.name == "prepare")
    assert str(step.loss) == "none"
    assert max(f.severity for f in report.findings_for(step.id)) < "medium"


@pytest.mark.parametrize("condition", ["service_started", "service_healthy"])
def test_a_database_image_the_project_waits_to_start_is_its_server(
    audit_files: Auditor, condition: str
) -> None:
    """Waited for to start or be healthy, it is a long-running server: its data set is lost."""
    report = audit_files(**{"compose.yaml": STEP % condition})
    found = _effects(report, "prepare")
    assert found["DATA_IMAGE_NO_VOLUME"] is Effect.LOSS
    assert found["STARTUP_FETCH"] is Effect.WARM_UP
