"""The state audit of a host's services (rules ``HOST_SERVICE_*``): where each keeps its data, read
from its unit (systemd.exec(5)) and its package, on a machine root scanned as ``host:///ROOT``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from stateward.analysis.audit import ComponentAudit, audit
from stateward.api import observe
from stateward.cli import main
from stateward.model.finding import Finding
from stateward.model.secrets import SecretKeeper
from stateward.sources.host import HostOptions

Audited = dict[str, tuple[ComponentAudit, list[Finding]]]
_UNITS = {
    # the unit says nothing of its data: the package names the family
    "postgresql": ("ExecStart=/usr/lib/postgresql/15/bin/postgres -D /srv/pg\n", "postgresql-15"),
    # only the package names a database: its program and its unit say nothing of one
    "dbwrap": ("ExecStart=/usr/bin/dbwrap\n", "mariadb-server"),
    "shop": ("ExecStart=/usr/bin/shop\nStateDirectory=shop shop/uploads\nCacheDirectory=shop\n", ""),
    "web": ("ExecStart=/usr/bin/web\nReadWritePaths=-/var/log/web /run/web /tmp /var/run/web\n"
            "ReadWritePaths=/var/tmp/web /var/cache/web\nRuntimeDirectory=web\n", ""),
    "hostnamed": ("ExecStart=/usr/bin/hostnamed\nReadWritePaths=/etc /var/lib/systemd/x\n", ""),
    "files": ("ExecStart=/usr/bin/files\nReadWritePaths=/srv/share\n", ""),
}  # fmt: skip


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("host")
    units, status, info = root / "etc/systemd/system", [], root / "var/lib/dpkg/info"
    units.mkdir(parents=True)
    info.mkdir(parents=True)
    (root / "usr/bin").mkdir(parents=True)
    for name, (service, package) in _UNITS.items():
        (units / f"{name}.service").write_text(f"[Service]\n{service}")
        exe = service.split()[0].removeprefix("ExecStart=")
        (root / exe.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / exe.lstrip("/")).write_text("#!/bin/sh\n")
        if package:
            status.append(f"Package: {package}\nStatus: install ok installed\nVersion: 248\n")
            (info / f"{package}.list").write_text(f"{exe}\n")
    (root / "var/lib/dpkg/status").write_text("\n".join(status))
    return root


@pytest.fixture(scope="module")
def audited(root: Path) -> Audited:
    observation = observe(
        [f"host://{root}"], estate="db1", keeper=SecretKeeper(b"h" * 32), host=HostOptions()
    )
    report = audit(observation)
    findings: dict[str, list[Finding]] = {}
    for finding in report.findings:
        findings.setdefault(finding.component or "", []).append(finding)
    return {c.id: (c, findings.get(c.id, [])) for c in report.components}


def test_a_database_package_keeps_data_on_the_host_at_high_severity(audited: Audited) -> None:
    database, findings = audited["host:postgresql.service"]
    (finding,) = [f for f in findings if f.rule == "HOST_SERVICE_STATE"]
    assert str(finding.severity) == "high"
    assert "postgres database" in finding.message and "/var/lib" in finding.message
    assert str(database.lifecycle) == "persistent"


def test_a_database_named_by_its_package_alone_keeps_data_at_medium(audited: Audited) -> None:
    database, findings = audited["host:dbwrap.service"]
    (finding,) = [f for f in findings if f.rule == "HOST_SERVICE_STATE"]
    assert str(finding.severity) == "medium" and "mariadb database" in finding.message
    assert str(database.lifecycle) == "persistent"


def test_state_directories_are_data_and_cache_directories_a_warm_up(audited: Audited) -> None:
    shop, findings = audited["host:shop.service"]
    rules = {f.rule: f for f in findings}
    assert "/var/lib/shop, /var/lib/shop/uploads" in rules["HOST_SERVICE_STATE"].message
    assert "/var/cache/shop" in rules["HOST_SERVICE_CACHE"].message
    assert str(shop.lifecycle) == "persistent"
    _, findings = audited["host:files.service"]
    assert [f.rule for f in findings] == ["HOST_SERVICE_STATE"]
    assert "/srv/share" in findings[0].message


def test_logs_runtime_temporary_and_system_trees_are_not_a_services_data(audited: Audited) -> None:
    for name in ("host:web.service", "host:hostnamed.service"):
        component, findings = audited[name]
        assert not findings, name
        assert str(component.lifecycle) == "ephemeral-safe"


def test_the_cli_lists_a_hosts_services(root: Path) -> None:
    result = CliRunner().invoke(main, ["audit", f"host://{root}"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "host:postgresql.service" in result.output
    assert "host:shop.service" in result.output
