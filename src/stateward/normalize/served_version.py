"""The API version an object is served in is a representation, not part of its state.

The API server converts between the versions of a group (an object applied as
``admissionregistration.k8s.io/v1beta1`` reads back as ``…/v1``), and both ``kubectl diff`` and
Argo CD fetch the live object in the desired object's version before comparing, so a version
difference alone is never drift. The step runs after the defaults, which need the version
(:mod:`stateward.normalize.api_defaults`); objects are matched on group and kind already.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.normalize.interface import Body, NormalizeContext
from stateward.normalize.step import Step

__all__ = ["ServedVersion"]


class ServedVersion(Step):
    """Drops ``apiVersion`` from both sides of a Kubernetes object."""

    name = "served-version"
    tidy = True  # only the root loses a field
    # Step's applies_to (every Kubernetes object, decided once per kind): popping a version a
    # body lacks changes nothing, and asking each body first cost more than the pop.

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        body.pop("apiVersion", None)
        return body
