"""Drift (desired vs live) and parity (estate vs estate) of two sides, each read now or stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stateward.analysis.drift import DriftReport
from stateward.analysis.drift import drift as drift_of
from stateward.analysis.parity import DEFAULT_POLICY, ParityReport, load_policy
from stateward.analysis.parity import parity as parity_of
from stateward.api._sides import Sides, resolve_sides
from stateward.api._stores import StoreRef
from stateward.diff import IgnoreRule, load_rules

__all__ = ["DEFAULT_RULES", "Drifted", "Paired", "drift", "parity"]

DEFAULT_RULES = Path("stateward.yaml")
"""The ignore rules drift reads when none are named, if the file is there."""


@dataclass(frozen=True)
class Drifted:
    """A drift report and the two sides it compared (desired, live)."""

    report: DriftReport
    sides: Sides

    @property
    def drifted(self) -> bool:
        """Drift found: :attr:`DriftReport.drifted`, the one verdict."""
        return self.report.drifted


@dataclass(frozen=True)
class Paired:
    """A parity report and the two estates it compared."""

    report: ParityReport
    sides: Sides

    @property
    def differs(self) -> bool:
        """Unexpected differences: :attr:`ParityReport.differs`, the one verdict."""
        return self.report.differs


def drift(
    store: StoreRef,
    desired: str,
    live: str,
    *,
    mode: str = "strict",
    rules: Path | None = None,
    namespace: str | None = None,
) -> Drifted:
    """Compare ``desired`` with ``live``, each a location or ``ESTATE[@TIME|@#N]`` in ``store``,
    ignoring what the rules file ``rules`` says (default: ./stateward.yaml if present).
    Desired objects that name no namespace go into ``namespace``, else into a ``kube://``
    live side's namespace (its location's, else its context's), as ``kubectl apply`` puts
    them."""
    sides = resolve_sides(store, (desired, "desired"), (live, "live"))
    want, have = sides.observations
    report = drift_of(
        want, have, mode=mode, rules=_rules(rules), namespace=namespace or _kube_namespace(live),
        key_rotated=sides.key_rotated,
    )  # fmt: skip
    return Drifted(report, sides)


def _kube_namespace(live: str) -> str | None:
    # Imported here: the Kubernetes client is loaded only when a kube:// side is named.
    from stateward.sources.kube.client import applied_namespace
    from stateward.sources.kube.location import KubeTarget, accepts

    return applied_namespace(KubeTarget.parse(live)) if accepts(live) else None


def _rules(path: Path | None) -> tuple[IgnoreRule, ...]:
    if path is None:
        return load_rules(DEFAULT_RULES) if DEFAULT_RULES.is_file() else ()
    return load_rules(path)


def parity(store: StoreRef, a: str, b: str, *, policy: Path | None = None) -> Paired:
    """Compare estate ``a`` with ``b`` (each a location or ``ESTATE[@TIME|@#N]``), component by
    component, under the parity policy file ``policy`` (default: the built-in one)."""
    sides = resolve_sides(store, (a, a), (b, b))
    first, second = sides.observations
    chosen = load_policy(policy) if policy else DEFAULT_POLICY
    report = parity_of(first, second, chosen, key_rotated=sides.key_rotated)
    return Paired(report, sides)
