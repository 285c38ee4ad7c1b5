"""Observations: what the sources saw of one estate at one instant."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from stateward.errors import InputError
from stateward.model.component import Component
from stateward.model.finding import Finding
from stateward.model.resource import Resource

__all__ = ["Observation"]


@dataclass(slots=True)
class Observation:
    """Resources and components of one estate, with the findings and input errors met on the way."""

    estate: str
    time: datetime
    sources: tuple[str, ...]
    resources: list[Resource] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    complete: bool = True
    """False when a source stopped part-way (an engine went away, a folder could not be read):
    what was seen is kept, and nothing unseen counts as removed."""
    unseen: list[Component] = field(default_factory=list)
    """Components this (partial) observation could not see, as last observed: "not observed"."""
    unread: list[str] = field(default_factory=list)
    """Locations that could not be read at all: such an observation is never recorded."""
    changes: list[dict[str, str]] = field(default_factory=list)
    """What a watch saw change since the previous observation, each change attributed to its
    writer (resource, event type, resourceVersion, manager, operation, time); kept in the
    observation's header, which its ledger entry commits to."""

    def component(self, ident: str) -> Component | None:
        """The component with this id, or None."""
        return next((c for c in self.components if c.id == ident), None)

    def known(self) -> list[Component]:
        """Every component as last known: those seen, then those not observed this time."""
        return [*self.components, *self.unseen]
