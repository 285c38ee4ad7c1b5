"""Scan: observe sources as an estate, audit the observation, record it, and say what changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stateward.analysis.audit import AuditReport, audit
from stateward.analysis.changes import ComponentDelta, component_deltas
from stateward.api._observe import observe
from stateward.api._stores import StoreRef, opened
from stateward.errors import UsageError
from stateward.model.observation import Observation
from stateward.sources.interface import Progress
from stateward.store import ObservationRecord
from stateward.store.keys import rotations
from stateward.store.store import refuse_unread

__all__ = ["NothingRecorded", "Scanned", "scan"]


@dataclass(frozen=True)
class Scanned:
    """One recorded observation and what changed since the estate's previous one."""

    record: ObservationRecord
    previous: ObservationRecord | None
    """The estate's observation before this one; None for its first."""
    observation: Observation
    """What was observed, its findings including the audit's."""
    deltas: list[ComponentDelta]
    audit: AuditReport


class NothingRecorded(UsageError):
    """A location could not be read at all, so nothing was recorded (recording would claim
    everything it holds removed); ``observation`` holds what was read and the input errors."""

    def __init__(self, refused: UsageError, observation: Observation) -> None:
        super().__init__(refused.message, remedy=refused.remedy)
        self.observation = observation


def scan(
    store: StoreRef,
    sources: tuple[str, ...] | list[str],
    *,
    estate: str,
    progress: Progress | None = None,
    allow_outside: tuple[Path, ...] = (),
) -> Scanned:
    """Observe ``sources`` as ``estate``, audit it, record it in ``store`` and compare it with
    the estate's previous observation. NothingRecorded when a location could not be read."""
    writer = opened(store)
    previous_record = writer.latest(estate)
    previous = writer.load(previous_record, resources=False) if previous_record else None
    observation = observe(
        sources, estate=estate, keeper=writer.keeper, progress=progress, allow_outside=allow_outside
    )
    try:
        refuse_unread(observation)
    except UsageError as refused:
        raise NothingRecorded(refused, observation) from None
    report = audit(observation)
    observation.findings.extend(report.findings)
    record = writer.record(observation)
    rotated = rotations(writer.db).between(previous_record, record)
    deltas = component_deltas(previous, observation, key_rotated=rotated)
    return Scanned(record, previous_record, observation, deltas, report)
