"""N1/N2 of ANCHORS §1.1: the type round trip and canonical quantities.

Argo CD re-marshals through Go types, so ``3.0`` and ``3`` become one number and ``0.2`` becomes
``200m``; it skips quantities in custom resources, which causes the ``0.5`` vs ``500m`` sync loop
(argo-cd #17682, argocd-operator #1290). We canonicalize quantities by field name in every kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.diff.interface import Body, NormalizeContext
from stateward.diff.normalize.quantity import canonical_quantity, parse_quantity
from stateward.diff.pointer import escape
from stateward.errors import NormalizeError
from stateward.model.resource import ResourceKey

__all__ = ["Numbers", "Quantities"]

# Maps whose every value is a quantity (core/v1 ResourceList and its relatives).
_QUANTITY_MAPS = frozenset({"requests", "limits", "capacity", "allocatable", "hard", "used",
                            "overhead"})  # fmt: skip
# LimitRange items hold ResourceLists under these names too.
_LIMIT_RANGE_MAPS = frozenset({"default", "defaultRequest", "max", "min", "maxLimitRequestRatio"})
# Single fields that hold a quantity in built-ins and, by convention, in many CRDs. Outside the
# maps above a value that does not parse is left alone: the field may not be a quantity at all.
_QUANTITY_LEAVES = frozenset({"storage", "sizeLimit", "size", "cpu", "memory", "ephemeral-storage"})


class Numbers:
    """``3.0`` is ``3``: JSON has one number type, and Go's round trip erases the difference.

    Strings stay strings: ``'1'`` and ``1`` remain different (argo-cd #8833), since the API
    server would reject one of them for any typed field.
    """

    name = "numbers"

    def applies_to(self, key: ResourceKey, body: Mapping[str, Any]) -> bool:
        return True

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        _fold_floats(body)
        return body


def _fold_floats(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if type(value) is float and value.is_integer():
                node[key] = int(value)
            elif isinstance(value, dict | list):
                _fold_floats(value)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if type(value) is float and value.is_integer():
                node[index] = int(value)
            elif isinstance(value, dict | list):
                _fold_floats(value)


class Quantities:
    """Every quantity in its one canonical spelling, in built-ins and custom resources alike."""

    name = "quantities"

    def applies_to(self, key: ResourceKey, body: Mapping[str, Any]) -> bool:
        return True

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        maps = (
            _QUANTITY_MAPS | _LIMIT_RANGE_MAPS if ctx.key.kind == "LimitRange" else _QUANTITY_MAPS
        )
        bad: list[str] = []
        _canonicalize(body, "", maps, bad)
        if bad:
            ctx.note_incomplete(self.name, "; ".join(bad[:5]), bad[0].split(":")[0])
        return body


def _canonicalize(node: Any, path: str, maps: frozenset[str], bad: list[str]) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            _canonicalize(item, f"{path}/{index}", maps, bad)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        where = f"{path}/{escape(key)}"
        if key in maps and isinstance(value, dict):
            for name, amount in value.items():
                value[name] = _quantity(amount, f"{where}/{escape(name)}", bad)
        elif key in _QUANTITY_LEAVES and _scalar(value):
            node[key] = _quantity(value, where, None)
        else:
            _canonicalize(value, where, maps, bad)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _quantity(value: Any, where: str, bad: list[str] | None) -> Any:
    if value is None:
        return None
    try:
        return canonical_quantity(parse_quantity(value))
    except NormalizeError as exc:
        if bad is not None:
            bad.append(f"{where}: {exc.message}")
        return value
