"""``watch engine://``: follow a container engine's events and record its state as it changes.

Every container event (create, start, die, rename, destroy …) marks the state changed; after
``debounce_s`` the engine is read again (the ``engine://`` source, writable layers included)
and an observation is recorded when a resource differs from the last one recorded. The guard
(:mod:`stateward.forensics.guard`) reads the events: with capture on, a container that dies is
sealed as evidence as ``stateward guard`` seals it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from stateward.api._evidence import Guarding
from stateward.api._observe import observe
from stateward.forensics.capture import CaptureOptions
from stateward.forensics.guard import TRIGGERS, GuardOutcome
from stateward.sources.engine.client import connect
from stateward.sources.engine.endpoint import locate
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
) -> None:
    """Record ``source``'s state once, then after each debounced burst of container events
    in which a resource changed; ``record`` gets (observation, changes, first)."""
    changed = threading.Event()
    guarding = Guarding(writer, connect(locate(source)), estate=estate,
                        options=capture or CaptureOptions(), workers=_CAPTURES,
                        on_outcome=on_outcome, triggers=TRIGGERS if capture else frozenset(),
                        on_event=lambda _: changed.set())  # fmt: skip
    following = threading.Thread(target=guarding.run, daemon=True, name="watch engine")
    following.start()
    last: dict[str, str] | None = None
    changed.set()  # the first observation: the whole state
    try:
        while not stop.is_set():
            if not changed.wait(0.1):
                continue
            stop.wait(debounce_s)
            changed.clear()
            last = _observed(writer, source, estate, last, record)
    finally:
        guarding.stop()
        following.join(60)


def _observed(writer: Store, source: str, estate: str, last: dict[str, str] | None,
              record: Callable[[Any, int, bool], None]) -> dict[str, str]:  # fmt: skip
    observation = observe([source], estate=estate, keeper=writer.keeper)
    state = {str(r.key): r.digest for r in observation.resources}
    changes = _changes(last or {}, state)
    if last is None or changes:
        observation.changes = changes
        record(observation, len(changes), last is None)
    return state


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
