"""Declared vs effective context of live pods: pods started before the ConfigMap or Secret they
read at start last changed run old values; replicas of one tag running different digests."""

from __future__ import annotations

import json
from typing import Any

from stateward.analysis.effective import MIXED_DIGESTS, STALE
from stateward.api._observe import observation_of
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
