"""Source ``engine``: every container of a Docker Engine API (Docker or Podman), running or
stopped, as one ``Container`` resource, and those resources as components, so containers that no
orchestrator manages get the same history, audit and drift as Kubernetes workloads.

``engine://`` reads the default socket, ``engine:///path/to.sock`` a given one. Faults keep what
was read: a container removed between list and inspect is skipped with an InputError; an engine
that stops answering part-way ends the scan with ``complete=False`` and one error naming how far
it got.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stateward.errors import SourceError
from stateward.model.secrets import SecretKeeper
from stateward.sources.engine.endpoint import accepts, locate
from stateward.sources.interface import Progress, SourceResult, register

if TYPE_CHECKING:
    from stateward.sources.engine.layer import Budget

__all__ = ["GROUP", "KIND", "EngineSource"]

SOURCE = "engine"
GROUP = "engine"
"""Resource group of engine containers (never a Kubernetes API group)."""
KIND = "Container"


@dataclass(slots=True)
class EngineSource:
    """Reads every container of one engine; ``budget`` bounds the writable-layer hashing."""

    name: str = SOURCE
    budget: Budget | None = None
    """None: the default :class:`~stateward.sources.engine.layer.Budget`."""
    environ: Mapping[str, str] | None = None
    """Where ``DOCKER_HOST`` and the rest are looked up for ``engine://``; None means the process
    environment."""
    deadline_s: float | None = None
    """Longest any one call to the engine may take, its streamed answer included (None: the
    client's ``DEADLINE_S``)."""

    def accepts(self, location: str) -> bool:
        """True for ``engine://`` and ``unix://`` locations."""
        return accepts(location)

    def observe(
        self, location: str, keeper: SecretKeeper, progress: Progress | None = None
    ) -> SourceResult:
        """One resource per container; see the module docstring for how faults are reported."""
        endpoint = locate(location, self.environ)
        try:
            from stateward.sources.engine.scan import scan_engine
        except ImportError:
            raise SourceError(
                f"reading {location} needs the docker SDK: pip install 'stateward[engine]'"
            ) from None
        return scan_engine(endpoint, keeper, self.budget, self.deadline_s, progress)


register(EngineSource())
