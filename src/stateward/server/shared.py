"""What the worker processes of one server share: made before they are forked, so each holds
the same memory (:mod:`stateward.server.supervisor`)."""

from __future__ import annotations

from dataclasses import dataclass

from stateward.server.metrics import RequestCounts
from stateward.server.sessions import SharedSessions

__all__ = ["Shared"]


@dataclass(frozen=True)
class Shared:
    """The session key and ended sessions, and the requests answered."""

    sessions: SharedSessions
    requests: RequestCounts

    @classmethod
    def made(cls, workers: int) -> Shared:
        return cls(SharedSessions(), RequestCounts(workers))

    def of_worker(self, index: int) -> Shared:
        """As worker ``index`` uses it (its own row of the counts)."""
        return Shared(self.sessions, self.requests.of_worker(index))
