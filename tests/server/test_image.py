"""The container image: built by Podman from the Containerfile on a base made locally
(``scripts/container-base.sh``: mmdebstrap + ``podman import``) and a wheelhouse, then run:
``stateward serve`` in it answers over HTTP with the store mounted.

Slow (minutes: a Debian root, every wheel, a build), so it runs only with
``STATEWARD_TEST_IMAGE=1`` (``make image-test``); otherwise it is skipped saying so.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from tests.server.conftest import scanned_shop, tokens

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "localhost/stateward:test"

pytestmark = [pytest.mark.slow, pytest.mark.engine]


@pytest.fixture(scope="module")
def image(engine_url: str) -> str:
    if os.environ.get("STATEWARD_TEST_IMAGE") != "1":
        pytest.skip("SLOW TEST: set STATEWARD_TEST_IMAGE=1 (make image-test) to build the image")
    _run("bash", str(ROOT / "scripts/container-base.sh"), engine_url)
    wheels = ROOT / "build" / "wheels"
    pip = [sys.executable, "-m", "pip", "-q"]
    _run(*pip, "download", "-c", str(ROOT / "constraints.txt"), "-d", str(wheels),
         f"{ROOT}[server,postgres]")  # fmt: skip
    _run(*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT))
    _run("podman", "--url", engine_url, "build", "-f", str(ROOT / "Containerfile"),
         "-t", IMAGE, str(ROOT))  # fmt: skip
    return IMAGE


def _run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, f"{command}: {done.stderr[-3000:]}"
    return done.stdout


def test_the_image_serves_a_mounted_store(
    image: str, engine_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = _run("podman", "--url", engine_url, "run", "--rm", image, "--version")
    assert "stateward" in version.lower()
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))  # the keys, mounted below
    location = scanned_shop(str(home / "store"))
    read, _ = tokens(location)
    _run("chown", "-R", "10001", str(home))  # the image's user; the key files stay 0600
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    name = f"stateward-serve-{port}"
    _run("podman", "--url", engine_url, "run", "-d", "--name", name, "--network", "host",
         "-v", f"{home}:/var/lib/stateward:Z", image,
         "serve", "--port", str(port))  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + "/readyz", timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, _run("podman", "--url", engine_url, "logs", name)
            time.sleep(0.5)
        estates = requests.get(url + "/api/v1/estates", headers={"Authorization": f"Bearer {read}"})
        assert estates.json()[0]["estate"] == "shop"
        assert requests.get(url + "/api/v1/estates").status_code == 401
    finally:
        subprocess.run(["podman", "--url", engine_url, "rm", "-f", name], capture_output=True)
