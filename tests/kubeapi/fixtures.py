"""Fixtures: a fresh test API server per test, a kubeconfig pointing at it, Debian's kubectl."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.kubeapi.server import KubeAPI


@pytest.fixture
def kube_api() -> Iterator[KubeAPI]:
    """A test API server serving the recorded cluster, stopped after the test."""
    api = KubeAPI().start()
    try:
        yield api
    finally:
        api.stop()


@pytest.fixture
def kubeconfig(kube_api: KubeAPI, tmp_path: Path) -> Path:
    """A kubeconfig file whose current context ``test`` (namespace default) is ``kube_api``."""
    return write_kubeconfig(kube_api, tmp_path / "kubeconfig")


def write_kubeconfig(api: KubeAPI, path: Path, **context: str) -> Path:
    path.write_text(json.dumps(api.kubeconfig(**context)))
    return path


@pytest.fixture(scope="session")
def kubectl() -> str:
    """Debian's kubectl, unpacked by scripts/services.d/kubectl.sh (``$STATEWARD_TEST_KUBECTL``)."""
    path = os.environ.get("STATEWARD_TEST_KUBECTL", "")
    if not path:
        pytest.skip(
            "SERVICE MISSING: $STATEWARD_TEST_KUBECTL is not set; run `make services` "
            "(scripts/services.d/kubectl.sh unpacks Debian's kubernetes-client)"
        )
    try:
        subprocess.run([path, "version", "--client"], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"SERVICE DOWN: kubectl at {path} does not run: {exc}")
    return path
