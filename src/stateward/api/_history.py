"""Read calls over recorded history: estates, an estate's observations, an estate as it was, and
how it changed. Each recorded observation is a ledger entry, so every answer can be proved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stateward.analysis.changes import ComponentDelta, component_deltas
from stateward.api._sides import Moment, parse_moment, stored_record
from stateward.api._stores import StoreRef, opened
from stateward.errors import UsageError
from stateward.model.component import Component
from stateward.store import ObservationRecord, Store
from stateward.store.keys import rotations

__all__ = ["Estate", "Shown", "Step", "at", "estates", "history", "show", "timeline"]


@dataclass(frozen=True)
class Estate:
    """One estate the store holds."""

    name: str
    observations: int
    latest: datetime
    """When it was last observed."""


@dataclass(frozen=True)
class Shown:
    """Components of one recorded observation."""

    record: ObservationRecord
    components: list[Component]
    unseen: list[Component]
    """Components the (partial) observation could not see, as last known: not observed."""


@dataclass(frozen=True)
class Step:
    """One observation in a timeline and the component changes since the one before."""

    record: ObservationRecord
    deltas: list[ComponentDelta]
    first: bool
    """True when no earlier observation exists to compare with."""


def estates(store: StoreRef) -> list[Estate]:
    """Every estate in the store, by name."""
    return [Estate(*row) for row in opened(store, read_only=True).estates()]


def history(store: StoreRef, estate: str) -> list[ObservationRecord]:
    """The observations of ``estate``, oldest first; UsageError when it has none."""
    records = opened(store, read_only=True).history(estate)
    if not records:
        raise _no_observations(estate)
    return records


def _no_observations(estate: str) -> UsageError:
    return UsageError(f"estate {estate!r} has no observations", remedy="See `stateward estates`.")


def at(store: StoreRef, estate: str, when: Moment | str) -> Shown:
    """Every component of ``estate`` as observed at ``when`` (a time, or observation N; as
    text, see :func:`~stateward.api.parse_moment`)."""
    reader = opened(store, read_only=True)
    record = stored_record(reader, estate, parse_moment(when) if isinstance(when, str) else when)
    observation = reader.load(record, resources=False)
    return Shown(record, observation.components, observation.unseen)


def show(
    store: StoreRef, estate: str, component: str | None = None, when: Moment | str | None = None
) -> Shown:
    """The components of ``estate`` (only ``component``, by id or name, if given) in its newest
    observation, or as of ``when``; UsageError when that component is in neither list."""
    reader = opened(store, read_only=True)
    record = stored_record(reader, estate, _moment(when))
    chosen: list[Component] = []
    unseen: list[Component] = []
    # by id, only that component is read; a name is looked for in them all
    for only in ([component], None) if component else (None,):
        observation = reader.load(record, resources=False, only=only)
        chosen = [c for c in observation.components if component in (None, c.id, c.name)]
        unseen = [c for c in observation.unseen if component in (None, c.id, c.name)]
        if chosen or unseen:
            break
    if component and not chosen and not unseen:
        raise UsageError(f"no component {component!r} in {estate} observation #{record.seq}")
    return Shown(record, chosen, unseen)


def timeline(
    store: StoreRef, estate: str, since: Moment | str | None = None, component: str | None = None
) -> list[Step]:
    """Observations of ``estate`` after ``since`` (a time or an observation number), each with
    its changes since the one before (the last observation up to ``since`` is the baseline).
    UsageError when ``component`` (an id or name) is in none of them."""
    reader = opened(store, read_only=True)
    since = _moment(since)
    records = reader.history(estate)
    if not records:
        raise _no_observations(estate)
    start = next((i for i, r in enumerate(records) if _after(r, since)), len(records))
    # by id, each observation reads only that component; a name is looked for in them all
    for only in ([component], None) if component else (None,):
        steps, names = _steps(reader, records[max(0, start - 1) :], start > 0, component, only)
        if component is None or component in names:
            return steps
    if component not in names.values():
        raise UsageError(
            f"no component {component!r} in the observations of {estate}",
            remedy=f"See `stateward show {estate}` for the components' ids and names.",
        )
    return steps


def _steps(
    reader: Store,
    records: list[ObservationRecord],
    baseline: bool,
    component: str | None,
    only: list[str] | None,
) -> tuple[list[Step], dict[str, str]]:
    """The steps of ``records`` (the first only a baseline when ``baseline``) with the changes
    to ``component`` (all with None), and the names of the components met, by id."""
    rotated_at = rotations(reader.db)
    previous = reader.load(records[0], resources=False, only=only) if baseline else None
    previous_record = records[0] if baseline else None
    steps = []
    names = {c.id: c.name for c in previous.known()} if previous else {}
    for record in records[1:] if baseline else records:
        current = reader.load(record, resources=False, only=only)
        names.update((c.id, c.name) for c in current.known())
        rotated = rotated_at.between(previous_record, record)
        deltas = component_deltas(previous, current, key_rotated=rotated)
        chosen = [d for d in deltas if component in (None, d.component, names.get(d.component))]
        steps.append(Step(record, chosen, previous is None))
        previous, previous_record = current, record
    return steps, names


def _moment(when: Moment | str | None) -> Moment | None:
    """A moment given as text is parsed once the store is open (so a missing store is what a
    call with both wrong reports); empty text is no moment."""
    if isinstance(when, str):
        return parse_moment(when) if when else None
    return when


def _after(record: ObservationRecord, since: Moment | None) -> bool:
    if since is None:
        return True
    return record.seq > since if isinstance(since, int) else record.time > since
