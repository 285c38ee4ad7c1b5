"""Findings: statements of an analysis, each explainable (resource, path, why)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Finding", "Severity"]


class Severity(enum.StrEnum):
    """How much a finding matters; ordered from least to most."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Position in the order info < low < medium < high."""
        return _SEVERITY_RANKS[self]  # looked up: a report ranks every finding, often twice


_SEVERITY_RANKS = {severity: rank for rank, severity in enumerate(Severity)}


@dataclass(frozen=True, slots=True)
class Finding:
    """A statement with severity, the component or resource it is about, a path and a remedy."""

    rule: str
    """Stable rule ID (``MISSING_REFERENCE``, ``UNPINNED_IMAGE``, ``DATA_ON_EPHEMERAL`` …)."""
    severity: Severity
    message: str
    component: str | None = None
    """Component id, when the finding is about one."""
    resource: str | None = None
    """Resource key (``Kind/ns/name``), when the finding is about one object."""
    path: str = ""
    """JSON pointer inside the resource or component context."""
    remedy: str = ""
    evidence: tuple[str, ...] = field(default=())

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        # rebuilt by __init__ from its fields in order: a slotted frozen dataclass otherwise
        # pickles through dataclasses' __getstate__, which lists its fields for every finding
        # (an audit's come back pickled from its worker and from a scan's forked audit)
        return Finding, (
            self.rule, self.severity, self.message, self.component, self.resource, self.path,
            self.remedy, self.evidence,
        )  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "component": self.component,
            "resource": self.resource,
            "path": self.path,
            "remedy": self.remedy,
            "evidence": list(self.evidence),
        }
