"""``null``, ``{}``, ``[]`` and absent are one value where the API treats them alike.

Go's ``omitempty`` drops empty maps and slices and nil pointers when the server writes an object
back, so Helm's ``annotations: null`` or ``resources: {}`` never survive to live (argo-cd #941,
#18213, #16355, #15898). Empty values are dropped bottom-up, except where emptiness *means*
something: ``emptyDir: {}`` names the volume type, an empty ``podSelector`` or
``namespaceSelector`` selects everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.normalize.interface import Body, NormalizeContext
from stateward.normalize.step import Step

__all__ = ["MEANINGFUL", "Empties", "drop_empties", "dropped"]

MEANINGFUL = frozenset({"emptyDir", "podSelector", "namespaceSelector"})
"""Keys whose empty value is kept: the emptiness means something."""


class Empties(Step):
    """Drop keys whose value is null, ``{}`` or ``[]`` (unless the emptiness means something)."""

    name = "empties"

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        drop_empties(body)
        return body


def dropped(key: str, value: Any) -> bool:
    """True when :func:`drop_empties` drops ``value`` held at ``key`` (the value itself, not
    what is inside it): a step that leaves no empty value (``tidy``, see
    :class:`stateward.normalize.step.Step`) drops what it empties by this test."""
    return value is None or (not value and type(value) in (dict, list) and key not in MEANINGFUL)


def drop_empties(node: Any) -> None:
    """Remove empty values from every mapping inside ``node``, innermost first.

    ``node`` has taken the JSON round trip, so its containers are exactly dict and list.
    """
    if type(node) is list:
        for item in node:
            if type(item) is dict or type(item) is list:
                drop_empties(item)
        return
    empty: list[str] | None = None  # made for the few maps that hold an empty value
    for key, value in node.items():
        kind = type(value)
        if kind is dict or kind is list:
            if value:
                drop_empties(value)
            if not value and key not in MEANINGFUL:
                empty = [key] if empty is None else [*empty, key]
        elif value is None:
            empty = [key] if empty is None else [*empty, key]
    for key in empty or ():
        del node[key]
