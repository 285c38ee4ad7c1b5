"""A machine root to scan as ``host:///ROOT``: one systemd service owned by a dpkg package (its
executable, conffile and EnvironmentFile), accounts, a private key, and an application tree of
N files; then the planted changes a file-integrity check must find, and an AIDE configuration
with the same rules. Used by ``tests/test_host*.py`` (a few hundred files) and
``bench/bench_host.py`` (50,000 files, about 800 MiB)."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stateward.api import observe
from stateward.model.resource import Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.host import HostOptions, file_changes, file_index, known_directories
from stateward.sources.host.options import FileRule

__all__ = [
    "ATTRIBUTES", "CANARY", "AideReport", "Planted", "aide", "aide_config", "build_tree",
    "parse_aide", "plant_changes", "planted_check",
]  # fmt: skip

CANARY = "canary-s3cret-7f1d9c0e"
"""The EnvironmentFile's secret value: it must never appear in any output or store."""
ATTRIBUTES = ["type", "perm", "uid", "gid", "size", "mtime", "ctime", "inode", "nlink", "sha256"]
AIDE_ATTRIBUTES = "ftype+p+u+g+s+m+c+i+n+sha256"
"""The same attribute set in AIDE's letters (aide.conf(5), 0.18)."""
PATHS = ("/etc", "/srv")
CONFIG = f"host:\n  paths: [{', '.join(PATHS)}]\n  rules:\n" + "".join(
    f"    - {{path: {p}, attributes: [{', '.join(ATTRIBUTES)}]}}\n" for p in PATHS
)
"""A ./stateward.yaml watching the tree's PATHS with every attribute."""
_KEEPER = SecretKeeper(b"t" * 32)

_UNIT = """[Unit]
Description=Demo daemon
[Service]
ExecStart=/usr/bin/demo-daemon --config /etc/demo/demo.conf
EnvironmentFile=/etc/default/demo
User=demo
[Install]
WantedBy=multi-user.target
"""
_STATUS = """Package: demo-daemon
Status: install ok installed
Architecture: amd64
Version: 1.2-3
Conffiles:
 /etc/demo/demo.conf 0123456789abcdef0123456789abcdef
"""
_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"


def _write(path: Path, text: str | bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    path.chmod(mode)


def build_tree(root: Path, files: int = 300, file_bytes: int = 512) -> None:
    """The machine under ``root``: ``files`` application files of ``file_bytes`` each under
    /srv/app (100 per directory), plus the system part."""
    _write(root / "etc/systemd/system/demo.service", _UNIT)
    _write(root / "etc/systemd/system/multi-user.target.wants/.keep", "")
    os.symlink("../demo.service", root / "etc/systemd/system/multi-user.target.wants/demo.service")
    _write(root / "usr/bin/demo-daemon", "#!/bin/sh\nexec sleep infinity\n", 0o755)
    _write(root / "etc/demo/demo.conf", "listen = 127.0.0.1:8080\nworkers = 4\n")
    _write(root / "etc/default/demo", f"LOG_LEVEL=info\nAPI_TOKEN={CANARY}\n", 0o600)
    _write(root / "var/lib/dpkg/status", _STATUS)
    _write(
        root / "var/lib/dpkg/info/demo-daemon.list", "/usr/bin/demo-daemon\n/etc/demo/demo.conf\n"
    )
    _write(
        root / "etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\ndemo:x:990:990::/srv/app:/usr/sbin/nologin\n",
    )
    _write(root / "etc/group", "root:x:0:\ndemo:x:990:\n")
    _write(root / "etc/hostname", "web1\n")
    _write(root / "etc/ssh/ssh_host_ed25519_key", _KEY, 0o600)
    block = os.urandom(file_bytes)
    for n in range(files):
        _write(root / f"srv/app/d{n // 100:04d}/f{n:06d}.dat", n.to_bytes(8, "big") + block)


@dataclass(slots=True)
class Planted:
    """What ``plant_changes`` did, by host path."""

    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    """Files and the directories whose mtime, ctime or size changed with them."""


def plant_changes(root: Path) -> Planted:
    """Content, mode, owner, a new setuid file, a deleted file, the service's conffile and its
    EnvironmentFile."""
    planted = Planted()
    app = "/srv/app/d0000"
    (root / app[1:] / "f000001.dat").write_bytes(b"tampered")
    (root / app[1:] / "f000002.dat").chmod(0o666)
    os.chown(root / app[1:] / "f000003.dat", 4242, 4242)
    _write(root / app[1:] / "helper", "#!/bin/sh\n", 0o4755)
    (root / app[1:] / "f000004.dat").unlink()
    _write(root / "etc/demo/demo.conf", "listen = 0.0.0.0:8080\nworkers = 4\n")
    _write(root / "etc/default/demo", f"LOG_LEVEL=debug\nAPI_TOKEN={CANARY}-2\n", 0o600)
    planted.changed |= {f"{app}/f000001.dat", f"{app}/f000002.dat", f"{app}/f000003.dat", app}
    planted.changed |= {"/etc/demo/demo.conf", "/etc/default/demo"}
    planted.added.add(f"{app}/helper")
    planted.removed.add(f"{app}/f000004.dat")
    return planted


def aide_config(root: Path, work: Path) -> Path:
    """An aide.conf selecting PATHS under ``root`` with ATTRIBUTES, its database in ``work``."""
    lines = [
        f"database_in=file:{work}/aide.db",
        f"database_out=file:{work}/aide.db.new",
        "gzip_dbout=no",
        "report_url=stdout",
        f"Stateward = {AIDE_ATTRIBUTES}",
        *(f"{root}{path} Stateward" for path in PATHS),
    ]
    config = work / "aide.conf"
    config.write_text("\n".join(lines) + "\n")
    return config


@dataclass(slots=True)
class AideReport:
    """AIDE's verdict by host path: what ``--check`` listed as added, removed and changed."""

    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)


def aide(config: Path, command: str) -> subprocess.CompletedProcess[str]:
    """``aide --init`` or ``aide --check`` with ``config``; --init's database is moved in place.
    AIDE's exit code is a bit mask of what it found (aide(1)): not an error here."""
    done = subprocess.run(
        ["aide", f"--{command}", "-c", str(config)], capture_output=True, text=True, check=False
    )
    if command == "init":
        work = config.parent
        (work / "aide.db.new").replace(work / "aide.db")
    if done.returncode >= 14:  # 14 and above are AIDE's own errors
        raise RuntimeError(f"aide --{command} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def parse_aide(text: str, root: Path) -> AideReport:
    """The entries of AIDE 0.18's plain report (``f+++…: /path`` lines under the "Added
    entries", "Removed entries" and "Changed entries" headings), as host paths."""
    report, section = AideReport(), None
    sections = {
        "Added entries:": "added",
        "Removed entries:": "removed",
        "Changed entries:": "changed",
    }
    for line in text.splitlines():
        if line.strip() in sections:
            section = sections[line.strip()]
        elif line.startswith("Detailed information"):
            section = None
        elif section and ": /" in line:
            path = line.split(": ", 1)[1].strip()
            getattr(report, section).add(path.removeprefix(str(root)) or "/")
    return report


def planted_check(
    root: Path, config: Path, before: list[Resource]
) -> tuple[Planted, Any, AideReport]:
    """Plant the changes a second after the baseline ``before`` (AIDE keeps times to the second),
    check with the fast path and with ``aide --check``: (planted, our FileChanges, AIDE's)."""
    time.sleep(1.1)
    planted = plant_changes(root)
    rules = tuple(FileRule(p, tuple(ATTRIBUTES)) for p in PATHS)
    options = HostOptions(paths=PATHS, rules=rules, known=known_directories(before))
    check = observe([f"host://{root}"], estate="check", keeper=_KEEPER, host=options)
    ours = file_changes(file_index(before), file_index(check.resources))
    return planted, ours, parse_aide(aide(config, "check").stdout, root)
