"""``drift`` against ``kube://``: desired objects without a namespace go where ``kubectl apply``
would put them, the location's namespace, else the kubeconfig context's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.kubeapi.fixtures import write_kubeconfig
from tests.kubeapi.server import KubeAPI

from stateward.cli import main
from stateward.sources.kube.client import applied_namespace
from stateward.sources.kube.location import KubeTarget

CONFIG_MAP = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"mode": "blue"}}


def _live_twice(api: KubeAPI) -> None:
    # The same ConfigMap in two namespaces: matching by kind and name alone cannot choose.
    for namespace in ("shop", "other"):
        obj = {**CONFIG_MAP, "metadata": {"name": "app", "namespace": namespace}}
        api.cluster.create(json.loads(json.dumps(obj)), "kubectl-client-side-apply")


def _drift(tmp_path: Path, kubeconfig: Path, live: str, *args: str) -> dict[str, object]:
    desired = tmp_path / "desired.yaml"
    desired.write_text(json.dumps({**CONFIG_MAP, "metadata": {"name": "app"}}))
    result = CliRunner().invoke(
        main,
        ["drift", str(desired), live, *args, "--json", "--store", str(tmp_path / "store")],
        env={"KUBECONFIG": str(kubeconfig), "NO_COLOR": "1"},
    )
    assert result.exit_code in (0, 1), result.output
    document: dict[str, object] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize("mode", ["strict", "argo"])
def test_the_context_namespace_places_desired_objects_as_kubectl_apply_does(
    kube_api: KubeAPI, tmp_path: Path, mode: str
) -> None:
    _live_twice(kube_api)
    kubeconfig = write_kubeconfig(kube_api, tmp_path / "config", namespace="shop")
    doc = _drift(tmp_path, kubeconfig, "kube://test/*", "--mode", mode)
    assert "ConfigMap/shop/app" not in doc["extra"]  # type: ignore[operator]
    assert doc["missing"] == [] and doc["changes"] == [] and doc["assumed_namespaces"] == {}


def test_the_namespace_flag_still_wins_over_the_context(kube_api: KubeAPI, tmp_path: Path) -> None:
    _live_twice(kube_api)
    kubeconfig = write_kubeconfig(kube_api, tmp_path / "config", namespace="shop")
    doc = _drift(tmp_path, kubeconfig, "kube://test/*", "-n", "other")
    assert "ConfigMap/shop/app" in doc["extra"]  # type: ignore[operator]
    assert doc["missing"] == [] and doc["changes"] == []


def test_applied_namespace_follows_kubectl(kube_api: KubeAPI, tmp_path: Path) -> None:
    shop = {"KUBECONFIG": str(write_kubeconfig(kube_api, tmp_path / "a", namespace="shop"))}
    assert applied_namespace(KubeTarget.parse("kube://"), shop) == "shop"
    assert applied_namespace(KubeTarget.parse("kube://test/*"), shop) == "shop"
    assert applied_namespace(KubeTarget.parse("kube://test/web"), shop) == "web"
    config = kube_api.kubeconfig()
    del config["contexts"][0]["context"]["namespace"]
    (tmp_path / "b").write_text(json.dumps(config))
    unset = {"KUBECONFIG": str(tmp_path / "b")}
    assert applied_namespace(KubeTarget.parse("kube://"), unset) is None  # kubectl: default
    account = tmp_path / "account"
    account.mkdir()
    (account / "namespace").write_text("jobs\n")
    in_pod = {"KUBECONFIG": str(tmp_path / "none"), "KUBERNETES_SERVICE_HOST": "10.0.0.1"}
    assert applied_namespace(KubeTarget.parse("kube://"), in_pod, account) == "jobs"
