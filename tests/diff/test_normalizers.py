"""Each normalizer on its own: what it fills in, what it drops, what it refuses."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.diff import NormalizeContext, diff_bodies, normalize
from stateward.errors import NormalizeError
from stateward.model.resource import ResourceKey
from stateward.normalize import BUILTIN_PIPELINE
from stateward.normalize.interface import Body
from stateward.normalize.quantity import canonical_quantity, parse_quantity


def key(kind: str, group: str = "", name: str = "x") -> ResourceKey:
    return ResourceKey(group, kind, "default", name)


def norm(kind: str, body: dict[str, Any], group: str = "", *, side: str = "desired",
         desired: Mapping[str, Any] | None = None) -> tuple[Body, NormalizeContext]:  # fmt: skip
    ctx = NormalizeContext(key(kind, group), side)  # type: ignore[arg-type]
    return normalize(body, ctx, desired=desired), ctx


# --- quantities ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("1000m", "1"), ("1", "1"), ("0.5", "500m"), (".5", "500m"), ("1Gi", "1Gi"), ("1024Mi", "1Gi"),
     ("1073741824", "1Gi"), ("1000", "1k"), ("1500m", "1500m"), ("1.5", "1500m"), ("2048Ki", "2Mi"),
     ("100G", "100G"), ("0.1T", "100G"), ("1e3", "1k"), ("1E-3", "1m"), ("0", "0"), ("-1", "-1"),
     ("+2", "2"), ("1n", "1n"), ("1u", "1u"), ("0.0000000001", "1n"), ("12e0", "12")],
)  # fmt: skip
def test_canonical_quantity(text: str, canonical: str) -> None:
    assert canonical_quantity(parse_quantity(text)) == canonical


@pytest.mark.parametrize(
    "text", ["", "lots", "1 Gi", "1GB", "1.2.3", "--1", "Gi", "1e", "1e99", "1" * 70]
)
def test_not_a_quantity(text: str) -> None:
    with pytest.raises(NormalizeError, match="quantity|exponent"):
        parse_quantity(text)


@given(st.fractions(min_value=-(10**20), max_value=10**20, max_denominator=10**9))
def test_canonical_quantity_round_trips(value: Fraction) -> None:
    value = Fraction(round(value * 10**9), 10**9)  # amounts are whole nanos
    text = canonical_quantity(value)
    assert parse_quantity(text) == value
    assert canonical_quantity(parse_quantity(text)) == text


def test_unparseable_quantity_is_recorded_not_raised() -> None:
    body, ctx = norm(
        "Pod", {"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "lots"}}}]}}
    )
    assert [n.text for n in ctx.incomplete] == [
        "normalization incomplete: quantities: /spec/containers/0/resources/limits/cpu: "
        "'lots' is not a quantity (expected e.g. 500m, 1Gi, 0.5)"
    ]
    assert body["spec"]["containers"][0]["resources"]["limits"]["cpu"] == "lots"


def test_quantity_like_field_outside_resource_lists_is_left_alone() -> None:
    body, ctx = norm("Widget", {"spec": {"storage": "ephemeral", "size": "2Gi"}}, "example.com")
    assert body["spec"] == {"storage": "ephemeral", "size": "2Gi"}
    assert ctx.incomplete == []


# --- pipeline -----------------------------------------------------------------------------


class Exploding:
    name = "exploding"

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        return True

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        raise KeyError("boom")


def test_a_failing_step_is_recorded_and_the_pipeline_goes_on() -> None:
    ctx = NormalizeContext(key("ConfigMap"), "live")
    body = normalize(
        {"kind": "ConfigMap", "status": {}, "data": None},
        ctx,
        steps=(Exploding(), *BUILTIN_PIPELINE),
    )
    assert [n.text for n in ctx.incomplete] == [
        "normalization incomplete: exploding: KeyError: 'boom'"
    ]
    assert body == {"kind": "ConfigMap"}


def test_normalize_never_changes_its_input() -> None:
    body = {"kind": "Service", "spec": {"ports": [{"port": 80}]}, "status": {"x": 1}}
    before = copy.deepcopy(body)
    norm("Service", body)
    assert body == before


# --- defaults per kind --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "policy"),
    [("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
     ("registry:5000/nginx", "Always"), ("registry:5000/nginx:1.2", "IfNotPresent"),
     ("nginx@sha256:" + "a" * 64, "IfNotPresent")],
)  # fmt: skip
def test_image_pull_policy_default(image: str, policy: str) -> None:
    body, _ = norm("Pod", {"spec": {"containers": [{"name": "a", "image": image}]}})
    assert body["spec"]["containers"][0]["imagePullPolicy"] == policy


def test_pod_spec_defaults() -> None:
    probe = {"httpGet": {"port": 8080}}
    body, _ = norm("Deployment", {"spec": {"template": {"spec": {
        "containers": [{"name": "a", "image": "a:1", "ports": [{"containerPort": 80}], "readinessProbe": probe}],
        "volumes": [{"name": "v"}, {"name": "c", "configMap": {"name": "c"}}]}}}}, "apps")  # fmt: skip
    spec = body["spec"]["template"]["spec"]
    assert spec["dnsPolicy"] == "ClusterFirst" and spec["restartPolicy"] == "Always"
    assert (
        spec["schedulerName"] == "default-scheduler" and spec["terminationGracePeriodSeconds"] == 30
    )
    container = spec["containers"][0]
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert container["readinessProbe"] == {"httpGet": {"port": 8080, "path": "/", "scheme": "HTTP"},
        "initialDelaySeconds": 0,
        "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}  # fmt: skip
    assert spec["volumes"] == [
        {"name": "v", "emptyDir": {}},
        {"name": "c", "configMap": {"name": "c", "defaultMode": 420}},
    ]
    assert body["spec"]["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
    }
    assert (
        body["spec"]["replicas"],
        body["spec"]["revisionHistoryLimit"],
        body["spec"]["progressDeadlineSeconds"],
    ) == (1, 10, 600)


def test_recreate_strategy_gets_no_rolling_update() -> None:
    body, _ = norm("Deployment", {"spec": {"strategy": {"type": "Recreate"}}}, "apps")
    assert body["spec"]["strategy"] == {"type": "Recreate"}


def test_daemonset_and_statefulset_defaults() -> None:
    ds, _ = norm("DaemonSet", {"spec": {}}, "apps")
    assert ds["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert "replicas" not in ds["spec"]
    sts, _ = norm("StatefulSet", {"spec": {}}, "apps")
    assert sts["spec"]["podManagementPolicy"] == "OrderedReady"
    assert sts["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"partition": 0},
    }


def test_job_and_cronjob_defaults() -> None:
    job, _ = norm("Job", {"spec": {"template": {"spec": {"restartPolicy": "Never"}}}}, "batch")
    assert {k: job["spec"][k] for k in ("backoffLimit", "completions", "parallelism", "completionMode",
            "podReplacementPolicy")} == {"backoffLimit": 6, "completions": 1, "parallelism": 1,
            "completionMode": "NonIndexed", "podReplacementPolicy": "TerminatingOrFailed"}  # fmt: skip
    assert job["spec"]["suspend"] is False  # false is a value, not an empty one
    cron, _ = norm("CronJob", {"spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
        "containers": [{"name": "a", "image": "a"}], "restartPolicy": "OnFailure"}}}}}}, "batch")  # fmt: skip
    assert {
        k: cron["spec"][k]
        for k in ("concurrencyPolicy", "successfulJobsHistoryLimit", "failedJobsHistoryLimit")
    } == {
        "concurrencyPolicy": "Allow",
        "successfulJobsHistoryLimit": 3,
        "failedJobsHistoryLimit": 1,
    }
    container = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["terminationMessagePath"] == "/dev/termination-log"


def test_job_selector_the_controller_chose_is_not_drift_but_a_chosen_one_is() -> None:
    desired = {"kind": "Job", "spec": {"template": {"spec": {"restartPolicy": "Never"}}}}
    live = copy.deepcopy(desired)
    live["spec"]["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": "u"}}
    live["spec"]["template"]["metadata"] = {
        "labels": {"batch.kubernetes.io/controller-uid": "u", "job-name": "x"}
    }
    k = key("Job", "batch")
    assert diff_bodies(desired, live, key=k).changes == []
    desired["spec"]["selector"] = {"matchLabels": {"app": "x"}}
    assert [c.path for c in diff_bodies(desired, live, key=k).changes] == ["/spec/selector/matchLabels/app",
        "/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid"]  # fmt: skip


def test_service_defaults_and_populated_fields() -> None:
    desired = {
        "kind": "Service",
        "spec": {"type": "NodePort", "ports": [{"port": 80}, {"port": 81, "nodePort": 30081}]},
    }
    live = {"kind": "Service", "spec": {"type": "NodePort", "clusterIP": "10.0.0.1", "clusterIPs": ["10.0.0.1"],
            "externalTrafficPolicy": "Cluster", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
            "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80, "nodePort": 31234},
                      {"port": 81, "protocol": "TCP", "targetPort": 81, "nodePort": 30082}]}}  # fmt: skip
    changes = diff_bodies(desired, live, key=key("Service")).changes
    assert [(c.path, c.before, c.after) for c in changes] == [
        ("/spec/ports/1/nodePort", 30081, 30082)
    ]


def test_ingress_path_type_and_network_policy_types() -> None:
    ing, _ = norm(
        "Ingress", {"spec": {"rules": [{"http": {"paths": [{"path": "/"}]}}]}}, "networking.k8s.io"
    )
    assert ing["spec"]["rules"][0]["http"]["paths"][0]["pathType"] == "ImplementationSpecific"
    egress, _ = norm(
        "NetworkPolicy",
        {"spec": {"podSelector": {}, "egress": [{"ports": [{"port": 53}]}]}},
        "networking.k8s.io",
    )
    assert egress["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert egress["spec"]["podSelector"] == {}  # an empty selector means "all pods": kept
    assert egress["spec"]["egress"][0]["ports"] == [{"port": 53, "protocol": "TCP"}]
    only_in, _ = norm("NetworkPolicy", {"spec": {"podSelector": {}}}, "networking.k8s.io")
    assert only_in["spec"]["policyTypes"] == ["Ingress"]


def test_secret_string_data_folds_into_data_and_type_defaults() -> None:
    body, _ = norm(
        "Secret",
        {
            "kind": "Secret",
            "data": {"a": "hmac-sha256:1"},
            "stringData": {"a": "hmac-sha256:2", "b": "hmac-sha256:3"},
        },
    )
    assert body == {
        "kind": "Secret",
        "type": "Opaque",
        "data": {"a": "hmac-sha256:2", "b": "hmac-sha256:3"},
    }


def test_pvc_hpa_defaults() -> None:
    pvc, _ = norm("PersistentVolumeClaim", {"spec": {"accessModes": ["ReadWriteOnce"]}})
    assert pvc["spec"]["volumeMode"] == "Filesystem"
    hpa, _ = norm("HorizontalPodAutoscaler", {"apiVersion": "autoscaling/v2", "spec": {"maxReplicas": 3,
                  "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}}}, "autoscaling")  # fmt: skip
    assert hpa["spec"]["minReplicas"] == 1
    assert hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 80
    assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] == 60
    assert hpa["spec"]["behavior"]["scaleUp"]["selectPolicy"] == "Max"


def test_pod_admission_defaults_and_token_volume() -> None:
    desired = {"kind": "Pod", "spec": {"containers": [{"name": "a", "image": "a:1"}]}}
    live = copy.deepcopy(desired)
    live["spec"].update({"nodeName": "n1", "serviceAccount": "default", "serviceAccountName": "default",
        "enableServiceLinks": True, "priority": 0, "preemptionPolicy": "PreemptLowerPriority",
        "volumes": [{"name": "kube-api-access-abcde", "projected": {"sources": []}}]})  # fmt: skip
    live["spec"]["containers"][0]["volumeMounts"] = [
        {"name": "kube-api-access-abcde", "mountPath": "/var/run/secrets"}
    ]
    assert diff_bodies(desired, live, key=key("Pod")).changes == []


# --- server fields, mesh ------------------------------------------------------------------


def test_server_owned_fields_are_dropped_everywhere() -> None:
    body, _ = norm("ConfigMap", {"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n", "uid": "u",
                   "resourceVersion": "1", "generation": 2, "creationTimestamp": "t", "selfLink": "/x",
                   "managedFields": [], "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
                   "data": {"k": "v"}, "status": {"a": 1}})  # fmt: skip
    assert body == {"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "v"}}


def test_linkerd_injection_and_istio_probe_rewrite_are_injected_not_drift() -> None:
    probe = {"httpGet": {"path": "/healthz", "port": 8080}}
    desired = {"kind": "Deployment", "spec": {"template": {"metadata": {"labels": {"app": "a"}},
               "spec": {"containers": [{"name": "app", "image": "a:1", "livenessProbe": probe}]}}}}  # fmt: skip
    live = copy.deepcopy(desired)
    tpl = live["spec"]["template"]
    tpl["metadata"]["annotations"] = {
        "linkerd.io/proxy-version": "stable-2.14",
        "linkerd.io/created-by": "x",
    }
    tpl["metadata"]["labels"]["linkerd.io/workload-ns"] = "default"
    tpl["spec"]["containers"][0]["livenessProbe"] = {
        "httpGet": {"path": "/app-health/app/livez", "port": 15020}
    }
    tpl["spec"]["containers"].insert(
        0, {"name": "linkerd-proxy", "image": "cr.l5d.io/linkerd/proxy:stable-2.14"}
    )
    tpl["spec"]["initContainers"] = [
        {"name": "linkerd-init", "image": "cr.l5d.io/linkerd/proxy-init:v2"}
    ]
    tpl["spec"]["volumes"] = [
        {"name": "linkerd-identity-end-entity", "emptyDir": {"medium": "Memory"}}
    ]
    result = diff_bodies(desired, live, key=key("Deployment", "apps"))
    assert result.changes == []
    assert len(result.injected) == 7


def test_a_declared_sidecar_named_like_a_mesh_proxy_is_compared() -> None:
    desired = {"kind": "Pod", "spec": {"containers": [{"name": "istio-proxy", "image": "proxy:1"}]}}
    live = {"kind": "Pod", "spec": {"containers": [{"name": "istio-proxy", "image": "proxy:2"}]}}
    result = diff_bodies(desired, live, key=key("Pod"))
    assert [c.path for c in result.changes] == [
        "/spec/containers/0/image"
    ] and result.injected == []


def test_an_added_non_mesh_sidecar_is_drift() -> None:
    desired = {"kind": "Pod", "spec": {"containers": [{"name": "app", "image": "a:1"}]}}
    live = {
        "kind": "Pod",
        "spec": {
            "containers": [{"name": "app", "image": "a:1"}, {"name": "debug", "image": "busybox"}]
        },
    }
    changes = diff_bodies(desired, live, key=key("Pod")).changes
    assert [(c.op, c.path, c.facet) for c in changes] == [("added", "/spec/containers/1", "binary")]


def test_compose_services_keep_their_own_units_and_empty_values() -> None:
    # Compose reads "50M" as 50 MiB; Kubernetes rules (quantities, omitempty) must not apply.
    compose = ResourceKey("compose", "service", "shop", "web")
    desired = {
        "image": "web:1",
        "environment": {},
        "deploy": {"resources": {"limits": {"memory": "50M"}}},
    }
    live = {"image": "web:1", "deploy": {"resources": {"limits": {"memory": "50000k"}}}}
    got = [(c.op, c.path) for c in diff_bodies(desired, live, key=compose).changes]
    assert got == [("removed", "/environment"), ("changed", "/deploy/resources/limits/memory")]


# --- managed fields -----------------------------------------------------------------------


def _custom_resource_pair() -> tuple[dict[str, Any], dict[str, Any]]:
    from .conftest import FIXTURES, read_resources

    desired = read_resources(FIXTURES / "unowned-fields" / "desired.yaml")[0]
    live = read_resources(FIXTURES / "unowned-fields" / "live.yaml")[0]
    return copy.deepcopy(dict(desired.body)), copy.deepcopy(dict(live.body))


CR = ResourceKey("example.com", "Deployment", "default", "nginx-deployment")


def test_without_managed_fields_schema_defaults_of_a_custom_resource_are_drift() -> None:
    desired, live = _custom_resource_pair()
    del live["metadata"]["managedFields"]
    added = {c.path for c in diff_bodies(desired, live, key=CR).changes}
    assert {"/spec/progressDeadlineSeconds", "/spec/template/spec/dnsPolicy"} <= added
    assert diff_bodies(desired, live, key=CR, mode="argo").changes == []


def test_a_field_a_manager_owns_stays_drift() -> None:
    # `kubectl set env`: the kubectl-set manager owns the new variable, so strict still sees it.
    desired, live = _custom_resource_pair()
    live["spec"]["template"]["spec"]["containers"][0]["env"] = [{"name": "DEBUG", "value": "1"}]
    live["spec"]["revisionHistoryLimit"] = 3
    live["metadata"]["managedFields"].append({"manager": "kubectl-set", "operation": "Update",
        "fieldsV1": {"f:spec": {"f:revisionHistoryLimit": {}, "f:template": {"f:spec": {"f:containers": {
            'k:{"name":"nginx"}': {"f:env": {'k:{"name":"DEBUG"}': {".": {}, "f:name": {}, "f:value": {}}}}}}}}}})  # fmt: skip
    changes = diff_bodies(desired, live, key=CR).changes
    assert sorted((c.op, c.path) for c in changes) == [
        ("added", "/spec/revisionHistoryLimit"),
        ("added", "/spec/template/spec/containers/0/env"),
    ]


def test_a_live_only_list_item_nobody_owns_is_a_default() -> None:
    desired, live = _custom_resource_pair()
    live["spec"]["template"]["spec"]["containers"][0]["ports"].append(
        {"containerPort": 81, "protocol": "TCP"}
    )
    assert diff_bodies(desired, live, key=CR).changes == []


def test_replication_controller_selector_and_labels_default_to_the_template() -> None:
    desired = {"kind": "ReplicationController", "metadata": {"name": "rc"},
               "spec": {"template": {"metadata": {"labels": {"app": "a"}}, "spec": {"containers": []}}}}  # fmt: skip
    live = copy.deepcopy(desired)
    live["metadata"]["labels"] = {"app": "a"}
    live["spec"].update(selector={"app": "a"}, replicas=1)
    assert diff_bodies(desired, live, key=key("ReplicationController")).changes == []


def test_resource_field_ref_divisor_is_a_quantity() -> None:
    env = [
        {
            "name": "MEM",
            "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": 1048576}},
        }
    ]
    live_env = [
        {
            "name": "MEM",
            "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}},
        }
    ]
    desired = {"kind": "Pod", "spec": {"containers": [{"name": "a", "image": "a:1", "env": env}]}}
    live = {"kind": "Pod", "spec": {"containers": [{"name": "a", "image": "a:1", "env": live_env}]}}
    assert diff_bodies(desired, live, key=key("Pod")).changes == []


def test_aggregated_cluster_role_rules_belong_to_the_controller() -> None:
    k = ResourceKey("rbac.authorization.k8s.io", "ClusterRole", "", "view")
    selector = {
        "clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate-to-view": "true"}}]
    }
    desired = {"kind": "ClusterRole", "aggregationRule": selector, "rules": []}
    live = {"kind": "ClusterRole", "aggregationRule": selector,
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]}  # fmt: skip
    result = diff_bodies(desired, live, key=k)
    assert result.changes == [] and [n.text for n in result.explained] == [
        "rules are filled in by the ClusterRole aggregation"
    ]
    plain = {"kind": "ClusterRole", "rules": []}
    assert [
        c.path for c in diff_bodies(plain, {**live, "aggregationRule": None}, key=k).changes
    ] == ["/rules"]


# --- defaults per kind and version (the table) ---------------------------------------------

# Every kind a v1.31 API server serves by default (kubectl api-resources, less the virtual review and
# token kinds that are never stored), plus the removed beta versions manifests still carry. A
# kind added here without a table entry fails below: a missing defaulter is visible.
BUILTIN_KINDS = {
    "v1": ["Pod", "PodTemplate", "ReplicationController", "Service", "Endpoints", "Secret",
           "ConfigMap", "ServiceAccount", "PersistentVolume", "PersistentVolumeClaim", "Namespace",
           "Node", "LimitRange", "ResourceQuota", "Event", "ComponentStatus", "Binding"],
    "apps/v1": ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision"],
    "apps/v1beta1": ["Deployment", "StatefulSet"],
    "apps/v1beta2": ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
    "extensions/v1beta1": ["Deployment", "DaemonSet", "ReplicaSet", "Ingress", "NetworkPolicy"],
    "batch/v1": ["Job", "CronJob"],
    "batch/v1beta1": ["CronJob"],
    "autoscaling/v1": ["HorizontalPodAutoscaler"],
    "autoscaling/v2": ["HorizontalPodAutoscaler"],
    "autoscaling/v2beta2": ["HorizontalPodAutoscaler"],
    "policy/v1": ["PodDisruptionBudget"],
    "policy/v1beta1": ["PodDisruptionBudget"],
    "networking.k8s.io/v1": ["Ingress", "NetworkPolicy", "IngressClass"],
    "networking.k8s.io/v1beta1": ["Ingress", "IngressClass"],
    "discovery.k8s.io/v1": ["EndpointSlice"],
    "discovery.k8s.io/v1beta1": ["EndpointSlice"],
    "rbac.authorization.k8s.io/v1": ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
    "storage.k8s.io/v1": ["StorageClass", "CSIDriver", "CSINode", "CSIStorageCapacity",
                          "VolumeAttachment"],
    "storage.k8s.io/v1beta1": ["StorageClass"],
    "scheduling.k8s.io/v1": ["PriorityClass"],
    "node.k8s.io/v1": ["RuntimeClass"],
    "coordination.k8s.io/v1": ["Lease"],
    "certificates.k8s.io/v1": ["CertificateSigningRequest"],
    "events.k8s.io/v1": ["Event"],
    "flowcontrol.apiserver.k8s.io/v1": ["FlowSchema", "PriorityLevelConfiguration"],
    "apiregistration.k8s.io/v1": ["APIService"],
    "apiextensions.k8s.io/v1": ["CustomResourceDefinition"],
    "admissionregistration.k8s.io/v1": ["MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding"],
    "admissionregistration.k8s.io/v1beta1": ["MutatingWebhookConfiguration",
                                             "ValidatingWebhookConfiguration"],
}  # fmt: skip


def _builtin_keys() -> set[tuple[str, str, str]]:
    keys: set[tuple[str, str, str]] = set()
    for api_version, kinds in BUILTIN_KINDS.items():
        group, _, version = api_version.rpartition("/")
        keys.update((group, version, kind) for kind in kinds)
    return keys


def test_every_builtin_kind_and_version_names_its_defaults_source() -> None:
    from stateward.normalize.api_defaults import KINDS, PINNED, source_url

    assert set(KINDS) == _builtin_keys()
    steps = {step.name for step in BUILTIN_PIPELINE}
    for (group, version, kind), entry in KINDS.items():
        where = f"{group or 'core'}/{version} {kind}"
        if not entry.functions:  # the explicit "the server defines no defaults" entry
            assert not entry.rules and entry.step is None and not entry.gap, where
            continue
        assert entry.rules or entry.step or entry.gap, f"{where}: sources but nothing applies them"
        assert entry.step is None or entry.step in steps, where
        for function in entry.functions:
            path, _, name = function.partition(":")
            assert path.endswith("/defaults.go") and name.startswith("SetDefaults_"), where
            assert source_url(function).startswith(
                f"https://github.com/kubernetes/kubernetes/blob/{PINNED}/pkg/apis/"
            )


def _hook(api_version: str, kind: str) -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": kind,
            "webhooks": [{"name": "w", "clientConfig": {"service": {"name": "s"}}, "rules": [{}]}]}  # fmt: skip


@pytest.mark.parametrize(
    ("version", "expected"),
    [("v1", {"failurePolicy": "Fail", "matchPolicy": "Equivalent", "timeoutSeconds": 10}),
     ("v1beta1", {"failurePolicy": "Ignore", "matchPolicy": "Exact", "timeoutSeconds": 30,
                  "sideEffects": "Unknown", "admissionReviewVersions": ["v1beta1"]})],
)  # fmt: skip
def test_webhook_defaults_follow_the_api_version(version: str, expected: dict[str, Any]) -> None:
    for kind in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"):
        body, _ = norm(kind, _hook(f"admissionregistration.k8s.io/{version}", kind),
                       "admissionregistration.k8s.io")  # fmt: skip
        hook = body["webhooks"][0]
        assert {name: hook.get(name) for name in expected} == expected
        assert "sideEffects" in hook or version == "v1"  # v1 requires it, so has no default
        assert hook.get("reinvocationPolicy") == ("Never" if kind.startswith("Mutating") else None)
        assert hook["rules"] == [{"scope": "*"}]
        assert hook["clientConfig"]["service"]["port"] == 443


@given(st.sampled_from(["v1", "v1beta1"]), st.integers(1, 30), st.sampled_from(["Fail", "Ignore"]))
def test_table_defaults_never_replace_a_written_value(
    version: str, timeout: int, policy: str
) -> None:
    body = _hook(f"admissionregistration.k8s.io/{version}", "ValidatingWebhookConfiguration")
    body["webhooks"][0].update(timeoutSeconds=timeout, failurePolicy=policy)
    out, _ = norm("ValidatingWebhookConfiguration", body, "admissionregistration.k8s.io")
    assert (out["webhooks"][0]["timeoutSeconds"], out["webhooks"][0]["failurePolicy"]) == (
        timeout, policy)  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "group", "body", "path", "value"),
    [("Endpoints", "", {"apiVersion": "v1", "subsets": [{"ports": [{"port": 80}]}]},
      ("subsets", 0, "ports", 0, "protocol"), "TCP"),
     ("PersistentVolume", "", {"apiVersion": "v1", "spec": {"capacity": {"storage": "1Gi"}}},
      ("spec", "persistentVolumeReclaimPolicy"), "Retain"),
     ("CronJob", "batch", {"apiVersion": "batch/v1beta1", "spec": {"schedule": "@daily"}},
      ("spec", "successfulJobsHistoryLimit"), 3),
     ("EndpointSlice", "discovery.k8s.io", {"apiVersion": "discovery.k8s.io/v1", "ports": [{"port": 80}]},
      ("ports", 0, "protocol"), "TCP"),
     ("StorageClass", "storage.k8s.io", {"apiVersion": "storage.k8s.io/v1", "provisioner": "p"},
      ("volumeBindingMode",), "Immediate"),
     ("StorageClass", "storage.k8s.io", {"apiVersion": "storage.k8s.io/v1", "provisioner": "p"},
      ("reclaimPolicy",), "Delete"),
     ("CSIDriver", "storage.k8s.io", {"apiVersion": "storage.k8s.io/v1", "spec": {}},
      ("spec", "volumeLifecycleModes"), ["Persistent"]),
     ("PriorityClass", "scheduling.k8s.io", {"apiVersion": "scheduling.k8s.io/v1", "value": 5},
      ("preemptionPolicy",), "PreemptLowerPriority"),
     ("ClusterRoleBinding", "rbac.authorization.k8s.io",
      {"apiVersion": "rbac.authorization.k8s.io/v1", "roleRef": {"kind": "ClusterRole", "name": "r"},
       "subjects": [{"kind": "User", "name": "u"}]},
      ("subjects", 0, "apiGroup"), "rbac.authorization.k8s.io"),
     ("RoleBinding", "rbac.authorization.k8s.io",
      {"apiVersion": "rbac.authorization.k8s.io/v1", "roleRef": {"kind": "Role", "name": "r"}},
      ("roleRef", "apiGroup"), "rbac.authorization.k8s.io"),
     ("IngressClass", "networking.k8s.io",
      {"apiVersion": "networking.k8s.io/v1", "spec": {"parameters": {"kind": "K", "name": "n"}}},
      ("spec", "parameters", "scope"), "Cluster"),
     ("FlowSchema", "flowcontrol.apiserver.k8s.io",
      {"apiVersion": "flowcontrol.apiserver.k8s.io/v1", "spec": {}},
      ("spec", "matchingPrecedence"), 1000)],
)  # fmt: skip
def test_kinds_without_a_hand_written_defaulter_are_defaulted(
    kind: str, group: str, body: dict[str, Any], path: tuple[Any, ...], value: Any
) -> None:
    out, ctx = norm(kind, body, group)
    node: Any = out
    for step in path:
        node = node[step]
    assert node == value and ctx.incomplete == []


def test_table_rules_respect_conditions_and_custom_resources() -> None:
    # SetDefaults_Subject: only users and groups get the RBAC group.
    out, _ = norm("RoleBinding", {"apiVersion": "rbac.authorization.k8s.io/v1", "subjects": [
        {"kind": "ServiceAccount", "name": "s", "namespace": "n"}]}, "rbac.authorization.k8s.io")  # fmt: skip
    assert "apiGroup" not in out["subjects"][0] or out["subjects"][0]["apiGroup"] == ""
    # SetDefaults_IngressClass: no parameters, nothing to scope.
    out, _ = norm("IngressClass", {"apiVersion": "networking.k8s.io/v1", "spec": {"controller": "c"}},
                  "networking.k8s.io")  # fmt: skip
    assert out["spec"] == {"controller": "c"}
    # A custom resource that shares a built-in kind name is not defaulted.
    crd = {"apiVersion": "example.com/v1", "subsets": [{"ports": [{"port": 80}]}]}
    out, _ = norm("Endpoints", crd, "example.com")
    assert out["subsets"] == [{"ports": [{"port": 80}]}]


def test_a_version_served_differently_is_not_drift() -> None:
    desired = _hook("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration")
    live = _hook("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration")
    live["webhooks"][0].update(matchPolicy="Exact", timeoutSeconds=30, failurePolicy="Ignore",
                               sideEffects="Unknown", admissionReviewVersions=["v1beta1"])  # fmt: skip
    subject = key("ValidatingWebhookConfiguration", "admissionregistration.k8s.io")
    assert diff_bodies(desired, live, key=subject).changes == []
    live["webhooks"][0]["timeoutSeconds"] = 10  # an edit in the live object is still drift
    assert [c.path for c in diff_bodies(desired, live, key=subject).changes] == [
        "/webhooks/0/timeoutSeconds"
    ]


def test_a_body_without_api_version_takes_the_ga_defaults() -> None:
    body = _hook("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration")
    del body["apiVersion"]
    out, _ = norm("MutatingWebhookConfiguration", body, "admissionregistration.k8s.io")
    assert (out["webhooks"][0]["matchPolicy"], out["webhooks"][0]["timeoutSeconds"]) == (
        "Equivalent",
        10,
    )


@pytest.mark.parametrize(
    ("api_version", "history", "deadline", "rolling"),
    [("apps/v1", 10, 600, {"maxUnavailable": "25%", "maxSurge": "25%"}),
     ("apps/v1beta2", 10, 600, {"maxUnavailable": "25%", "maxSurge": "25%"}),
     ("apps/v1beta1", 2, 600, {"maxUnavailable": "25%", "maxSurge": "25%"}),
     ("extensions/v1beta1", 2**31 - 1, 2**31 - 1, {"maxUnavailable": 1, "maxSurge": 1})],
)  # fmt: skip
def test_deployment_defaults_follow_the_api_version(
    api_version: str, history: int, deadline: int, rolling: dict[str, Any]
) -> None:
    group = api_version.partition("/")[0]
    body, _ = norm("Deployment", {"apiVersion": api_version, "spec": {}}, group)
    spec = body["spec"]
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (history, deadline)
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": rolling}


@pytest.mark.parametrize(
    ("kind", "api_version", "update"),
    [("DaemonSet", "extensions/v1beta1", "OnDelete"), ("DaemonSet", "apps/v1", "RollingUpdate"),
     ("StatefulSet", "apps/v1beta1", "OnDelete"), ("StatefulSet", "apps/v1beta2", "RollingUpdate")],
)  # fmt: skip
def test_update_strategy_defaults_follow_the_api_version(
    kind: str, api_version: str, update: str
) -> None:
    body, _ = norm(kind, {"apiVersion": api_version, "spec": {}}, api_version.partition("/")[0])
    assert body["spec"]["updateStrategy"]["type"] == update
    assert ("rollingUpdate" in body["spec"]["updateStrategy"]) == (update == "RollingUpdate")
