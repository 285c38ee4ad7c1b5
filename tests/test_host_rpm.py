"""The host source on an rpm machine: a real package built with rpmbuild and recorded with rpm 4.18
(Debian's, SQLite backend, as on Fedora and RHEL 9) in the root's own database. The service's
binary is named with rpm's ``EPOCH:VERSION-RELEASE``, its ``%config`` files are its conffiles,
and a damaged database is a problem naming the row, never a crash."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from stateward.api._observe import observe
from stateward.model.secrets import SecretKeeper
from stateward.sources.host import HostOptions
from stateward.sources.host.rpmdb import rpm_packages

KEEPER = SecretKeeper(b"r" * 32)
_SPEC = """Name: demo-rpmd
Version: 2.4
Release: 1.fc40
Epoch: 3
Summary: a daemon for the host source tests
License: MIT
BuildArch: noarch
%description
A daemon for the host source tests.
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/etc
printf '#!/bin/sh\\nexec sleep infinity\\n' > %{buildroot}/usr/bin/demo-rpmd
echo 'port=8080' > %{buildroot}/etc/demo-rpmd.conf
%files
/usr/bin/demo-rpmd
%config(noreplace) /etc/demo-rpmd.conf
"""
_UNIT = (
    "[Service]\nExecStart=/usr/bin/demo-rpmd --port 8080\n[Install]\nWantedBy=multi-user.target\n"
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built package file (rpmbuild, once for the module)."""
    if shutil.which("rpmbuild") is None:
        pytest.skip("TOOL MISSING: rpm is not installed; run `make services` (services.d/sshd.sh)")
    top = tmp_path_factory.mktemp("rpmbuild")
    (top / "demo.spec").write_text(_SPEC)
    subprocess.run(
        ["rpmbuild", "-bb", "--define", f"_topdir {top}", str(top / "demo.spec")],
        check=True, capture_output=True,
    )  # fmt: skip
    (built,) = top.glob("RPMS/noarch/*.rpm")
    return built


@pytest.fixture
def root(tmp_path: Path, package: Path) -> Path:
    """A machine root whose rpm database records the package, its files and unit installed."""
    root = tmp_path / "root"
    subprocess.run(
        ["rpm", "--root", str(root), "--dbpath", "/var/lib/rpm", "-i", "--nodeps", "--noscripts",
         "--ignoreos", str(package)],
        check=True, capture_output=True,
    )  # fmt: skip
    unit = root / "etc/systemd/system/demo-rpmd.service"
    unit.parent.mkdir(parents=True)
    unit.write_text(_UNIT)
    (root / "etc/systemd/system/multi-user.target.wants").mkdir()
    (root / "etc/systemd/system/multi-user.target.wants/demo-rpmd.service").symlink_to(unit)
    return root


def _database(root: Path) -> Path:
    return root / "var/lib/rpm/rpmdb.sqlite"


def test_packages_versions_and_config_files_come_from_the_rpm_database(root: Path) -> None:
    read = rpm_packages(str(root))
    assert read is not None and read["problems"] == []
    assert read["packages"]["demo-rpmd"] == {
        "version": "3:2.4-1.fc40", "arch": "noarch", "conffiles": ["/etc/demo-rpmd.conf"],
    }  # fmt: skip
    assert read["owners"]["/usr/bin/demo-rpmd"] == "demo-rpmd"
    # the same answer rpm itself gives
    asked = subprocess.run(
        ["rpm", "--root", str(root), "--dbpath", "/var/lib/rpm", "-q", "--qf",
         "%{EPOCH}:%{VERSION}-%{RELEASE} %{ARCH}", "demo-rpmd"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert asked == "3:2.4-1.fc40 noarch"


def test_a_service_on_an_rpm_machine_names_its_package_and_conffiles(root: Path) -> None:
    obs = observe([f"host://{root}"], estate="rpm1", keeper=KEEPER, host=HostOptions())
    service = {c.id: c for c in obs.components}["host:demo-rpmd.service"]
    assert service.images[0].ref == "/usr/bin/demo-rpmd (demo-rpmd 3:2.4-1.fc40)"
    assert list(service.context["config"]["conffiles"]) == ["/etc/demo-rpmd.conf"]
    packages = {r.key.name: r.body for r in obs.resources if r.key.kind == "Package"}
    assert packages["demo-rpmd"] == {"version": "3:2.4-1.fc40", "arch": "noarch"}
    # no dpkg database here, and that is no problem on an rpm machine
    assert not [f for f in obs.findings if "dpkg" in f.message]


def test_a_damaged_header_is_named_and_the_other_packages_are_still_read(root: Path) -> None:
    with sqlite3.connect(_database(root)) as db:
        (blob,) = db.execute("SELECT blob FROM Packages").fetchone()
        db.execute("INSERT INTO Packages (blob) VALUES (?)", (blob[:40],))  # cut short
        db.execute("INSERT INTO Packages (blob) VALUES (?)", (b"\xff" * 64,))  # counts overrun
    read = rpm_packages(str(root))
    assert read is not None and list(read["packages"]) == ["demo-rpmd"]
    assert [p[0] for p in read["problems"]] == [
        "/var/lib/rpm/rpmdb.sqlite#2", "/var/lib/rpm/rpmdb.sqlite#3",
    ]  # fmt: skip
    assert all(p[1] == "unreadable" and "malformed header" in p[2] for p in read["problems"])
    obs = observe([f"host://{root}"], estate="rpm1", keeper=KEEPER, host=HostOptions())
    assert obs.complete and "host:demo-rpmd.service" in {c.id for c in obs.components}
    unreadable = " ".join(f.message for f in obs.findings if f.rule == "HOST_FILE_UNREADABLE")
    assert "/var/lib/rpm/rpmdb.sqlite#2" in unreadable and "rpmdb.sqlite#3" in unreadable


def test_a_file_that_is_not_a_database_and_an_old_database_are_problems(tmp_path: Path) -> None:
    folder = tmp_path / "var/lib/rpm"
    folder.mkdir(parents=True)
    (folder / "Packages").write_bytes(b"\0" * 4096)  # a BerkeleyDB file of rpm < 4.16
    old = rpm_packages(str(tmp_path))
    assert old is not None and old["packages"] == {}
    assert old["problems"][0][:2] == ["/var/lib/rpm/Packages", "unreadable"]
    (folder / "rpmdb.sqlite").write_bytes(b"not a database at all" * 100)
    junk = rpm_packages(str(tmp_path))
    assert junk is not None and junk["packages"] == {}
    assert junk["problems"][0][:2] == ["/var/lib/rpm/rpmdb.sqlite", "unreadable"]
    assert rpm_packages(str(tmp_path / "nothing")) is None
