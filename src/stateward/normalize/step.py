"""What the built-in steps share: most need nothing but the object and apply to every
Kubernetes object, or to some built-in kinds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.model.kubernetes import is_builtin, is_kubernetes
from stateward.normalize.interface import NormalizeContext, Side

__all__ = ["KindStep", "Step"]


class Step:
    """Base of a built-in step: own (not pairwise) unless ``pairwise`` names sides (then it
    applies on those sides only), and for every Kubernetes object unless ``applies_to``
    narrows it."""

    name: str
    pairwise: tuple[Side, ...] = ()
    tidy: bool = False
    """True when the step, given a body without empty values (as :class:`Empties` leaves it),
    leaves none (it drops what it empties, by :func:`stateward.normalize.empties.dropped`, or
    sets ``left_empty`` in the context where a later step reads the empty value as present):
    then no pass of the empty values need follow it (see :func:`stateward.normalize.complete`
    and :func:`stateward.normalize.normalize`)."""

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        return is_kubernetes(ctx.key) and self.on_side(ctx)

    def on_side(self, ctx: NormalizeContext) -> bool:
        """True for an own step, or when ``ctx.side`` is one the step changes."""
        return not self.pairwise or ctx.side in self.pairwise


class KindStep(Step):
    """A step for the built-in ``kinds`` only (a CRD of the same name is left alone)."""

    kinds: tuple[str, ...]

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        return is_builtin(ctx.key, *self.kinds) and self.on_side(ctx)
