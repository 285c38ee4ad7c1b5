"""API defaults for controllers: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job.

Sources (commit-pinned): ``pkg/apis/apps/v1/defaults.go`` and ``pkg/apis/batch/v1/defaults.go``
at v1.31.0, https://github.com/kubernetes/kubernetes/tree/9edcffcde5595e8a5b1a35f88c421764e575afce
— ``SetDefaults_Deployment``, ``SetDefaults_StatefulSet``, ``SetDefaults_DaemonSet``,
``SetDefaults_ReplicaSet``, ``SetDefaults_Job`` (CronJob's constants are in
:mod:`stateward.normalize.api_defaults`); the beta versions default differently
(``pkg/apis/apps/v1beta1/defaults.go`` and ``pkg/apis/extensions/v1beta1/defaults.go``: other
history limits, surge and deadline, ``OnDelete`` updates), and an object is defaulted in the
version it was written in. The StatefulSet claim-template workaround mirrors gitops-engine's
``statefulSetWorkaround`` (argo-cd #11143, #11074, #16707),
https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/gitops-engine/pkg/diff/diff.go#L796
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.model.kubernetes import dig
from stateward.normalize.interface import Body, NormalizeContext, Side
from stateward.normalize.spec import SpecDefaults
from stateward.normalize.walk import child, set_default

__all__ = ["ControllerDefaults", "JobDefaults", "JobSelector"]

_ROLLING = "RollingUpdate"
_ON_DELETE = "OnDelete"
_MAX_INT32 = 2**31 - 1  # extensions/v1beta1 kept every revision and never timed out
_QUARTER = {"maxUnavailable": "25%", "maxSurge": "25%"}
# SetDefaults_Deployment per apiVersion: (revisionHistoryLimit, progressDeadlineSeconds, rolling).
_DEPLOYMENT: dict[str, tuple[int, int, dict[str, Any]]] = {
    "extensions/v1beta1": (_MAX_INT32, _MAX_INT32, {"maxUnavailable": 1, "maxSurge": 1}),
    "apps/v1beta1": (2, 600, _QUARTER),
}
_DEPLOYMENT_GA = (10, 600, _QUARTER)
# Kinds whose update strategy defaulted to OnDelete before apps/v1beta2.
_ON_DELETE_FIRST = {("extensions/v1beta1", "DaemonSet"), ("apps/v1beta1", "StatefulSet")}
# Labels the Job controller puts on the selector and template when the user did not choose one.
_JOB_LABELS = ("controller-uid", "job-name", "batch.kubernetes.io/controller-uid",
               "batch.kubernetes.io/job-name")  # fmt: skip


class ControllerDefaults(SpecDefaults):
    """replicas, revision history, rollout strategy and claim templates of the apps/v1 kinds."""

    name = "defaults.controller"
    tidy = True  # it fills maps, never empties one, and sets no empty value

    kinds = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController")

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        kind = ctx.key.kind
        version = str(body.get("apiVersion", ""))
        if kind != "DaemonSet":
            set_default(spec, "replicas", 1)
        if kind == "ReplicationController":
            _replication_controller(body, spec)
            return
        first = _ON_DELETE if (version, kind) in _ON_DELETE_FIRST else _ROLLING
        if kind == "Deployment":
            _deployment(spec, version)
        elif kind != "ReplicaSet":
            set_default(spec, "revisionHistoryLimit", 10)
        if kind == "StatefulSet":
            _stateful_set(spec, first)
        elif kind == "DaemonSet":
            _strategy(spec, "updateStrategy", {"maxUnavailable": 1, "maxSurge": 0}, first)


def _replication_controller(body: dict[str, Any], spec: dict[str, Any]) -> None:
    # SetDefaults_ReplicationController: selector and labels default to the template's labels.
    labels = dig(spec, "template", "metadata", "labels")
    if isinstance(labels, dict) and labels:
        set_default(spec, "selector", dict(labels))
        metadata = child(body, "metadata")
        if metadata is not None:
            set_default(metadata, "labels", dict(labels))


def _deployment(spec: dict[str, Any], version: str) -> None:
    history, deadline, rolling = _DEPLOYMENT.get(version, _DEPLOYMENT_GA)
    set_default(spec, "revisionHistoryLimit", history)
    set_default(spec, "progressDeadlineSeconds", deadline)
    _strategy(spec, "strategy", rolling)


def _strategy(
    spec: dict[str, Any], field: str, rolling: dict[str, Any], first: str = _ROLLING
) -> None:
    set_default(spec, field, {})
    strategy = child(spec, field)
    if strategy is None:
        return
    set_default(strategy, "type", first)
    if strategy.get("type") == _ROLLING:
        set_default(strategy, "rollingUpdate", {})
        update = child(strategy, "rollingUpdate")
        for name, value in rolling.items():
            if update is not None:
                set_default(update, name, value)


def _stateful_set(spec: dict[str, Any], first: str) -> None:
    set_default(spec, "podManagementPolicy", "OrderedReady")
    _strategy(spec, "updateStrategy", {"partition": 0}, first)
    set_default(spec, "persistentVolumeClaimRetentionPolicy", {})
    retention = child(spec, "persistentVolumeClaimRetentionPolicy")
    if retention is not None:
        set_default(retention, "whenDeleted", "Retain")
        set_default(retention, "whenScaled", "Retain")
    for template in spec.get("volumeClaimTemplates") or ():
        if isinstance(template, dict):
            _claim_template(template)


def _claim_template(template: dict[str, Any]) -> None:
    # The API stores claim templates as full PVCs: apiVersion, kind, a Pending status and a
    # defaulted volumeMode appear in live although nobody wrote them.
    template.pop("status", None)
    template.pop("apiVersion", None)
    template.pop("kind", None)
    claim_spec = child(template, "spec")
    if claim_spec is not None:
        set_default(claim_spec, "volumeMode", "Filesystem")


class JobDefaults(SpecDefaults):
    """Job counts, modes and the controller-chosen selector."""

    name = "defaults.job"

    kinds = ("Job",)

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        if spec.get("completions") is None and spec.get("parallelism") is None:
            spec["completions"] = 1
            spec["parallelism"] = 1
        set_default(spec, "parallelism", 1)
        set_default(spec, "backoffLimit", 6)
        set_default(spec, "completionMode", "NonIndexed")
        set_default(spec, "suspend", False)
        if spec.get("podFailurePolicy") is None:
            set_default(spec, "podReplacementPolicy", "TerminatingOrFailed")


class JobSelector(SpecDefaults):
    """The selector and labels the Job controller generated, dropped from live unless desired
    chose them."""

    name = "defaults.job"  # one step upstream; its notes keep the name
    pairwise: tuple[Side, ...] = ("live",)

    kinds = ("Job",)

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        if ctx.side == "live" and dig(desired, "spec", "manualSelector") is not True:
            _drop_generated_selector(spec, dig(desired, "spec"))
            # SetDefaults_Job: a Job without labels gets its template's labels.
            _drop_labels(dig(body, "metadata", "labels"), dig(desired, "metadata", "labels"))


def _drop_generated_selector(spec: dict[str, Any], wanted: Any) -> None:
    if not isinstance(dig(wanted, "selector"), Mapping):
        spec.pop("selector", None)
    _drop_labels(
        dig(spec, "template", "metadata", "labels"), dig(wanted, "template", "metadata", "labels")
    )


def _drop_labels(labels: Any, wanted: Any) -> None:
    if isinstance(labels, dict):
        for name in _JOB_LABELS:
            if not (isinstance(wanted, Mapping) and name in wanted):
                labels.pop(name, None)
