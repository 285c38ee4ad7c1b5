"""Components from Kubernetes workloads, each with its context joined from what it references.

Joins: env/envFrom from ConfigMaps and Secrets; ConfigMap, Secret and PVC volumes;
Services that select the pods; Istio VirtualService, DestinationRule and PeerAuthentication that
target its hosts or select its pods; NetworkPolicies that select it; an HPA that targets it;
what its live pods run (:mod:`stateward.contexts.effective`).
A reference to an object the estate does not hold is a MISSING_REFERENCE finding, never a crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from stateward.contexts.effective import FACET as EFFECTIVE
from stateward.contexts.index import ResourceIndex
from stateward.contexts.network import network_context, services_selecting
from stateward.contexts.pods import containers
from stateward.model.canonical import digest
from stateward.model.component import Component, parse_image
from stateward.model.finding import Finding, Severity
from stateward.model.kubernetes import WORKLOAD_KINDS, as_dict, as_list, component_id, pod_template
from stateward.model.resource import Resource
from stateward.model.secrets import is_secret_digest

__all__ = ["kubernetes_components"]

INLINE_LIMIT = 512
"""ConfigMap values longer than this are kept as a digest in the context, not inline."""
_POD_CONFIG_FIELDS = (
    "serviceAccountName", "securityContext", "nodeSelector", "affinity", "tolerations",
    "hostNetwork", "hostPID", "hostIPC", "priorityClassName", "runtimeClassName",
    "topologySpreadConstraints", "dnsPolicy", "dnsConfig", "restartPolicy",
    "terminationGracePeriodSeconds", "shareProcessNamespace", "hostAliases",
)  # fmt: skip
_CONTAINER_CONFIG_FIELDS = (
    "command", "args", "workingDir", "livenessProbe", "readinessProbe", "startupProbe",
    "securityContext", "lifecycle", "imagePullPolicy", "stdin", "tty", "restartPolicy",
)  # fmt: skip


@dataclass
class _Builder:
    """Accumulates one component's context and findings while its references are resolved."""

    index: ResourceIndex
    namespace: str
    component_id: str
    resource: str
    context: dict[str, dict[str, Any]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def put(self, facet: str, *path_and_value: Any) -> None:
        *path, value = path_and_value
        node = self.context.setdefault(facet, {})
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value

    def lookup(self, kind: str, name: Any, optional: Any, what: str, path: str) -> Resource | None:
        found = self.index.get(kind, self.namespace, str(name))
        if found is None:
            self.findings.append(
                Finding(
                    "MISSING_REFERENCE",
                    Severity.INFO if optional else Severity.MEDIUM,
                    f"{what} refers to {kind} {name}, not in the estate",
                    component=self.component_id,
                    resource=self.resource,
                    path=path,
                    remedy=f"Add {kind} {self.namespace}/{name} to the sources, or fix the name.",
                )
            )
        return found


def kubernetes_components(
    resources: list[Resource], index: ResourceIndex
) -> Iterator[tuple[Component, list[Finding]]]:
    """One component per workload resource, with the findings met resolving its context."""
    for resource in resources:
        if resource.key.kind in WORKLOAD_KINDS and resource.key.group != "compose":
            yield _component(resource, index)


def _component(resource: Resource, index: ResourceIndex) -> tuple[Component, list[Finding]]:
    key = resource.key
    body = dict(resource.read_body())
    pod_meta, pod_spec = pod_template(body)
    ident = component_id(key)
    builder = _Builder(index, key.namespace, ident, str(key))
    labels = as_dict(pod_meta.get("labels"))
    for i, container in enumerate(containers(pod_spec)):
        _container(builder, container, f"/containers/{i}")
    _pod(builder, pod_spec)
    _volumes(builder, pod_spec)
    _scale(builder, body)
    if live := builder.index.memo.get(EFFECTIVE, {}).get((key.kind, key.namespace, key.name)):
        builder.context[EFFECTIVE] = live
    services = services_selecting(index, key.namespace, labels)
    network_context(builder.put, index, key.namespace, labels, services)
    images = tuple(parse_image(str(c.get("image", ""))) for c in containers(pod_spec))
    component = Component.of(
        id=ident,
        kind=key.kind,
        name=key.name,
        namespace=key.namespace,
        source=resource.origin.source,
        images=images,
        context=builder.context,
        resource=str(key),
    )
    return component, builder.findings


def _container(b: _Builder, container: dict[str, Any], path: str) -> None:
    name = str(container["name"])
    for i, var in enumerate(as_list(container.get("env"))):
        if isinstance(var, dict):
            _env_var(b, name, var, f"{path}/env/{i}")
    for i, source in enumerate(as_list(container.get("envFrom"))):
        if isinstance(source, dict):
            _env_from(b, name, source, f"{path}/envFrom/{i}")
    config = {f: container[f] for f in _CONTAINER_CONFIG_FIELDS if f in container}
    b.put("config", "containers", name, config)
    if "resources" in container:
        b.put("resources", name, container["resources"])
    if container.get("ports"):
        b.put("network", "ports", name, _by_key(container["ports"], "containerPort", "protocol"))
    for mount in as_list(container.get("volumeMounts")):
        if isinstance(mount, dict):
            b.put("storage", "mounts", name, str(mount.get("mountPath")), mount)


def _env_var(b: _Builder, container: str, var: dict[str, Any], path: str) -> None:
    name = str(var.get("name"))
    ref = as_dict(var.get("valueFrom"))
    if "value" in var or not ref:
        value = var.get("value")
        facet = "secret" if is_secret_digest(value) else "env"
        b.put(facet, container, name, {"value": value})
    else:
        source = next((s for s in _KEY_REFS if s in ref), None)
        if source is None:
            b.put("env", container, name, {"valueFrom": ref})
            return
        kind, facet, field, value_field = _KEY_REFS[source]
        sel = as_dict(ref[source])
        found = b.lookup(kind, sel.get("name"), sel.get("optional"), f"env {name}", path)
        entry = {
            field: sel.get("name"),
            "key": sel.get("key"),
            value_field: _key(found, sel.get("key")),
        }
        b.put(facet, container, name, entry)


# valueFrom source -> (kind, facet, context field naming the object, field holding the value)
_KEY_REFS = {
    "configMapKeyRef": ("ConfigMap", "env", "configMap", "value"),
    "secretKeyRef": ("Secret", "secret", "secret", "digest"),
}


def _env_from(b: _Builder, container: str, source: dict[str, Any], path: str) -> None:
    prefix = str(source.get("prefix", ""))
    for kind, field_name, facet in (
        ("ConfigMap", "configMapRef", "env"),
        ("Secret", "secretRef", "secret"),
    ):
        if field_name in source:
            ref = as_dict(source[field_name])
            found = b.lookup(kind, ref.get("name"), ref.get("optional"), f"envFrom {kind}", path)
            values = _values(found)
            entry = {"from": f"{kind}/{ref.get('name')}", "prefix": prefix, "keys": values}
            b.put(facet, container, f"envFrom:{kind}/{ref.get('name')}", entry)


def _values(found: Resource | None) -> dict[str, Any] | None:
    if found is None:
        return None
    data = {**as_dict(found.body.get("data")), **as_dict(found.body.get("binaryData"))}
    data.update(as_dict(found.body.get("stringData")))
    return {k: _inline(v) for k, v in data.items()}


def _key(found: Resource | None, key: Any) -> Any:
    values = _values(found)
    return None if values is None else values.get(str(key))


def _inline(value: Any) -> Any:
    if isinstance(value, str) and len(value) > INLINE_LIMIT:
        return digest(value)
    return value


def _pod(b: _Builder, pod_spec: dict[str, Any]) -> None:
    config = {f: pod_spec[f] for f in _POD_CONFIG_FIELDS if f in pod_spec}
    if config:
        b.put("config", "pod", config)
    for i, ref in enumerate(as_list(pod_spec.get("imagePullSecrets"))):
        name = as_dict(ref).get("name")
        b.lookup("Secret", name, True, "imagePullSecrets", f"/spec/imagePullSecrets/{i}")


def _volumes(b: _Builder, pod_spec: dict[str, Any]) -> None:
    for i, volume in enumerate(as_list(pod_spec.get("volumes"))):
        if not isinstance(volume, dict):
            continue
        name, path = str(volume.get("name")), f"/spec/volumes/{i}"
        if "configMap" in volume:
            ref = as_dict(volume["configMap"])
            found = b.lookup(
                "ConfigMap", ref.get("name"), ref.get("optional"), f"volume {name}", path
            )
            b.put("config", "volumes", name, {"configMap": ref.get("name"), "data": _values(found)})
        elif "secret" in volume:
            ref = as_dict(volume["secret"])
            found = b.lookup(
                "Secret", ref.get("secretName"), ref.get("optional"), f"volume {name}", path
            )
            b.put(
                "secret", "volumes", name, {"secret": ref.get("secretName"), "keys": _values(found)}
            )
        elif "persistentVolumeClaim" in volume:
            claim = as_dict(volume["persistentVolumeClaim"]).get("claimName")
            found = b.lookup("PersistentVolumeClaim", claim, False, f"volume {name}", path)
            spec = as_dict(found.body.get("spec")) if found else None
            b.put("storage", "volumes", name, {"persistentVolumeClaim": claim, "spec": spec})
        else:
            b.put("storage", "volumes", name, volume)


def _scale(b: _Builder, body: dict[str, Any]) -> None:
    spec = as_dict(body.get("spec"))
    if "replicas" in spec:
        b.put("scale", "replicas", spec["replicas"])
    for template in as_list(spec.get("volumeClaimTemplates")):
        name = as_dict(as_dict(template).get("metadata")).get("name")
        b.put("storage", "volumeClaimTemplates", str(name), as_dict(template).get("spec"))
    kind, name = body.get("kind"), as_dict(body.get("metadata")).get("name")
    for hpa in b.index.of_kind("HorizontalPodAutoscaler", b.namespace):
        target = as_dict(as_dict(hpa.body.get("spec")).get("scaleTargetRef"))
        if target.get("kind") == kind and target.get("name") == name:
            b.put("scale", "hpa", hpa.key.name, hpa.body.get("spec"))


def _by_key(items: Any, *fields: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in as_list(items):
        if isinstance(item, dict):
            out["/".join(str(item.get(f, "TCP" if f == "protocol" else "")) for f in fields)] = item
    return out
