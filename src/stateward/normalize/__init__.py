"""The normalization pipeline: small named steps in a fixed order.

Order, after gitops-engine (``Diff`` and ``Normalize`` in
https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/gitops-engine/pkg/diff/diff.go):
type round trip (the JSON round trip of :mod:`stateward.normalize.guard`,
which every body takes first and no pipeline can leave out, then quantities) → server-owned
fields → what admission and meshes inject → live-only fields no field manager owns → API
defaults per kind and version → fields another controller owns → the served version → empty
values → user ignore rules, last.
Mesh injections are removed *before* defaults so that a probe restored from desired is
defaulted like every other probe, and before unowned fields so they are noted as injected.
Empty values go after the defaults, which add a few (``securityContext: {}``) that the server
then omits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stateward.errors import InputError
from stateward.model.kubernetes import is_kubernetes
from stateward.normalize.api_defaults import TableDefaults
from stateward.normalize.empties import Empties
from stateward.normalize.guard import round_trip
from stateward.normalize.ignore import IgnoreRules
from stateward.normalize.interface import Body, NormalizeContext, Normalizer
from stateward.normalize.managed import UnownedFields
from stateward.normalize.mesh import MeshInjection
from stateward.normalize.network_defaults import (
    IngressDefaults,
    NetworkPolicyDefaults,
    ServiceDefaults,
)
from stateward.normalize.object_defaults import (
    HpaDefaults,
    SecretDefaults,
)
from stateward.normalize.ownership import AggregatedRules, HpaReplicas, hpa_targets
from stateward.normalize.pod_defaults import PodDefaults, PodSpecDefaults, TokenVolume
from stateward.normalize.rules import IgnoreRule
from stateward.normalize.served_version import ServedVersion
from stateward.normalize.server_fields import ServerFields, shed
from stateward.normalize.types import Quantities
from stateward.normalize.workload_defaults import (
    ControllerDefaults,
    JobDefaults,
)

__all__ = ["BUILTIN_PIPELINE", "hpa_targets", "normalize", "pipeline"]

BUILTIN_PIPELINE: tuple[Normalizer, ...] = (
    Quantities(),
    ServerFields(),
    MeshInjection(),
    TokenVolume(),
    UnownedFields(),
    PodSpecDefaults(),
    PodDefaults(),
    ControllerDefaults(),
    JobDefaults(),
    ServiceDefaults(),
    IngressDefaults(),
    NetworkPolicyDefaults(),
    SecretDefaults(),
    HpaDefaults(),
    TableDefaults(),
    HpaReplicas(),
    AggregatedRules(),
    ServedVersion(),
    Empties(),
)


def pipeline(rules: Iterable[IgnoreRule] = ()) -> tuple[Normalizer, ...]:
    """The built-in steps followed by the user's ignore rules (when there are any)."""
    rules = tuple(rules)
    return (*BUILTIN_PIPELINE, IgnoreRules(rules)) if rules else BUILTIN_PIPELINE


def normalize(
    body: Mapping[str, Any],
    ctx: NormalizeContext,
    *,
    desired: Mapping[str, Any] | None = None,
    steps: Iterable[Normalizer] = BUILTIN_PIPELINE,
) -> Body:
    """A normalized copy of ``body``; ``body`` itself is never changed.

    The body first takes the JSON round trip (:func:`stateward.normalize.guard.round_trip`), which
    raises InputError when it is not a finite JSON tree within limits. A step that raises is recorded in ``ctx.incomplete`` and the
    pipeline goes on with the next one: a partial normalization is reported, never hidden.
    """
    metadata = body.get("metadata")
    if isinstance(metadata, Mapping):
        ctx.managed_fields = metadata.get("managedFields")
    light = shed(body) if is_kubernetes(ctx.key) else body
    current: Body = round_trip(light, ctx.subject)
    if not isinstance(current, dict):
        raise InputError(
            ctx.subject, f"a resource body must be a mapping, not a {type(body).__name__}"
        )
    for step in steps:
        try:
            if step.applies_to(ctx.key, current):
                current = step.normalize(current, desired, ctx)
        except Exception as exc:  # noqa: BLE001 -- a failed step must be recorded, not fatal
            ctx.note_incomplete(step.name, f"{type(exc).__name__}: {_first_line(exc)}")
    return current


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(text).splitlines()[0][:200]
