"""Watch: follow a live cluster and record each debounced batch of changes as an observation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from stateward.api._observe import observation_of
from stateward.api._stores import StoreRef, opened
from stateward.errors import InputError, UsageError
from stateward.sources.kube.location import accepts
from stateward.sources.kube.watch import Batch, KubeWatch

__all__ = ["Recorded", "watch"]


@dataclass(frozen=True)
class Recorded:
    """One observation a watch recorded: its number and what its batch held."""

    seq: int
    changes: int
    listed: bool
    """The batch is a whole (re)list, not a delta."""
    complete: bool
    resources: int
    errors: tuple[InputError, ...]
    applied: tuple[dict[str, str], ...] = ()
    """Each change, attributed to its writer (:meth:`Applied.as_dict`)."""


def watch(
    store: StoreRef,
    source: str,
    *,
    estate: str,
    on_record: Callable[[Recorded], None],
    stop: threading.Event,
    debounce_s: float = 1.0,
) -> None:
    """Follow ``source`` (one kube:// location) until ``stop`` is set: record the whole state
    once, then one observation per ``debounce_s`` period in which anything changed (a relist
    after 410 Gone re-reads all); ``on_record`` hears of each."""
    if not accepts(source):
        raise UsageError(
            "watch follows exactly one kube:// source",
            remedy="Give one kube://[CONTEXT][/NAMESPACE].",
        )
    writer = opened(store)

    def record(batch: Batch) -> None:
        observation = observation_of(estate, [source], batch.resources, errors=batch.errors,
                                     complete=batch.complete)  # fmt: skip
        observation.changes = [a.as_dict() for a in batch.applied]
        saved = writer.record(observation)
        on_record(Recorded(saved.seq, len(batch.applied), batch.listed, batch.complete,
                           len(batch.resources), tuple(batch.errors),
                           tuple(observation.changes)))  # fmt: skip

    KubeWatch(source, writer.keeper, debounce_s=debounce_s).run(record, stop)
