"""The example shop (examples/shop/production) as a running cluster: its manifests applied as
``kubectl apply`` does, then checkout's ReplicaSet and pods as the controller manager and the
kubelet write them (owner references, container statuses with image digests and start times)."""

from __future__ import annotations

from pathlib import Path

import yaml
from tests.kubeapi.server import KubeAPI

__all__ = ["SHOP", "apply_shop", "run_checkout"]

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop" / "production"
_OWNER = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "checkout", "controller": True}


def apply_shop(api: KubeAPI) -> None:
    """Apply the shop's production manifests, as ``kubectl apply`` would (its DestinationRule
    is v1beta1, which the recorded Istio CRD is made to serve first)."""
    api.cluster.patch(
        api.cluster.kinds[("apiextensions.k8s.io", "customresourcedefinitions")], "",
        "destinationrules.networking.istio.io",
        {"spec": {"versions": [{"name": "v1alpha3", "served": True},
                               {"name": "v1beta1", "served": True}]}},
        "istioctl",
    )  # fmt: skip
    for path in sorted(SHOP.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                api.cluster.create(doc, "kubectl-client-side-apply")


def run_checkout(api: KubeAPI, pods: list[tuple[str, str]]) -> list[str]:
    """ReplicaSet checkout-5d8 of Deployment checkout and one running pod per (startedAt,
    image digest); the pods' names."""
    deployments = api.cluster.kinds[("apps", "deployments")]
    template = api.cluster.get(deployments, "shop", "checkout")["spec"]["template"]
    api.cluster.create({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                        "metadata": {"name": "checkout-5d8", "namespace": "shop",
                                     "ownerReferences": [_OWNER]},
                        "spec": {"replicas": len(pods), "template": template}},
                       "kube-controller-manager")  # fmt: skip
    owner = {**_OWNER, "kind": "ReplicaSet", "name": "checkout-5d8"}
    image = template["spec"]["containers"][0]["image"]
    names = []
    for n, (started, digest) in enumerate(pods):
        status = {
            "name": "checkout",
            "image": image,
            "imageID": f"{image.split(':')[0]}@{digest}",
            "state": {"running": {"startedAt": started}},
        }
        names.append(f"checkout-5d8-{n}")
        api.cluster.create({"apiVersion": "v1", "kind": "Pod",
                            "metadata": {"name": names[-1], "namespace": "shop",
                                         "labels": template["metadata"].get("labels", {}),
                                         "ownerReferences": [owner]},
                            "spec": template["spec"],
                            "status": {"phase": "Running", "containerStatuses": [status]}},
                           "kubelet")  # fmt: skip
        api.cluster.logs[("shop", names[-1], "checkout")] = "listening on :8080\nPOST /pay 200\n"
    return names
