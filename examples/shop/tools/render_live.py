"""Render ``live/production.yaml``: what ``kubectl get -n shop … -o yaml`` prints for production.

The dump is what an API server would hand back for the production manifests: server-populated
metadata (uid, resourceVersion, generation, creationTimestamp, managedFields, the last-applied
annotation), API defaults (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go), status,
and the HPA's replica count — plus four changes made in flight, every image unchanged:

1. ``kubectl set env deployment/frontend LOG_LEVEL=debug``            (env)
2. the ``db-credentials`` password rotated by hand                       (secret)
3. ``checkout-rules`` edited: ``fraud_threshold`` 0.8 → 0.6               (config)
4. the ``cart`` DestinationRule's cookie renamed and pool raised          (mesh)

Run from the repository root: ``.venv/bin/python examples/shop/tools/render_live.py``.
"""

from __future__ import annotations

import base64
import copy
import json
import uuid
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent.parent
CREATED = "2026-11-02T09:14:07Z"
NOW = "2026-11-25T16:41:52Z"


def main() -> None:
    objects = [
        obj
        for path in sorted((HERE / "production").glob("*.yaml"))
        for obj in yaml.safe_load_all(path.read_text())
        if obj
    ]
    items = [_live(obj, i) for i, obj in enumerate(objects)]
    for item in items:
        _in_flight(item)
    dump = {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}
    out = HERE / "live" / "production.yaml"
    out.parent.mkdir(exist_ok=True)
    header = "# kubectl get all,cm,secret,netpol,hpa,destinationrule -n shop -o yaml (rendered)\n"
    out.write_text(header + yaml.safe_dump(dump, sort_keys=True, width=100))


def _live(desired: dict[str, Any], n: int) -> dict[str, Any]:
    obj = copy.deepcopy(desired)
    kind, meta = obj["kind"], obj["metadata"]
    last_applied = json.dumps(desired, sort_keys=True, separators=(",", ":"))
    meta.setdefault("annotations", {})["kubectl.kubernetes.io/last-applied-configuration"] = (
        last_applied + "\n"
    )
    meta["uid"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"shop/{kind}/{meta['name']}"))
    meta["resourceVersion"] = str(48213 + 97 * n)
    meta["creationTimestamp"] = CREATED
    meta["managedFields"] = [_managed("kubectl-client-side-apply", "Update")]
    if kind not in ("ConfigMap", "Secret", "Service"):
        meta["generation"] = 1
    {
        "Deployment": _deployment,
        "StatefulSet": _statefulset,
        "CronJob": _cronjob,
        "Service": _service,
        "Secret": _secret,
        "HorizontalPodAutoscaler": _hpa,
    }.get(kind, lambda o: None)(obj)
    return obj


def _managed(manager: str, operation: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "fieldsType": "FieldsV1",
        "fieldsV1": {"f:metadata": {"f:annotations": {".": {}}}},
        "manager": manager,
        "operation": operation,
        "time": CREATED,
    }


def _pod_template(template: dict[str, Any]) -> None:
    template.setdefault("metadata", {})["creationTimestamp"] = None
    spec = template["spec"]
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    spec.setdefault("terminationGracePeriodSeconds", 30)
    for container in spec["containers"]:
        container.setdefault("imagePullPolicy", "IfNotPresent")
        container.setdefault("terminationMessagePath", "/dev/termination-log")
        container.setdefault("terminationMessagePolicy", "File")
        container.setdefault("resources", {})
        for port in container.get("ports", []):
            port.setdefault("protocol", "TCP")
        probe = container.get("readinessProbe")
        if probe:
            probe.update({"failureThreshold": 3, "periodSeconds": 10, "successThreshold": 1,
                          "timeoutSeconds": 1})  # fmt: skip
            probe.get("httpGet", {}).setdefault("scheme", "HTTP")
    for volume in spec.get("volumes", []):
        if "configMap" in volume:
            volume["configMap"].setdefault("defaultMode", 420)


def _deployment(obj: dict[str, Any]) -> None:
    spec = obj["spec"]
    obj["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = "3"
    spec.update({"progressDeadlineSeconds": 600, "revisionHistoryLimit": 10})
    spec["strategy"] = {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
    }
    if obj["metadata"]["name"] == "frontend":
        spec["replicas"] = 5  # scaled by its HPA, not by anyone's hand
    _pod_template(spec["template"])
    replicas = spec["replicas"]
    obj["status"] = {
        "availableReplicas": replicas, "readyReplicas": replicas, "replicas": replicas,
        "updatedReplicas": replicas, "observedGeneration": 1,
        "conditions": [{"type": "Available", "status": "True", "lastUpdateTime": NOW,
                        "lastTransitionTime": CREATED, "reason": "MinimumReplicasAvailable",
                        "message": "Deployment has minimum availability."}],
    }  # fmt: skip


def _statefulset(obj: dict[str, Any]) -> None:
    spec = obj["spec"]
    spec.update({
        "podManagementPolicy": "OrderedReady", "revisionHistoryLimit": 10,
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
    })  # fmt: skip
    for claim in spec["volumeClaimTemplates"]:
        claim.update({"apiVersion": "v1", "kind": "PersistentVolumeClaim"})
        claim["metadata"]["creationTimestamp"] = None
        claim["spec"]["volumeMode"] = "Filesystem"
        claim["status"] = {"phase": "Pending"}
    _pod_template(spec["template"])
    obj["status"] = {"availableReplicas": 1, "readyReplicas": 1, "replicas": 1,
                     "currentReplicas": 1, "updatedReplicas": 1, "observedGeneration": 1,
                     "currentRevision": "postgres-5d8f7c9b6", "updateRevision": "postgres-5d8f7c9b6",
                     "collisionCount": 0}  # fmt: skip


def _cronjob(obj: dict[str, Any]) -> None:
    spec = obj["spec"]
    spec.update({"concurrencyPolicy": "Allow", "failedJobsHistoryLimit": 1,
                 "successfulJobsHistoryLimit": 3, "suspend": False})  # fmt: skip
    spec["jobTemplate"].setdefault("metadata", {})["creationTimestamp"] = None
    _pod_template(spec["jobTemplate"]["spec"]["template"])
    obj["status"] = {"lastScheduleTime": "2026-11-25T03:00:00Z",
                     "lastSuccessfulTime": "2026-11-25T03:00:41Z"}  # fmt: skip


def _service(obj: dict[str, Any]) -> None:
    spec = obj["spec"]
    if spec.get("clusterIP") != "None":
        spec["clusterIP"] = (
            f"10.96.{len(obj['metadata']['name'])}.{sum(map(ord, obj['metadata']['name'])) % 250}"
        )
    spec["clusterIPs"] = [spec["clusterIP"]]
    spec.update({"internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                 "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None", "type": "ClusterIP"})  # fmt: skip
    for port in spec["ports"]:
        port.setdefault("protocol", "TCP")
        port.setdefault("targetPort", port["port"])
    obj["status"] = {"loadBalancer": {}}


def _secret(obj: dict[str, Any]) -> None:
    data = obj.setdefault("data", {})
    for key, value in obj.pop("stringData", {}).items():
        data[key] = base64.b64encode(value.encode()).decode()


def _hpa(obj: dict[str, Any]) -> None:
    obj["status"] = {"currentReplicas": 5, "desiredReplicas": 5,
                     "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu",
                                         "current": {"averageUtilization": 74, "averageValue": "148m"}}}]}  # fmt: skip


def _in_flight(item: dict[str, Any]) -> None:
    kind, name = item["kind"], item["metadata"]["name"]
    if (kind, name) == ("Deployment", "frontend"):
        env = item["spec"]["template"]["spec"]["containers"][0]["env"]
        next(e for e in env if e["name"] == "LOG_LEVEL")["value"] = "debug"
        item["metadata"]["managedFields"].append(_managed("kubectl-set", "Update"))
    elif (kind, name) == ("Secret", "db-credentials"):
        item["data"]["password"] = base64.b64encode(b"shop-db-password-v2").decode()
    elif (kind, name) == ("ConfigMap", "checkout-rules"):
        item["data"]["rules.yaml"] = "max_items: 50\nfraud_threshold: 0.6\n"
    elif (kind, name) == ("DestinationRule", "cart"):
        policy = item["spec"]["trafficPolicy"]
        policy["loadBalancer"]["consistentHash"]["httpCookie"]["name"] = "shop-session-v2"
        policy["connectionPool"]["http"]["http1MaxPendingRequests"] = 1000


if __name__ == "__main__":
    main()
