"""The replacement classifier: one test per rule, on manifests read by the real sources."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stateward.analysis.changes import component_deltas
from stateward.analysis.cost import RULES, Mode, classify, component_mode
from stateward.model.change import Change, Facet, Op
from stateward.model.component import Component
from stateward.model.observation import Observation

from .conftest import observe_text

TESTED: set[str] = set()


def deployment(kind: str = "Deployment", **spec: Any) -> dict[str, Any]:
    container = {"name": "app", "image": "registry.example/app:1", "env": [{"name": "MODE", "value": "a"}],
                 "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}  # fmt: skip
    pod_spec: dict[str, Any] = {"containers": [container]}
    body: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": "app", "namespace": "ns"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "app"}},
                 "template": {"metadata": {"labels": {"app": "app"}}, "spec": pod_spec}},
    }  # fmt: skip
    if kind == "Pod":
        body = {"apiVersion": "v1", "kind": "Pod", "metadata": body["metadata"], "spec": pod_spec}
    if kind == "CronJob":
        body["apiVersion"] = "batch/v1"
        body["spec"] = {
            "schedule": "0 3 * * *",
            "jobTemplate": {"spec": {"template": body["spec"]["template"]}},
        }
    if kind == "Job":
        body["apiVersion"] = "batch/v1"
        body["spec"] = {"template": body["spec"]["template"]}
    body["spec"].update(spec)
    return body


def pod_spec(body: dict[str, Any]) -> dict[str, Any]:
    spec = body["spec"]
    if body["kind"] == "Pod":
        return spec  # type: ignore[no-any-return]
    if body["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]  # type: ignore[no-any-return]


def container(body: dict[str, Any]) -> dict[str, Any]:
    return pod_spec(body)["containers"][0]  # type: ignore[no-any-return]


def observe_docs(folder: Path, docs: list[dict[str, Any]]) -> Observation:
    return observe_text(folder, yaml.safe_dump_all(docs))


def verdicts(
    tmp_path: Path, before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[str]:
    old, new = observe_docs(tmp_path / "a", before), observe_docs(tmp_path / "b", after)
    deltas = [d for d in component_deltas(old, new) if d.changes]
    assert deltas, "the edit changed no component"
    return [
        classify(change, old.component(d.component), new.component(d.component)).rule.id
        for d in deltas for change in d.changes
    ]  # fmt: skip


def check(
    tmp_path: Path, before: list[dict[str, Any]], after: list[dict[str, Any]], rule: str
) -> None:
    found = verdicts(tmp_path, before, after)
    TESTED.add(rule)
    assert set(found) == {rule}, found
    assert RULES[rule].source.startswith(("http", "KEP-")), "every rule cites its source"


def edited(body: dict[str, Any], edit: Any) -> dict[str, Any]:
    copied = copy.deepcopy(body)
    edit(copied)
    return copied


def test_template_env_literal_rolls_out(tmp_path: Path) -> None:
    base = deployment()
    check(
        tmp_path,
        [base],
        [edited(base, lambda b: container(b)["env"][0].update(value="b"))],
        "K8S_TEMPLATE",
    )


def test_template_image_rolls_out(tmp_path: Path) -> None:
    base = deployment()
    check(
        tmp_path,
        [base],
        [edited(base, lambda b: container(b).update(image="registry.example/app:2"))],
        "K8S_TEMPLATE",
    )


def test_bare_pod_image_restarts_container(tmp_path: Path) -> None:
    base = deployment("Pod")
    check(
        tmp_path,
        [base],
        [edited(base, lambda b: container(b).update(image="registry.example/app:2"))],
        "K8S_POD_IMAGE",
    )


def test_bare_pod_grace_period_is_mutable(tmp_path: Path) -> None:
    base = deployment("Pod", terminationGracePeriodSeconds=30)
    check(
        tmp_path,
        [base],
        [edited(base, lambda b: b["spec"].update(terminationGracePeriodSeconds=5))],
        "K8S_POD_MUTABLE",
    )


def test_bare_pod_tolerations_may_be_added_not_removed(tmp_path: Path) -> None:
    one = [{"key": "a", "operator": "Exists"}]
    two = [*one, {"key": "b", "operator": "Exists"}]
    check(
        tmp_path / "add",
        [deployment("Pod", tolerations=one)],
        [deployment("Pod", tolerations=two)],
        "K8S_POD_MUTABLE",
    )
    check(
        tmp_path / "remove",
        [deployment("Pod", tolerations=two)],
        [deployment("Pod", tolerations=one)],
        "K8S_POD_IMMUTABLE",
    )


def test_bare_pod_env_is_immutable(tmp_path: Path) -> None:
    base = deployment("Pod")
    check(
        tmp_path,
        [base],
        [edited(base, lambda b: container(b)["env"][0].update(value="b"))],
        "K8S_POD_IMMUTABLE",
    )


def test_bare_pod_cpu_resizes_in_place(tmp_path: Path) -> None:
    base = deployment("Pod")
    check(
        tmp_path,
        [base],
        [edited(base, lambda b: container(b)["resources"]["requests"].update(cpu="200m"))],
        "K8S_RESIZE",
    )


def test_controller_resources_roll_out_with_resize_alternative(tmp_path: Path) -> None:
    base = deployment()
    check(
        tmp_path,
        [base],
        [edited(base, lambda b: container(b)["resources"]["requests"].update(memory="128Mi"))],
        "K8S_TEMPLATE_RESOURCES",
    )
    assert "resize" in RULES["K8S_TEMPLATE_RESOURCES"].alternative


def config_map(data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "ns"},
            "data": {"app.conf": data, "LEVEL": data}}  # fmt: skip


def mounted(sub_path: bool) -> dict[str, Any]:
    body = deployment()
    mount: dict[str, Any] = {
        "name": "cfg",
        "mountPath": "/etc/app/app.conf" if sub_path else "/etc/app",
    }
    if sub_path:
        mount["subPath"] = "app.conf"
    container(body)["volumeMounts"] = [mount]
    pod_spec(body)["volumes"] = [{"name": "cfg", "configMap": {"name": "cfg"}}]
    return body


def test_mounted_config_map_updates_in_place(tmp_path: Path) -> None:
    check(
        tmp_path,
        [mounted(False), config_map("a")],
        [mounted(False), config_map("b")],
        "K8S_MOUNTED_OBJECT",
    )


def test_sub_path_mount_needs_a_restart(tmp_path: Path) -> None:
    check(
        tmp_path, [mounted(True), config_map("a")], [mounted(True), config_map("b")], "K8S_SUBPATH"
    )


def test_env_from_config_map_needs_a_restart(tmp_path: Path) -> None:
    body = deployment()
    container(body)["env"] = [
        {"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "LEVEL"}}}
    ]
    container(body)["envFrom"] = [{"configMapRef": {"name": "cfg"}}]
    check(tmp_path, [body, config_map("a")], [body, config_map("b")], "K8S_ENV_FROM_OBJECT")


def test_env_from_secret_needs_a_restart(tmp_path: Path) -> None:
    body = deployment()
    container(body)["env"] = [
        {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "s", "key": "pw"}}}
    ]

    def secret(value: str) -> dict[str, Any]:
        return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "ns"},
                "stringData": {"pw": value}}  # fmt: skip

    check(tmp_path, [body, secret("one")], [body, secret("two")], "K8S_ENV_FROM_OBJECT")


def test_replicas_scale_without_replacing(tmp_path: Path) -> None:
    check(tmp_path, [deployment(replicas=2)], [deployment(replicas=4)], "K8S_SCALE")


def hpa(max_replicas: int) -> dict[str, Any]:
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "app", "namespace": "ns"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "app"},
                     "minReplicas": 2, "maxReplicas": max_replicas}}  # fmt: skip


def test_hpa_owned_replicas_scale_without_replacing(tmp_path: Path) -> None:
    check(tmp_path, [deployment(), hpa(5)], [deployment(), hpa(9)], "K8S_HPA")


def service(port: int) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "app", "namespace": "ns"},
            "spec": {"selector": {"app": "app"}, "ports": [{"port": port}]}}  # fmt: skip


def test_service_changes_leave_pods_alone(tmp_path: Path) -> None:
    check(tmp_path, [deployment(), service(80)], [deployment(), service(8080)], "K8S_OBJECT")


def destination_rule(cookie: str, pending: int) -> dict[str, Any]:
    return {"apiVersion": "networking.istio.io/v1beta1", "kind": "DestinationRule",
            "metadata": {"name": "app", "namespace": "ns"},
            "spec": {"host": "app", "trafficPolicy": {
                "loadBalancer": {"consistentHash": {"httpCookie": {"name": cookie, "ttl": "0s"}}},
                "connectionPool": {"http": {"http1MaxPendingRequests": pending}}}}}  # fmt: skip


def test_mesh_policy_reaches_sidecars_in_place(tmp_path: Path) -> None:
    check(tmp_path, [deployment(), service(80), destination_rule("s", 1)],
          [deployment(), service(80), destination_rule("s", 2)], "MESH_XDS")  # fmt: skip


def test_consistent_hash_key_change_remaps_sessions(tmp_path: Path) -> None:
    check(tmp_path, [deployment(), service(80), destination_rule("s", 1)],
          [deployment(), service(80), destination_rule("t", 1)], "MESH_REHASH")  # fmt: skip


def claim(size: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data", "namespace": "ns"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}}  # fmt: skip


def with_claim() -> dict[str, Any]:
    body = deployment()
    pod_spec(body)["volumes"] = [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]
    return body


def test_claim_expands_in_place(tmp_path: Path) -> None:
    check(tmp_path, [with_claim(), claim("1Gi")], [with_claim(), claim("2Gi")], "K8S_PVC_EXPAND")


def test_statefulset_claim_templates_are_immutable(tmp_path: Path) -> None:
    def sts(size: str) -> dict[str, Any]:
        return deployment("StatefulSet", serviceName="app", volumeClaimTemplates=[
            {"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
                                                    "resources": {"requests": {"storage": size}}}}])  # fmt: skip

    check(tmp_path, [sts("1Gi")], [sts("2Gi")], "K8S_STS_FORBIDDEN")


def test_cronjob_change_applies_to_next_run(tmp_path: Path) -> None:
    base = deployment("CronJob")
    check(
        tmp_path,
        [base],
        [edited(base, lambda b: container(b)["env"][0].update(value="b"))],
        "K8S_JOB_NEXT_RUN",
    )


def test_job_template_is_immutable(tmp_path: Path) -> None:
    base = deployment("Job")
    check(
        tmp_path,
        [base],
        [edited(base, lambda b: container(b)["env"][0].update(value="b"))],
        "K8S_JOB_IMMUTABLE",
    )


def compose(**service: Any) -> dict[str, Any]:
    body = {"image": "registry.example/web:1", "environment": {"MODE": "a"}, **service}
    return {
        "name": "proj",
        "services": {"web": body},
        "configs": {"conf": {"content": service.get("x-conf", "a")}},
    }


def check_compose(tmp_path: Path, before: dict[str, Any], after: dict[str, Any], rule: str) -> None:
    old = observe_text(tmp_path / "a", yaml.safe_dump(before), "compose.yaml")
    new = observe_text(tmp_path / "b", yaml.safe_dump(after), "compose.yaml")
    found = {
        classify(c, old.component(d.component), new.component(d.component)).rule.id
        for d in component_deltas(old, new) for c in d.changes
    }  # fmt: skip
    TESTED.add(rule)
    assert found == {rule}, found


def test_compose_env_change_recreates(tmp_path: Path) -> None:
    check_compose(tmp_path, compose(), compose(environment={"MODE": "b"}), "COMPOSE_HASH")


def test_compose_limits_recreate_with_docker_update_alternative(tmp_path: Path) -> None:
    check_compose(
        tmp_path, compose(mem_limit="64m"), compose(mem_limit="128m"), "COMPOSE_RESOURCES"
    )
    assert "docker update" in RULES["COMPOSE_RESOURCES"].alternative


def test_compose_scale_is_left_out_of_the_hash(tmp_path: Path) -> None:
    check_compose(tmp_path, compose(scale=1), compose(scale=3), "COMPOSE_EXCLUDED")


def test_compose_config_file_change_recreates(tmp_path: Path) -> None:
    before = compose(configs=["conf"])
    after = compose(configs=["conf"])
    after["configs"]["conf"]["content"] = "b"
    check_compose(tmp_path, before, after, "COMPOSE_FILE_OBJECT")


def engine_component(context: dict[str, Any]) -> Component:
    return Component.of(id="engine:local/web", kind="Container", name="web", namespace="local",
                        source="engine", images=(), context=context)  # fmt: skip


@pytest.mark.parametrize(
    ("path", "rule"),
    [("/resources/mem_limit", "ENGINE_UPDATE"), ("/env/MODE", "ENGINE_RECREATE")],
)
def test_engine_container_rules(path: str, rule: str) -> None:
    component = engine_component({"resources": {"mem_limit": 1}, "env": {"MODE": "a"}})
    change = Change(component.id, path, Facet.RESOURCES, Op.CHANGED, 1, 2)
    TESTED.add(rule)
    assert classify(change, component, component).rule.id == rule


def test_metadata_changes_in_place() -> None:
    component = Component.of(id="k8s:Deployment/ns/app", kind="Deployment", name="app", namespace="ns",
                             source="manifests", images=(), context={})  # fmt: skip
    change = Change(component.id, "/metadata/labels/team", Facet.METADATA, Op.ADDED, None, "x")
    TESTED.add("K8S_METADATA")
    assert classify(change, component, component).mode is Mode.IN_PLACE


def test_one_replacing_change_makes_the_component_replace(tmp_path: Path) -> None:
    base = [mounted(False), config_map("a")]
    after = [
        edited(mounted(False), lambda b: container(b)["env"][0].update(value="b")),
        config_map("b"),
    ]
    old, new = observe_docs(tmp_path / "a", base), observe_docs(tmp_path / "b", after)
    (delta,) = component_deltas(old, new)
    found = [
        classify(c, old.component(delta.component), new.component(delta.component))
        for c in delta.changes
    ]
    assert {v.rule.id for v in found} == {"K8S_TEMPLATE", "K8S_MOUNTED_OBJECT"}
    assert component_mode(found) is Mode.REPLACE
    assert component_mode([]) is Mode.IN_PLACE


@given(
    kind=st.sampled_from(
        [
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "Pod",
            "Job",
            "CronJob",
            "ComposeService",
            "Container",
        ]
    ),
    path=st.lists(st.text(max_size=12), max_size=8).map(
        lambda parts: "/" + "/".join(parts) if parts else ""
    ),
    facet=st.sampled_from(list(Facet)),
    op=st.sampled_from(list(Op)),
    context=st.recursive(
        st.none() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.dictionaries(st.text(max_size=8), inner, max_size=4) | st.lists(inner, max_size=3)
        ),
        max_leaves=12,
    ),  # fmt: skip
)
def test_any_change_gets_a_known_rule(
    kind: str, path: str, facet: Facet, op: Op, context: Any
) -> None:
    ident = "engine:p/c" if kind == "Container" else f"k8s:{kind}/ns/x"
    component = Component.of(id=ident, kind=kind, name="x", namespace="ns", source="s", images=(),
                             context=context if isinstance(context, dict) else {"storage": context})  # fmt: skip
    verdict = classify(Change(ident, path, facet, op, context, None), component, component)
    assert verdict.rule.id in RULES and verdict.mode in Mode


def test_every_rule_has_a_test() -> None:
    # Runs last in this module (pytest keeps file order): every rule was exercised above.
    assert set(RULES) - TESTED == set()
