"""What a semantic diff returns: changes, findings, and notes on what it explained away."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from stateward.model.change import Change
from stateward.model.finding import Finding
from stateward.model.resource import ResourceKey
from stateward.normalize.interface import Note

__all__ = ["DiffResult", "Mode", "Note", "MODES"]

Mode = Literal["strict", "argo"]
"""``strict``: anything in live that desired does not explain (after defaults) is drift.
``argo``: fields and merge-keyed list items present only in live are ignored, as Argo CD's
three-way diff does (``ThreeWayDiff`` in gitops-engine ``pkg/diff/diff.go``)."""

MODES: tuple[Mode, ...] = ("strict", "argo")


@dataclass(slots=True)
class DiffResult:
    """Everything one comparison found.

    ``incomplete`` is never empty by accident: a normalizer that failed is recorded here
    ("normalization incomplete: <normalizer>: <why>"), so a clean diff can be trusted.
    """

    mode: Mode = "strict"
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """Problems met while comparing (duplicate list keys, kind mismatch, oversized objects)."""
    injected: list[Note] = field(default_factory=list)
    """Containers, volumes, labels and annotations a service mesh added to live; not drift."""
    explained: list[Note] = field(default_factory=list)
    """Differences deliberately left out, with the reason (replicas owned by an HPA)."""
    incomplete: list[Note] = field(default_factory=list)
    missing: list[ResourceKey] = field(default_factory=list)
    """Objects in desired that live lacks."""
    extra: list[ResourceKey] = field(default_factory=list)
    """Objects in live that desired lacks."""

    @property
    def drifted(self) -> bool:
        """True when live differs from desired: a change, a missing or an extra object."""
        return bool(self.changes or self.missing or self.extra)

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form (the ``drift --json`` payload)."""
        return {
            "mode": self.mode,
            "drifted": self.drifted,
            "changes": [change.as_dict() for change in self.changes],
            "findings": [finding.as_dict() for finding in self.findings],
            "injected": [note.as_dict() for note in self.injected],
            "explained": [note.as_dict() for note in self.explained],
            "incomplete": [note.as_dict() for note in self.incomplete],
            "missing": [str(key) for key in self.missing],
            "extra": [str(key) for key in self.extra],
        }
