"""The source plug-point: a reader that turns part of the world into resources.

Built-in sources register through :func:`register`, the same call a third party would use.
A source never raises on bad input: it returns the good resources with one
:class:`~stateward.errors.InputError` per rejected file, document or object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from stateward.errors import InputError, SourceError
from stateward.model.finding import Finding
from stateward.model.resource import Resource
from stateward.model.secrets import SecretKeeper

__all__ = ["Progress", "Source", "SourceResult", "register", "source_for", "SOURCES"]

Progress = Callable[[int, int | None], None]
"""Called with (done, total) as a source works; total may be unknown (None)."""


@dataclass(slots=True)
class SourceResult:
    """What one source read: resources, rejected inputs, and whether it finished."""

    resources: list[Resource] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    complete: bool = True
    findings: list[Finding] = field(default_factory=list)
    """What the source saw that the estate's own consumer would refuse (kubectl, Compose)."""
    included: list[Path] = field(default_factory=list)
    """Files read as part of the file read (a Compose ``include``), symlinks resolved: a
    directory scan does not read them again as files of their own."""


class Source(Protocol):
    """Reads one location (a path, a URL) into resources."""

    name: str

    def accepts(self, location: str) -> bool:
        """True when this source understands ``location``."""
        ...

    def observe(
        self, location: str, keeper: SecretKeeper, progress: Progress | None = None
    ) -> SourceResult:
        """Read ``location``; secret values must be digested with ``keeper`` before returning."""
        ...


SOURCES: list[Source] = []


def register(source: Source) -> Source:
    """Add a source; later registrations are tried first, so plugins can override built-ins."""
    SOURCES.insert(0, source)
    return source


def source_for(location: str) -> Source:
    """The first registered source that accepts ``location``."""
    for source in SOURCES:
        if source.accepts(location):
            return source
    raise SourceError(
        f"no source understands {location!r}",
        remedy="Give a manifest file or directory, a Compose file, engine:// or kube:// .",
    )
