"""Image configs as evidence: a custom image built FROM a database is one, once its config is read
from the real Podman engine or the real loopback registry (skipped loudly when ``make services``
has not started them); without ``--engine``/``--registry`` nothing is asked."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import pytest
from click.testing import CliRunner

from stateward.analysis.audit import audit
from stateward.analysis.audit.images import Configs, EngineConfigs, RegistryConfigs
from stateward.api import observe
from stateward.cli import main
from stateward.model.secrets import SecretKeeper
from stateward.sources.registry import Registry

pytestmark = pytest.mark.engine
BASE = "localhost/stateward-test/busybox:1"
BUILT = "localhost/stateward-test/audit-catalogue:1"
# Built on the test's busybox, declaring what the official mysql image declares.
DOCKERFILE = f"FROM {BASE}\nVOLUME /var/lib/mysql\nENV MYSQL_MAJOR=8.0\n"


@pytest.fixture
def api(engine_url: str) -> Iterator[docker.APIClient]:
    client = docker.APIClient(base_url=engine_url, timeout=120)
    built = list(client.build(fileobj=io.BytesIO(DOCKERFILE.encode()), tag=BUILT, rm=True))
    assert built, "the engine built nothing"
    yield client
    client.close()


def _estate(tmp_path: Path, image: str) -> Path:
    (tmp_path / "compose.yaml").write_text(
        f"name: shop\nservices:\n  catalogue:\n    image: {image}\n", encoding="utf-8"
    )
    return tmp_path


def _loss(tmp_path: Path, image: str, configs: Configs | None) -> tuple[str, set[str]]:
    observation = observe(
        [str(_estate(tmp_path, image))], estate="t", keeper=SecretKeeper(b"i" * 32)
    )
    report = audit(observation, configs)
    (component,) = report.components
    return str(component.loss), {f.rule for f in report.findings_for(component.id)}


def test_an_image_built_on_a_database_is_one_only_with_its_config(
    tmp_path: Path, api: docker.APIClient
) -> None:
    loss, rules = _loss(tmp_path, BUILT, None)
    assert loss == "none" and "DATA_IMAGE_NO_VOLUME" not in rules
    loss, rules = _loss(tmp_path, BUILT, Configs([EngineConfigs(api)]))
    assert loss == "data" and "DATA_IMAGE_NO_VOLUME" in rules
    assert _loss(tmp_path, BASE, Configs([EngineConfigs(api)]))[0] == "none"


class _Counting(Registry):
    blobs = 0

    def json(self, path: str, repository: str, accept: tuple[str, ...] = ()) -> dict[str, Any]:
        self.blobs += "/blobs/" in path
        return super().json(path, repository, accept)


def test_the_registry_gives_the_config_once_per_digest(
    tmp_path: Path, api: docker.APIClient, registry: str, engine_url: str
) -> None:
    refs = [f"{registry}/stateward-test/audit-catalogue:{tag}" for tag in ("1", "again")]
    push = ["podman", "--remote", "--url", engine_url, "push", "-q", "--tls-verify=false"]
    for ref in refs:
        done = subprocess.run([*push, BUILT, ref], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    counting = _Counting(f"http://{registry}")
    configs = RegistryConfigs(counting)
    for ref in refs:
        found = configs.config(ref)
        assert found is not None and "/var/lib/mysql" in found["Volumes"]
    assert counting.blobs == 1
    assert configs.config(f"{registry}/stateward-test/absent:0") is None
    assert _loss(tmp_path, refs[0], Configs([configs]))[0] == "data"


def test_the_cli_reads_image_configs_only_when_asked(
    tmp_path: Path, api: docker.APIClient, engine_url: str
) -> None:
    estate = str(_estate(tmp_path, BUILT))
    engine = "engine://" + engine_url.removeprefix("unix://")

    def rules(*flags: str) -> set[str]:
        done = CliRunner().invoke(main, ["audit", estate, "--json", *flags])
        assert done.exit_code == 0, done.stderr
        return {f["rule"] for f in json.loads(done.stdout)["findings"]}

    assert "DATA_IMAGE_NO_VOLUME" not in rules()
    assert "DATA_IMAGE_NO_VOLUME" in rules("--engine", engine)
