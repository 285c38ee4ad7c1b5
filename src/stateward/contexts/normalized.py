"""Contexts are built from normalized objects, so desired manifests and live dumps agree.

A live object carries what the API server defaulted and populated (``imagePullPolicy``,
``terminationMessagePath``, ``clusterIP`` …) and an HPA's replica count; a manifest does not.
Running the diff engine's normalization pipeline first means a context fingerprint says the
same thing whichever side the object came from; only real differences change it. The
normalization is the one kept with the resource (:func:`stateward.normalize.prepare`), which a
later diff of the same observation completes again instead of starting over; here it is
completed as a live object compared with nothing, so every server-populated field goes.
That view is kept with the resource too (:class:`LiveView`), and a watch keeps it between
observations as bytes while the object is unchanged (:class:`~stateward.model.derived.KeptViews`):
its next observations decode it instead of normalizing again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stateward.errors import InputError
from stateward.model.canonical import canonical_json, decoded
from stateward.model.encoded import EncodedBody
from stateward.model.finding import Finding, Severity
from stateward.model.kubernetes import WORKLOAD_KINDS
from stateward.model.resource import Resource, ResourceKey
from stateward.normalize import complete, hpa_targets, prepare
from stateward.normalize.interface import Body, NormalizeContext

__all__ = ["LiveView", "derive_live_view", "normalized_view", "KUBERNETES_FREE_GROUPS"]

KUBERNETES_FREE_GROUPS = frozenset({"compose", "engine"})
"""Resource groups that are not Kubernetes objects and are used as read."""
JOINED_KINDS = WORKLOAD_KINDS | {
    "Service", "PersistentVolumeClaim", "HorizontalPodAutoscaler", "NetworkPolicy",
    "DestinationRule", "VirtualService", "ServiceEntry", "PeerAuthentication",
    "AuthorizationPolicy", "Sidecar", "RequestAuthentication",
}  # fmt: skip
"""Kinds whose bodies reach a context; ConfigMap and Secret data are joined as they are."""


def normalized_view(
    resources: list[Resource], *, keep: bool = True
) -> tuple[list[Resource], list[Finding]]:
    """Each Kubernetes resource with a normalized body (others unchanged), and the findings of
    steps that could not finish. ``keep=False``: each resource lets go of its views once its
    view is built (:meth:`Resource.release`), for a caller that diffs none of them later; the
    views of all are then never held twice over."""
    targets = hpa_targets(resources)
    view: list[Resource] = []
    findings: list[Finding] = []
    for resource in resources:
        if not _joined(resource):
            view.append(resource)
            continue
        if not keep and (held := _held_view(resource, targets)) is not None:
            view.append(Resource(resource.key, held, resource.origin))
            resource.release()
            continue
        try:
            live = _live_view(resource, targets)
        except InputError as exc:
            findings.append(_incomplete(resource, exc.reason))
            view.append(resource)
            continue
        findings.extend(_incomplete(resource, text) for text in live.incomplete)
        view.append(Resource(resource.key, live.body, resource.origin))
        if not keep:
            resource.release()
    return view, findings


def derive_live_view(resource: Resource) -> None:
    """Compute and keep the view of ``resource`` a context will read, as if no autoscaler
    scaled it (the file source runs this where it reads the object, in its worker processes;
    :func:`normalized_view` computes it again for an object an autoscaler turns out to scale).
    An object that cannot be normalized keeps no view: it is reported when it is read."""
    if _joined(resource):
        try:
            _live_view(resource, frozenset())
        except InputError:
            pass


def _joined(resource: Resource) -> bool:
    return resource.key.group not in KUBERNETES_FREE_GROUPS and resource.key.kind in JOINED_KINDS


_DERIVED = "live view"


@dataclass(frozen=True, slots=True)
class LiveView:
    """A resource's normalized body as a context reads it, and what could not be normalized."""

    body: Body
    """Read by the builders, never changed (uncopied where nothing was left to remove: one
    Service spec already sat in the contexts of every component it selects)."""
    incomplete: tuple[str, ...]
    scaled: bool
    """An HorizontalPodAutoscaler owns the object's replicas: the view depends on it."""
    data: bytes = field(default=b"", compare=False, repr=False)
    """The bytes the view was decoded from, if it was."""

    def encoded(self) -> bytes:
        """Canonical JSON of the view (:class:`~stateward.model.derived.Encodable`)."""
        return self.data or canonical_json([self.body, list(self.incomplete), self.scaled])

    @classmethod
    def decoded(cls, data: bytes) -> LiveView:
        """The view :meth:`encoded` gave: its body took the JSON round trip when it was
        normalized, so it decodes equal."""
        body, incomplete, scaled = decoded(data)
        return cls(body, tuple(incomplete), scaled, data)


class _HeldView(EncodedBody):
    """A live view's body held as the view's bytes (:meth:`LiveView.encoded`), decoded where
    it is read: a scan's builders read each workload's view once, and decoded up front, the
    views of every object were the largest part of the scan's peak (a third of it at 50k)."""

    __slots__ = ()

    def transient(self) -> dict[str, Any]:
        if self._decoded is not None:
            return self._decoded
        body = LiveView.decoded(self.data).body
        if not isinstance(body, dict):
            raise AssertionError("bad math: a live view's body is an object")
        return body

    def canonical(self) -> bytes:
        return canonical_json(self.transient())


_PLAIN_TAIL = b",[],false]"
"""How :meth:`LiveView.encoded` ends for a view normalized completely and not scaled: its
last two items (``incomplete``, a list of strings, then ``scaled``), which no other view's
encoding ends with."""


def _held_view(resource: Resource, targets: frozenset[ResourceKey]) -> _HeldView | None:
    """The view kept with ``resource`` as bytes, held undecoded, when those bytes say it is
    the view wanted (nothing incomplete to report, unscaled and no autoscaler targets it)."""
    kept = resource.derived.get(_DERIVED)
    if isinstance(kept, bytes) and kept.endswith(_PLAIN_TAIL) and resource.key not in targets:
        return _HeldView(kept)
    return None


def _live_view(resource: Resource, targets: frozenset[ResourceKey]) -> LiveView:
    """The view kept with ``resource`` (decoded if kept as bytes), or computed and kept."""
    scaled = resource.key in targets
    kept = resource.derived.get(_DERIVED)
    if isinstance(kept, bytes):
        kept = resource.derived[_DERIVED] = LiveView.decoded(kept)
    if isinstance(kept, LiveView) and kept.scaled == scaled:
        return kept
    ctx = NormalizeContext(resource.key, "live", targets)
    body = complete(prepare(resource), ctx, copy=False)
    live = LiveView(body, tuple(note.text for note in ctx.incomplete), scaled)
    resource.derived[_DERIVED] = live
    return live


def _incomplete(resource: Resource, why: str) -> Finding:
    return Finding(
        "NORMALIZATION_INCOMPLETE",
        Severity.LOW,
        why,
        resource=str(resource.key),
        remedy="The context of this object may show differences that are only defaults.",
    )
