"""``watch engine://``: follow a container engine's events and record its state as it changes.

Every container event (create, start, die, rename, destroy …) marks the state changed; after
``debounce_s`` the engine is read again (the ``engine://`` source, writable layers included)
and an observation is recorded when a resource differs from the last one recorded. The guard
(:mod:`stateward.forensics.guard`) reads the events: with capture on, a container that dies is
sealed as evidence as ``stateward guard`` seals it.

An engine that goes away (restarted, its socket gone) is connected to again with backoff, as
the ``kube://`` watch reconnects; once back, its whole state is read again, since events were
missed meanwhile, and what changed in between is recorded then. A read that the engine does
not answer records nothing: what was not seen is not gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from stateward.api._evidence import GuardedEngine
from stateward.api._observe import observe
from stateward.forensics.capture import CaptureOptions
from stateward.forensics.guard import TRIGGERS, GuardOutcome
from stateward.sources.engine.client import Engine
from stateward.sources.engine.endpoint import locate
from stateward.sources.engine.reconnect import BACKOFF_S, connections
from stateward.store import Store

__all__ = ["follow_engine"]

_CAPTURES = 4


def follow_engine(
    writer: Store,
    source: str,
    *,
    estate: str,
    record: Callable[[Any, int, bool], None],
    stop: threading.Event,
    debounce_s: float,
    capture: CaptureOptions | None,
    on_outcome: Callable[[GuardOutcome], None],
    backoff_s: tuple[float, float] = BACKOFF_S,
) -> None:
    """Record ``source``'s state once, then after each debounced burst of container events
    in which a resource changed; ``record`` gets (observation, changes, first). SourceError
    when the engine cannot be reached at the start; the guard's own failure ends it too."""
    following = _Following(writer, source, estate, record, stop, debounce_s, capture, on_outcome)
    for engine in connections(locate(source), stop, backoff_s):
        following.connected(engine)


@dataclass
class _Following:
    writer: Store
    source: str
    estate: str
    record: Callable[[Any, int, bool], None]
    stop: threading.Event
    debounce_s: float
    capture: CaptureOptions | None
    on_outcome: Callable[[GuardOutcome], None]
    last: dict[str, str] | None = None
    """Each resource's digest, by key, as the last recorded observation held it."""

    def connected(self, engine: Engine) -> None:
        """Follow one connection to ``engine`` until ``stop`` or until the engine is gone.
        The guard's own failure (not the engine going away) is raised."""
        changed = threading.Event()
        guarding = GuardedEngine(self.writer, engine, estate=self.estate,
                            options=self.capture or CaptureOptions(), workers=_CAPTURES,
                            on_outcome=self.on_outcome,
                            triggers=TRIGGERS if self.capture else frozenset(),
                            on_event=lambda _: changed.set())  # fmt: skip
        with ThreadPoolExecutor(1, thread_name_prefix="watch engine") as pool:
            guard = pool.submit(guarding.run)
            try:
                self._follow(changed, guard)
            finally:
                guarding.stop()
        guard.result()

    def _follow(self, changed: threading.Event, guard: Future[Any]) -> None:
        changed.set()  # connected: the whole state, first or again (events were missed)
        while not self.stop.is_set() and not guard.done():
            if not changed.wait(0.1):
                continue
            self.stop.wait(self.debounce_s)
            changed.clear()
            if not self._observed():
                return  # the engine did not answer: connect again

    def _observed(self) -> bool:
        """Read the engine and record what changed since the last observation; False when the
        engine did not answer (nothing recorded: an empty state would claim everything gone)."""
        observation = observe([self.source], estate=self.estate, keeper=self.writer.keeper)
        if not observation.complete and not observation.resources:
            return False
        state = {str(r.key): r.digest for r in observation.resources}
        if not observation.complete and self.last:
            state = {**self.last, **state}  # a container whose read failed is unseen, not gone
        changes = _changes(self.last or {}, state)
        if self.last is None or changes:
            observation.changes = changes
            self.record(observation, len(changes), self.last is None)
        self.last = state
        return True


def _changes(before: Mapping[str, str], after: Mapping[str, str]) -> list[dict[str, str]]:
    """What differs, as a watch names it: ADDED, MODIFIED or DELETED, per resource."""
    found = []
    for key in sorted(before.keys() | after.keys()):
        if key not in before:
            found.append({"resource": key, "type": "ADDED"})
        elif key not in after:
            found.append({"resource": key, "type": "DELETED"})
        elif before[key] != after[key]:
            found.append({"resource": key, "type": "MODIFIED"})
    return found
