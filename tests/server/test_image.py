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
import yaml
from tests.server.conftest import scanned_shop, tokens
from tests.server.test_deploy import DEPLOY
from tests.store.conftest import fresh_database

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
        _wait_ready(url, engine_url, name)
        estates = requests.get(
            url + "/api/v1/estates", headers={"Authorization": f"Bearer {read}"}, timeout=30
        )
        assert estates.json()[0]["estate"] == "shop"
        assert requests.get(url + "/api/v1/estates", timeout=30).status_code == 401
    finally:
        subprocess.run(["podman", "--url", engine_url, "rm", "-f", name], capture_output=True)


def test_the_image_serves_as_the_cluster_manifest_runs_it(
    image: str, engine_url: str, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """deploy/kubernetes/serve.yaml's container as a pod would run it: its arguments (TLS on
    every address), a read-only root with /tmp in memory, uid 10001, every capability dropped,
    the PostgreSQL store named by STATEWARD_STORE and the keys by STATEWARD_KEY_FILE."""
    keys, tls = tmp_path / "keys", tmp_path / "tls"
    keys.mkdir()
    tls.mkdir()
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(keys / "secret.key"))
    database = fresh_database(pg_url)
    location = next(database)
    try:
        _serve_as_deployed(image, engine_url, scanned_shop(location), keys, tls)
    finally:
        next(database, None)


def _serve_as_deployed(image: str, engine_url: str, location: str, keys: Path, tls: Path) -> None:
    read, _ = tokens(location)
    _run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext",
         "subjectAltName=IP:127.0.0.1", "-keyout", str(tls / "tls.key"),
         "-out", str(tls / "tls.crt"))  # fmt: skip
    _run("chown", "-R", "10001:10001", str(keys), str(tls))
    (container,) = next(
        d for d in yaml.safe_load_all((DEPLOY / "serve.yaml").read_text(encoding="utf-8"))
        if d["kind"] == "Deployment"
    )["spec"]["template"]["spec"]["containers"]  # fmt: skip
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = [str(port) if a == "8443" else a for a in container["args"]]
    name = f"stateward-deployed-{port}"
    _run("podman", "--url", engine_url, "run", "-d", "--name", name, "--network", "host",
         "--read-only", "--tmpfs", "/tmp", "--user", "10001:10001", "--cap-drop", "ALL",
         "--security-opt", "no-new-privileges", "-e", f"STATEWARD_STORE={location}",
         "-e", "STATEWARD_KEY_FILE=/var/run/stateward/keys/secret.key",
         "-v", f"{keys}:/var/run/stateward/keys:ro,Z", "-v", f"{tls}:/var/run/stateward/tls:ro,Z",
         image, *args)  # fmt: skip
    try:
        url = f"https://127.0.0.1:{port}"
        _wait_ready(url, engine_url, name, verify=str(tls / "tls.crt"))
        headers = {"Authorization": f"Bearer {read}"}
        estates = requests.get(
            url + "/api/v1/estates", headers=headers, verify=str(tls / "tls.crt"), timeout=30
        )
        assert estates.json()[0]["estate"] == "shop"
        cost = requests.get(
            url + "/api/v1/estates/shop/cost",
            headers=headers,
            verify=str(tls / "tls.crt"),
            timeout=30,
        )
        assert cost.status_code == 200 and cost.json()["components"], cost.text
    finally:
        subprocess.run(["podman", "--url", engine_url, "rm", "-f", name], capture_output=True)


def _wait_ready(url: str, engine_url: str, name: str, verify: str | bool = True) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(url + "/readyz", timeout=5, verify=verify).ok:
                return
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, _run("podman", "--url", engine_url, "logs", name)
        time.sleep(0.5)
