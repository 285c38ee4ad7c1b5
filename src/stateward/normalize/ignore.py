"""User ignore rules, applied last, to both sides alike.

Last, so a rule matches the same normalized body the diff compares, as Argo CD applies
``ignoreDifferences`` after its built-in normalization (``NewIgnoreNormalizer``,
https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/util/argo/normalizers/diff_normalizer.go#L121).

Deleting the path on both sides, rather than filtering the diff afterwards, means an ignored
field never produces a change, whatever the other side holds there (argo-cd #11876).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from stateward.model.resource import ResourceKey
from stateward.normalize.interface import Body, NormalizeContext, Side
from stateward.normalize.managed import Fields, owned_fields
from stateward.normalize.rules import Each, IgnoreRule, Index, Jq, JqPath, Key, Select, Step

__all__ = ["IgnoreRules", "drop_managed", "trusted_managers"]

_Ref = tuple[Any, Any]  # (container, key or index); (None, None) is the document itself


class IgnoreRules:
    """Delete what the matching user rules name."""

    name = "ignore-rules"
    pairwise: tuple[Side, ...] = ("desired", "live")

    def __init__(self, rules: tuple[IgnoreRule, ...]) -> None:
        self.rules = rules

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        return any(rule.matches(ctx.key) for rule in self.rules)

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        for rule in self.rules:
            if rule.matches(ctx.key):
                for tokens in rule.pointers:
                    _delete_pointer(body, tokens)
                for steps in rule.jq_paths:
                    _delete_refs(_resolve(body, steps))
        return body


def drop_managed(
    want: Body, have: Body, managed_fields: Any, rules: Iterable[IgnoreRule], key: ResourceKey
) -> None:
    """Delete from both sides the fields live's ``managedFields`` give to a manager a matching
    rule lists in ``managedFieldsManagers``, as Argo CD does: "if config mutates a field that
    belongs to one of the trusted managers it will remove that field from both live and config"
    (argo-cd ``util/argo/managedfields/managed_fields.go`` @ 7702f43ac3aff94bac6065cdf724f3f14c970abc,
    ``Normalize``; https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/)."""
    managers = trusted_managers(rules, key) if rules else None
    if managers:
        _drop(have, want, owned_fields(managed_fields, managers))


def trusted_managers(rules: Iterable[IgnoreRule], key: ResourceKey) -> frozenset[str]:
    """The ``managedFieldsManagers`` of the rules that match ``key``."""
    return frozenset(m for rule in rules if rule.matches(key) for m in rule.managers)


def _drop(live: Any, want: Any, owned: Fields) -> None:
    for name, below in owned.items():
        leaf = not (set(below) - {"."})
        if name.startswith("f:"):
            field = name[2:]
            if leaf:
                for side in (live, want):
                    if isinstance(side, dict):
                        side.pop(field, None)
            else:
                _drop(_child(live, field), _child(want, field), below)
        elif name.startswith("k:") and isinstance(live, list):
            _drop_items(live, want, json.loads(name[2:]), below, leaf)


def _drop_items(live: list[Any], want: Any, ident: Any, below: Fields, leaf: bool) -> None:
    sides = [live, want] if isinstance(want, list) else [live]
    for side in sides:
        matching = [i for i, item in enumerate(side) if _has(item, ident)]
        if leaf:
            side[:] = [item for i, item in enumerate(side) if i not in matching]
        for i in [] if leaf else matching:
            _drop(side[i], None, below)


def _has(item: Any, ident: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(ident, dict)
        and all(item.get(k) == v for k, v in ident.items())
    )


def _child(node: Any, field: str) -> Any:
    return node.get(field) if isinstance(node, dict) else None


def _delete_pointer(body: Body, tokens: tuple[str, ...]) -> None:
    node: Any = body
    for token in tokens[:-1]:
        node = _get(node, token)
    if tokens:
        _delete_refs([(node, tokens[-1] if isinstance(node, dict) else _index(node, tokens[-1]))])


def _get(node: Any, token: str) -> Any:
    if isinstance(node, dict):
        return node.get(token)
    if isinstance(node, list):
        index = _index(node, token)
        return node[index] if index is not None else None
    return None


def _index(node: Any, token: str) -> int | None:
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return int(token)
    return None


def _resolve(body: Body, steps: JqPath) -> list[_Ref]:
    if isinstance(steps, Jq):
        return [ref for path in steps.paths(body) if (ref := _ref(body, path)) is not None]
    refs: list[_Ref] = [(None, None)]
    for step in steps:
        refs = [new for ref in refs for new in _expand(ref, _value(body, ref), step)]
    return refs


def _ref(body: Body, path: list[Any]) -> _Ref | None:
    """The (container, key) a jq path ends in; None for the document itself or a dead end."""
    node: Any = body
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return (node, path[-1]) if path else None


def _value(body: Body, ref: _Ref) -> Any:
    container, at = ref
    return body if container is None else container[at]


def _expand(ref: _Ref, value: Any, step: Step) -> list[_Ref]:
    if isinstance(step, Key):
        return [(value, step.name)] if isinstance(value, dict) and step.name in value else []
    if isinstance(step, Index):
        if isinstance(value, list) and -len(value) <= step.index < len(value):
            return [(value, step.index % len(value))]
        return []
    if isinstance(step, Each):
        if isinstance(value, list):
            return [(value, i) for i in range(len(value))]
        return [(value, k) for k in value] if isinstance(value, dict) else []
    if isinstance(step, Select):
        probe = value
        for name in step.path:
            probe = probe.get(name) if isinstance(probe, dict) else None
        return [ref] if probe == step.literal and type(probe) is type(step.literal) else []
    raise AssertionError(f"bad step {step!r}")


def _delete_refs(refs: list[_Ref]) -> None:
    # Highest list positions first, so earlier deletions do not shift later ones.
    unique = {(id(r[0]), r[1]): r for r in refs if r[0] is not None and r[1] is not None}
    for container, at in sorted(
        unique.values(),
        key=lambda r: r[1] if isinstance(r[1], int) else -1,
        reverse=True,
    ):
        if isinstance(container, dict):
            container.pop(at, None)
        elif isinstance(container, list) and isinstance(at, int) and at < len(container):
            del container[at]
