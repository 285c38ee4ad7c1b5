"""Live-only fields no field manager owns: what the API server's defaulting wrote.

With server-side apply, ``metadata.managedFields`` records for each manager exactly the fields
it set (``fieldsV1``: ``f:<field>``, ``k:<list-map key>``, ``v:<set value>``, ``i:<index>``).
Schema defaults of custom resources (argo-cd #11139, #28724), which no table of built-in
defaults can know, belong to no manager; a field set by ``kubectl set env`` or ``kubectl edit``
belongs to that manager. So in live, a field absent from desired and owned by nobody is a
default: it takes the value desired's own normalization gave that field (a default of the
table, which the server wrote too), or is dropped where desired has none, and everything a
manager owns stays and is compared: strict mode keeps catching
hand edits (argo-cd #4537) without flagging defaults. Argo CD, Flux and ``kubectl diff`` do not
offer this: under their apply semantics a field only live holds is never drift.

Conservative by construction: where the ownership of a parent cannot be read (no
managedFields, an atomic field, a list item no key matches), nothing below it is dropped.
Update-operation managers (client-side apply) own the defaulted fields too, so for objects
written that way nothing is dropped either. Secrets are left alone: ``stringData`` is owned
under a name the live object no longer has.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from typing import Any, cast

from stateward.model.identity import identity_for
from stateward.normalize.empties import dropped
from stateward.normalize.guard import clone
from stateward.normalize.interface import Body, NormalizeContext, Side
from stateward.normalize.step import Step

__all__ = [
    "GITOPS_MANAGER",
    "UnownedFields",
    "applied_fields",
    "owned_at",
    "owned_fields",
]

Fields = dict[str, Any]


def owned_fields(managed_fields: Any, managers: frozenset[str] | None = None) -> Fields:
    """The union of every manager's ``fieldsV1`` (status subresource entries left out), or
    only of the ``managers`` named."""
    union: Fields = {}
    for entry in _entries(managed_fields):
        if managers is None or entry.get("manager") in managers:
            _merge(union, entry.get("fieldsV1"))
    return union


def _entries(managed_fields: Any) -> Iterator[Mapping[str, Any]]:
    """The entries of ``managed_fields`` that own fields of the object (not of its status)."""
    for entry in managed_fields if isinstance(managed_fields, list) else ():
        if (type(entry) is dict or isinstance(entry, Mapping)) and entry.get(
            "subresource"
        ) != "status":
            yield entry


GITOPS_MANAGER = "argocd-controller"
"""The field manager Argo CD's server-side-apply syncs use (``ArgoCDSSAManager``, argo-cd
``common/common.go`` @ 53ed91d020eba61b3492e02cc379d4e40a212927)."""


def applied_fields(managed_fields: Any, manager: str = GITOPS_MANAGER) -> Fields:
    """The fields ``manager`` set with ``operation: Apply``: what server-side apply will remove
    once the configuration it applies no longer has them
    (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management).
    Another manager's fields, even applied ones (``kubectl apply --server-side`` by hand),
    are not the GitOps controller's to remove."""
    entries = managed_fields if isinstance(managed_fields, list) else []
    applied = [
        entry
        for entry in entries
        if isinstance(entry, Mapping)
        and entry.get("operation") == "Apply"
        and entry.get("manager") == manager
    ]
    return owned_fields(applied)


def owned_at(fields: Fields, body: Any, tokens: list[str], *, whole: bool = False) -> bool:
    """True when ``fields`` (a ``fieldsV1`` set) holds the field ``tokens`` name in ``body``;
    with ``whole``, also when it holds an ancestor whole (a leaf of the set: an atomic list or
    map, owned with everything in it)."""
    node, below = body, cast("Fields | None", fields)
    for depth, token in enumerate(tokens):
        if below is None:
            return False
        if whole and depth and not below:
            return True
        if isinstance(node, dict):
            node, below = node.get(token), below.get("f:" + token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
            below = _item_fields(node, _keys(below)) or below.get("v:" + _compact(node))
        else:
            return False
    return below is not None


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _owns_any(managed_fields: Any) -> bool:
    """True when :func:`owned_fields` of ``managed_fields`` is not empty. (Asked of every
    live object: a loop, without the generators of :func:`_fields_v1`.)"""
    for entry in managed_fields if type(managed_fields) is list else ():
        if (type(entry) is dict or isinstance(entry, Mapping)) and entry.get(
            "subresource"
        ) != "status":
            fields = entry.get("fieldsV1")
            if (type(fields) is dict or isinstance(fields, Mapping)) and fields:
                return True
    return False


def _fields_v1(managed_fields: Any) -> Iterator[Any]:
    return (entry.get("fieldsV1") for entry in _entries(managed_fields))


def _is_map(value: Any) -> bool:
    # fieldsV1 was decoded from JSON: its maps are dicts (no ABC check for those).
    return type(value) is dict or isinstance(value, Mapping)


def _merge(into: Fields, fields: Any) -> None:
    # Most maps of a fieldsV1 are leaves, empty (no call for those).
    if not _is_map(fields):
        return
    for name, below in fields.items():
        target = into.setdefault(name, {})
        if below:
            _merge(target, below)


def _shared_union(managed_fields: Any) -> Mapping[str, Any]:
    """:func:`owned_fields` as :func:`_prune` reads it (a field that holds no map is
    owned whole, as a leaf of the merged union), sharing the
    managers' ``fieldsV1`` instead of copying them: the first manager's whole, and of the
    others' only the maps on the way to a field the ones before did not own. Merged, every
    map of every manager was made anew, a third of this step's time on an object applied by
    one manager and edited by a second."""
    union: Mapping[str, Any] = {}
    for fields in _fields_v1(managed_fields):
        if _is_map(fields) and fields:
            union = _joined(union, fields) if union else fields
    return union


def _joined(into: Mapping[str, Any], fields: Mapping[str, Any]) -> Mapping[str, Any]:
    """``into`` and ``fields`` (two fieldsV1 sets, or the union of some) as one: ``into``
    itself when ``fields`` owns nothing more, else a copy of the maps that change."""
    joined: Fields | None = None
    for name, below in fields.items():
        if name in into:
            have = into[name]
            if not (_is_map(below) and below) or below == have:
                continue  # owned by both: nothing more below
            new = _joined(have, below) if _is_map(have) and have else below
            if new is have:
                continue
        else:
            new = below if _is_map(below) else {}
        if joined is None:
            joined = dict(into)
        joined[name] = new
    return into if joined is None else joined


_UNOWNED = object()
"""No manager owns the field (a manager's fieldsV1 may hold a null for a field it owns)."""


class UnownedFields(Step):
    """Live-only fields that no manager owns take desired's normalized value, or go (see the
    module docstring). It runs after the defaults, with desired normalized in
    ``ctx.counterpart``; without it (a body normalized on its own) such fields just go."""

    name = "unowned-fields"
    pairwise: tuple[Side, ...] = ("live",)
    tidy = True  # a map or list it empties goes; what it puts in is desired's, normalized

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        # Objects whose managers own no fields have nothing to prune: those read without
        # managedFields (``kubectl get`` leaves them out by default) or with entries that
        # hold no fieldsV1. Skipping them spares a copy and the empty values' second walk.
        return (
            super().applies_to(ctx, body)  # the live side only
            and ctx.key.kind != "Secret"
            and _owns_any(ctx.managed_fields)
        )

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        if ctx.side != "live" or desired is None:
            return body
        owned = _shared_union(ctx.managed_fields)
        if owned:
            _prune(body, desired, ctx.counterpart, owned, ctx.key.kind)
        return body


def _below(normalized: Any, name: str) -> Any:
    """``normalized[name]``: the value an unowned live field takes; None where desired's
    normalization holds no map here (it took the round trip: its maps are exactly dicts)."""
    return normalized.get(name) if type(normalized) is dict else None


def _prune(
    live: dict[str, Any],
    raw: Mapping[str, Any],
    normalized: Any,
    owned: Mapping[str, Any],
    kind: str,
) -> None:
    """Unowned fields of ``live`` that ``raw`` (desired as the user wrote it) does not set
    take their value in ``normalized`` (desired normalized, None where not known), or go."""
    gone = None  # made for the few maps that lose a field
    for name, value in live.items():
        below = owned.get("f:" + name, _UNOWNED)
        if name not in raw:
            if below is _UNOWNED:  # the server wrote it: desired's default, or nothing
                default = _below(normalized, name)
                if default is None:
                    gone = [name] if gone is None else [*gone, name]
                else:  # a value replaced, not a key added: the walk goes on
                    live[name] = clone(default)  # normalized desired took the round trip
            continue
        # Owned as a whole (atomic: empty, or no map) or not at all: nothing to read below.
        if not below or (type(below) is not dict and not isinstance(below, Mapping)):
            continue
        wanted = raw[name]
        if type(value) is dict and (type(wanted) is dict or isinstance(wanted, Mapping)):
            _prune(value, wanted, _below(normalized, name), below, kind)
        elif type(value) is list and isinstance(wanted, list):
            _prune_list(value, wanted, _below(normalized, name), below, name, kind)
        else:
            continue
        if dropped(name, value):  # pruned empty
            gone = [name] if gone is None else [*gone, name]
    for name in gone or ():
        del live[name]


def _prune_list(
    live: list[Any],
    raw: list[Any],
    normalized: Any,
    owned: Mapping[str, Any],
    field: str,
    kind: str,
) -> None:
    identity = identity_for(field, live or raw, kind)
    if identity is None:
        return
    # Items of bodies as read or normalized: dicts (no ABC check for those).
    wanted = {identity(w): w for w in raw if type(w) is dict or isinstance(w, Mapping)}
    normalized = normalized if isinstance(normalized, list) else []
    defaulted = {identity(w): w for w in normalized if type(w) is dict or isinstance(w, Mapping)}
    keys = _keys(owned)
    keep = []
    for item in live:
        below = _item_fields(item, keys)
        ident = counterpart = None
        if isinstance(item, dict):
            ident = identity(item)  # once: read again below
            counterpart = wanted.get(ident)
        if counterpart is None:
            if below is not None:
                keep.append(item)  # a live-only item someone owns: drift, keep it
            continue
        if below and type(item) is dict:
            _prune(item, counterpart, defaulted.get(ident), below, kind)
        keep.append(item)
    live[:] = keep


def _keys(owned: Mapping[str, Any]) -> list[tuple[Any, Fields]]:
    # A k: field that holds no map is owned whole (as owned_fields merges it): an empty map.
    return [
        (_list_key(k[2:]), v if _is_map(v) else {}) for k, v in owned.items() if k.startswith("k:")
    ]


@functools.lru_cache(maxsize=4096)
def _list_key(text: str) -> Any:
    """The item key a ``k:`` field names, decoded: shared by every caller, never changed.
    The same few (``{"name":"app"}``, ``{"containerPort":80,"protocol":"TCP"}``) recur across
    the objects of a cluster; decoding each anew was about a sixth of this step's time."""
    return json.loads(text)


def _item_fields(item: Any, keys: list[tuple[Any, Fields]]) -> Fields | None:
    # k:{"containerPort":80,"protocol":"TCP"} names the item whose key fields have those values.
    if not isinstance(item, dict):
        return None
    for key, below in keys:
        if isinstance(key, dict):
            for name, value in key.items():  # a loop: no generator for the field or two
                if item.get(name) != value:
                    break
            else:
                return below
    return None
