"""Lifecycle classes for pricing, from the state audit, with a storage-based fallback.

The cost model only needs one answer per component, so it depends on a one-method protocol; the
state audit provides it, and components the audit does not classify fall back to *persistent*
when their context holds a claim (PVC or volumeClaimTemplate), else *ephemeral-safe*.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from stateward.analysis.audit import Lifecycle, audit
from stateward.analysis.audit.lifecycle import Loss
from stateward.model.component import Component
from stateward.model.observation import Observation

__all__ = ["LifecycleOf", "AuditLifecycles", "storage_lifecycle", "rwo_claims"]


class LifecycleOf(Protocol):
    """Anything that tells a component's lifecycle class."""

    def __call__(self, component: Component) -> Lifecycle:
        """The class of ``component``."""
        ...


class AuditLifecycles:
    """Classes from :func:`stateward.analysis.audit.audit` over one observation."""

    def __init__(self, observation: Observation) -> None:
        report = audit(observation)
        self._classes = {c.id: c.lifecycle for c in report.components}
        self._losses = {c.id: c.loss for c in report.components}

    def __call__(self, component: Component) -> Lifecycle:
        """The audit's class, or the storage fallback for components it did not see."""
        return self._classes.get(component.id) or storage_lifecycle(component)

    def loss(self, component: Component) -> Loss:
        """What the audit says a replacement destroys (``none`` for components it did not see)."""
        return self._losses.get(component.id, Loss.NONE)


def storage_lifecycle(component: Component) -> Lifecycle:
    """Persistent when the context mounts a claim or templates one, else ephemeral-safe."""
    storage = component.context.get("storage")
    if not isinstance(storage, Mapping):
        return Lifecycle.EPHEMERAL_SAFE
    if storage.get("volumeClaimTemplates") or _claims(storage):
        return Lifecycle.PERSISTENT
    return Lifecycle.EPHEMERAL_SAFE


def rwo_claims(component: Component) -> bool:
    """True when a replacement must move a ReadWriteOnce volume (claim or claim template;
    a claim whose spec is unknown counts, ReadWriteOnce being the common default)."""
    storage = component.context.get("storage")
    if not isinstance(storage, Mapping):
        return False
    specs: list[Any] = [v.get("spec") for v in _claims(storage)]
    templates = storage.get("volumeClaimTemplates")
    if isinstance(templates, Mapping):
        specs.extend(templates.values())
    return any(_rwo(spec) for spec in specs)


def _claims(storage: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    volumes = storage.get("volumes")
    if not isinstance(volumes, Mapping):
        return []
    return [v for v in volumes.values() if isinstance(v, Mapping) and "persistentVolumeClaim" in v]


def _rwo(spec: Any) -> bool:
    if not isinstance(spec, Mapping):
        return True
    modes = spec.get("accessModes")
    return not isinstance(modes, list) or "ReadWriteOnce" in modes or "ReadWriteOncePod" in modes
