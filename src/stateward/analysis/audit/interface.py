"""The detector plug-point of the state audit: a rule, what it returns, and the registry.

A rule is small and named: it has a stable ID (the pattern names of the test corpora's
``README.md``), a severity, a scope (what it looks at) and what its findings mean for the
component's lifecycle class. Built-in rules register through :func:`register`, the same call a
plugin would use; :func:`detector` is the decorator form for a plain function.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from stateward.analysis.audit.estate import Estate
from stateward.model.finding import Severity

__all__ = [
    "Effect",
    "Hit",
    "Lifecycle",
    "RULES",
    "Rule",
    "Scope",
    "detector",
    "register",
    "rule_by_id",
]


class Lifecycle(enum.StrEnum):
    """What replacing a component costs, least to most (the classes of docs/cost.md)."""

    EPHEMERAL_SAFE = "ephemeral-safe"
    EPHEMERAL_WITH_WARM_UP = "ephemeral-with-warm-up"
    PERSISTENT = "persistent"

    @property
    def rank(self) -> int:
        """Position in the order safe < warm-up < persistent."""
        return _LIFECYCLE_RANKS[self]  # looked up: asked of every finding of every component


_LIFECYCLE_RANKS = {lifecycle: rank for rank, lifecycle in enumerate(Lifecycle)}


class Effect(enum.StrEnum):
    """What one finding says about state, which decides class and gravity weight.

    ``LOSS``: data lives where replacement destroys it (blocking, not a cost).
    ``DURABLE``: data survives replacement but is tied to a volume, node or host.
    ``WARM_UP``: nothing is lost, but a replacement starts cold (fetch, seed, cache, stickiness).
    ``ACCESS``: the component reaches host state (socket, host filesystem, privileges).
    ``CONTEXT``: informational; does not change the class.
    """

    LOSS = "loss"
    DURABLE = "durable"
    WARM_UP = "warm-up"
    ACCESS = "access"
    CONTEXT = "context"

    @property
    def lifecycle(self) -> Lifecycle:
        """The least class a component with such a finding can have."""
        if self in (Effect.LOSS, Effect.DURABLE):
            return Lifecycle.PERSISTENT
        if self is Effect.WARM_UP:
            return Lifecycle.EPHEMERAL_WITH_WARM_UP
        return Lifecycle.EPHEMERAL_SAFE


class Scope(enum.StrEnum):
    """What a rule is handed.

    ``WORKLOAD``: one workload (Kubernetes pod template or Compose service), phase one.
    ``OBJECT``: one non-workload resource (Service, Ingress, DestinationRule, PV), phase one.
    ``RELATION``: one workload again, after phase one, with the estate's state holders known.
    """

    WORKLOAD = "workload"
    OBJECT = "object"
    RELATION = "relation"


@dataclass(frozen=True, slots=True)
class Hit:
    """One match of a rule: where, why, and optional overrides of the rule's defaults."""

    path: str
    """JSON pointer inside the resource the rule looked at."""
    message: str
    evidence: tuple[str, ...] = ()
    component: str | None = None
    """For object rules: the workload the hit is about (None: no workload found)."""
    effect: Effect | None = None
    severity: Severity | None = None


class Rule(Protocol):
    """A detector. ``check`` gets a workload or a resource (per ``scope``) and the estate."""

    @property
    def id(self) -> str:
        """Stable pattern ID (``DATA_ON_EPHEMERAL``)."""
        ...

    @property
    def severity(self) -> Severity:
        """Default severity of its findings."""
        ...

    @property
    def scope(self) -> Scope:
        """What ``check`` is handed."""
        ...

    @property
    def effect(self) -> Effect:
        """Default meaning of its findings for the lifecycle class."""
        ...

    @property
    def kinds(self) -> frozenset[str]:
        """For object rules: the kinds it reads (empty: every kind)."""
        ...

    @property
    def title(self) -> str:
        """One line for documentation."""
        ...

    @property
    def remedy(self) -> str:
        """What to do about a finding."""
        ...

    def check(self, subject: Any, estate: Estate) -> Iterable[Hit]:
        """Every match of this rule on ``subject``; raising marks the subject incomplete."""
        ...


@dataclass(frozen=True, slots=True)
class FunctionRule:
    """A rule made from a function; its docstring's first line is the title."""

    id: str
    severity: Severity
    scope: Scope
    effect: Effect
    title: str
    remedy: str
    function: Callable[[Any, Estate], Iterable[Hit]]
    kinds: frozenset[str] = frozenset()
    """For object rules: the kinds the rule reads (empty: every kind)."""

    def check(self, subject: Any, estate: Estate) -> Iterable[Hit]:
        """Run the function."""
        return self.function(subject, estate)


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule; a later rule with the same ID replaces the earlier one (plugin override)."""
    RULES[rule.id] = rule
    return rule


def rule_by_id(rule_id: str) -> Rule:
    """The registered rule with this ID (KeyError if none)."""
    return RULES[rule_id]


def detector(
    rule_id: str,
    severity: Severity,
    effect: Effect,
    *,
    scope: Scope = Scope.WORKLOAD,
    remedy: str = "",
    kinds: Iterable[str] = (),
) -> Callable[[Callable[[Any, Estate], Iterable[Hit]]], FunctionRule]:
    """Register a function as a rule; the function's docstring documents the rule."""

    def wrap(function: Callable[[Any, Estate], Iterable[Hit]]) -> FunctionRule:
        doc = (function.__doc__ or "").strip()
        title = doc.splitlines()[0] if doc else rule_id
        made = FunctionRule(
            rule_id, severity, scope, effect, title, remedy, function, frozenset(kinds)
        )
        register(made)
        return made

    return wrap
