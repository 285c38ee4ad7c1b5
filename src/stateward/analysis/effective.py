"""Declared vs effective context of live pods: what the running processes actually see.

* ``STALE_CONFIG``: environment variables from a ConfigMap or Secret (``env[].valueFrom``,
  ``envFrom``) are read once, when the container starts; a file mounted with ``subPath`` is
  never refreshed either (https://kubernetes.io/docs/concepts/configuration/configmap/
  #mounted-configmaps-are-updated-automatically). A container started before the object last
  changed runs the old values: "3 of 4 pods of ReplicaSet checkout-7d… run ConfigMap checkout
  from before 10:02". Whole-volume mounts refresh after the kubelet's sync and are not counted;
  an ``immutable`` object never changes, so never goes stale.
* ``MIXED_IMAGE_DIGESTS``: replicas of one controller running different image digests for one
  image reference (``status.containerStatuses[].imageID``): a tag moved between pod starts.

When an object last changed is the newest ``managedFields`` time (the API server sets it on
every write that changes a manager's fields), else its ``creationTimestamp``; when a container
started is its ``state.running.startedAt``. All are RFC 3339 UTC to the second: compared as text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from stateward.model.finding import Finding, Severity
from stateward.model.resource import Resource

__all__ = ["MIXED_DIGESTS", "STALE", "effective_findings"]

STALE = "STALE_CONFIG"
MIXED_DIGESTS = "MIXED_IMAGE_DIGESTS"
_CONFIG_KINDS = ("ConfigMap", "Secret")


def effective_findings(resources: Iterable[Resource]) -> list[Finding]:
    """Findings on live pods (those with a ``status``) against the objects they read."""
    resources = list(resources)
    pods = [r for r in resources if (r.key.group, r.key.kind) == ("", "Pod") and _status(r)]
    if not pods:
        return []  # a watch resolves every batch: without live pods this costs nothing
    changed = {(r.key.kind, r.key.namespace, r.key.name): _last_change(r.body)
               for r in resources if r.key.group == "" and r.key.kind in _CONFIG_KINDS
               and not r.body.get("immutable")}  # fmt: skip
    by_owner: dict[str, list[Resource]] = defaultdict(list)
    for pod in pods:
        by_owner[_owner(pod)].append(pod)
    findings: list[Finding] = []
    for owner, members in sorted(by_owner.items()):
        findings += _stale(owner, members, changed)
        findings += _mixed(owner, members)
    return findings


def _stale(owner: str, pods: list[Resource], changed: Mapping[tuple[str, str, str], str]
           ) -> list[Finding]:  # fmt: skip
    stale: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pod in pods:
        for kind, name, started in _read_at_start(pod):
            when = changed.get((kind, pod.key.namespace, name), "")
            if started and when > started:
                stale[(f"{kind} {name}", when)].add(str(pod.key))
    return [
        Finding(
            rule=STALE,
            severity=Severity.MEDIUM,
            message=f"{len(names)} of {len(pods)} pods of {owner} run {source} from before "
            f"{when}: their containers started before it changed and read it only at start "
            "(env, subPath mount)",
            resource=sorted(names)[0],
            path="/spec/containers",
            remedy="Restart the pods (kubectl rollout restart), or mount the object as a whole "
            "volume and have the program re-read it.",
            evidence=tuple(sorted(names)),
        )
        for (source, when), names in sorted(stale.items())
    ]


def _mixed(owner: str, pods: list[Resource]) -> list[Finding]:
    digests: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for pod in pods:
        for status in _statuses(pod):
            image, digest = status.get("image"), status.get("imageID")
            if isinstance(image, str) and isinstance(digest, str) and digest:
                digests[(str(status.get("name")), image)][digest].append(str(pod.key))
    findings = []
    for (container, image), seen in sorted(digests.items()):
        if len(seen) < 2:
            continue
        counts = ", ".join(f"{d} ({len(p)} pods)" for d, p in sorted(seen.items()))
        findings.append(Finding(
            rule=MIXED_DIGESTS,
            severity=Severity.MEDIUM,
            message=f"pods of {owner} run {len(seen)} digests of {image} in container "
            f"{container}: {counts}",
            resource=sorted(p for ps in seen.values() for p in ps)[0],
            path="/status/containerStatuses",
            remedy="Pin the image by digest (image@sha256:…) so every replica runs the same "
            "bytes, then restart the pods that run the other one.",
            evidence=tuple(sorted(p for ps in seen.values() for p in ps)),
        ))  # fmt: skip
    return findings


def _read_at_start(pod: Resource) -> Iterator[tuple[str, str, str]]:
    """(kind, name, container start) of every ConfigMap/Secret a container reads only at
    start: its env, and volumes mounted with ``subPath``."""
    spec = _mapping(pod.body.get("spec"))
    volumes = {str(v.get("name")): v for v in _list(spec.get("volumes"))}
    started = {str(s.get("name")): str(_mapping(_mapping(s.get("state")).get("running"))
                                       .get("startedAt") or "") for s in _statuses(pod)}  # fmt: skip
    for container in _list(spec.get("containers")):
        at = started.get(str(container.get("name")), "")
        for env in _list(container.get("env")):
            source = _mapping(env.get("valueFrom"))
            for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                if ref := _mapping(source.get(field)).get("name"):
                    yield kind, str(ref), at
        for env in _list(container.get("envFrom")):
            for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                if ref := _mapping(env.get(field)).get("name"):
                    yield kind, str(ref), at
        for mount in _list(container.get("volumeMounts")):
            volume = volumes.get(str(mount.get("name")), {})
            if not mount.get("subPath"):
                continue
            if name := _mapping(volume.get("configMap")).get("name"):
                yield "ConfigMap", str(name), at
            if name := _mapping(volume.get("secret")).get("secretName"):
                yield "Secret", str(name), at


def _last_change(body: Mapping[str, Any]) -> str:
    metadata = _mapping(body.get("metadata"))
    times = [str(e.get("time")) for e in _list(metadata.get("managedFields")) if e.get("time")]
    return max(times, default=str(metadata.get("creationTimestamp") or ""))


def _owner(pod: Resource) -> str:
    """The pod's controller (``ReplicaSet checkout-7d…``), or the pod itself."""
    refs = _list(_mapping(pod.body.get("metadata")).get("ownerReferences"))
    controller = next((r for r in refs if r.get("controller")), refs[0] if refs else None)
    if controller is None:
        return f"Pod {pod.key.namespace}/{pod.key.name}"
    return f"{controller.get('kind')} {pod.key.namespace}/{controller.get('name')}"


def _status(pod: Resource) -> bool:
    return bool(_mapping(pod.body.get("status")))


def _statuses(pod: Resource) -> list[Mapping[str, Any]]:
    return _list(_mapping(pod.body.get("status")).get("containerStatuses"))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []
