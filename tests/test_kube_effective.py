"""Declared vs effective context of live pods: pods started before the ConfigMap or Secret they
read at start last changed run old values; replicas of one tag running different digests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.kubeapi.fixtures import write_kubeconfig
from tests.kubeapi.server import KubeAPI
from tests.kubeapi.shop import apply_shop, run_checkout

from stateward.analysis.effective import MIXED_DIGESTS, STALE
from stateward.analysis.parity import parity
from stateward.api._observe import observation_of
from stateward.cli import main
from stateward.contexts.effective import FACET, LivePods, effective_contexts
from stateward.model.secrets import SecretKeeper
from stateward.sources.manifests import parse_manifests

KEEPER = SecretKeeper(b"k" * 32)
CHANGED = "2026-12-04T10:02:00Z"


def _config(kind: str, name: str, immutable: bool = False) -> dict[str, Any]:
    fields = [{"manager": "helm", "operation": "Update", "time": "2026-12-01T08:00:00Z"},
              {"manager": "kubectl-set", "operation": "Update", "time": CHANGED}]  # fmt: skip
    body: dict[str, Any] = {"apiVersion": "v1", "kind": kind, "data": {"LOG_LEVEL": "ZGVidWc="},
                            "metadata": {"name": name, "namespace": "shop",
                                         "managedFields": fields}}  # fmt: skip
    if immutable:
        body["immutable"] = True
    return body


def _pod(n: int, started: str, digest: str, **container: Any) -> dict[str, Any]:
    owner = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": "checkout-7d9f",
        "controller": True,
    }
    status = {"name": "app", "image": "shop/checkout:1.4", "imageID": digest,
              "state": {"running": {"startedAt": started}}}  # fmt: skip
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": f"checkout-7d9f-{n}", "namespace": "shop", "ownerReferences": [owner]},
        "spec": {"containers": [{"name": "app", "image": "shop/checkout:1.4", **container}],
                 "volumes": [{"name": "conf", "configMap": {"name": "files"}},
                             {"name": "frozen", "configMap": {"name": "frozen"}}]},
        "status": {"phase": "Running", "containerStatuses": [status]},
    }  # fmt: skip


def _findings(docs: list[dict[str, Any]]) -> list[Any]:
    read = parse_manifests("live.yaml", "\n---\n".join(json.dumps(d) for d in docs), KEEPER)
    assert not read.errors
    observation = observation_of("shop", ["kube://"], read.resources)
    return [f for f in observation.findings if f.rule in (STALE, MIXED_DIGESTS)]


def test_pods_started_before_their_config_changed_run_old_values() -> None:
    env = {
        "envFrom": [{"configMapRef": {"name": "checkout"}}],
        "env": [{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "api", "key": "t"}}}],
    }
    early, late, digest = "2026-12-04T09:00:00Z", "2026-12-04T10:05:00Z", "sha256:" + "a" * 64
    docs = [_config("ConfigMap", "checkout"), _config("Secret", "api"),
            *[_pod(n, early, digest, **env) for n in range(3)], _pod(3, late, digest, **env)]  # fmt: skip
    found = _findings(docs)
    assert [f.message.split(": ")[0] for f in found] == [
        f"3 of 4 pods of ReplicaSet shop/checkout-7d9f run ConfigMap checkout from before {CHANGED}",
        f"3 of 4 pods of ReplicaSet shop/checkout-7d9f run Secret api from before {CHANGED}",
    ]
    assert found[0].evidence == tuple(f"Pod/shop/checkout-7d9f-{n}" for n in range(3))


def test_only_subpath_mounts_of_mutable_objects_go_stale() -> None:
    mounts = {"volumeMounts": [
        {"name": "conf", "mountPath": "/etc/app"},  # a whole volume: refreshed by the kubelet
        {"name": "frozen", "mountPath": "/etc/frozen.yaml", "subPath": "f.yaml"},  # immutable
    ]}  # fmt: skip
    early, digest = "2026-12-04T09:00:00Z", "sha256:" + "a" * 64
    docs = [_config("ConfigMap", "files"), _config("ConfigMap", "frozen", immutable=True),
            _pod(0, early, digest, **mounts)]  # fmt: skip
    assert _findings(docs) == []
    mounts["volumeMounts"][0]["subPath"] = "app.yaml"  # now read once, never refreshed
    found = _findings([*docs[:2], _pod(0, early, digest, **mounts)])
    assert [f.rule for f in found] == [STALE] and "ConfigMap files" in found[0].message


def test_replicas_running_two_digests_of_one_tag_are_named() -> None:
    started = "2026-12-04T09:00:00Z"
    old, new = "sha256:" + "a" * 64, "sha256:" + "b" * 64
    found = _findings([_pod(0, started, old), _pod(1, started, old), _pod(2, started, new)])
    assert [f.rule for f in found] == [MIXED_DIGESTS]
    assert f"{old} (2 pods), {new} (1 pods)" in found[0].message


# -- the effective facet in `show` and `at`, from a live cluster ------------------------------

OLD, NEW = "sha256:" + "a" * 64, "sha256:" + "b" * 64


def _running_checkout(api: KubeAPI) -> None:
    """The shop running: two checkout pods started long ago on one digest, one since on
    another; then its Secret payment-api rotated."""
    apply_shop(api)
    run_checkout(api, [("2026-01-01T00:00:00Z", OLD), ("2026-01-01T00:00:00Z", OLD),
                       ("2999-01-01T00:00:00Z", NEW)])  # fmt: skip
    secrets = api.cluster.kinds[("", "secrets")]
    api.cluster.patch(secrets, "shop", "payment-api", {"data": {"api-key": "bmV3"}}, "kubectl-set")


def test_show_and_at_give_what_the_running_pods_see_beside_what_is_declared(
    tmp_path: Path,
) -> None:
    api = KubeAPI().start()
    try:
        _running_checkout(api)
        kubeconfig = write_kubeconfig(api, tmp_path / "kubeconfig", namespace="shop")
        env = {"NO_COLOR": "1", "COLUMNS": "200", "KUBECONFIG": str(kubeconfig)}
        store = ["--store", str(tmp_path / "store")]
        run = CliRunner().invoke
        scan = run(main, ["scan", "kube://", "--estate", "live", *store], env=env)
        assert scan.exit_code == 0, scan.output
        shown = run(
            main, ["show", "live", "k8s:Deployment/shop/checkout", *store, "-o", "json"], env=env
        )
        table = run(main, ["show", "live", "k8s:Deployment/shop/checkout", *store], env=env)
        at = run(main, ["at", "now", "--estate", "live", *store, "-o", "json"], env=env)
    finally:
        api.stop()
    assert shown.exit_code == table.exit_code == at.exit_code == 0, shown.output + at.output
    [component] = json.loads(shown.stdout)["components"]
    effective = component["context"][FACET]
    assert effective["pods"] == 3
    assert effective["stale"] == {"Secret/payment-api": {
        "changed": effective["stale"]["Secret/payment-api"]["changed"], "read": ["env"],
        "pods": 2}}  # fmt: skip
    image = "ghcr.io/example/shop-checkout:1.4.0"
    assert effective["images"] == {
        "checkout": {
            image: {
                f"ghcr.io/example/shop-checkout@{OLD}": {"pods": 2},
                f"ghcr.io/example/shop-checkout@{NEW}": {"pods": 1},
            }
        }
    }
    assert "2 of 3 pods run Secret/payment-api from before" in table.stdout
    assert f"container checkout runs 2 digests of {image}" in table.stdout
    at_components = {c["id"]: c for c in json.loads(at.stdout)["components"]}
    assert at_components[component["id"]]["context"][FACET] == effective
    assert FACET in at_components["k8s:ReplicaSet/shop/checkout-5d8"]["context"]
    assert FACET not in at_components["k8s:Deployment/shop/frontend"]["context"]  # no live pods


def test_a_manifest_has_no_effective_facet_and_a_restart_clears_the_stale_entry() -> None:
    env = {"envFrom": [{"configMapRef": {"name": "checkout"}}]}
    digest = "sha256:" + "a" * 64
    pod = _pod(0, "2026-12-04T09:00:00Z", digest, **env)
    manifest = {k: v for k, v in pod.items() if k != "status"}
    before = _contexts([_config("ConfigMap", "checkout"), pod])
    assert before["k8s:Pod/shop/checkout-7d9f-0"][FACET]["stale"]["ConfigMap/checkout"]["pods"] == 1
    assert FACET not in _contexts([_config("ConfigMap", "checkout"), manifest])[
        "k8s:Pod/shop/checkout-7d9f-0"]  # fmt: skip
    restarted = _pod(0, "2026-12-04T10:05:00Z", digest, **env)
    after = _contexts([_config("ConfigMap", "checkout"), restarted])["k8s:Pod/shop/checkout-7d9f-0"]
    assert after[FACET] == {
        "pods": 1,
        "images": {"app": {"shop/checkout:1.4": {digest: {"pods": 1}}}},
    }


def _contexts(docs: list[dict[str, Any]]) -> dict[str, Any]:
    read = parse_manifests("live.yaml", "\n---\n".join(json.dumps(d) for d in docs), KEEPER)
    return {c.id: c.context for c in observation_of("shop", ["kube://"], read.resources).components}


def _replicaset(pods: list[tuple[str, str]]) -> Any:
    """An observation of ReplicaSet checkout-7d9f (replicas as many as ``pods``) and its pods,
    each (startedAt, image digest)."""
    template = {"spec": {"containers": [{"name": "app", "image": "shop/checkout:1.4"}]}}
    replicaset = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                  "metadata": {"name": "checkout-7d9f", "namespace": "shop"},
                  "spec": {"replicas": len(pods), "template": template}}  # fmt: skip
    docs = [replicaset, *(_pod(n, started, digest) for n, (started, digest) in enumerate(pods))]
    read = parse_manifests("live.yaml", "\n---\n".join(json.dumps(d) for d in docs), KEEPER)
    return observation_of("shop", ["kube://"], read.resources)


def test_parity_expects_pod_counts_to_follow_the_replicas_but_not_other_digests() -> None:
    started, old, new = "2026-12-04T09:00:00Z", "sha256:" + "a" * 64, "sha256:" + "b" * 64
    staging = _replicaset([(started, old)])
    by_name = {c.name: c for c in parity(_replicaset([(started, old)] * 2), staging).components}
    assert not [c for c in by_name["ReplicaSet/checkout-7d9f"].unexpected
                if c.path.startswith("/effective")]  # fmt: skip
    moved = {c.name: c for c in parity(_replicaset([(started, new)] * 2), staging).components}
    paths = [c.path for c in moved["ReplicaSet/checkout-7d9f"].unexpected]
    assert [p for p in paths if p.startswith("/effective")] == [
        f"/effective/images/app/shop~1checkout:1.4/{new}",
        f"/effective/images/app/shop~1checkout:1.4/{old}",
    ]


_STARTS = st.sampled_from(["2026-12-04T09:00:00Z", "2026-12-04T10:05:00Z"])
_DIGESTS = st.sampled_from(["sha256:" + c * 64 for c in "abc"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_STARTS, _DIGESTS), min_size=1, max_size=6), st.randoms())
def test_the_facet_counts_pods_and_is_the_same_whatever_the_pods_are_named(
    pods: list[tuple[str, str]], random: Any
) -> None:
    env = {"envFrom": [{"configMapRef": {"name": "checkout"}}]}
    docs = [_pod(n, started, digest, **env) for n, (started, digest) in enumerate(pods)]
    facet = _contexts([_config("ConfigMap", "checkout"), *docs])["k8s:Pod/shop/checkout-7d9f-0"]
    renamed = [json.loads(json.dumps(d)) for d in docs]
    for doc, n in zip(renamed, random.sample(range(100, 200), len(renamed)), strict=True):
        doc["metadata"]["name"] = f"checkout-7d9f-{n}"  # each replaced by an identical pod
    random.shuffle(renamed)
    by_owner = _effective([_config("ConfigMap", "checkout"), *docs])
    assert by_owner == _effective([_config("ConfigMap", "checkout"), *renamed])
    assert by_owner["pods"] == len(pods)
    [[counts]] = [images.values() for images in by_owner["images"].values()]
    assert sum(d["pods"] for d in counts.values()) == len(pods)
    stale = sum(started < CHANGED for started, _ in pods)
    assert by_owner.get("stale", {}).get("ConfigMap/checkout", {"pods": 0})["pods"] == stale
    assert facet[FACET]["pods"] == 1


def _effective(docs: list[dict[str, Any]]) -> Any:
    """The effective facet of ReplicaSet checkout-7d9f, which the pods name as their owner."""
    read = parse_manifests("live.yaml", "\n---\n".join(json.dumps(d) for d in docs), KEEPER)
    return effective_contexts(LivePods(read.resources))[("ReplicaSet", "shop", "checkout-7d9f")]


def test_the_objects_pods_read_are_tabled_only_when_there_is_a_live_pod() -> None:
    """The facet and its findings share one reading of the estate (:class:`LivePods`): an
    estate without live pods (a watch's ConfigMaps, a manifest's Deployment) makes no table of
    its objects, however many; one with a pod makes one, whose answers are the facet's."""
    configs = [_config("ConfigMap", f"c-{i}") for i in range(50)]
    manifest = {**_pod(0, "2026-12-04T10:00:00Z", "sha256:" + "a" * 64)}
    del manifest["status"]  # a pod as a manifest declares it: not live
    read = parse_manifests("live.yaml", "\n---\n".join(json.dumps(d) for d in [*configs, manifest]),
                           KEEPER)  # fmt: skip
    quiet = LivePods(read.resources)
    assert effective_contexts(quiet) == {} and quiet.pods == []
    assert "_tables" not in vars(quiet)
    docs = [*configs, _config("ConfigMap", "checkout"),
            _pod(1, "2026-12-04T10:00:00Z", "sha256:" + "a" * 64,
                 envFrom=[{"configMapRef": {"name": "checkout"}}])]  # fmt: skip
    live = LivePods(parse_manifests("live.yaml", "\n---\n".join(json.dumps(d) for d in docs),
                                    KEEPER).resources)  # fmt: skip
    facet = effective_contexts(live)[("ReplicaSet", "shop", "checkout-7d9f")]
    assert "_tables" in vars(live)
    assert facet["stale"]["ConfigMap/checkout"] == {"changed": CHANGED, "read": ["env"], "pods": 1}
    assert live.changes.get(("ConfigMap", "shop", "checkout")) == CHANGED
