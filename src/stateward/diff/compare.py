"""Desired against live: pair objects by key, normalize both sides, diff, collect notes.

The library entry points behind ``stateward drift`` and ``parity``.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping
from typing import Any

from stateward.collector import collector_paused
from stateward.diff.engine import check_mode, diff_documents
from stateward.diff.facets import object_facet
from stateward.diff.result import DiffResult
from stateward.diff.sync import removed_on_sync
from stateward.errors import CanonicalError, InputError
from stateward.model.canonical import canonical_json, digest_bytes
from stateward.model.change import Change, Op
from stateward.model.finding import Finding, Severity
from stateward.model.observation import Observation
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.normalize import complete, kept, normalize_once, prepare
from stateward.normalize import hpa_targets as scaled_by_hpa
from stateward.normalize.ignore import drop_managed, trusted_managers
from stateward.normalize.interface import Body, NormalizeContext
from stateward.normalize.rules import IgnoreRule

__all__ = ["MAX_OBJECT_BYTES", "diff_bodies", "diff_observations", "diff_resources"]

MAX_OBJECT_BYTES = 8 * 1024 * 1024
"""Above this (canonical JSON) an object is compared by digest only. The API server refuses
requests over 3 MiB, so a larger object is not a real Kubernetes object."""


def diff_resources(
    desired: Iterable[Resource],
    live: Iterable[Resource],
    *,
    mode: str = "strict",
    rules: Iterable[IgnoreRule] = (),
) -> DiffResult:
    """Compare two sets of resources paired by key; objects on one side only are listed as
    ``missing`` (desired only) or ``extra`` (live only). HPAs on either side own the replicas of
    the workloads they scale."""
    checked = check_mode(mode)
    desired, live, rules = list(desired), list(live), tuple(rules)
    result = DiffResult(mode=checked)
    by_key_d = _by_key(desired, "desired", result)
    by_key_l = _by_key(live, "live", result)
    targets = scaled_by_hpa(itertools.chain(desired, live))
    # Normalization copies every body it reads (acyclic trees): the collector's passes over
    # both observations meanwhile freed nothing and were a quarter of the diff's CPU time.
    with collector_paused():
        for order in sorted(by_key_d.keys() | by_key_l.keys()):
            want, have = by_key_d.get(order), by_key_l.get(order)
            if want is None:
                result.extra.append(by_key_l[order].key)
            elif have is None:
                result.missing.append(want.key)
            else:
                _diff_pair(want, have, want.key, rules, targets, result)
    return result


def diff_observations(
    desired: Observation,
    live: Observation,
    *,
    mode: str = "strict",
    rules: Iterable[IgnoreRule] = (),
) -> DiffResult:
    """:func:`diff_resources` over the resources of two observations."""
    return diff_resources(desired.resources, live.resources, mode=mode, rules=rules)


def diff_bodies(
    desired: Mapping[str, Any],
    live: Mapping[str, Any],
    *,
    key: ResourceKey,
    mode: str = "strict",
    rules: Iterable[IgnoreRule] = (),
    hpa_targets: frozenset[ResourceKey] = frozenset(),
) -> DiffResult:
    """Compare one desired body with one live body of the object ``key``."""
    want, have = (Resource(key, body, _BODY) for body in (desired, live))
    result = DiffResult(mode=check_mode(mode))
    _compare(want, have, key, tuple(rules), hpa_targets, result)
    return result


_BODY = Origin("body", "")
_ORDER = operator.attrgetter("group", "kind", "namespace", "name")
"""ResourceKey's fields in turn: its own order, and its identity. A drift pairs objects on these
tuples, which are hashed, compared and sorted in C: the dataclass's ``__hash__``, ``__eq__``
and ``__lt__`` are a Python call each, six to nine of them for every pair of objects, a few
thousand comparisons more to sort a drift of a few hundred."""


def _compare(
    desired: Resource,
    live: Resource,
    key: ResourceKey,
    rules: tuple[IgnoreRule, ...],
    hpa_targets: frozenset[ResourceKey],
    result: DiffResult,
) -> None:
    """Each side's normalization (kept with the resource) completed for this pair, then diffed
    into ``result``, the drift's own (not a result per pair, then merged: seven lists made and
    copied for each pair, most of them empty)."""
    kinds = (desired.body.get("kind"), live.body.get("kind"))
    if kinds[0] != kinds[1]:
        result.findings.append(_finding(
            key, "KIND_MISMATCH", f"cannot compare a {kinds[0]!r} with a {kinds[1]!r}",
            "Compare objects of one kind; check the names given on both sides.",
        ))  # fmt: skip
        return
    ctx_d = NormalizeContext(key, "desired", hpa_targets)
    ctx_l = NormalizeContext(key, "live", hpa_targets)
    try:
        want, have = _normalized(desired, live, ctx_d, ctx_l, rules)
    except InputError as exc:
        result.findings.append(_finding(key, "UNREADABLE_OBJECT", exc.reason, "Fix the document."))
        return
    if rules:  # only a rule names the managers whose fields go
        drop_managed(want, have, ctx_l.managed_fields, rules, key)
    changes, findings = diff_documents(want, have, key=key, mode=result.mode)
    if result.mode == "argo":
        changes += removed_on_sync(want, have, ctx_l.managed_fields, key)
    result.changes.extend(changes)
    result.findings.extend(findings)
    for ctx in (ctx_d, ctx_l):
        result.injected.extend(ctx.injected)
        result.explained.extend(ctx.explained)
        result.incomplete.extend(ctx.incomplete)


def _normalized(
    desired: Resource,
    live: Resource,
    ctx_d: NormalizeContext,
    ctx_l: NormalizeContext,
    rules: tuple[IgnoreRule, ...],
) -> tuple[Body, Body]:
    """Both sides normalized for this pair: completed from the normalization each resource
    keeps, or, for two resources that keep none and no ignore rules (which a drift runs twice,
    with and without them), normalized once each and kept by neither."""
    if rules or kept(desired) or kept(live):
        copy = bool(trusted_managers(rules, ctx_d.key))  # drop_managed changes both in place
        want = complete(prepare(desired), ctx_d, rules=rules, copy=copy)
        prepared = prepare(live)  # an unreadable live object is reported before any step runs
        ctx_l.counterpart = want
        return want, complete(prepared, ctx_l, desired=desired.body, rules=rules, copy=copy)
    want = normalize_once(desired, ctx_d)
    ctx_l.counterpart = want
    return want, normalize_once(live, ctx_l, desired=desired.body)


def _diff_pair(
    want: Resource,
    have: Resource,
    key: ResourceKey,
    rules: tuple[IgnoreRule, ...],
    targets: frozenset[ResourceKey],
    result: DiffResult,
) -> None:
    size = max(_size(want), _size(have))
    if size > MAX_OBJECT_BYTES:
        _by_digest(want, have, key, size, result)
    else:
        _compare(want, have, key, rules, targets, result)


def _size(resource: Resource) -> int:
    data = resource.canonical  # a property: read once
    if data:
        return len(data)
    try:
        return len(canonical_json(resource.body))
    except CanonicalError:
        return 0  # diff_bodies reports why it cannot be read


def _by_digest(
    want: Resource, have: Resource, key: ResourceKey, size: int, result: DiffResult
) -> None:
    result.findings.append(_finding(
        key, "OBJECT_TOO_LARGE",
        f"{size} bytes is over the {MAX_OBJECT_BYTES}-byte limit; compared by digest only",
        "Check why the object is this large; the API server accepts at most 3 MiB.",
    ))  # fmt: skip
    before, after = (r.digest or digest_bytes(canonical_json(r.body)) for r in (want, have))
    if before != after:
        result.changes.append(Change(str(key), "", object_facet(key), Op.CHANGED, before, after))


def _by_key(
    resources: list[Resource], side: str, result: DiffResult
) -> dict[tuple[str, str, str, str], Resource]:
    """Each resource by its key's fields (:data:`_ORDER`), the later of two with one key."""
    found: dict[tuple[str, str, str, str], Resource] = {}
    for position, resource in enumerate(resources):
        # One lookup per resource: a key held twice leaves the map's size as it was, and is
        # looked for again then only.
        size = len(found)
        found[_ORDER(resource.key)] = resource
        if len(found) == size:
            earlier = next(r for r in reversed(resources[:position]) if r.key == resource.key)
            result.findings.append(_finding(
                resource.key, "DUPLICATE_OBJECT",
                f"{side} holds {resource.key} twice ({earlier.origin} and "
                f"{resource.origin}); the later one is compared",
                "Keep one definition per object.", Severity.MEDIUM,
            ))  # fmt: skip
    return found


def _finding(
    key: ResourceKey, rule: str, message: str, remedy: str, severity: Severity = Severity.HIGH
) -> Finding:
    return Finding(rule=rule, severity=severity, message=message, resource=str(key), remedy=remedy)
