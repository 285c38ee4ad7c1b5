"""API defaults for pod specs: the values the API server fills in when a field is absent.

Source: ``k8s.io/kubernetes`` ``pkg/apis/core/v1/defaults.go`` at v1.31.0,
https://github.com/kubernetes/kubernetes/blob/9edcffcde5595e8a5b1a35f88c421764e575afce/pkg/apis/core/v1/defaults.go,
the functions ``SetDefaults_PodSpec``, ``SetDefaults_Container``, ``SetDefaults_Probe``,
``SetDefaults_Volume`` … Defaults are applied to both sides and only where a field is absent, so
a value the user wrote is never replaced, and ``initialDelaySeconds: 0`` equals absent
(argo-cd #8833).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from stateward.model.kubernetes import dig, pod_spec_path
from stateward.normalize.interface import Body, NormalizeContext, Side
from stateward.normalize.spec import SpecDefaults
from stateward.normalize.step import KindStep, Step
from stateward.normalize.walk import child, containers, pod_specs, set_default

__all__ = ["PodDefaults", "PodSpecDefaults", "TokenVolume"]

_POD_SPEC = {"dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
             "schedulerName": "default-scheduler", "terminationGracePeriodSeconds": 30}  # fmt: skip
_CONTAINER = {"terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
_PROBE = {"initialDelaySeconds": 0, "timeoutSeconds": 1, "periodSeconds": 10,
          "successThreshold": 1, "failureThreshold": 3}  # fmt: skip
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_MODE_SOURCES = ("configMap", "secret", "projected", "downwardAPI")
_VOLUME_SOURCES = frozenset({
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
    "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs",
    "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte",
    "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos",
    "csi", "ephemeral", "image",
})  # fmt: skip
_DEFAULT_MODE = 0o644  # 420: SetDefaults_{ConfigMap,Secret,Projected,DownwardAPI}VolumeSource
_NOT_READY = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")
_TOKEN_VOLUME = re.compile(r"^(kube-api-access-[a-z0-9]{5}|default-token-[a-z0-9]{5})$")


class PodSpecDefaults(Step):
    """Pod spec and container defaults, in every built-in workload's pod template."""

    name = "defaults.pod-spec"
    tidy = True  # it fills maps, never empties one, and sets no empty value

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        return pod_spec_path(ctx.key) is not None

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        for spec in pod_specs(ctx.key, body):
            _pod_spec(spec)
        return body


def _pod_spec(spec: dict[str, Any]) -> None:
    for field, value in _POD_SPEC.items():
        if spec.get(field) is None:  # set_default, inline: it runs for every pod spec
            spec[field] = value
    host_network = spec.get("hostNetwork") is True
    for container in containers(spec):
        _container(container, host_network)
    for volume in spec.get("volumes") or ():
        if isinstance(volume, dict):
            _volume(volume)


def _container(container: dict[str, Any], host_network: bool) -> None:
    # Bodies here took the JSON round trip: maps are exactly dicts, so ``type(x) is dict``
    # stands for dig()'s and child()'s checks, without a call per field of every container.
    for field, value in _CONTAINER.items():
        if container.get(field) is None:  # set_default, inline
            container[field] = value
    image = container.get("image")
    if isinstance(image, str):
        set_default(container, "imagePullPolicy", _pull_policy(image))
    for port in container.get("ports") or ():
        if isinstance(port, dict):
            set_default(port, "protocol", "TCP")
            mirrored = port.get("containerPort")  # a null one: the empty values go later
            if host_network and mirrored is not None:
                # SetDefaults_Pod: with hostNetwork, hostPort mirrors containerPort
                set_default(port, "hostPort", mirrored)
    for probe in _PROBES:
        found = container.get(probe)
        if type(found) is dict:
            for setting, number in _PROBE.items():
                if found.get(setting) is None:
                    found[setting] = number
            _handler(found)
    lifecycle = container.get("lifecycle")
    if type(lifecycle) is dict:
        for hook in ("postStart", "preStop"):
            handler = lifecycle.get(hook)
            if type(handler) is dict:
                _handler(handler)
    for var in container.get("env") or ():
        source = var.get("valueFrom") if type(var) is dict else None
        if type(source) is dict:
            field_ref = source.get("fieldRef")
            if type(field_ref) is dict:
                set_default(field_ref, "apiVersion", "v1")
            resource_ref = source.get("resourceFieldRef")
            if type(resource_ref) is dict:
                set_default(resource_ref, "divisor", "0")


def _pull_policy(image: str) -> str:
    # SetDefaults_Container: Always for ":latest" or no tag, else IfNotPresent; a digest pins.
    if "@" in image:
        return "IfNotPresent"
    name = image.rsplit("/", 1)[-1]
    tag = name.partition(":")[2]
    return "Always" if tag in ("", "latest") else "IfNotPresent"


def _handler(handler: dict[str, Any]) -> None:
    http = child(handler, "httpGet")
    if http is not None:  # SetDefaults_HTTPGetAction
        set_default(http, "path", "/")
        set_default(http, "scheme", "HTTP")
    if child(handler, "grpc") is not None:
        set_default(handler["grpc"], "service", "")


def _volume(volume: dict[str, Any]) -> None:
    if not _VOLUME_SOURCES.intersection(volume):
        volume["emptyDir"] = {}  # SetDefaults_Volume: a volume without a source is an emptyDir
    for source in _MODE_SOURCES:
        found = child(volume, source)
        if found is not None:
            set_default(found, "defaultMode", _DEFAULT_MODE)
            _downward_items(found.get("items"))
            for projection in found.get("sources") or ():
                _downward_items(dig(projection, "downwardAPI", "items"))
    host_path = child(volume, "hostPath")
    if host_path is not None:
        set_default(host_path, "type", "")


def _downward_items(items: Any) -> None:
    for item in items if isinstance(items, list) else ():
        field_ref = dig(item, "fieldRef")
        if isinstance(field_ref, dict):
            set_default(field_ref, "apiVersion", "v1")


class PodDefaults(SpecDefaults):
    """Defaults only bare Pods get (SetDefaults_Pod, admission plugins), not pod templates."""

    name = "defaults.pod"

    kinds = ("Pod",)

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        set_default(spec, "enableServiceLinks", True)
        set_default(spec, "priority", 0)
        set_default(spec, "preemptionPolicy", "PreemptLowerPriority")
        set_default(spec, "serviceAccountName", "default")  # ServiceAccount admission
        tolerations = spec.setdefault("tolerations", [])
        if isinstance(tolerations, list):
            _default_tolerations(tolerations)


def _default_tolerations(tolerations: list[Any]) -> None:
    # DefaultTolerationSeconds admission: 300 s NoExecute for not-ready and unreachable nodes.
    keys = {item.get("key") for item in tolerations if isinstance(item, dict)}
    tolerations.extend(
        {"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
        for key in _NOT_READY
        if key not in keys
    )


class TokenVolume(KindStep):
    """The service-account token volume and its mounts that admission adds to every live Pod."""

    name = "token-volume"
    pairwise: tuple[Side, ...] = ("live",)
    kinds = ("Pod",)

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        spec = child(body, "spec")
        if ctx.side != "live" or spec is None:
            return body
        wanted = {
            v.get("name") for v in dig(desired, "spec", "volumes") or () if isinstance(v, dict)
        }
        volumes = spec.get("volumes")
        if not isinstance(volumes, list):
            return body
        added = {
            v["name"] for v in volumes
            if isinstance(v, dict) and isinstance(v.get("name"), str)
            and _TOKEN_VOLUME.match(v["name"]) and v["name"] not in wanted
        }  # fmt: skip
        spec["volumes"] = [
            v for v in volumes if not (isinstance(v, dict) and v.get("name") in added)
        ]
        for container in containers(spec):
            mounts = container.get("volumeMounts")
            if isinstance(mounts, list):
                container["volumeMounts"] = [
                    m for m in mounts if not (isinstance(m, dict) and m.get("name") in added)
                ]
        return body
