"""Changes: one semantic difference at a path, with its facet."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

__all__ = ["Change", "Facet", "Op"]


class Facet(enum.StrEnum):
    """What aspect of a component a change touches; the same names in code, CLI and docs."""

    BINARY = "binary"
    ENV = "env"
    SECRET = "secret"
    CONFIG = "config"
    MESH = "mesh"
    STORAGE = "storage"
    NETWORK = "network"
    RESOURCES = "resources"
    SCALE = "scale"
    METADATA = "metadata"
    EFFECTIVE = "effective"
    """What live pods run beside what is declared (:mod:`stateward.contexts.effective`)."""


class Op(enum.StrEnum):
    """Kind of difference."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two versions of a resource or component context."""

    subject: str
    """Component id or resource key the change belongs to."""
    path: str
    """JSON pointer (RFC 6901) of the changed value inside the subject."""
    facet: Facet
    op: Op
    before: Any = None
    after: Any = None

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "subject": self.subject,
            "path": self.path,
            "facet": str(self.facet),
            "op": str(self.op),
            "before": self.before,
            "after": self.after,
        }
