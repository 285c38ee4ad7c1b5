"""``guard``: watch an engine's events and seal evidence when a container dies, so the evidence
outlives the container.

A capture starts on the first of ``die``, ``kill``, ``oom`` or ``stop`` after each start of a
container (Docker sends several for one stop; Podman sends ``die``), so a container that
restarts and dies again is captured again. Captures run on a small thread pool so a storm
of stops is worked through in parallel while events keep being read. Engines report events after
the fact and ``docker rm`` can follow a stop within milliseconds, so the guard also keeps each
container's inspect document from its ``start`` event: a container already removed at capture
still gets a sealed bundle, built from that document with every live step marked failed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import docker

from stateward.errors import StatewardError
from stateward.forensics.evidence import Sealed
from stateward.sources.engine.client import Engine, is_engine_gone

__all__ = ["TRIGGERS", "Guard", "GuardOutcome"]

TRIGGERS = frozenset({"die", "kill", "oom", "stop"})
_SEEN = frozenset({"create", "start", "restart"})
_GONE = frozenset({"remove", "destroy"})

Capture = Callable[[str, Mapping[str, Any], Mapping[str, Any] | None], tuple[Sealed, int]]
"""(container ID, trigger, inspect seen earlier or None) -> (sealed bundle, its ledger entry)."""


@dataclass(frozen=True, slots=True)
class GuardOutcome:
    """What became of one trigger: a sealed bundle, or why there is none."""

    container: str
    name: str
    event: str
    sealed: Sealed | None
    error: str = ""
    ledger_entry: int | None = None
    """The ledger entry logging the bundle (None when nothing was sealed)."""


class Guard:
    """Reads container events from ``engine`` and runs ``capture`` for each dying container."""

    def __init__(
        self,
        engine: Engine,
        capture: Capture,
        *,
        workers: int = 4,
        on_outcome: Callable[[GuardOutcome], None] | None = None,
        triggers: frozenset[str] = TRIGGERS,
        on_event: Callable[[Mapping[str, Any]], None] | None = None,
        on_watching: Callable[[], None] | None = None,
    ) -> None:
        """``triggers``: the actions that start a capture (none: the guard only follows);
        ``on_event`` hears every container event as it is read (``watch engine://``);
        ``on_watching`` is told once events are followed (a container that dies from then on
        is captured)."""
        self._engine = engine
        self._capture = capture
        self._workers = workers
        self._on_outcome = on_outcome
        self._triggers = triggers
        self._on_event = on_event
        self._on_watching = on_watching
        self._seen: dict[str, Mapping[str, Any]] = {}
        self._triggered: set[str] = set()
        self._stream: Any = None
        self._stopped = threading.Event()
        self.outcomes: list[GuardOutcome] = []

    def run(self) -> list[GuardOutcome]:
        """Watch until :meth:`stop` or until the engine goes away; returns every outcome, after
        the captures already started have finished."""
        if not self._subscribe():
            return self.outcomes
        futures: list[Future[None]] = []
        with ThreadPoolExecutor(self._workers, thread_name_prefix="guard") as pool:
            try:
                for event in self._stream:
                    if self._on_event is not None:
                        self._on_event(event)
                    futures.extend(self._handle(pool, event))
            except Exception as exc:
                if not (is_engine_gone(exc) or self._stopped.is_set()):
                    raise
        for future in futures:
            future.result()
        return self.outcomes

    def _subscribe(self) -> bool:
        """Subscribe to events, then remember the containers already running (so none is
        missed), then tell ``on_watching``; False when the engine went away meanwhile."""
        try:
            self._stream = self._engine.api.events(decode=True, filters={"type": "container"})
            if self._stopped.is_set():  # stopped before there was a stream to close
                self._stream.close()
            for summary in self._engine.api.containers():
                self._remember(str(summary["Id"]))
        except Exception as exc:
            if is_engine_gone(exc):
                return False
            raise
        if self._on_watching is not None:
            self._on_watching()
        return True

    def holds(self, ident: str) -> bool:
        """Whether an inspect document of the container is held (taken when it was created,
        started or already running): what a capture falls back on when the container is gone
        before its capture reads the engine."""
        return ident in self._seen

    def stop(self) -> None:
        """End :meth:`run` (from another thread or a signal handler)."""
        self._stopped.set()
        if self._stream is not None:
            self._stream.close()

    def _handle(self, pool: ThreadPoolExecutor, event: Mapping[str, Any]) -> list[Future[None]]:
        action = str(event.get("Action") or event.get("status") or "")
        ident = str(event.get("id") or (event.get("Actor") or {}).get("ID") or "")
        if not ident:
            return []
        if action in _SEEN:
            self._triggered.discard(ident)  # a restarted container may die again: capture again
            self._remember(ident)
            return []
        if action in _GONE:
            self._seen.pop(ident, None)
            self._triggered.discard(ident)
            return []
        if action not in self._triggers or ident in self._triggered:
            return []
        self._triggered.add(ident)
        name = str(((event.get("Actor") or {}).get("Attributes") or {}).get("name", ident))
        trigger = {
            "kind": "event",
            "event": action,
            "time": event.get("timeNano") or event.get("time"),
        }
        # The inspect document goes with the job now: a remove event may come before it runs.
        seen = self._seen.pop(ident, None)
        return [pool.submit(self._run_capture, ident, name, trigger, seen)]

    def _remember(self, ident: str) -> None:
        try:
            self._seen[ident] = self._engine.api.inspect_container(ident)
        except docker.errors.APIError:
            pass  # gone already (Podman may say 500 mid-removal); a die event will still try

    def _run_capture(
        self,
        ident: str,
        name: str,
        trigger: Mapping[str, Any],
        seen: Mapping[str, Any] | None,
    ) -> None:
        try:
            sealed, index = self._capture(ident, trigger, seen)
            outcome = GuardOutcome(ident, name, str(trigger["event"]), sealed, ledger_entry=index)
        except StatewardError as exc:
            outcome = GuardOutcome(ident, name, str(trigger["event"]), None, exc.diagnostics())
        except Exception as exc:
            if not is_engine_gone(exc):
                raise
            outcome = GuardOutcome(ident, name, str(trigger["event"]), None, "engine went away")
        self.outcomes.append(outcome)
        if self._on_outcome is not None:
            self._on_outcome(outcome)
