"""Fields the API server and controllers write, not the user.

As Argo CD: gitops-engine drops ``creationTimestamp`` (``Normalize``,
https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/gitops-engine/pkg/diff/diff.go#L905)
and ``metadata.namespace`` from the last-applied configuration (``removeNamespaceAnnotation``,
L770); Argo CD ignores ``/status`` of every kind by default (``ignoreResourceStatusField``,
https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/util/settings/settings.go#L1101).

Two kinds. Always server-owned (``status``, ``managedFields``, ``uid`` …): dropped on both sides.
Server-*populated* (``clusterIP``, ``nodePort``, a Pod's ``nodeName``, a PVC's ``volumeName`` …):
the user may set them, so live keeps them only where the raw desired object sets them too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.model.kubernetes import as_list, dig, is_builtin, is_kubernetes
from stateward.model.resource import ResourceKey
from stateward.normalize.empties import dropped
from stateward.normalize.interface import Body, NormalizeContext, Side
from stateward.normalize.step import Step
from stateward.normalize.walk import child

__all__ = ["LAST_APPLIED", "PopulatedFields", "ServerFields", "shed"]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_METADATA_FIELDS = ("managedFields", "uid", "resourceVersion", "generation", "creationTimestamp",
                    "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
                    "namespace")  # fmt: skip
# namespace is part of the key (Argo drops it too); comparing it again only adds noise.
_SERVER_ANNOTATIONS = (LAST_APPLIED, "deployment.kubernetes.io/revision",
                       "deprecated.daemonset.template.generation")  # fmt: skip
# Set by controllers or admission on live objects; kept only when desired sets them.
_POPULATED_METADATA = ("ownerReferences", "finalizers", "generateName")
_POPULATED_ANNOTATIONS = ("pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller",
                          "volume.beta.kubernetes.io/storage-provisioner",
                          "volume.kubernetes.io/storage-provisioner",
                          "volume.kubernetes.io/selected-node")  # fmt: skip
_POPULATED_LABELS = ("kubernetes.io/metadata.name", "pod-template-hash")
_SERVICE_FIELDS = ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "healthCheckNodePort")
_PVC_FIELDS = ("volumeName", "storageClassName")
_POD_FIELDS = ("nodeName", "serviceAccount")  # serviceAccount: deprecated alias the API fills in
_POPULATED_SPEC = {
    "Service": _SERVICE_FIELDS,
    "PersistentVolumeClaim": _PVC_FIELDS,
    "Pod": _POD_FIELDS,
    "Ingress": ("ingressClassName",),  # the DefaultIngressClass admission plugin
    "Namespace": ("finalizers",),  # the namespace lifecycle adds the "kubernetes" finalizer
}


def shed(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """``body`` without ``status`` and ``metadata.managedFields``, sharing everything else.

    :class:`ServerFields` drops both on every object; shedding them before the JSON
    round trip saves copying what is often half of a live dump.
    """
    if "status" not in body and "managedFields" not in (body.get("metadata") or ()):
        return body
    light = dict(body)  # copied in C, in order, less what goes
    light.pop("status", None)
    metadata = body.get("metadata")
    if (type(metadata) is dict or isinstance(metadata, Mapping)) and "managedFields" in metadata:
        light["metadata"] = kept = dict(metadata)
        del kept["managedFields"]
    return light


class ServerFields(Step):
    """Drop what the server owns, on either side."""

    name = "server-fields"
    tidy = True  # annotations it empties go; an emptied metadata stays, for later steps

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        body.pop("status", None)  # Argo ignores status for every kind
        metadata = child(body, "metadata")
        if metadata is not None:
            _drop_owned_metadata(metadata)
            # The controller defaults read an empty metadata as present (a ReplicationController's
            # labels go into it): the pass of empty values drops it later.
            ctx.left_empty = ctx.left_empty or not metadata
        return body


class PopulatedFields:
    """Drop from live what the server populated, unless desired set it."""

    name = "server-fields"  # one step upstream; its notes keep the name
    pairwise: tuple[Side, ...] = ("live",)
    tidy = True

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        # Only the kinds below and metadata can hold a populated field: most objects hold none.
        if ctx.side != "live" or not is_kubernetes(ctx.key):
            return False
        spec, metadata = body.get("spec"), body.get("metadata")
        return (
            _holds(spec, _populated_spec(ctx.key))
            or (is_builtin(ctx.key, "Service") and _node_ports(spec))
            or (is_builtin(ctx.key, "ServiceAccount") and "secrets" in body)
        ) or (
            (type(metadata) is dict or isinstance(metadata, Mapping))
            and (
                _holds(metadata, _POPULATED_METADATA)
                or _holds(metadata.get("annotations"), _POPULATED_ANNOTATIONS)
                or _holds(metadata.get("labels"), _POPULATED_LABELS)
            )
        )

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        if ctx.side == "live":
            _drop_populated(ctx.key, body, desired or {})
            _drop_emptied(body)
        return body


def _drop_owned_metadata(metadata: dict[str, Any]) -> None:
    # Tests, not pop() calls: most of these fields are absent from most objects.
    for field in _METADATA_FIELDS:
        if field in metadata:
            del metadata[field]
    annotations = child(metadata, "annotations")
    if annotations is not None:
        for name in _SERVER_ANNOTATIONS:
            if name in annotations:
                del annotations[name]
        if not annotations:  # as the pass of empty values would: no own step reads them
            del metadata["annotations"]


def _drop_populated(key: ResourceKey, body: Body, desired: Mapping[str, Any]) -> None:
    _drop_unset(child(body, "metadata"), dig(desired, "metadata"), _POPULATED_METADATA)
    _drop_unset(dig(body, "metadata", "annotations"), dig(desired, "metadata", "annotations"),
                _POPULATED_ANNOTATIONS)  # fmt: skip
    _drop_unset(
        dig(body, "metadata", "labels"), dig(desired, "metadata", "labels"), _POPULATED_LABELS
    )
    _drop_unset(child(body, "spec"), dig(desired, "spec"), _populated_spec(key))
    if is_builtin(key, "Service"):
        _drop_node_ports(dig(body, "spec", "ports"), dig(desired, "spec", "ports"))
    elif is_builtin(key, "ServiceAccount"):  # token secrets listed by the controller (< 1.24)
        _drop_unset(body, desired, ("secrets",))


def _drop_emptied(body: Body) -> None:
    # What _drop_populated can leave empty, innermost first (a port keeps its port; the
    # root is never dropped): the maps it removes fields from.
    metadata = child(body, "metadata")
    if metadata is not None:
        for field in ("annotations", "labels"):
            if field in metadata and dropped(field, metadata[field]):
                del metadata[field]
        if dropped("metadata", metadata):
            del body["metadata"]
    if "spec" in body and dropped("spec", body["spec"]):
        del body["spec"]


def _populated_spec(key: ResourceKey) -> tuple[str, ...]:
    return _POPULATED_SPEC[key.kind] if is_builtin(key, *_POPULATED_SPEC) else ()


def _node_ports(spec: Any) -> bool:
    # Bodies here took the JSON round trip: their maps are exactly dicts.
    ports = spec.get("ports") if type(spec) is dict else None
    return any(type(port) is dict and "nodePort" in port for port in as_list(ports))


def _holds(names: Any, wanted: tuple[str, ...]) -> bool:
    if type(names) is not dict and not isinstance(names, Mapping):  # no ABC check for a dict
        return False
    for name in wanted:  # a loop: a generator costs more than the few names it tries
        if name in names:
            return True
    return False


def _drop_unset(live: Any, desired: Any, fields: tuple[str, ...]) -> None:
    if not isinstance(live, dict):
        return
    wanted = desired if isinstance(desired, Mapping) else {}
    for field in fields:
        if field not in wanted:
            live.pop(field, None)


def _drop_node_ports(live: Any, desired: Any) -> None:
    # Service ports are keyed by (port, protocol); a nodePort the user did not ask for is allocated.
    if not isinstance(live, list):
        return
    asked = {
        (port.get("port"), port.get("protocol") or "TCP")
        for port in (desired if isinstance(desired, list) else [])
        if isinstance(port, Mapping) and "nodePort" in port
    }
    for port in live:
        if (
            isinstance(port, dict)
            and (port.get("port"), port.get("protocol") or "TCP") not in asked
        ):
            port.pop("nodePort", None)
