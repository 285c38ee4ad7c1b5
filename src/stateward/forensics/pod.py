"""Capture a pod before it vanishes: when a watched pod starts terminating (``deletionTimestamp``
set: its grace period is the window), is evicted, is deleted, or a container restarts
(``lastState.terminated``, e.g. OOMKilled), seal what the API server still holds of it, most
volatile first (RFC 3227 §2.1): each container's log (and its previous instance's, after a
restart), the events about the pod, then the pod itself (spec, status, owner chain, node).

Only the API server's reads are used (``pods/log``, events), never an exec into the pod. The pod
document is the one the watch saw, secret-looking values already digested
(:func:`~stateward.sources.redact.redact_object`); logs are raw, so they are sealed as the engine
capture seals them (:mod:`stateward.forensics.collector`): age ciphertext, or digests only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from stateward.forensics.capture import CaptureOptions
from stateward.forensics.collector import Clock, Collector, Tail
from stateward.forensics.evidence import ObjectStore, Sealed, Tier, seal
from stateward.ledger.signer import Signer
from stateward.model.canonical import canonical_json
from stateward.sources.kube.client import ApiFailure, Cluster

__all__ = ["PodTriggers", "capture_pod"]

METHOD = "Kubernetes API (pods/log, events) from outside the pod (no exec)"
_JSON = "application/json"
_TEXT = "text/plain"


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class PodTriggers:
    """Which pod changes call for a capture, each once: a pod's end (terminating, evicted or
    deleted, whichever is seen first) and each container restart."""

    _ended: set[str] = field(default_factory=set)
    _restarts: set[tuple[str, str, int]] = field(default_factory=set)

    def trigger(self, event: str, pod: Mapping[str, Any]) -> dict[str, Any] | None:
        """The trigger of a capture for this watch event of ``pod``, or None."""
        meta = _mapping(pod.get("metadata"))
        uid = str(meta.get("uid") or meta.get("name") or "")
        status = _mapping(pod.get("status"))
        ending = (
            ("deleted", event == "DELETED"),
            ("evicted", status.get("reason") == "Evicted"),
            ("terminating", bool(meta.get("deletionTimestamp"))),
        )
        for kind, now in ending:
            if now and uid not in self._ended:
                self._ended.add(uid)
                grace = meta.get("deletionGracePeriodSeconds")
                return {"kind": "watch", "event": f"pod-{kind}", "watch_event": event,
                        "grace_seconds": grace,
                        "deletionTimestamp": meta.get("deletionTimestamp")}  # fmt: skip
        for container in _list(status.get("containerStatuses")):
            ended = _mapping(_mapping(container.get("lastState")).get("terminated"))
            key = (uid, str(container.get("name")), int(container.get("restartCount") or 0))
            if ended and key[2] > 0 and key not in self._restarts:
                self._restarts.add(key)
                return {"kind": "watch", "event": "container-restarted", "watch_event": event,
                        "container": key[1],
                        "restart_count": key[2], "reason": ended.get("reason"),
                        "exit_code": ended.get("exitCode")}  # fmt: skip
        return None


def capture_pod(
    cluster: Cluster,
    pod: Mapping[str, Any],
    *,
    store: ObjectStore,
    signer: Signer,
    options: CaptureOptions | None = None,
    trigger: Mapping[str, Any] | None = None,
    clock: Clock = _utcnow,
) -> Sealed:
    """Collect, store and seal the evidence of ``pod`` (as the watch saw it, redacted)."""
    options = options or CaptureOptions()
    started = clock()
    meta = _mapping(pod.get("metadata"))
    namespace, name = str(meta.get("namespace", "")), str(meta.get("name", ""))
    collector = Collector(store, clock, _failure, options.recipients,
                          skipped="the container has no previous instance")  # fmt: skip
    restarted = {str(c.get("name")): int(c.get("restartCount") or 0)
                 for c in _list(_mapping(pod.get("status")).get("containerStatuses"))}  # fmt: skip
    log = partial(_log, cluster, namespace, name, options)
    for container in _containers(pod):
        collector.step(f"log:{container}", Tier.REMOTE_LOGS, _TEXT,
                       partial(log, container, False), raw=True)  # fmt: skip
        if restarted.get(container):
            collector.step(f"log:{container}:previous", Tier.REMOTE_LOGS, _TEXT,
                           partial(log, container, True), raw=True)  # fmt: skip
    events = partial(_events, cluster, namespace, str(meta.get("uid", "")))
    collector.step("events", Tier.REMOTE_LOGS, _JSON, events)
    collector.step("pod", Tier.CONFIGURATION, _JSON, lambda: canonical_json(pod))
    subject = _subject(cluster, pod)
    manifest = collector.manifest(subject, trigger, METHOD, "as the watch last saw it", started)
    return seal(store, manifest, signer)


def _failure(exc: Exception) -> str | None:
    if not isinstance(exc, ApiFailure):
        return None
    if exc.status == 404:
        return "the pod was removed during capture"
    return f"the API server answered {exc.status or 'nothing'}: {exc.reason}"


def _log(cluster: Cluster, namespace: str, name: str, options: CaptureOptions,
         container: str, previous: bool) -> Tail:  # fmt: skip
    """The last ``log_lines`` lines of a container's log, at most ``log_bytes`` of them
    (``tailLines`` and ``limitBytes`` of pods/log: https://kubernetes.io/docs/reference/
    kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod)."""
    query = {"container": container, "tailLines": str(options.log_lines),
             "limitBytes": str(options.log_bytes)}  # fmt: skip
    if previous:
        query["previous"] = "true"
    path = f"/api/v1/namespaces/{namespace}/pods/{name}/log"
    data = cluster.read(path, query, "text/plain")
    cut = len(data) > options.log_bytes
    return Tail(
        data[-options.log_bytes :], f"cut to the last {options.log_bytes} bytes" if cut else ""
    )


def _events(cluster: Cluster, namespace: str, uid: str) -> bytes:
    """The events about the pod, by its uid (a field selector Events support:
    kubernetes/kubernetes at v1.31.0, pkg/registry/core/event/strategy.go, ToSelectableFields)."""
    answer = cluster.get(f"/api/v1/namespaces/{namespace}/events",
                         {"fieldSelector": f"involvedObject.uid={uid}"})  # fmt: skip
    items = answer.get("items") if isinstance(answer, Mapping) else None
    return canonical_json(_list(items))


def _subject(cluster: Cluster, pod: Mapping[str, Any]) -> dict[str, Any]:
    meta, spec = _mapping(pod.get("metadata")), _mapping(pod.get("spec"))
    status = _mapping(pod.get("status"))
    return {
        "cluster": cluster.server,
        "name": f"{meta.get('namespace')}/{meta.get('name')}",
        "pod": {"namespace": meta.get("namespace"), "name": meta.get("name"),
                "uid": meta.get("uid")},
        "node": spec.get("nodeName"),
        "owners": [{"kind": o.get("kind"), "name": o.get("name"), "uid": o.get("uid")}
                   for o in _list(meta.get("ownerReferences"))],
        "images": {str(c.get("name")): c.get("imageID") for c in _list(
            status.get("containerStatuses"))},
        "state": {"phase": status.get("phase"), "reason": status.get("reason")},
    }  # fmt: skip


def _containers(pod: Mapping[str, Any]) -> list[str]:
    return [str(c.get("name")) for c in _list(_mapping(pod.get("spec")).get("containers"))]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []
