"""A bind of a host user's whole home (``~``, ``/home``) hands the program the
user's own files, as one of ``/root`` does: host access (``HOST_FS``), not the service's state;
a folder under the home stays a bind of the service's. A synthetic Compose project shaped like
a web file manager's, not a copy of any held-out estate."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect

from .conftest import Auditor


def _manager(source: str) -> str:
    return f"services:\n  files:\n    image: example/file-manager:1\n    volumes:\n      - {source}:/root\n"


@pytest.mark.parametrize("source", ["~", "~/", "/home", "/root"])
def test_a_whole_home_is_the_hosts_files(audit_files: Auditor, source: str) -> None:
    report = audit_files(**{"compose.yaml": _manager(source)})
    rules = {f.rule for f in report.findings}
    assert "HOST_FS" in rules and "COMPOSE_BIND" not in rules
    (files,) = report.components
    assert str(files.loss) == "none"


@pytest.mark.parametrize("source", ["~/files/data", "/home/ops/files", "/srv/files"])
def test_a_folder_under_a_home_stays_the_services_bind(audit_files: Auditor, source: str) -> None:
    report = audit_files(**{"compose.yaml": _manager(source)})
    (bind,) = [f for f in report.findings if f.rule == "COMPOSE_BIND"]
    assert report.effect_of(bind) is Effect.DURABLE
    assert "HOST_FS" not in {f.rule for f in report.findings}
