"""Layer sizes from the real Podman engine and the real loopback registry (skipped loudly when
``make services`` has not started them)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest
from click.testing import CliRunner

from stateward.analysis.cost import EngineCatalog, Params, RegistryCatalog
from stateward.analysis.cost.layers import uncached
from stateward.analysis.cost.price import pod_pull
from stateward.cli import main
from stateward.model.component import Component, parse_image

pytestmark = pytest.mark.engine
BUSYBOX = "localhost/stateward-test/busybox:1"


@pytest.fixture
def api(engine_url: str) -> Iterator[docker.APIClient]:
    client = docker.APIClient(base_url=engine_url, timeout=30)
    yield client
    client.close()


def test_layer_sizes_come_from_the_engine(api: docker.APIClient) -> None:
    found = EngineCatalog(api).layers(parse_image(BUSYBOX))
    assert found is not None and found.source == "engine" and not found.estimated
    inspect = api.inspect_image(BUSYBOX)
    assert [layer.diff_id for layer in found.layers] == inspect["RootFS"]["Layers"]
    assert found.size == pytest.approx(inspect["Size"], rel=0.01)
    assert EngineCatalog(api).cached() >= {layer.diff_id for layer in found.layers}
    assert EngineCatalog(api).layers(parse_image("localhost/stateward-test/absent:0")) is None


def test_registry_gives_compressed_sizes_and_engine_layers_are_cached(
    api: docker.APIClient, registry: str, engine_url: str
) -> None:
    ref = f"{registry}/stateward-test/cost-busybox:1"
    # Pushed through the engine's own API, whatever this shell's podman configuration is.
    command = ["podman", "--remote", "--url", engine_url, "push", "-q", "--tls-verify=false"]
    pushed = subprocess.run([*command, BUSYBOX, ref], capture_output=True, text=True, timeout=120)
    assert pushed.returncode == 0, pushed.stderr
    remote = RegistryCatalog(f"http://{registry}").layers(parse_image(ref))
    local = EngineCatalog(api).layers(parse_image(BUSYBOX))
    assert remote is not None and local is not None and remote.source == "registry"
    assert [layer.diff_id for layer in remote.layers] == [layer.diff_id for layer in local.layers]
    assert 0 < remote.size < local.size  # gzip on the wire, uncompressed on the node
    assert uncached(remote, EngineCatalog(api).cached()) == ()

    def component(image: str) -> Component:
        return Component.of(id="engine:t/c", kind="Container", name="c", namespace="t",
                            source="engine", images=(parse_image(image),), context={})  # fmt: skip

    old, new = component("registry.invalid/old:1"), component(ref)
    assert (
        pod_pull(
            old, new, [RegistryCatalog(f"http://{registry}"), EngineCatalog(api)], Params()
        ).bytes
        == 0
    )
    cold = pod_pull(old, new, [RegistryCatalog(f"http://{registry}")], Params())
    assert (cold.bytes, cold.estimated) == (remote.size, False)


def test_cli_takes_sizes_from_registry_and_cache_from_engine(
    tmp_path: Path, engine_url: str, registry: str
) -> None:
    ref = f"{registry}/stateward-test/cost-busybox:1"
    command = ["podman", "--remote", "--url", engine_url, "push", "-q", "--tls-verify=false"]
    assert (
        subprocess.run([*command, BUSYBOX, ref], capture_output=True, timeout=120).returncode == 0
    )
    for name, image in (("before", "registry.invalid/old:1"), ("after", ref)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "compose.yaml").write_text(
            f"name: t\nservices:\n  app:\n    image: {image}\n", encoding="utf-8"
        )
    args = ["cost", str(tmp_path / "before"), "--plan", str(tmp_path / "after"), "--json",
            "--store", str(tmp_path / "store"), "--registry", f"http://{registry}"]  # fmt: skip
    cold = CliRunner().invoke(main, args)
    warm = CliRunner().invoke(
        main, [*args, "--engine", "engine://" + engine_url.removeprefix("unix://")]
    )
    assert cold.exit_code == 0 and warm.exit_code == 0, cold.stderr + warm.stderr
    (cold_line,) = json.loads(cold.stdout)["components"]
    (warm_line,) = json.loads(warm.stdout)["components"]
    assert cold_line["size_sources"] == ["registry"] and not cold_line["bytes_estimated"]
    assert cold_line["bytes"] > 0 and warm_line["bytes"] == 0  # the engine holds every layer
