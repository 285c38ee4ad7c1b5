"""Rule descriptors: what a finding's rule is, for reports and code-scanning UIs.

Analyses declare their rules with these; renderers such as SARIF (:mod:`stateward.report.sarif`)
describe them without importing the analyses' code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from stateward.model.change import Facet
from stateward.model.finding import Severity

__all__ = ["Rule", "RuleInfo", "facet_rules"]


class RuleInfo(Protocol):
    """What SARIF needs to know of a rule (the audit's rules have exactly these)."""

    @property
    def id(self) -> str:
        """Stable rule ID."""
        ...

    @property
    def title(self) -> str:
        """One-line description."""
        ...

    @property
    def severity(self) -> Severity:
        """Default severity."""
        ...

    @property
    def remedy(self) -> str:
        """What to do about a finding."""
        ...


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule described for SARIF: :class:`RuleInfo` and the longer text and help page a
    code-scanning UI shows (``fullDescription``, ``helpUri``, §3.49.13 and §3.49.12)."""

    id: str
    title: str
    severity: Severity
    remedy: str
    description: str = ""
    help_uri: str = ""


def facet_rules(
    prefix: str, title: str, description: str, remedy: str, help_uri: str
) -> tuple[Rule, ...]:
    """One medium rule per facet, ``PREFIX_<FACET>``, ``{facet}`` in the texts filled in."""
    return tuple(
        Rule(
            f"{prefix}_{facet.upper()}",
            title.format(facet=facet),
            Severity.MEDIUM,
            remedy,
            description.format(facet=facet),
            help_uri,
        )  # fmt: skip
        for facet in Facet
    )
