"""Canonical quantities (numbers are made canonical by the JSON round trip of
:mod:`stateward.normalize.guard`).

Argo CD re-marshals through Go types (``remarshal``,
https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/gitops-engine/pkg/diff/diff.go#L1230),
so ``0.2`` becomes ``200m``; it skips quantities in custom
resources, which causes the ``0.5`` vs ``500m`` sync loop (argo-cd #17682, argocd-operator
#1290). We canonicalize quantities by field name in every kind. Strings stay strings: ``'1'`` and
``1`` remain different outside quantity fields (argo-cd #8833).

The step runs first, right after the round trip's copy, so the pipeline has the copy spell
quantities as it goes (:meth:`Quantities.in_copy`): a whole-tree walk less per object.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from stateward.errors import NormalizeError
from stateward.model.pointer import Trail, trail_pointer
from stateward.normalize.guard import MapRewrite
from stateward.normalize.interface import Body, NormalizeContext
from stateward.normalize.quantity import canonical_quantity, parse_quantity
from stateward.normalize.step import Step

__all__ = ["Quantities"]

# Maps whose every value is a quantity (core/v1 ResourceList and its relatives).
_QUANTITY_MAPS = frozenset({"requests", "limits", "capacity", "allocatable", "hard", "used",
                            "overhead"})  # fmt: skip
# LimitRange items hold ResourceLists under these names too.
_LIMIT_RANGE_MAPS = frozenset({"default", "defaultRequest", "max", "min", "maxLimitRequestRatio"})
# Single fields that hold a quantity in built-ins and, by convention, in many CRDs. Outside the
# maps above a value that does not parse is left alone: the field may not be a quantity at all.
_QUANTITY_LEAVES = frozenset({"storage", "sizeLimit", "size", "cpu", "memory", "ephemeral-storage",
                              "divisor"})  # fmt: skip


class Quantities(Step):
    """Every quantity in its one canonical spelling, in built-ins and custom resources alike."""

    name = "quantities"
    tidy = True  # a quantity is spelled again, never emptied

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        bad: list[tuple[Trail, str]] = []
        _canonicalize(body, None, _maps(ctx.key.kind), bad)
        if bad:
            where = [(trail_pointer(trail), why) for trail, why in bad]
            text = "; ".join(f"{path}: {why}" for path, why in where[:5])
            ctx.note_incomplete(self.name, text, where[0][0])
        return body

    def in_copy(self, kind: str) -> MapRewrite:
        """This step as a rewrite the JSON round trip makes as it copies (one walk instead of
        two), for an object of ``kind``. It gives what :meth:`normalize` gives after the copy,
        or raises :class:`Unspelled` where :meth:`normalize` would note a value it cannot read:
        the caller then copies plainly and runs the step, which names where."""
        return _REWRITES[kind == "LimitRange"]


class Unspelled(Exception):
    """A value in a map of quantities that is not a quantity (see :meth:`Quantities.in_copy`)."""


def _maps(kind: str) -> frozenset[str]:
    return _QUANTITY_MAPS | _LIMIT_RANGE_MAPS if kind == "LimitRange" else _QUANTITY_MAPS


def _spell(maps: frozenset[str], node: dict[str, Any]) -> None:
    # What _canonicalize does at one map, its values already copied and spelled: only the
    # keys it acts on are visited.
    for key in maps.intersection(node):
        value = node[key]
        if type(value) is dict:
            for name, amount in value.items():
                value[name] = _quantity(amount, None, _UNSPELLED)
    for key in _QUANTITY_LEAVES.intersection(node):
        value = node[key]
        kind = type(value)
        if kind is str or kind is int or kind is float:
            node[key] = _quantity(value, None, None)


def _canonicalize(
    node: Any, trail: Trail, maps: frozenset[str], bad: list[tuple[Trail, str]]
) -> None:
    if type(node) is list:
        for index, item in enumerate(node):
            if type(item) is dict or type(item) is list:
                _canonicalize(item, (trail, str(index)), maps, bad)
        return
    for key, value in node.items():
        kind = type(value)
        if kind is dict:
            if key in maps:
                for name, amount in value.items():
                    value[name] = _quantity(amount, ((trail, key), name), bad)
            else:
                _canonicalize(value, (trail, key), maps, bad)
        elif kind is list:
            _canonicalize(value, (trail, key), maps, bad)
        elif key in _QUANTITY_LEAVES and (kind is str or kind is int or kind is float):
            node[key] = _quantity(value, None, None)


def _quantity(value: Any, trail: Trail, bad: list[tuple[Trail, str]] | None) -> Any:
    if value is None:
        return None
    try:
        if type(value) is str or type(value) is int:
            return _canonical(value)
        return canonical_quantity(parse_quantity(value))
    except NormalizeError as exc:
        if bad is _UNSPELLED:
            raise Unspelled from None
        if bad is not None:
            bad.append((trail, exc.message))
        return value


_UNSPELLED: list[tuple[Trail, str]] = []
"""Passed as ``bad`` where a value that is not a quantity must stop the copy (see _spell)."""
_REWRITES = {
    limit_range: MapRewrite(_maps(kind) | _QUANTITY_LEAVES, functools.partial(_spell, _maps(kind)))
    for limit_range, kind in ((False, ""), (True, "LimitRange"))
}


@functools.lru_cache(maxsize=4096)
def _canonical(value: str | int) -> str:
    # The same few spellings recur across thousands of objects; Fraction arithmetic is not cheap.
    return canonical_quantity(parse_quantity(value))
