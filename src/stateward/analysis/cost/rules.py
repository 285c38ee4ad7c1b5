"""The rules of the replacement classifier: how each platform applies a kind of change.

Each rule names the mode the platform uses and the source that says so. Sources are cited by
commit-pinned URL where the behaviour lives in code, else by
the documentation page that states it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Mode", "Rule", "RULES"]

_K8S = "https://github.com/kubernetes/kubernetes/blob/a7264f95ffc8b56377da16e83461aa59467ebb3e"
_COMPOSE = "https://github.com/docker/compose/blob/1701d8da81a435004c7a02a72c4ee3fa9b5efeb8"
_DOCS = "https://kubernetes.io/docs"


class Mode(enum.StrEnum):
    """How a change reaches a running component, cheapest first."""

    IN_PLACE = "in place"
    """Applied to what runs; nothing restarts."""
    NEXT_RUN = "next run"
    """Applies to the next Job a CronJob starts; nothing running is touched."""
    RESTART = "restart"
    """The container restarts in its pod: same node, same volumes, image layers may be pulled."""
    REPLACE = "replace"
    """Pods or containers are destroyed and created anew (a rollout or a recreate)."""

    @property
    def rank(self) -> int:
        """Order in which modes dominate: a component takes its most expensive change's mode."""
        return list(Mode).index(self)


@dataclass(frozen=True, slots=True)
class Rule:
    """One classifier rule."""

    id: str
    mode: Mode
    summary: str
    source: str
    alternative: str = ""
    """An in-place path the operator can take instead, when the platform offers one."""


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.id: r for r in rules}


RULES: dict[str, Rule] = _rules(
    Rule(
        "K8S_TEMPLATE",
        Mode.REPLACE,
        "a change to the pod template rolls out new pods",
        f"{_DOCS}/concepts/workloads/controllers/deployment/#updating-a-deployment "
        "(a rollout is triggered if and only if .spec.template is changed)",
    ),
    Rule(
        "K8S_POD_IMAGE",
        Mode.RESTART,
        "a bare Pod's image may be updated; the kubelet restarts that container in place",
        f"{_K8S}/pkg/apis/core/validation/validation.go (ValidatePodUpdate: only "
        "spec.containers[*].image, activeDeadlineSeconds, terminationGracePeriodSeconds and "
        "added tolerations may change)",
    ),
    Rule(
        "K8S_POD_MUTABLE",
        Mode.IN_PLACE,
        "activeDeadlineSeconds, terminationGracePeriodSeconds and added tolerations change on "
        "a running Pod",
        f"{_K8S}/pkg/apis/core/validation/validation.go (ValidatePodUpdate)",
    ),
    Rule(
        "K8S_POD_IMMUTABLE",
        Mode.REPLACE,
        "any other Pod spec field is immutable: the Pod must be deleted and created again",
        f"{_K8S}/pkg/apis/core/validation/validation.go (ValidatePodUpdate: "
        '"pod updates may not change fields other than …")',
    ),
    Rule(
        "K8S_RESIZE",
        Mode.IN_PLACE,
        "CPU and memory of a running Pod resize in place through the /resize subresource",
        "KEP-1287 In-Place Update of Pod Resources, GA in Kubernetes 1.35 "
        "(https://github.com/kubernetes/enhancements/tree/bf8ffd2a3fcf8c76694b89a39cbc297f862d596d/keps/sig-node/1287-in-place-update-pod-resources)",
    ),
    Rule(
        "K8S_TEMPLATE_RESOURCES",
        Mode.REPLACE,
        "changing resources in a controller's pod template rolls out new pods",
        f"{_DOCS}/concepts/workloads/controllers/deployment/#updating-a-deployment",
        alternative="resize the running pods in place through pods/resize (KEP-1287, GA 1.35) "
        "and let the template change ride along with the next image rollout",
    ),
    Rule(
        "K8S_MOUNTED_OBJECT",
        Mode.IN_PLACE,
        "a mounted ConfigMap or Secret is updated in the running pod by the kubelet "
        "(within its sync period plus cache TTL); the application must re-read the file",
        f"{_DOCS}/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically",
    ),
    Rule(
        "K8S_SUBPATH",
        Mode.REPLACE,
        "a ConfigMap or Secret mounted through subPath does not receive updates: pods must be "
        "restarted",
        f"{_DOCS}/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically "
        '("A container using a ConfigMap as a subPath volume will not receive ConfigMap updates")',
        alternative="mount the whole ConfigMap/Secret as a directory (no subPath) and reload",
    ),
    Rule(
        "K8S_ENV_FROM_OBJECT",
        Mode.REPLACE,
        "environment variables from a ConfigMap or Secret are read at container start: running "
        "pods keep the old value until they are restarted",
        f"{_DOCS}/concepts/configuration/configmap/#configmaps-and-pods and "
        f"{_DOCS}/concepts/configuration/secret/#using-secrets-as-environment-variables",
        alternative="mount the value as a file (no subPath) and have the application reload it",
    ),
    Rule(
        "K8S_SCALE",
        Mode.IN_PLACE,
        "changing replicas adds or removes pods; existing pods are not replaced",
        f"{_DOCS}/concepts/workloads/controllers/deployment/#scaling-a-deployment",
    ),
    Rule(
        "K8S_HPA",
        Mode.IN_PLACE,
        "an HPA owns spec.replicas and scales without replacing pods",
        f"{_DOCS}/tasks/run-application/horizontal-pod-autoscale/",
    ),
    Rule(
        "K8S_OBJECT",
        Mode.IN_PLACE,
        "Services, NetworkPolicies and other objects beside the workload change without "
        "touching its pods",
        f"{_DOCS}/concepts/services-networking/service/",
    ),
    Rule(
        "K8S_METADATA",
        Mode.IN_PLACE,
        "labels and annotations of the object change without a rollout",
        f"{_DOCS}/concepts/workloads/controllers/deployment/#updating-a-deployment",
    ),
    Rule(
        "MESH_XDS",
        Mode.IN_PLACE,
        "Istio routing and traffic policy reach the sidecars over xDS without restarting pods",
        "https://istio.io/latest/docs/concepts/traffic-management/",
    ),
    Rule(
        "MESH_REHASH",
        Mode.IN_PLACE,
        "a changed consistent-hash key is pushed in place, but sends every session to another "
        "pod: session-local state and caches start cold",
        "https://istio.io/latest/docs/reference/config/networking/destination-rule/"
        "#LoadBalancerSettings-ConsistentHashLB",
    ),
    Rule(
        "K8S_PVC_EXPAND",
        Mode.IN_PLACE,
        "a claim's storage request grows in place when its StorageClass allows expansion",
        f"{_DOCS}/concepts/storage/persistent-volumes/#expanding-persistent-volumes-claims",
    ),
    Rule(
        "K8S_STS_FORBIDDEN",
        Mode.REPLACE,
        "StatefulSet fields other than replicas, template, updateStrategy, ordinals, "
        "persistentVolumeClaimRetentionPolicy and minReadySeconds are immutable: delete the "
        "StatefulSet (--cascade=orphan) and create it again",
        f"{_K8S}/pkg/apis/apps/validation/validation.go (ValidateStatefulSetUpdate)",
    ),
    Rule(
        "K8S_JOB_NEXT_RUN",
        Mode.NEXT_RUN,
        "a CronJob's job template applies to the next Job it creates; running Jobs are untouched",
        f"{_DOCS}/concepts/workloads/controllers/cron-jobs/#cronjob-limitations",
    ),
    Rule(
        "K8S_JOB_IMMUTABLE",
        Mode.REPLACE,
        "a Job's pod template is immutable: the Job must be deleted and created again",
        f"{_K8S}/pkg/apis/batch/validation/validation.go (ValidateJobSpecUpdate)",
    ),
    Rule(
        "COMPOSE_HASH",
        Mode.REPLACE,
        "docker compose up recreates a container whose service config hash changed",
        f"{_COMPOSE}/pkg/compose/hash.go (ServiceHash hashes the whole service config)",
    ),
    Rule(
        "COMPOSE_RESOURCES",
        Mode.REPLACE,
        "resource limits are part of the service config hash: compose up recreates",
        f"{_COMPOSE}/pkg/compose/hash.go (ServiceHash)",
        alternative="apply the limits in place with `docker update` (cpus, memory) and keep the "
        "Compose file in step",
    ),
    Rule(
        "COMPOSE_EXCLUDED",
        Mode.IN_PLACE,
        "scale, deploy.replicas, profiles, depends_on, build and pull_policy are left out of the "
        "service hash: containers are kept (scale adds or removes containers)",
        f"{_COMPOSE}/pkg/compose/hash.go (ServiceHash clears Build, PullPolicy, Scale, "
        "Deploy.Replicas, DependsOn, Profiles)",
    ),
    Rule(
        "COMPOSE_FILE_OBJECT",
        Mode.REPLACE,
        "a changed config or secret file changes the service's config/secret hash label: "
        "compose up recreates",
        f"{_COMPOSE}/pkg/compose/hash.go (ServiceConfigsHash, ServiceSecretsHash)",
    ),
    Rule(
        "ENGINE_UPDATE",
        Mode.IN_PLACE,
        "CPU and memory limits of a running container change in place (docker update)",
        "https://docs.docker.com/reference/cli/docker/container/update/",
    ),
    Rule(
        "ENGINE_RECREATE",
        Mode.REPLACE,
        "a container's image, env, mounts and ports are fixed at creation: it must be recreated",
        "https://docs.docker.com/reference/api/engine/version/v1.45/#tag/Container/operation/"
        "ContainerUpdate (only resources and restart policy are updatable)",
    ),
)
"""Every rule by id; tests cover each one."""
