"""Drift against a live cluster names who set each drifted field, from managedFields: a hand
edit by ``kubectl-set`` (Update) is told apart from what the apply set."""

from __future__ import annotations

import json
from pathlib import Path

from tests.kubeapi.server import KubeAPI
from tests.kubeapi.shop import SHOP, apply_shop
from tests.test_kube_source import _cli

from stateward.analysis.attribution import field_writer


def test_drift_names_the_manager_of_each_drifted_field(tmp_path: Path) -> None:
    prod = KubeAPI().start()
    try:
        apply_shop(prod)
        deployments = prod.cluster.kinds[("apps", "deployments")]
        checkout = prod.cluster.get(deployments, "shop", "checkout")
        checkout["spec"]["template"]["spec"]["containers"][0]["image"] = "shop/checkout:hotfix"
        prod.cluster.update(checkout, "kubectl-set")
        kubeconfig = tmp_path / "config"
        kubeconfig.write_text(json.dumps(prod.kubeconfig(context="prod", namespace="shop")))
        as_json = _cli(kubeconfig, "drift", str(SHOP), "kube://prod", "--json")
        as_text = _cli(kubeconfig, "drift", str(SHOP), "kube://prod")
    finally:
        prod.stop()
    assert as_json.exit_code == 1, as_json.output
    writers = json.loads(as_json.stdout)["writers"]
    image = [w for w in writers if w["path"].endswith("/containers/0/image")]
    assert [(w["manager"], w["operation"]) for w in image] == [("kubectl-set", "Update")]
    assert "set by kubectl-set (Update) at " in as_text.output


def test_a_field_no_manager_owns_has_no_writer() -> None:
    fields = {"f:data": {"f:LOG_LEVEL": {}}}
    body = {"metadata": {"managedFields": [
        {"manager": "helm", "operation": "Update", "time": "2026-01-01T00:00:00Z",
         "fieldsV1": {"f:data": {"f:OTHER": {}}}},
        {"manager": "kubectl-set", "operation": "Update", "time": "2026-01-02T00:00:00Z",
         "fieldsV1": fields},
    ]}, "data": {"LOG_LEVEL": "debug", "OTHER": "x", "DEFAULTED": "y"}}  # fmt: skip
    assert field_writer(body, "/data/LOG_LEVEL").manager == "kubectl-set"  # type: ignore[union-attr]
    assert field_writer(body, "/data/OTHER").manager == "helm"  # type: ignore[union-attr]
    assert field_writer(body, "/data/DEFAULTED") is None
    atomic = {"f:spec": {"f:containers": {}}}  # a list owned whole, as the test server keeps it
    body["metadata"]["managedFields"][0]["fieldsV1"] = atomic  # type: ignore[index]
    body["spec"] = {"containers": [{"name": "app", "image": "a:1"}]}
    assert field_writer(body, "/spec/containers/0/image").manager == "helm"  # type: ignore[union-attr]
