"""The normalizer plug-point: one small named step of the normalization pipeline.

gitops-engine normalizes in a fixed order (``Normalize``,
https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/gitops-engine/pkg/diff/diff.go#L905);
so do we, with one deliberate departure: gitops-engine only logs a normalizer that fails
(L929–L932), here the failure is recorded in the result, so a diff that skipped a step never
looks clean.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from stateward.model.resource import ResourceKey

__all__ = ["Body", "NormalizeContext", "Normalizer", "Note", "Side"]

Body = dict[str, Any]
Side = Literal["desired", "live"]


@dataclass(frozen=True, slots=True)
class Note:
    """A statement about one resource that is not a change: injected, explained or incomplete."""

    subject: str
    """Resource key the note is about."""
    path: str
    """JSON pointer inside the live object ("" for the whole object)."""
    text: str

    def as_dict(self) -> dict[str, str]:
        """Stable JSON form."""
        return {"subject": self.subject, "path": self.path, "text": self.text}


@dataclass(slots=True)
class NormalizeContext:
    """What a normalizer may know besides the body: which side it is on and the estate around it."""

    key: ResourceKey
    side: Side
    hpa_targets: frozenset[ResourceKey] = frozenset()
    """Workloads whose ``spec.replicas`` an HorizontalPodAutoscaler in the observation owns."""
    managed_fields: Any = None
    """The object's ``metadata.managedFields`` as read; the body itself no longer has them
    (they are shed before the JSON round trip)."""
    counterpart: Body | None = None
    """The desired object already normalized, when ``body`` is the live side: what a step
    restores in live (a probe a mesh rewrote) is copied from it, defaults and all."""
    left_empty: bool = False
    """Set by a ``tidy`` step that left an empty value a later step reads as present (a
    ``metadata`` it emptied): the pass of empty values then runs after all."""
    injected: list[Note] = field(default_factory=list)
    explained: list[Note] = field(default_factory=list)
    incomplete: list[Note] = field(default_factory=list)
    _subject: str = field(default="", init=False, repr=False, compare=False)

    @property
    def subject(self) -> str:
        """The resource key as notes and changes name it: quoted on first use, once (most
        contexts of a diff never name it; a body's round trip and every note do)."""
        if not self._subject:
            self._subject = str(self.key)
        return self._subject

    def note_injected(self, path: str, text: str) -> None:
        """Record something a mesh or webhook added to live, removed from the comparison."""
        self.injected.append(Note(self.subject, path, text))

    def note_explained(self, path: str, text: str) -> None:
        """Record a difference deliberately left out of the comparison, and why."""
        self.explained.append(Note(self.subject, path, text))

    def note_incomplete(self, normalizer: str, why: str, path: str = "") -> None:
        """Record that ``normalizer`` could not finish; the diff may hold false drift."""
        text = f"normalization incomplete: {normalizer}: {why}"
        self.incomplete.append(Note(self.subject, path, text))


class Normalizer(Protocol):
    """One named normalization step.

    ``normalize`` may change ``body`` in place and returns the body to use next. ``desired`` is
    the raw desired body when ``body`` is the live side, else None: steps that drop
    server-populated fields keep those the user set there.

    A step that reads ``desired``, ``ctx.side``, ``ctx.hpa_targets`` or ``ctx.counterpart`` is
    pairwise: it runs for each use of the object, on top of the object's own normalization,
    which runs once per resource (:func:`stateward.normalize.prepare`) and must not read them.
    """

    name: str
    pairwise: tuple[Side, ...]
    """The sides a pairwise step can change (it does nothing on the others); () for a step
    that needs nothing but the object."""

    def applies_to(self, ctx: NormalizeContext, body: Mapping[str, Any]) -> bool:
        """True when this step may have something to do for this object (False lets a shared
        normalized body go uncopied, see :func:`stateward.normalize.complete`)."""
        ...

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        """The body with this step's rule applied."""
        ...
