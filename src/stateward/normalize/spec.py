"""The shape most default steps share: fill the ``spec`` of some built-in kinds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.normalize.interface import Body, NormalizeContext
from stateward.normalize.step import KindStep
from stateward.normalize.walk import child

__all__ = ["SpecDefaults"]


class SpecDefaults(KindStep):
    """Base of the steps that fill the ``spec`` of the built-in ``kinds`` (a CRD of the same
    name is left alone, and so is an object whose ``spec`` is absent or not a map)."""

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        spec = child(body, "spec")
        if spec is not None:
            self.fill(spec, body, desired, ctx)
        return body

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        """Apply this step's defaults to ``spec`` (``body`` is the whole object)."""
        raise NotImplementedError
