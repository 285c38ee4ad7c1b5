"""The false-positive and false-negative traps users reported against Argo CD (the issue is named
at each test), one test each."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from stateward.diff import diff_bodies
from stateward.model.change import Facet, Op
from stateward.model.resource import ResourceKey

DEPLOY = ResourceKey("apps", "Deployment", "default", "web")


def deployment(**container: Any) -> dict[str, Any]:
    base = {"name": "web", "image": "shop/web:1.2"}
    base.update(container)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {"replicas": 2, "template": {"spec": {"containers": [base]}}},
    }


def paths(desired: dict[str, Any], live: dict[str, Any], mode: str = "strict") -> list[str]:
    return [c.path for c in diff_bodies(desired, live, key=DEPLOY, mode=mode).changes]


def test_float_and_int_are_one_number() -> None:
    live = deployment()
    desired = copy.deepcopy(live)
    desired["spec"]["replicas"] = 2.0
    assert paths(desired, live) == []


def test_string_one_and_integer_one_stay_different_in_strict() -> None:
    # argo-cd #8833: the API would reject one of them; a diff must not hide which.
    live = deployment()
    desired = copy.deepcopy(live)
    desired["spec"]["replicas"] = "2"
    changes = diff_bodies(desired, live, key=DEPLOY).changes
    assert [(c.path, c.before, c.after, c.facet) for c in changes] == [
        ("/spec/replicas", "2", 2, Facet.SCALE)
    ]


def test_true_is_not_one() -> None:
    live = deployment(stdin=True)
    desired = deployment(stdin=1)
    assert paths(desired, live) == ["/spec/template/spec/containers/0/stdin"]


def test_initial_delay_zero_equals_absent() -> None:
    desired = deployment(
        livenessProbe={"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 0}
    )
    live = deployment(livenessProbe={"httpGet": {"path": "/", "port": 80}})
    assert paths(desired, live) == []
    assert paths(live, desired) == []


def test_initial_delay_five_differs_from_absent() -> None:
    desired = deployment(
        livenessProbe={"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5}
    )
    live = deployment(livenessProbe={"httpGet": {"path": "/", "port": 80}})
    assert paths(desired, live) == [
        "/spec/template/spec/containers/0/livenessProbe/initialDelaySeconds"
    ]


@pytest.mark.parametrize("empty", [None, {}, []])
def test_null_empty_map_empty_list_and_absent_are_alike(empty: Any) -> None:
    desired = deployment(env=empty, resources=empty)
    desired["metadata"]["annotations"] = empty
    assert paths(desired, deployment()) == []


def test_empty_dir_is_not_an_empty_value() -> None:
    volume = {"name": "cache", "emptyDir": {}}
    desired = deployment()
    desired["spec"]["template"]["spec"]["volumes"] = [volume]
    live = copy.deepcopy(desired)
    live["spec"]["template"]["spec"]["volumes"] = [{"name": "cache", "hostPath": {"path": "/x"}}]
    assert "/spec/template/spec/volumes/0/emptyDir" in paths(desired, live)


def test_reordered_keyed_lists_are_equal() -> None:
    env = [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    ports = [{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}]
    assert (
        paths(deployment(env=env, ports=ports), deployment(env=env[::-1], ports=ports[::-1])) == []
    )


def test_reordered_keyless_lists_differ() -> None:
    changes = paths(deployment(args=["--a", "--b"]), deployment(args=["--b", "--a"]))
    assert changes == [
        "/spec/template/spec/containers/0/args/0",
        "/spec/template/spec/containers/0/args/1",
    ]


def test_same_port_number_two_protocols_are_two_ports() -> None:
    desired = deployment(ports=[{"containerPort": 53}, {"containerPort": 53, "protocol": "UDP"}])
    live = deployment(ports=[{"containerPort": 53, "protocol": "TCP"}])
    changes = diff_bodies(desired, live, key=DEPLOY).changes
    assert [(c.op, c.path, c.facet) for c in changes] == [
        (Op.REMOVED, "/spec/template/spec/containers/0/ports/1", Facet.NETWORK)
    ]


def test_env_added_with_kubectl_set_env_is_drift_in_strict_only() -> None:
    # argo-cd #4537, #19548: a live-only env var is invisible to Argo CD.
    desired = deployment(env=[{"name": "A", "value": "1"}])
    live = deployment(env=[{"name": "A", "value": "1"}, {"name": "DEBUG", "value": "true"}])
    strict = diff_bodies(desired, live, key=DEPLOY).changes
    assert [(c.op, c.path, c.facet, c.after) for c in strict] == [
        (
            Op.ADDED,
            "/spec/template/spec/containers/0/env/1",
            Facet.ENV,
            {"name": "DEBUG", "value": "true"},
        )
    ]
    assert paths(desired, live, "argo") == []


def test_duplicate_env_names_are_a_finding_not_a_merge() -> None:
    # argo-cd #20979: the API server keeps one of two same-named variables.
    desired = deployment(env=[{"name": "A", "value": "1"}, {"name": "A", "value": "2"}])
    live = deployment(env=[{"name": "A", "value": "2"}])
    result = diff_bodies(desired, live, key=DEPLOY)
    assert [f.rule for f in result.findings] == ["DUPLICATE_LIST_KEY"]
    assert "desired" in result.findings[0].message and "'A'" in result.findings[0].message
    assert result.findings[0].path == "/spec/template/spec/containers/0/env"
    assert result.drifted  # compared by position: the first A differs, the second is gone


def test_quantity_spellings_compare_equal_and_real_changes_show() -> None:
    same = deployment(
        resources={"limits": {"cpu": "1000m", "memory": "1Gi"}, "requests": {"cpu": 0.5}}
    )
    live = deployment(
        resources={"limits": {"cpu": "1", "memory": "1024Mi"}, "requests": {"cpu": "500m"}}
    )
    assert paths(same, live) == []
    bigger = deployment(
        resources={"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "500m"}}
    )
    changes = diff_bodies(same, bigger, key=DEPLOY).changes
    assert [(c.path, c.before, c.after, c.facet) for c in changes] == [
        ("/spec/template/spec/containers/0/resources/limits/cpu", "1", "2", Facet.RESOURCES)
    ]


def test_custom_resource_quantities_are_canonical_too() -> None:
    # argo-cd #17682, argocd-operator #1290: 0.5 vs 500m looped forever in CRDs.
    key = ResourceKey("argoproj.io", "ArgoCD", "argocd", "main")
    desired = {
        "kind": "ArgoCD",
        "spec": {"repo": {"resources": {"limits": {"cpu": 0.5, "memory": "1Gi"}}}},
    }
    live = {
        "kind": "ArgoCD",
        "spec": {"repo": {"resources": {"limits": {"cpu": "500m", "memory": "1024Mi"}}}},
    }
    assert diff_bodies(desired, live, key=key).changes == []


def test_hpa_metrics_order_is_not_drift() -> None:
    key = ResourceKey("autoscaling", "HorizontalPodAutoscaler", "default", "web")
    cpu = {
        "type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}},
    }
    mem = {
        "type": "Resource",
        "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 60}},
    }
    desired = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "spec": {"maxReplicas": 5, "metrics": [cpu, mem]},
    }
    live = copy.deepcopy(desired)
    live["spec"]["metrics"] = [mem, cpu]
    assert diff_bodies(desired, live, key=key).changes == []


def test_statefulset_claim_template_server_fields_are_not_drift() -> None:
    # argo-cd #11143, #11074, #16707
    key = ResourceKey("apps", "StatefulSet", "default", "db")
    template = {"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}}}}  # fmt: skip
    desired = {
        "kind": "StatefulSet",
        "spec": {"serviceName": "db", "volumeClaimTemplates": [template]},
    }
    live = copy.deepcopy(desired)
    live_template = live["spec"]["volumeClaimTemplates"][0]
    live_template.update(
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "status": {"phase": "Pending"}}
    )
    live_template["metadata"]["creationTimestamp"] = None
    live_template["spec"]["volumeMode"] = "Filesystem"
    assert diff_bodies(desired, live, key=key).changes == []
