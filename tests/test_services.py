"""The test services outlive the checkout that started them, and a half-dead one is restarted.

Each test runs ``scripts/services.d/podman.sh`` with a services folder of its own, so it starts
its own engine on its own socket and storage and disturbs no other run on the machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.services import engine_problem

ROOT = Path(__file__).resolve().parents[1]


def _checkout(where: Path) -> Path:
    """A copy of the scripts a checkout holds (all the services ever see of one)."""
    shutil.copytree(ROOT / "scripts", where / "scripts")
    return where


def _start(checkout: Path, services: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STATEWARD_SERVICES_DIR": str(services)}
    return subprocess.run(
        ["bash", "scripts/services.d/podman.sh"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _service_pid(services: Path) -> int:
    return int((services / "podman" / "podman.pid").read_text())


@pytest.fixture
def services() -> Iterator[Path]:
    """A services folder of this test's own; its engine is stopped and unmounted after.

    Its path is short: the engine's sockets live below it and a unix socket path is limited
    to 108 bytes (unix(7)).
    """
    if os.geteuid() != 0 or shutil.which("podman") is None:
        pytest.skip("SERVICE MISSING: needs root and podman (run `make services` as root)")
    where = Path(tempfile.mkdtemp(prefix="sw-svc-", dir="/tmp"))
    yield where
    for pidfile in where.glob("*/*.pid"):
        try:
            os.kill(int(pidfile.read_text()), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
    subprocess.run(["pkill", "-9", "-f", f"podman system service.*{where}"], check=False)
    mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    for mount in sorted((m for m in mounts if m.startswith(str(where))), reverse=True):
        subprocess.run(["umount", "-l", mount], check=False)
    shutil.rmtree(where, ignore_errors=True)


def test_engine_outlives_the_checkout_that_started_it(services: Path, tmp_path: Path) -> None:
    first = _checkout(tmp_path / "first")
    started = _start(first, services)
    assert started.returncode == 0, started.stderr
    assert os.readlink(f"/proc/{_service_pid(services)}/cwd") == str(services / "podman")
    shutil.rmtree(first)

    second = _checkout(tmp_path / "second")
    again = _start(second, services)
    assert again.returncode == 0, again.stderr
    url = f"unix://{services}/podman/podman.sock"
    assert f"export STATEWARD_TEST_ENGINE={url}" in again.stdout
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/engine/test_source.py",
            "tests/engine/test_capture.py",
        ],
        cwd=ROOT,
        env={**os.environ, "STATEWARD_TEST_ENGINE": url},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout and "skipped" not in run.stdout, run.stdout[-3000:]


def test_a_half_dead_engine_is_restarted(services: Path, tmp_path: Path) -> None:
    started = _start(_checkout(tmp_path / "first"), services)
    assert started.returncode == 0, started.stderr
    url = f"unix://{services}/podman/podman.sock"
    # Replace the service by one started the old way, from a folder that is then deleted.
    os.kill(_service_pid(services), signal.SIGTERM)
    doomed = tmp_path / "doomed"
    doomed.mkdir()
    podman_dir = services / "podman"
    env = {
        **os.environ,
        "CONTAINERS_CONF": str(podman_dir / "containers.conf"),
        "CONTAINERS_STORAGE_CONF": str(podman_dir / "storage.conf"),
    }
    (podman_dir / "podman.sock").unlink(missing_ok=True)
    old = subprocess.Popen(
        ["podman", "system", "service", "--time=0", url],
        cwd=doomed,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    (podman_dir / "podman.pid").write_text(str(old.pid))
    # Reaped as soon as it ends, as init reaps a service whose starting script has exited: left
    # a zombie of this process, it would answer the restart's kill -0 for its whole 10 s grace.
    threading.Thread(target=old.wait, daemon=True).start()
    for _ in range(300):
        if (podman_dir / "podman.sock").exists():
            break
        subprocess.run(["sleep", "0.1"], check=True)
    shutil.rmtree(doomed)
    problem = engine_problem(url)
    assert problem is not None, "the engine should fail to run containers from a deleted folder"

    healed = _start(_checkout(tmp_path / "second"), services)
    assert healed.returncode == 0, healed.stderr
    assert "unhealthy" in healed.stderr and "restarting" in healed.stderr
    assert old.wait(timeout=30) is not None
    assert engine_problem(url) is None
