"""A container installing distribution packages at start fetches tools, not state.

Small hand-made estates, not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect

from .conftest import Auditor

CRON = """
services:
  app:
    image: example.org/acme/app:1
  scheduler:
    image: alpine:3.20
    restart: unless-stopped
    command: >
      /bin/sh -c "%s &&
      echo '*/5 * * * * curl -fsS -X POST http://app:8080/api/tick' > /etc/crontabs/root &&
      crond -f"
"""


def _fetch(audit_files: Auditor, install: str) -> tuple[Effect | None, str]:
    report = audit_files(**{"compose.yaml": CRON % install})
    finding = next(
        f
        for f in report.findings
        if f.rule == "STARTUP_FETCH" and (f.component or "").endswith("/scheduler")
    )
    component = next(c for c in report.components if c.name == "scheduler")
    return report.effect_of(finding), str(component.loss)


@pytest.mark.parametrize("install", ["apk add --no-cache curl", "apt-get install -y curl tzdata"])
def test_a_cron_container_installing_its_tools_holds_nothing(
    audit_files: Auditor, install: str
) -> None:
    assert _fetch(audit_files, install) == (Effect.CONTEXT, "none")


@pytest.mark.parametrize(
    "install", ["apk add git && git clone https://example.org/acme/jobs /jobs", "pip install jobs"]
)
def test_code_fetched_beside_the_packages_stays_a_warm_up(
    audit_files: Auditor, install: str
) -> None:
    assert _fetch(audit_files, install) == (Effect.WARM_UP, "rebuildable")
