"""Declared vs effective context of live pods, as findings (the same reading as the
``effective`` facet of :mod:`stateward.contexts.effective`, which cites the sources).

* ``STALE_CONFIG``: "3 of 4 pods of ReplicaSet checkout-7d… run ConfigMap checkout from before
  10:02": their containers started before it changed and read it only at start (env, subPath).
* ``MIXED_IMAGE_DIGESTS``: replicas of one controller running different image digests for one
  image reference: a tag moved between pod starts.
"""

from __future__ import annotations

from collections import defaultdict

from stateward.contexts.effective import (
    ConfigChanges,
    LivePods,
    controller,
    read_at_start,
    statuses,
)
from stateward.model.finding import Finding, Severity
from stateward.model.resource import Resource

__all__ = ["MIXED_DIGESTS", "STALE", "effective_findings"]

STALE = "STALE_CONFIG"
MIXED_DIGESTS = "MIXED_IMAGE_DIGESTS"


def effective_findings(live: LivePods) -> list[Finding]:
    """Findings on live pods (those with a ``status``) against the objects they read."""
    if not live.pods:
        return []  # a watch resolves every batch: without live pods this costs nothing
    changed = live.changes
    by_owner: dict[str, list[Resource]] = defaultdict(list)
    for pod in live.pods:
        by_owner[_owner(pod)].append(pod)
    findings: list[Finding] = []
    for owner, members in sorted(by_owner.items()):
        findings += _stale(owner, members, changed)
        findings += _mixed(owner, members)
    return findings


def _stale(owner: str, pods: list[Resource], changed: ConfigChanges
           ) -> list[Finding]:  # fmt: skip
    stale: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pod in pods:
        for kind, name, started, _ in read_at_start(pod):
            when = changed.get((kind, pod.key.namespace, name))
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
        for status in statuses(pod):
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


def _owner(pod: Resource) -> str:
    """The pod's controller (``ReplicaSet checkout-7d…``), or the pod itself."""
    owner = controller(pod.body)
    if owner is None:
        return f"Pod {pod.key.namespace}/{pod.key.name}"
    return f"{owner[0]} {pod.key.namespace}/{owner[1]}"
