"""A stand-in for the API server: what ``kubectl get -o yaml`` returns after ``kubectl apply``.

Written independently of the normalizers, from live dumps (fixtures/SOURCES.md) and the
Kubernetes defaulting code, so the corpus test checks the normalizers against a second
reading of the same facts rather than against themselves. Quantities are re-spelled the way
Kubernetes prints them (``0.5`` → ``500m``, ``1024Mi`` → ``1Gi``, keeping binary vs decimal),
which is not our canonical spelling, on purpose.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from stateward.model.resource import Origin, Resource

__all__ = ["admit", "inject_istio", "server_side_applied"]

_PODS = {"Deployment": ("spec", "template"), "StatefulSet": ("spec", "template"),
         "DaemonSet": ("spec", "template"), "ReplicaSet": ("spec", "template"),
         "ReplicationController": ("spec", "template"), "Job": ("spec", "template")}  # fmt: skip
_BIN = [("Ei", 2**60), ("Pi", 2**50), ("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)]
_DEC = [
    ("E", 18),
    ("P", 15),
    ("T", 12),
    ("G", 9),
    ("M", 6),
    ("k", 3),
    ("", 0),
    ("m", -3),
    ("u", -6),
    ("n", -9),
]
_IN = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
       "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "k": 10**3, "M": 10**6,
       "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}  # fmt: skip


def admit(resource: Resource, serial: int) -> Resource:
    """The live object the API server would hold for this applied resource."""
    body: dict[str, Any] = copy.deepcopy(dict(resource.body))
    applied = json.dumps(body, sort_keys=True)
    meta = body.setdefault("metadata", {})
    meta.setdefault("namespace", resource.key.namespace or None)
    if meta["namespace"] is None:
        del meta["namespace"]
    meta.update(uid=f"00000000-0000-0000-0000-{serial:012d}", resourceVersion=str(1000 + serial),
                generation=1, creationTimestamp="2026-11-26T06:00:00Z",
                managedFields=[{"manager": "kubectl-client-side-apply", "operation": "Update"}])  # fmt: skip
    meta.setdefault("annotations", {})["kubectl.kubernetes.io/last-applied-configuration"] = applied
    kind = resource.key.kind
    if kind in _PODS:
        _controller(kind, body)
        template = body["spec"].setdefault("template", {})
        template.setdefault("metadata", {})["creationTimestamp"] = None
        _pod_spec(template.setdefault("spec", {}))
    elif kind == "Pod":
        _pod_spec(body.setdefault("spec", {}))
        _pod(body["spec"])
    elif kind in _OTHERS:
        _OTHERS[kind](body, serial)
    _quantities(body)
    body["status"] = {"observedGeneration": 1}
    return Resource.of(resource.key, body, Origin("apiserver", f"live:{resource.key}"))


def _controller(kind: str, body: dict[str, Any]) -> None:
    spec = body.setdefault("spec", {})
    if kind != "DaemonSet":
        spec.setdefault("replicas", 1)
    if kind == "Deployment":
        body["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = "1"
        spec.setdefault(
            "strategy",
            {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
            },
        )
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
    elif kind == "StatefulSet":
        spec.setdefault("podManagementPolicy", "OrderedReady")
        spec.setdefault(
            "updateStrategy", {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
        )
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault(
            "persistentVolumeClaimRetentionPolicy",
            {"whenDeleted": "Retain", "whenScaled": "Retain"},
        )
        for claim in spec.get("volumeClaimTemplates", []):
            claim.update(apiVersion="v1", kind="PersistentVolumeClaim", status={"phase": "Pending"})
            claim.setdefault("metadata", {})["creationTimestamp"] = None
            claim.setdefault("spec", {}).setdefault("volumeMode", "Filesystem")
    elif kind == "DaemonSet":
        spec.setdefault(
            "updateStrategy",
            {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}},
        )
        spec.setdefault("revisionHistoryLimit", 10)


def _pod_spec(spec: dict[str, Any]) -> None:
    for name, value in (("dnsPolicy", "ClusterFirst"), ("restartPolicy", "Always"), ("securityContext", {}),
                        ("schedulerName", "default-scheduler"), ("terminationGracePeriodSeconds", 30)):  # fmt: skip
        spec.setdefault(name, value)
    for field in ("initContainers", "containers"):
        for container in spec.get(field) or []:
            _container(container)
    for volume in spec.get("volumes") or []:
        for source in ("configMap", "secret", "projected", "downwardAPI"):
            if source in volume:
                volume[source].setdefault("defaultMode", 420)
        if "hostPath" in volume:
            volume["hostPath"].setdefault("type", "")


def _pod(spec: dict[str, Any]) -> None:
    account = spec.setdefault("serviceAccountName", "default")
    spec.update(nodeName="node-1", serviceAccount=account, enableServiceLinks=spec.get("enableServiceLinks", True),
                priority=0, preemptionPolicy="PreemptLowerPriority")  # fmt: skip
    spec.setdefault("tolerations", []).extend(
        {"key": f"node.kubernetes.io/{name}", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
        for name in ("not-ready", "unreachable"))  # fmt: skip
    spec.setdefault("volumes", []).append({"name": "kube-api-access-x1y2z", "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}]}})  # fmt: skip
    for container in spec.get("containers") or []:
        container.setdefault("volumeMounts", []).append({"name": "kube-api-access-x1y2z", "readOnly": True,
            "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"})  # fmt: skip


def _container(container: dict[str, Any]) -> None:
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    container.setdefault("resources", {})
    image = container.get("image", "")
    tagged = ":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest")
    container.setdefault("imagePullPolicy", "IfNotPresent" if tagged or "@" in image else "Always")
    for port in container.get("ports") or []:
        port.setdefault("protocol", "TCP")
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        if probe in container:
            found = container[probe]
            for name, value in (
                ("timeoutSeconds", 1),
                ("periodSeconds", 10),
                ("successThreshold", 1),
                ("failureThreshold", 3),
            ):
                found.setdefault(name, value)
            if found.get("initialDelaySeconds") == 0:
                del found["initialDelaySeconds"]  # omitempty
            if "httpGet" in found:
                found["httpGet"].setdefault("scheme", "HTTP")
    for var in container.get("env") or []:
        if "fieldRef" in var.get("valueFrom", {}):
            var["valueFrom"]["fieldRef"].setdefault("apiVersion", "v1")


def _service(body: dict[str, Any], serial: int) -> None:
    spec = body.setdefault("spec", {})
    spec.setdefault("type", "ClusterIP")
    if spec.get("clusterIP") != "None":
        spec["clusterIP"] = f"10.96.{serial // 250}.{serial % 250 + 1}"
    spec["clusterIPs"] = [spec["clusterIP"]]
    spec.update(ipFamilies=["IPv4"], ipFamilyPolicy="SingleStack")
    spec.setdefault("sessionAffinity", "None")
    spec.setdefault("internalTrafficPolicy", "Cluster")
    for number, port in enumerate(spec.get("ports") or []):
        port.setdefault("protocol", "TCP")
        port.setdefault("targetPort", port.get("port"))
        if spec["type"] in ("NodePort", "LoadBalancer"):
            port.setdefault("nodePort", 30000 + (serial * 7 + number) % 2000)
    if spec["type"] in ("NodePort", "LoadBalancer"):
        spec.setdefault("externalTrafficPolicy", "Cluster")
    body["status"] = {"loadBalancer": {}}


def _secret(body: dict[str, Any], serial: int) -> None:
    body.setdefault("type", "Opaque")
    body.setdefault("data", {}).update(body.pop("stringData", {}) or {})


def _pvc(body: dict[str, Any], serial: int) -> None:
    spec = body.setdefault("spec", {})
    spec.setdefault("volumeMode", "Filesystem")
    spec.setdefault("storageClassName", "standard")
    spec.setdefault("volumeName", f"pvc-{serial:08d}")  # a claim naming its PV binds to it
    body["metadata"]["annotations"].update({"pv.kubernetes.io/bind-completed": "yes",
                                            "volume.kubernetes.io/storage-provisioner": "rancher.io/local-path"})  # fmt: skip
    body["metadata"]["finalizers"] = ["kubernetes.io/pvc-protection"]


def _ingress(body: dict[str, Any], serial: int) -> None:
    for rule in body.get("spec", {}).get("rules") or []:
        for path in (rule.get("http") or {}).get("paths") or []:
            path.setdefault("pathType", "ImplementationSpecific")


def _namespace(body: dict[str, Any], serial: int) -> None:
    body["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = body["metadata"][
        "name"
    ]
    body["spec"] = {"finalizers": ["kubernetes"]}


_OTHERS = {"Service": _service, "Secret": _secret, "PersistentVolumeClaim": _pvc,
           "Ingress": _ingress, "Namespace": _namespace}  # fmt: skip


def _quantities(node: Any, parent: str = "") -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if parent in ("requests", "limits") or key == "storage":
                node[key] = _k8s_quantity(value)
            else:
                _quantities(value, key)
    elif isinstance(node, list):
        for item in node:
            _quantities(item, parent)


def _k8s_quantity(value: Any) -> Any:
    # Kubernetes keeps the user's format family and picks the largest exact suffix in it.
    if isinstance(value, dict | list | bool) or value is None:
        return value
    text = str(value)
    suffix = next((s for s in sorted(_IN, key=len, reverse=True) if text.endswith(s)), "")
    try:
        amount = Decimal(text[: len(text) - len(suffix)]) * Decimal(_IN.get(suffix, 1))
    except ArithmeticError:
        return value
    if suffix in ("Ki", "Mi", "Gi", "Ti", "Pi", "Ei") and amount == amount.to_integral():
        for name, size in _BIN:
            if amount % size == 0:
                return f"{int(amount // size)}{name}"
    for name, exponent in _DEC:
        mantissa = amount / Decimal(10) ** exponent
        if mantissa == mantissa.to_integral() and (exponent <= 0 or mantissa >= 1):
            return f"{int(mantissa)}{name}"
    return value


def inject_istio(body: dict[str, Any]) -> None:
    """What Istio's injector adds to a pod template (sidecar mode, release 1.22)."""
    template = body["spec"]["template"]
    meta, spec = template.setdefault("metadata", {}), template["spec"]
    meta.setdefault("labels", {}).update({"security.istio.io/tlsMode": "istio",
        "service.istio.io/canonical-name": body["metadata"]["name"], "service.istio.io/canonical-revision": "v1"})  # fmt: skip
    first = spec["containers"][0]["name"]
    meta.setdefault("annotations", {}).update({
        "sidecar.istio.io/status": '{"initContainers":["istio-init"],"containers":["istio-proxy"]}',
        "kubectl.kubernetes.io/default-container": first, "kubectl.kubernetes.io/default-logs-container": first,
        "prometheus.io/path": "/stats/prometheus", "prometheus.io/port": "15020", "prometheus.io/scrape": "true"})  # fmt: skip
    for container in spec["containers"]:
        for probe in ("livenessProbe", "readinessProbe"):
            if "httpGet" in container.get(probe, {}):
                endpoint = "livez" if probe == "livenessProbe" else "readyz"
                container[probe]["httpGet"] = {"path": f"/app-health/{container['name']}/{endpoint}",
                                               "port": 15020, "scheme": "HTTP"}  # fmt: skip
    spec["containers"].append({"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.22.0",
        "args": ["proxy", "sidecar"], "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
        "volumeMounts": [{"name": "istio-envoy", "mountPath": "/etc/istio/proxy"}]})  # fmt: skip
    spec.setdefault("initContainers", []).append(
        {"name": "istio-init", "image": "docker.io/istio/proxyv2:1.22.0"}
    )
    spec.setdefault("volumes", []).extend([{"name": "istio-envoy", "emptyDir": {"medium": "Memory"}},
        {"name": "istio-data", "emptyDir": {}}, {"name": "istiod-ca-cert", "configMap": {"name": "istio-ca-root-cert"}}])  # fmt: skip


# List-map keys of the lists the corpus holds (the ``patchMergeKey``/``listMapKey`` markers of
# https://github.com/kubernetes/kubernetes/blob/9edcffcde5595e8a5b1a35f88c421764e575afce/staging/src/k8s.io/api/core/v1/types.go);
# other lists are atomic: owned whole.
_LIST_KEYS = {"containers": ("name",), "initContainers": ("name",), "env": ("name",),
              "volumes": ("name",), "volumeMounts": ("mountPath",), "imagePullSecrets": ("name",),
              "ports": ("containerPort", "port", "protocol")}  # fmt: skip


def server_side_applied(
    live: Resource, applied: Mapping[str, Any], unedited: Mapping[str, Any] | None = None
) -> Resource:
    """``live`` as a cluster holds it when ``applied`` was server-side applied (``kubectl apply
    --server-side``, Flux) and, where ``unedited`` (the body before a hand edit) is given,
    edited by hand: ``managedFields`` name the applier's fields, and the editor's, in ``fieldsV1``
    (f:<field>, k:<list-map key> with ``.`` for the item, as the real objects of
    fixtures/defaults-controller and unowned-fields hold them); the defaults the server filled
    in belong to no manager."""
    body = copy.deepcopy(dict(live.body))
    mine = {k: v for k, v in applied.items() if k not in ("apiVersion", "kind", "status")}
    meta = mine.pop("metadata", {})
    mine.update({"metadata": {k: meta[k] for k in ("labels", "annotations") if k in meta}})
    entries = [_entry("kubectl", "Apply", body, _fields_v1(mine))]
    if unedited is not None:
        changed = _changed(body, unedited) or {}
        entries.append(_entry("kubectl-edit", "Update", body, _fields_v1(changed)))
    body["metadata"]["managedFields"] = entries
    return Resource.of(live.key, body, live.origin)


def _entry(manager: str, operation: str, body: dict[str, Any], fields: Any) -> dict[str, Any]:
    return {"manager": manager, "operation": operation, "apiVersion": body.get("apiVersion"),
            "time": "2026-11-26T06:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": fields}  # fmt: skip


def _fields_v1(node: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, value in node.items():
        if isinstance(value, dict) and value:
            fields[f"f:{name}"] = _fields_v1(value)
        elif isinstance(value, list) and value and name in _LIST_KEYS:
            fields[f"f:{name}"] = _items_v1(value, _LIST_KEYS[name])
        else:
            fields[f"f:{name}"] = {}
    return fields


def _items_v1(items: list[Any], names: tuple[str, ...]) -> dict[str, Any]:
    keyed: dict[str, Any] = {}
    for item in items:
        key = {n: item[n] for n in names if isinstance(item, dict) and n in item}
        if not key:
            return {}  # an item without its key: the list is owned whole
        keyed["k:" + json.dumps(key, separators=(",", ":"))] = {".": {}, **_fields_v1(item)}
    return keyed


def _changed(new: Any, old: Any) -> Any:
    """The part of ``new`` that differs from ``old`` (None where nothing does): what an edit
    from ``old`` to ``new`` wrote."""
    if isinstance(new, dict) and isinstance(old, dict):
        out = {k: c for k, v in new.items() if (c := _changed(v, old.get(k))) is not None}
        return out or None
    return None if new == old else new
