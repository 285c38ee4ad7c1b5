"""Lookup of an observation's resources by kind, namespace and name, and label selectors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from stateward.model.resource import Resource

__all__ = ["ResourceIndex", "selector_matches"]


class ResourceIndex:
    """Resources grouped for the joins the context resolver makes."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self._by_name: dict[tuple[str, str, str], Resource] = {}
        self._by_kind: dict[str, list[Resource]] = defaultdict(list)
        self._by_namespace: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        self.memo: dict[str, Any] = {}
        """Per-observation lookups built once by the joins that need them (see network.py)."""
        for resource in resources:
            key = resource.key
            self._by_name.setdefault((key.kind, key.namespace, key.name), resource)
            self._by_kind[key.kind].append(resource)
            self._by_namespace[key.kind, key.namespace].append(resource)

    def get(self, kind: str, namespace: str, name: str) -> Resource | None:
        """The resource of that kind, namespace and name, if the estate holds it."""
        return self._by_name.get((kind, namespace, name))

    def of_kind(self, kind: str, namespace: str | None = None) -> Iterator[Resource]:
        """Every resource of a kind, optionally within one namespace."""
        if namespace is None:
            yield from self._by_kind.get(kind, ())
        else:
            yield from self._by_namespace.get((kind, namespace), ())


def selector_matches(selector: Any, labels: Mapping[str, Any]) -> bool:
    """Kubernetes LabelSelector semantics (matchLabels and matchExpressions; {} selects all).

    A Service's plain ``selector`` map is passed as ``{"matchLabels": selector}`` by callers.
    """
    if not isinstance(selector, dict):
        return False
    match_labels = selector.get("matchLabels") or {}
    if not isinstance(match_labels, dict):
        return False
    if any(labels.get(k) != v for k, v in match_labels.items()):
        return False
    return all(_expression(e, labels) for e in selector.get("matchExpressions") or [])


def _expression(expr: Any, labels: Mapping[str, Any]) -> bool:
    if not isinstance(expr, dict):
        return False
    key, operator, values = str(expr.get("key")), expr.get("operator"), expr.get("values") or []
    match operator:
        case "In":
            return key in labels and labels[key] in values
        case "NotIn":
            return key not in labels or labels[key] not in values
        case "Exists":
            return key in labels
        case "DoesNotExist":
            return key not in labels
        case _:
            return False
