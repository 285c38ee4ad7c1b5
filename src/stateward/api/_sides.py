"""One side of a comparison: a source to observe now, or ``ESTATE[@TIME|@#N]`` from the store."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from stateward.api._observe import observe
from stateward.api._stores import StoreRef, opened
from stateward.errors import MissingStoreError, UsageError
from stateward.model.observation import Observation
from stateward.model.secrets import KEY_BYTES, SecretKeeper
from stateward.store import ObservationRecord, Store
from stateward.store.keys import rotations

__all__ = [
    "Moment",
    "Sides",
    "is_location",
    "parse_moment",
    "parse_time",
    "resolve_side",
    "resolve_sides",
    "stored_record",
]

Moment = datetime | int
"""A point in an estate's history: a time, or an observation's number (``#N``)."""
_NUMBER = re.compile(r"#(0|[1-9][0-9]{0,17})")
_NEITHER = "{!r} is neither a path nor a recorded estate"
# A time ago as kubectl's --since and journalctl write it: one or more number+unit parts, a
# leading minus optional (``2h``, ``-1d``, ``1w2d``, ``90m``).
_AGO = re.compile(r"-?((?:[0-9]{1,9}[smhdw])+)")
_PART = re.compile(r"([0-9]+)([smhdw])")
_UNIT = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_TIMES = "Use ISO 8601 (2026-11-26T10:00:00Z), now, a time ago (2h, -1d, 1w2d) or #N."


def parse_time(text: str, now: datetime | None = None) -> datetime:
    """ISO 8601 date or date-time (a time without zone is UTC), ``now``, or a time ago
    before ``now`` (the clock's time when not given)."""
    plain = text.strip()
    now = now or datetime.now(UTC)
    ago = _AGO.fullmatch(plain)
    if plain == "now" or ago:
        parts = _PART.findall(ago.group(1)) if ago else []
        try:
            return now - sum((timedelta(**{_UNIT[u]: int(n)}) for n, u in parts), timedelta())
        except OverflowError:
            raise UsageError(f"time {text!r} is too long ago", remedy=_TIMES) from None
    try:
        value = datetime.fromisoformat(plain.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"cannot read time {text!r}", remedy=_TIMES) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_moment(text: str) -> Moment:
    """``#N`` (the estate's observation number N) or a time: ISO 8601, ``now``, or a time ago
    (``2h``, ``-1d``)."""
    found = _NUMBER.fullmatch(text.strip())
    if found:
        return int(found.group(1))
    if text.strip().startswith("#"):
        raise UsageError(f"cannot read observation number {text!r}", remedy="Write #N, e.g. #3.")
    return parse_time(text)


@dataclass(frozen=True)
class Sides:
    """The sides of one comparison, in the order given."""

    observations: list[Observation]
    key_rotated: bool
    """The store's secret key was rotated between them: their secret digests do not compare."""


def is_location(argument: str) -> bool:
    """A path or URL to observe now, rather than the name of a stored estate."""
    return "://" in argument or os.path.exists(argument)


def resolve_sides(store: StoreRef, *sides: tuple[str, str]) -> Sides:
    """Each ``(argument, label)`` side of one comparison. The store is opened, read-only, only
    when a side names a stored estate; then its key digests the sides read now, so their
    secrets compare with the stored ones. Two paths need no store: a key made for this run
    alone digests both, and nothing is created."""
    named = [argument for argument, _ in sides if not is_location(argument)]
    reader = _reader(store, named[0]) if named else None
    keeper = reader.keeper if reader else SecretKeeper(os.urandom(KEY_BYTES))
    if len(named) < len(sides):  # a side read now is digested: the key must be there
        keeper = keeper.usable()
    resolved = [resolve_side(argument, reader, keeper, label) for argument, label in sides]
    records = sorted(
        (r for _, r in resolved if r), key=lambda r: -1 if r.entry is None else r.entry
    )
    rotated = reader is not None and rotations(reader.db).between(
        records[0] if records else None, records[-1] if len(records) == len(sides) else None
    )
    return Sides([observation for observation, _ in resolved], rotated)


def _reader(store: StoreRef, named: str) -> Store:
    try:
        return opened(store, read_only=True)
    except MissingStoreError as missing:
        why = missing.diagnostics()
        raise UsageError(_NEITHER.format(named), remedy=why[:1].upper() + why[1:]) from None


def resolve_side(
    argument: str, store: Store | None, keeper: SecretKeeper, label: str
) -> tuple[Observation, ObservationRecord | None]:
    """A path or URL is observed now as ``label`` (not recorded), digested with ``keeper``;
    anything else names a stored estate, ``ESTATE[@TIME|@#N]``, and its record comes with it."""
    if is_location(argument):
        return observe([argument], estate=label, keeper=keeper), None
    assert store is not None, "bad math: a stored side opens the store"
    estate, _, when = argument.partition("@")
    if store.latest(estate) is None:
        raise UsageError(
            _NEITHER.format(argument),
            remedy="Give a manifest or Compose path, engine://, or ESTATE[@TIME|@#N] from `stateward estates` (TIME: ISO 8601, now, 2h, -1d).",
        )
    record = stored_record(store, estate, parse_moment(when) if when else None)
    return store.load(record), record


def stored_record(store: Store, estate: str, when: Moment | None) -> ObservationRecord:
    """The estate's newest observation, its newest at or before a time, or its number N."""
    if isinstance(when, int):
        record = store.numbered(estate, when)
        where = f" #{when}"
    else:
        record = store.latest(estate, when)
        where = f" at or before {when.isoformat()}" if when else ""
    if record is None:
        raise UsageError(
            f"estate {estate!r} has no observation{where}",
            remedy=f"See `stateward history {estate}`." if where else "See `stateward estates`.",
        )
    return record
