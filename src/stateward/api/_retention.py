"""Retention of watched observations: a week of watching stays small.

A watch records an observation for every debounce period with a change. Past an age, only one
observation per period is kept whole; the raw resources (most of the bytes) that only the
others held are erased as ``ledger erase`` erases an object: a tombstone entry each, so every
leaf and every proof stays as it was (RFC 9162 §2.1.3, §2.1.4: a leaf commits to an object's
digest, not its bytes). Their headers, manifests, components and findings stay, so ``at``,
``show`` and ``timeline`` still answer for every moment; only the raw resources of a
compacted observation are gone (drift against it says they were erased, and by which entry).
Objects another estate's kept observation or an evidence bundle holds are never erased.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from stateward.api._stores import StoreRef, opened
from stateward.forensics.evidence import load_manifest
from stateward.forensics.records import erasures, evidence_records
from stateward.store import ObservationRecord, Store

__all__ = ["Compacted", "Retention", "compact"]

REASON = "watch retention: a raw resource only compacted observations held"


@dataclass(frozen=True)
class Retention:
    """Keep every observation younger than ``whole_for``; of older ones, the last of each
    ``keep_every`` period (and the estate's first) whole."""

    whole_for: timedelta
    keep_every: timedelta


@dataclass(frozen=True)
class Compacted:
    """What a compaction did: observations compacted, objects erased, their bytes."""

    observations: int
    erased: int
    bytes: int


def compact(
    store: StoreRef, estate: str, retention: Retention, *, now: datetime | None = None
) -> Compacted:
    """Apply ``retention`` to ``estate``'s observations (see the module's docstring)."""
    writer = opened(store, create=False)
    records = writer.history(estate)
    cutoff = (now or datetime.now(UTC)) - retention.whole_for
    dropped = _dropped(records, cutoff, retention.keep_every)
    if not dropped:
        return Compacted(0, 0, 0)
    gone = erasures(writer)
    ids = {r.id for r in dropped}
    held = _held_elsewhere(writer, estate, [r for r in records if r.id not in ids], gone)
    candidates = {a for r in dropped for a in writer.resource_objects(r)} - held - gone.keys()
    size = _sizes(writer, candidates)
    for address in sorted(candidates):
        writer.erase_object(address, REASON)
    return Compacted(len(dropped), len(candidates), size)


def _dropped(
    records: list[ObservationRecord], cutoff: datetime, every: timedelta
) -> list[ObservationRecord]:
    """Observations older than ``cutoff`` that are not the last of their period, nor the
    first: a period is ``every`` long, counted from the Unix epoch."""
    old = [r for r in records[1:] if r.time < cutoff]
    last_of_period: dict[int, ObservationRecord] = {}
    step = every.total_seconds()
    for record in old:
        last_of_period[int(record.time.timestamp() // step)] = record
    kept = {r.id for r in last_of_period.values()}
    return [r for r in old if r.id not in kept]


def _held_elsewhere(
    store: Store, estate: str, kept: Iterable[ObservationRecord], gone: Mapping[str, int]
) -> set[str]:
    """Objects that must stay: the raw resources of every kept observation of every estate,
    and every object an evidence bundle names."""
    held: set[str] = set()
    others = [r for name, _, _ in store.estates() if name != estate for r in store.history(name)]
    for record in [*kept, *others]:
        held |= store.resource_objects(record)
    for bundle in evidence_records(store):
        if bundle.address in gone:
            continue
        _, _, manifest = load_manifest(store, bundle.address, gone)
        held |= {a["address"] for a in manifest.get("artefacts", []) if "address" in a}
    return held


def _sizes(store: Store, addresses: set[str]) -> int:
    """Bytes the objects hold (uncompressed)."""
    return sum(len(data) for data in store.get_objects(sorted(addresses)).values())
