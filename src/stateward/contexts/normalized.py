"""Contexts are built from normalized objects, so desired manifests and live dumps agree.

A live object carries what the API server defaulted and populated (``imagePullPolicy``,
``terminationMessagePath``, ``clusterIP`` …) and an HPA's replica count; a manifest does not.
Running the diff engine's normalization pipeline first means a context fingerprint says the
same thing whichever side the object came from; only real differences change it. The
normalization is the one kept with the resource (:func:`stateward.normalize.prepare`), which a
later diff of the same observation completes again instead of starting over; here it is
completed as a live object compared with nothing, so every server-populated field goes.
"""

from __future__ import annotations

from stateward.errors import InputError
from stateward.model.finding import Finding, Severity
from stateward.model.kubernetes import WORKLOAD_KINDS
from stateward.model.resource import Resource
from stateward.normalize import complete, hpa_targets, prepare
from stateward.normalize.interface import NormalizeContext

__all__ = ["normalized_view", "KUBERNETES_FREE_GROUPS"]

KUBERNETES_FREE_GROUPS = frozenset({"compose", "engine"})
"""Resource groups that are not Kubernetes objects and are used as read."""
JOINED_KINDS = WORKLOAD_KINDS | {
    "Service", "PersistentVolumeClaim", "HorizontalPodAutoscaler", "NetworkPolicy",
    "DestinationRule", "VirtualService", "ServiceEntry", "PeerAuthentication",
    "AuthorizationPolicy", "Sidecar", "RequestAuthentication",
}  # fmt: skip
"""Kinds whose bodies reach a context; ConfigMap and Secret data are joined as they are."""


def normalized_view(resources: list[Resource]) -> tuple[list[Resource], list[Finding]]:
    """Each Kubernetes resource with a normalized body (others unchanged), and the findings of
    steps that could not finish."""
    targets = hpa_targets(resources)
    view: list[Resource] = []
    findings: list[Finding] = []
    for resource in resources:
        if resource.key.group in KUBERNETES_FREE_GROUPS or resource.key.kind not in JOINED_KINDS:
            view.append(resource)
            continue
        ctx = NormalizeContext(resource.key, "live", targets)
        try:
            # Uncopied where nothing is left to remove: builders only read bodies (one Service
            # spec already sat in the contexts of every component it selects).
            body = complete(prepare(resource), ctx, copy=False)
        except InputError as exc:
            findings.append(_incomplete(resource, exc.reason))
            view.append(resource)
            continue
        findings.extend(_incomplete(resource, note.text) for note in ctx.incomplete)
        view.append(Resource(resource.key, body, resource.origin))
    return view, findings


def _incomplete(resource: Resource, why: str) -> Finding:
    return Finding(
        "NORMALIZATION_INCOMPLETE",
        Severity.LOW,
        why,
        resource=str(resource.key),
        remedy="The context of this object may show differences that are only defaults.",
    )
