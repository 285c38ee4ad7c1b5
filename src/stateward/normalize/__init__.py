"""The normalization pipeline: small named steps in a fixed order.

Order, after gitops-engine (``Diff`` and ``Normalize`` in
https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/gitops-engine/pkg/diff/diff.go):
type round trip (the JSON round trip of :mod:`stateward.normalize.guard`,
which every body takes first and no pipeline can leave out, then quantities, spelled in the
copy's own walk when they come first: see :func:`_copied`) → server-owned
fields → what admission and meshes inject → API defaults per kind and version → fields
another controller owns → live-only fields no field manager owns → the served version → empty
values → user ignore rules, last.
Mesh injections are removed *before* defaults so that a probe restored from desired is
defaulted like every other probe, and before unowned fields so they are noted as injected.
Unowned fields come after the defaults: a live field the user did not set and no manager owns
takes the value desired's defaults gave it (or goes), as if the server's default had been
dropped and filled in again.
Empty values go after the defaults, which add a few (``objectSelector: {}``) that the server
then omits. Most bodies hold none, and most steps add none to a body that held none (``tidy``,
:class:`~stateward.normalize.step.Step`): the round trip's copy notes the empty values it copies,
and the pass runs only after a copy that held one or a step that is not tidy.

Each resource is normalized once: :func:`prepare` runs the steps that need nothing but the
object (round trip, quantities, server-owned fields, defaults, served version, empty values)
and keeps the result with the resource; :func:`complete` runs the pairwise steps on a copy of
it for one use (a context, or one side of a comparison): what the server populated unless
desired set it, mesh and token injections, the Job's generated selector, fields an HPA or the
aggregation controller owns, live fields no manager owns, empty values those left behind,
then the ignore rules. The pairwise steps only remove what the own steps neither add nor read,
or restore a value from the other side already normalized, so both orders give one result.
A resource used once (a diff of two fresh reads) is run through both in place and keeps
nothing (:func:`normalize_once`): keeping costs a copy per use and a body the cyclic
collector walks until the resource goes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stateward.errors import InputError
from stateward.model.encoded import EncodedBody
from stateward.model.kubernetes import is_kubernetes
from stateward.model.resource import Resource, ResourceKey
from stateward.normalize.api_defaults import TableDefaults
from stateward.normalize.empties import Empties
from stateward.normalize.guard import clone, round_trip
from stateward.normalize.ignore import IgnoreRules
from stateward.normalize.interface import Body, NormalizeContext, Normalizer, Note, Side
from stateward.normalize.managed import UnownedFields
from stateward.normalize.mesh import MeshInjection
from stateward.normalize.network_defaults import (
    IngressDefaults,
    NetworkPolicyDefaults,
    ServiceDefaults,
)
from stateward.normalize.object_defaults import (
    HpaDefaults,
    LimitRangeDefaults,
    SecretDefaults,
)
from stateward.normalize.ownership import AggregatedRules, HpaReplicas, hpa_targets
from stateward.normalize.pod_defaults import PodDefaults, PodSpecDefaults, TokenVolume
from stateward.normalize.rules import IgnoreRule
from stateward.normalize.served_version import ServedVersion
from stateward.normalize.server_fields import PopulatedFields, ServerFields, shed
from stateward.normalize.step import KindStep, Step
from stateward.normalize.types import Quantities, Unspelled
from stateward.normalize.workload_defaults import (
    ControllerDefaults,
    JobDefaults,
    JobSelector,
)

__all__ = [
    "BUILTIN_PIPELINE",
    "PAIRWISE_STEPS",
    "Prepared",
    "carry",
    "complete",
    "hpa_targets",
    "kept",
    "normalize",
    "normalize_once",
    "pipeline",
    "prepare",
]


_EMPTIES = Empties()
BUILTIN_PIPELINE: tuple[Normalizer, ...] = (
    Quantities(),
    ServerFields(),
    PopulatedFields(),
    MeshInjection(),
    TokenVolume(),
    PodSpecDefaults(),
    PodDefaults(),
    ControllerDefaults(),
    JobDefaults(),
    JobSelector(),
    ServiceDefaults(),
    IngressDefaults(),
    NetworkPolicyDefaults(),
    SecretDefaults(),
    HpaDefaults(),
    LimitRangeDefaults(),
    TableDefaults(),
    HpaReplicas(),
    AggregatedRules(),
    UnownedFields(),
    ServedVersion(),
    _EMPTIES,
)
OWN_STEPS = tuple(step for step in BUILTIN_PIPELINE if not step.pairwise)
PAIRWISE_STEPS: dict[Side, tuple[Normalizer, ...]] = {
    side: (*(s for s in BUILTIN_PIPELINE if side in s.pairwise), _EMPTIES)
    for side in ("desired", "live")
}
"""The steps :func:`complete` runs on each side, in pipeline order, then empty values once
more, after a step that is not ``tidy`` (:class:`~stateward.normalize.step.Step`): dropping an
injected container can leave an empty list or map behind. The tidy ones (populated and unowned
fields, an HPA's replicas, aggregated rules: those most live objects meet) drop what they
empty themselves, and spare the whole body's walk."""


def pipeline(
    rules: Iterable[IgnoreRule] = (), steps: tuple[Normalizer, ...] = BUILTIN_PIPELINE
) -> tuple[Normalizer, ...]:
    """``steps`` (the built-in ones) followed by the user's ignore rules (when there are any)."""
    rules = tuple(rules)
    return (*steps, IgnoreRules(rules)) if rules else steps


@dataclass(frozen=True, slots=True)
class Prepared:
    """A resource normalized by the steps that need nothing but the object itself."""

    body: Body
    """Shared by every use of the resource: :func:`complete` copies it, nothing changes it."""
    managed_fields: Any
    incomplete: tuple[Note, ...]
    """Steps that could not finish, noted again in the context of each use."""


_PREPARED = "normalized"


def prepare(resource: Resource) -> Prepared:
    """``resource`` through the own steps, computed on first use and kept with the resource.

    InputError (on every use) when the body is not a finite JSON tree within limits (see
    :func:`normalize`).
    """
    found = resource.derived.get(_PREPARED)
    if found is None:
        found = resource.derived[_PREPARED] = _prepared(resource)
    if isinstance(found, InputError):
        raise found
    assert isinstance(found, Prepared)
    return found


def carry(source: Resource, placed: Resource) -> None:
    """Give ``placed`` (``source`` given a namespace) the normalization kept with ``source``:
    the own steps read no namespace, and ``metadata.namespace`` is a field they drop
    (:class:`~stateward.normalize.server_fields.ServerFields`)."""
    if _PREPARED in source.derived:
        placed.derived[_PREPARED] = source.derived[_PREPARED]


def _prepared(resource: Resource) -> Prepared | InputError:
    ctx = NormalizeContext(resource.key, "desired")  # own steps read neither side nor desired
    try:
        body = _own(resource, ctx)
    except InputError as exc:
        return exc
    return Prepared(body, ctx.managed_fields, tuple(ctx.incomplete))


def _own(resource: Resource, ctx: NormalizeContext) -> Body:
    # A body still held as bytes is decoded for the round trip's copy alone (see EncodedBody).
    raw = resource.body
    return normalize(
        raw.transient() if type(raw) is not dict and isinstance(raw, EncodedBody) else raw,
        ctx,
        steps=OWN_STEPS,
    )


def complete(
    prepared: Prepared,
    ctx: NormalizeContext,
    *,
    desired: Mapping[str, Any] | None = None,
    rules: tuple[IgnoreRule, ...] = (),
    copy: bool = True,
    owned: bool = False,
) -> Body:
    """``prepared`` through the pairwise steps of ``ctx.side`` and the ignore ``rules``, for one
    use (``desired`` is the raw desired body on the live side, else None).

    The prepared body is copied before the first step that applies; with ``copy=False`` and no
    step applying, the result is the prepared body itself, which the caller must not change.
    ``owned``: the prepared body is kept nowhere (see :func:`normalize_once`), so the steps
    change it in place and nothing is copied.
    """
    ctx.managed_fields = prepared.managed_fields
    if prepared.incomplete:
        ctx.incomplete.extend(
            Note(ctx.subject, note.path, note.text) for note in prepared.incomplete
        )
    return _completed(prepared.body, ctx, desired, rules, copy, owned)


def _completed(
    body: Body,
    ctx: NormalizeContext,
    desired: Mapping[str, Any] | None,
    rules: tuple[IgnoreRule, ...],
    copy: bool,
    owned: bool,
) -> Body:
    changed = untidy = False
    for step, decided in _plan(PAIRWISE_STEPS[ctx.side], ctx, rules):
        if not untidy and step is _EMPTIES:
            # The prepared body holds no empty values, and no step that ran left any.
            continue
        try:
            if not (decided or step.applies_to(ctx, body)):
                continue
        except Exception as exc:  # noqa: BLE001 -- a failed step must be recorded, not fatal
            _failed(step, exc, ctx)
            continue
        if not changed and not owned:
            body = clone(body)
        changed = True
        untidy = untidy or not getattr(step, "tidy", False)  # another source's may not say
        try:
            body = step.normalize(body, desired, ctx)
        except Exception as exc:  # noqa: BLE001 -- a failed step must be recorded, not fatal
            _failed(step, exc, ctx)
            untidy = True  # it may have stopped half way
    return clone(body) if not (changed or owned) and copy else body


def normalize_once(
    resource: Resource, ctx: NormalizeContext, *, desired: Mapping[str, Any] | None = None
) -> Body:
    """:func:`complete` of :func:`prepare` for a resource used once, keeping nothing with it:
    the same steps on the same body (so the same result and notes), without the copy that
    protects a kept normalization, and without holding it for the collector to walk. For a
    pair of objects seen once (``diff_bodies``, a drift of two fresh reads).

    InputError as :func:`prepare` raises it. The own steps run in ``ctx`` itself (they read
    neither its side nor what it holds for the pair), their notes in the order
    :func:`complete` gives them: no context and prepared value made only to be read once.
    """
    return _completed(_own(resource, ctx), ctx, desired, (), copy=True, owned=True)


def kept(resource: Resource) -> bool:
    """True when ``resource`` keeps a normalization (:func:`prepare` ran on it)."""
    return _PREPARED in resource.derived


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
    if type(metadata) is dict or isinstance(metadata, Mapping):  # no ABC check for a dict
        ctx.managed_fields = metadata.get("managedFields")
    light = shed(body) if is_kubernetes(ctx.key) else body
    plan = _plan(steps, ctx)
    empties: list[str] = []
    copied, plan = _copied(light, plan, ctx, empties)
    if not isinstance(copied, dict):
        raise InputError(
            ctx.subject, f"a resource body must be a mapping, not a {type(body).__name__}"
        )
    current: Body = copied
    untidy = bool(empties)
    for step, decided in plan:
        if not untidy and step is _EMPTIES:
            # The copy held no empty value, and no step that ran left any.
            continue
        try:
            if decided or step.applies_to(ctx, current):
                untidy = untidy or not getattr(step, "tidy", False)  # another source's may not say
                current = step.normalize(current, desired, ctx)
                untidy = untidy or ctx.left_empty
        except Exception as exc:  # noqa: BLE001 -- a failed step must be recorded, not fatal
            _failed(step, exc, ctx)
            untidy = True  # it may have stopped half way
    return current


def _copied(
    body: Mapping[str, Any],
    plan: tuple[tuple[Normalizer, bool], ...],
    ctx: NormalizeContext,
    empties: list[str],
) -> tuple[Any, tuple[tuple[Normalizer, bool], ...]]:
    """The round trip's copy of ``body``, and what is left of ``plan``: a first step of
    quantities known to apply is made in the copy's walk, unless the body holds a value it
    would note (then it runs on the plain copy, as a step). ``empties`` receives the keys of
    the copy's empty values (:func:`~stateward.normalize.guard.round_trip`)."""
    first = plan[0][0] if plan and plan[0][1] else None
    if isinstance(first, Quantities):
        try:
            return round_trip(body, ctx.key, first.in_copy(ctx.key.kind), empties), plan[1:]
        except Unspelled:
            empties.clear()  # the walk stopped half way; the plain copy notes them again
    return round_trip(body, ctx.key, None, empties), plan


_BUILTIN = (OWN_STEPS, BUILTIN_PIPELINE, *PAIRWISE_STEPS.values())
_BY_KIND = frozenset({Step.applies_to, KindStep.applies_to, PodSpecDefaults.applies_to})
"""The ``applies_to`` of the built-in bases: they read nothing but the key's group and kind,
and the side."""


def _plan(
    steps: Iterable[Normalizer], ctx: NormalizeContext, rules: tuple[IgnoreRule, ...] = ()
) -> tuple[tuple[Normalizer, bool], ...]:
    """``steps`` then the ignore ``rules``, each with True when it is known to apply. The
    built-in pipelines are decided once per group, kind and side for the steps whose
    ``applies_to`` reads nothing else: asked per body, they gave every object of a kind the
    same answer."""
    for known in _BUILTIN:
        if steps is known:
            planned = _by_kind(known, ctx.key.group, ctx.key.kind, ctx.side)
            break
    else:
        planned = tuple((step, False) for step in steps)
    return (*planned, (IgnoreRules(rules), False)) if rules else planned


@functools.lru_cache(maxsize=1024)
def _by_kind(
    steps: tuple[Normalizer, ...], group: str, kind: str, side: Side
) -> tuple[tuple[Normalizer, bool], ...]:
    ctx = NormalizeContext(ResourceKey(group, kind, "", ""), side)
    return tuple(
        (step, True) if type(step).applies_to in _BY_KIND else (step, False)
        for step in steps
        if type(step).applies_to not in _BY_KIND or step.applies_to(ctx, {})
    )


def _failed(step: Normalizer, exc: Exception, ctx: NormalizeContext) -> None:
    """A step whose ``applies_to`` or ``normalize`` raised is recorded in ``ctx.incomplete``,
    and the pipeline goes on with the body as the step left it: a partial normalization is
    reported, never hidden. (Caught where the steps run, without a call per step.)"""
    ctx.note_incomplete(step.name, f"{type(exc).__name__}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(text).splitlines()[0][:200]
