"""The API server's defaults for every built-in kind and API version, as a table.

The server defaults an object in the version it was written in (``SetDefaults_*`` functions
of ``pkg/apis/<group>/<version>/defaults.go``, registered by ``zz_generated.defaults.go``), so the
same kind defaults differently per version: a ``v1beta1`` webhook gets ``matchPolicy: Exact`` and
``timeoutSeconds: 30``, a ``v1`` one ``Equivalent`` and ``10``. The OpenAPI documents carry
almost none of these values, so the table is written from the Go functions at one pinned
commit, :data:`PINNED` (kubernetes v1.31.0).

:data:`KINDS` names, for every built-in kind and version, where its defaults come from: the
upstream functions, and either the field rules applied here by :class:`TableDefaults` or the
hand-written step that applies them (pod specs and controllers need logic a table cannot hold).
An entry with no function is an explicit "the server defines no defaults for this kind".
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from stateward.model.resource import ResourceKey
from stateward.normalize.interface import Body, NormalizeContext
from stateward.normalize.step import Step

__all__ = ["KINDS", "PINNED", "KindDefaults", "Rule", "TableDefaults", "source_url"]

PINNED = "9edcffcde5595e8a5b1a35f88c421764e575afce"  # kubernetes v1.31.0
_EACH = "*"  # a path step meaning "every item of this list"


@dataclass(frozen=True)
class Rule:
    """Set ``field`` to ``value`` in every mapping at ``path`` where it is absent.

    ``only`` restricts the rule to mappings whose ``only[0]`` field is one of ``only[1]``
    (``SetDefaults_Subject`` switches on the subject's kind).
    """

    path: tuple[str, ...]
    field: str
    value: Any
    only: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class KindDefaults:
    """Where one kind/version's defaults come from.

    ``functions`` are ``<file under pkg/apis>:<function>`` at :data:`PINNED` (empty: the server
    defines none); ``rules`` are applied by the table, ``step`` names the hand-written step that
    applies the rest, ``gap`` says what is knowingly left out.
    """

    functions: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    step: str | None = None
    gap: str = ""  # what of ``functions`` is knowingly not applied, and why


def source_url(function: str) -> str:
    """The commit-pinned address of one ``<file>:<function>`` entry."""
    path = function.partition(":")[0]
    return f"https://github.com/kubernetes/kubernetes/blob/{PINNED}/pkg/apis/{path}"


def _webhooks(version: str, mutating: bool) -> KindDefaults:
    base = f"admissionregistration/{version}/defaults.go"
    hook = "SetDefaults_MutatingWebhook" if mutating else "SetDefaults_ValidatingWebhook"
    each = ("webhooks", _EACH)
    if version == "v1":
        values: dict[str, Any] = {"failurePolicy": "Fail", "matchPolicy": "Equivalent",
                                  "timeoutSeconds": 10}  # fmt: skip
    else:  # v1beta1 kept the pre-GA defaults, and adds sideEffects and the review versions
        values = {"failurePolicy": "Ignore", "matchPolicy": "Exact", "timeoutSeconds": 30,
                  "sideEffects": "Unknown", "admissionReviewVersions": ["v1beta1"]}  # fmt: skip
    values |= {"namespaceSelector": {}, "objectSelector": {}}
    if mutating:
        values["reinvocationPolicy"] = "Never"
    rules = tuple(Rule(each, name, value) for name, value in values.items())
    # Rule is shared with v1 (k8s.io/api/admissionregistration/v1beta1: type Rule = v1.Rule).
    rules += (Rule((*each, "rules", _EACH), "scope", "*"),
              Rule((*each, "clientConfig", "service"), "port", 443))  # fmt: skip
    functions = (f"{base}:{hook}", "admissionregistration/v1/defaults.go:SetDefaults_Rule",
                 f"{base}:SetDefaults_ServiceReference")  # fmt: skip
    return KindDefaults(functions, rules)


_RBAC = "rbac.authorization.k8s.io"


def _binding(version: str, kind: str) -> KindDefaults:
    return KindDefaults(
        (f"rbac/{version}/defaults.go:SetDefaults_{kind}",
         f"rbac/{version}/defaults.go:SetDefaults_Subject"),
        (Rule(("roleRef",), "apiGroup", _RBAC),
         Rule(("subjects", _EACH), "apiGroup", _RBAC, ("kind", ("User", "Group"))),
         Rule(("subjects", _EACH), "apiGroup", "", ("kind", ("ServiceAccount",)))),
    )  # fmt: skip


def _endpoint_slice(version: str) -> KindDefaults:
    return KindDefaults(
        (f"discovery/{version}/defaults.go:SetDefaults_EndpointPort",),
        (Rule(("ports", _EACH), "name", ""), Rule(("ports", _EACH), "protocol", "TCP")),
    )


def _storage_class(version: str) -> KindDefaults:
    return KindDefaults(
        (f"storage/{version}/defaults.go:SetDefaults_StorageClass",),
        (Rule((), "reclaimPolicy", "Delete"), Rule((), "volumeBindingMode", "Immediate")),
    )


_CSI_DRIVER = KindDefaults(
    ("storage/v1/defaults.go:SetDefaults_CSIDriver",),
    tuple(Rule(("spec",), field, value) for field, value in (
        ("attachRequired", True), ("podInfoOnMount", False), ("storageCapacity", False),
        ("fsGroupPolicy", "ReadWriteOnceWithFSType"), ("volumeLifecycleModes", ["Persistent"]),
        ("requiresRepublish", False),
    )),
)  # fmt: skip
_PRIORITY_CLASS = KindDefaults(
    ("scheduling/v1/defaults.go:SetDefaults_PriorityClass",),
    (Rule((), "preemptionPolicy", "PreemptLowerPriority"),),
)


def _cron_job(version: str) -> KindDefaults:
    # The pod spec under jobTemplate is defaulted by the pod-spec step.
    return KindDefaults(
        (f"batch/{version}/defaults.go:SetDefaults_CronJob",),
        tuple(Rule(("spec",), field, value) for field, value in (
            ("concurrencyPolicy", "Allow"), ("suspend", False),
            ("successfulJobsHistoryLimit", 3), ("failedJobsHistoryLimit", 1))),
        step="defaults.pod-spec",
    )  # fmt: skip


def _core(*functions: str, step: str) -> KindDefaults:
    return KindDefaults(tuple(f"core/v1/defaults.go:{f}" for f in functions), step=step)


def _controllers() -> dict[tuple[str, str, str], KindDefaults]:
    # SetDefaults_<Kind> of each controller version; ControllerDefaults applies them.
    served = {"apps/v1": ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"),
              "apps/v1beta1": ("Deployment", "StatefulSet"),
              "apps/v1beta2": ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"),
              "extensions/v1beta1": ("Deployment", "DaemonSet", "ReplicaSet")}  # fmt: skip
    table: dict[tuple[str, str, str], KindDefaults] = {}
    for api_version, kinds in served.items():
        group, _, version = api_version.partition("/")
        for kind in kinds:
            function = f"{api_version}/defaults.go:SetDefaults_{kind}"
            table[(group, version, kind)] = KindDefaults((function,), step="defaults.controller")
    return table


_NONE = KindDefaults()
_POD_SPEC = ("SetDefaults_PodSpec", "SetDefaults_Container", "SetDefaults_Probe",
             "SetDefaults_Volume", "SetDefaults_HTTPGetAction")  # fmt: skip

# (group, version, kind) → its defaults. Every kind served by a v1.31 API server, plus the
# removed beta versions that manifests in the wild still carry (extensions/v1beta1, apps/v1beta*,
# batch/v1beta1, admissionregistration/v1beta1, networking/v1beta1, policy/v1beta1).
KINDS: dict[tuple[str, str, str], KindDefaults] = {
    ("", "v1", "Pod"): _core("SetDefaults_Pod", *_POD_SPEC, step="defaults.pod"),
    ("", "v1", "PodTemplate"): _core(*_POD_SPEC, step="defaults.pod-spec"),
    ("", "v1", "ReplicationController"): _core(
        "SetDefaults_ReplicationController", step="defaults.controller"),
    ("", "v1", "Service"): _core("SetDefaults_Service", step="defaults.service"),
    ("", "v1", "Endpoints"): KindDefaults(
        ("core/v1/defaults.go:SetDefaults_Endpoints",),
        (Rule(("subsets", _EACH, "ports", _EACH), "protocol", "TCP"),)),
    ("", "v1", "Secret"): _core("SetDefaults_Secret", step="defaults.secret"),
    ("", "v1", "PersistentVolume"): KindDefaults(
        ("core/v1/defaults.go:SetDefaults_PersistentVolume",),
        (Rule(("spec",), "persistentVolumeReclaimPolicy", "Retain"),
         Rule(("spec",), "volumeMode", "Filesystem"))),
    ("", "v1", "PersistentVolumeClaim"): KindDefaults(
        ("core/v1/defaults.go:SetDefaults_PersistentVolumeClaimSpec",),
        (Rule(("spec",), "volumeMode", "Filesystem"),)),
    ("", "v1", "Namespace"): _core("SetDefaults_Namespace", step="server-fields"),
    ("", "v1", "Node"): _core("SetDefaults_NodeStatus", step="server-fields"),
    ("", "v1", "LimitRange"): KindDefaults(
        ("core/v1/defaults.go:SetDefaults_LimitRangeItem",), step="defaults.limitrange"),
    ("extensions", "v1beta1", "Ingress"): KindDefaults(
        ("extensions/v1beta1/defaults.go:SetDefaults_HTTPIngressPath",), step="defaults.ingress"),
    ("extensions", "v1beta1", "NetworkPolicy"): KindDefaults(
        ("extensions/v1beta1/defaults.go:SetDefaults_NetworkPolicy",
         "extensions/v1beta1/defaults.go:SetDefaults_NetworkPolicyPort"),
        step="defaults.networkpolicy"),
    ("batch", "v1", "Job"): KindDefaults(("batch/v1/defaults.go:SetDefaults_Job",),
                                         step="defaults.job"),
    ("batch", "v1", "CronJob"): _cron_job("v1"),
    ("batch", "v1beta1", "CronJob"): _cron_job("v1beta1"),
    ("autoscaling", "v1", "HorizontalPodAutoscaler"): KindDefaults(
        ("autoscaling/v1/defaults.go:SetDefaults_HorizontalPodAutoscaler",), step="defaults.hpa"),
    ("autoscaling", "v2", "HorizontalPodAutoscaler"): KindDefaults(
        ("autoscaling/v2/defaults.go:SetDefaults_HorizontalPodAutoscaler",), step="defaults.hpa"),
    ("autoscaling", "v2beta2", "HorizontalPodAutoscaler"): KindDefaults(
        ("autoscaling/v2beta2/defaults.go:SetDefaults_HorizontalPodAutoscaler",),
        step="defaults.hpa"),
    ("networking.k8s.io", "v1beta1", "Ingress"): KindDefaults(
        ("networking/v1beta1/defaults.go:SetDefaults_HTTPIngressPath",), step="defaults.ingress"),
    ("networking.k8s.io", "v1", "NetworkPolicy"): KindDefaults(
        ("networking/v1/defaults.go:SetDefaults_NetworkPolicy",
         "networking/v1/defaults.go:SetDefaults_NetworkPolicyPort"), step="defaults.networkpolicy"),
    ("networking.k8s.io", "v1", "IngressClass"): KindDefaults(
        ("networking/v1/defaults.go:SetDefaults_IngressClass",),
        (Rule(("spec", "parameters"), "scope", "Cluster"),)),
    ("discovery.k8s.io", "v1", "EndpointSlice"): _endpoint_slice("v1"),
    ("discovery.k8s.io", "v1beta1", "EndpointSlice"): _endpoint_slice("v1beta1"),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding"): _binding("v1", "RoleBinding"),
    ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"): _binding(
        "v1", "ClusterRoleBinding"),
    ("storage.k8s.io", "v1", "StorageClass"): _storage_class("v1"),
    ("storage.k8s.io", "v1", "CSIDriver"): _CSI_DRIVER,
    ("storage.k8s.io", "v1beta1", "StorageClass"): _storage_class("v1beta1"),
    ("scheduling.k8s.io", "v1", "PriorityClass"): _PRIORITY_CLASS,
    ("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema"): KindDefaults(
        ("flowcontrol/v1/defaults.go:SetDefaults_FlowSchemaSpec",),
        (Rule(("spec",), "matchingPrecedence", 1000),)),
    ("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration"): KindDefaults(
        ("flowcontrol/v1/defaults.go:SetDefaults_LimitedPriorityLevelConfiguration",
         "flowcontrol/v1/defaults.go:SetDefaults_QueuingConfiguration"),
        (Rule(("spec", "limited"), "nominalConcurrencyShares", 30),
         Rule(("spec", "limited"), "lendablePercent", 0),
         Rule(("spec", "limited", "limitResponse", "queuing"), "handSize", 8),
         Rule(("spec", "limited", "limitResponse", "queuing"), "queues", 64),
         Rule(("spec", "limited", "limitResponse", "queuing"), "queueLengthLimit", 50))),
    ("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration"): _webhooks("v1", True),
    ("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration"): _webhooks(
        "v1", False),
    ("admissionregistration.k8s.io", "v1beta1", "MutatingWebhookConfiguration"): _webhooks(
        "v1beta1", True),
    ("admissionregistration.k8s.io", "v1beta1", "ValidatingWebhookConfiguration"): _webhooks(
        "v1beta1", False),
    ("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy"): KindDefaults(
        ("admissionregistration/v1/defaults.go:SetDefaults_ValidatingAdmissionPolicySpec",
         "admissionregistration/v1/defaults.go:SetDefaults_MatchResources"),
        (Rule(("spec",), "failurePolicy", "Fail"),
         Rule(("spec", "matchConstraints"), "matchPolicy", "Equivalent"),
         Rule(("spec", "matchConstraints"), "namespaceSelector", {}),
         Rule(("spec", "matchConstraints"), "objectSelector", {}))),
    ("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding"): KindDefaults(
        ("admissionregistration/v1/defaults.go:SetDefaults_MatchResources",),
        (Rule(("spec", "matchResources"), "matchPolicy", "Equivalent"),
         Rule(("spec", "matchResources"), "namespaceSelector", {}),
         Rule(("spec", "matchResources"), "objectSelector", {}))),
}  # fmt: skip

# Kinds and versions for which the server defines no SetDefaults_* function. networking/v1
# Ingress is one: its pathType is required there, unlike in the beta versions.
_WITHOUT_DEFAULTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("", "v1"): ("ConfigMap", "ServiceAccount", "ResourceQuota", "Event", "ComponentStatus",
                 "Binding"),
    ("apps", "v1"): ("ControllerRevision",),
    ("policy", "v1"): ("PodDisruptionBudget",),
    ("policy", "v1beta1"): ("PodDisruptionBudget",),
    ("networking.k8s.io", "v1"): ("Ingress",),
    ("networking.k8s.io", "v1beta1"): ("IngressClass",),
    ("rbac.authorization.k8s.io", "v1"): ("Role", "ClusterRole"),
    ("storage.k8s.io", "v1"): ("CSINode", "CSIStorageCapacity", "VolumeAttachment"),
    ("node.k8s.io", "v1"): ("RuntimeClass",),
    ("coordination.k8s.io", "v1"): ("Lease",),
    ("certificates.k8s.io", "v1"): ("CertificateSigningRequest",),
    ("events.k8s.io", "v1"): ("Event",),
    ("apiregistration.k8s.io", "v1"): ("APIService",),
    ("apiextensions.k8s.io", "v1"): ("CustomResourceDefinition",),
}  # fmt: skip
KINDS.update(_controllers())
KINDS.update(
    ((group, version, kind), _NONE)
    for (group, version), kinds in _WITHOUT_DEFAULTS.items()
    for kind in kinds
)


def _first_listed() -> dict[tuple[str, str], KindDefaults]:
    first: dict[tuple[str, str], KindDefaults] = {}
    for (group, _version, kind), defaults in KINDS.items():
        first.setdefault((group, kind), defaults)
    return first


_UNVERSIONED = _first_listed()


class TableDefaults(Step):
    """Applies the :data:`KINDS` rules of the object's own group, version and kind."""

    name = "defaults.table"

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        # Only built-in groups are keys of the table: a CRD of the same kind name is left alone.
        return bool(_entry(ctx.key, body).rules)

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        for rule in _entry(ctx.key, body).rules:
            for node in _nodes(body, rule.path):
                if rule.only and node.get(rule.only[0]) not in rule.only[1]:
                    continue
                current = node.get(rule.field)
                # len(x) == 0 tests upstream (admissionReviewVersions, lifecycle modes)
                if current is None or (current == [] and isinstance(rule.value, list)):
                    # A fresh copy: a default must never be shared between two bodies.
                    node[rule.field] = copy.deepcopy(rule.value)
        return body


def _entry(key: ResourceKey, body: Mapping[str, Any]) -> KindDefaults:
    api_version = body.get("apiVersion")
    if not isinstance(api_version, str):  # a bare body: the kind's first-listed (GA) version
        return _UNVERSIONED.get((key.group, key.kind), _NONE)
    return KINDS.get((key.group, api_version.rpartition("/")[2], key.kind), _NONE)


def _nodes(node: Any, path: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    if not path:
        if isinstance(node, dict):
            yield node
        return
    step, rest = path[0], path[1:]
    if step == _EACH:
        for item in node if isinstance(node, list) else ():
            yield from _nodes(item, rest)
    elif isinstance(node, dict):
        yield from _nodes(node.get(step), rest)
