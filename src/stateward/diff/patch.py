"""Replay changes on a document: ``apply_changes(diff(a, b), a)`` gives ``b``.

Replaying is how a diff is checked: a change lost or misplaced gives a different document.

Changes are applied in the order the engine emits them (see :mod:`stateward.diff.engine`):
ADDED inserts at its position in a list (or sets a key), REMOVED deletes, CHANGED replaces.
Lists matched by identity come out with the items of ``b`` in ``a``'s order where both hold
them, which the diff itself treats as equal.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from stateward.errors import InputError
from stateward.model.change import Change, Op
from stateward.model.pointer import split

__all__ = ["apply_changes"]


def apply_changes(document: Any, changes: Iterable[Change]) -> Any:
    """A copy of ``document`` with ``changes`` applied; InputError when a path does not fit."""
    result = copy.deepcopy(document)
    for change in changes:
        result = _apply(result, change)
    return result


def _apply(document: Any, change: Change) -> Any:
    tokens = split(change.path)
    if not tokens:
        return copy.deepcopy(change.after) if change.op is not Op.REMOVED else None
    parent = document
    for token in tokens[:-1]:
        parent = _step(parent, token, change.path)
    last = tokens[-1]
    value = copy.deepcopy(change.after)
    if isinstance(parent, dict):
        if change.op is Op.REMOVED:
            if last not in parent:
                raise InputError(change.path, "nothing to remove there")
            del parent[last]
        else:
            parent[last] = value
    elif isinstance(parent, list):
        position = _position(last, change.path, len(parent) + (change.op is Op.ADDED))
        if change.op is Op.ADDED:
            parent.insert(position, value)
        elif change.op is Op.REMOVED:
            del parent[position]
        else:
            parent[position] = value
    else:
        raise InputError(change.path, "the parent is not a mapping or a list")
    return document


def _step(node: Any, token: str, path: str) -> Any:
    if isinstance(node, dict) and token in node:
        return node[token]
    if isinstance(node, list):
        return node[_position(token, path, len(node))]
    raise InputError(path, f"no {token!r} on the way")


def _position(token: str, path: str, size: int) -> int:
    # RFC 6901 §4: an array index is 0 or digits without a leading zero.
    if not (token == "0" or (token.isdigit() and token.isascii() and token[0] != "0")):
        raise InputError(path, f"{token!r} is not a list position")
    position = int(token)
    if position >= size:
        raise InputError(path, f"position {position} is past the end")
    return position
