"""N8 of ANCHORS §1.1 for controllers: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob.

Sources (commit-pinned): ``pkg/apis/apps/v1/defaults.go`` and ``pkg/apis/batch/v1/defaults.go``
at https://github.com/kubernetes/kubernetes/tree/v1.31.0 — ``SetDefaults_Deployment``,
``SetDefaults_StatefulSet``, ``SetDefaults_DaemonSet``, ``SetDefaults_ReplicaSet``,
``SetDefaults_Job``, ``SetDefaults_CronJob``. The StatefulSet claim-template workaround mirrors
gitops-engine's ``statefulSetWorkaround`` (argo-cd #11143, #11074, #16707).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.diff.interface import Body, NormalizeContext
from stateward.diff.normalize.spec import SpecDefaults
from stateward.diff.normalize.walk import child, dig, set_default

__all__ = ["ControllerDefaults", "CronJobDefaults", "JobDefaults"]

_ROLLING = "RollingUpdate"
# Labels the Job controller puts on the selector and template when the user did not choose one.
_JOB_LABELS = ("controller-uid", "job-name", "batch.kubernetes.io/controller-uid",
               "batch.kubernetes.io/job-name")  # fmt: skip


class ControllerDefaults(SpecDefaults):
    """replicas, revision history, rollout strategy and claim templates of the apps/v1 kinds."""

    name = "defaults.controller"

    kinds = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController")

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        kind = ctx.key.kind
        if kind != "DaemonSet":
            set_default(spec, "replicas", 1)
        if kind == "ReplicationController":
            _replication_controller(body, spec)
            return
        if kind != "ReplicaSet":
            set_default(spec, "revisionHistoryLimit", 10)
        if kind == "Deployment":
            _deployment(spec)
        elif kind == "StatefulSet":
            _stateful_set(spec)
        elif kind == "DaemonSet":
            _strategy(spec, "updateStrategy", {"maxUnavailable": 1, "maxSurge": 0})


def _replication_controller(body: dict[str, Any], spec: dict[str, Any]) -> None:
    # SetDefaults_ReplicationController: selector and labels default to the template's labels.
    labels = dig(spec, "template", "metadata", "labels")
    if isinstance(labels, dict) and labels:
        set_default(spec, "selector", dict(labels))
        metadata = child(body, "metadata")
        if metadata is not None:
            set_default(metadata, "labels", dict(labels))


def _deployment(spec: dict[str, Any]) -> None:
    set_default(spec, "progressDeadlineSeconds", 600)
    _strategy(spec, "strategy", {"maxUnavailable": "25%", "maxSurge": "25%"})


def _strategy(spec: dict[str, Any], field: str, rolling: dict[str, Any]) -> None:
    set_default(spec, field, {})
    strategy = child(spec, field)
    if strategy is None:
        return
    set_default(strategy, "type", _ROLLING)
    if strategy.get("type") == _ROLLING:
        set_default(strategy, "rollingUpdate", {})
        update = child(strategy, "rollingUpdate")
        for name, value in rolling.items():
            if update is not None:
                set_default(update, name, value)


def _stateful_set(spec: dict[str, Any]) -> None:
    set_default(spec, "podManagementPolicy", "OrderedReady")
    _strategy(spec, "updateStrategy", {"partition": 0})
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


class CronJobDefaults(SpecDefaults):
    """concurrencyPolicy, suspend and the two history limits."""

    name = "defaults.cronjob"

    kinds = ("CronJob",)

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        set_default(spec, "concurrencyPolicy", "Allow")
        set_default(spec, "suspend", False)
        set_default(spec, "successfulJobsHistoryLimit", 3)
        set_default(spec, "failedJobsHistoryLimit", 1)
