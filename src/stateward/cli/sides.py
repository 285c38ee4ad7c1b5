"""One side of a comparison: a source to observe now, or ``ESTATE[@TIME|@#N]`` from the store."""

from __future__ import annotations

import os
import re
from datetime import datetime

from stateward.cli.common import parse_time
from stateward.errors import UsageError
from stateward.model.observation import Observation
from stateward.observe import observe
from stateward.store import ObservationRecord, Store

__all__ = ["Moment", "parse_moment", "resolve_side", "stored_record"]

Moment = datetime | int
"""A point in an estate's history: a time, or an observation's number (``#N``)."""
_NUMBER = re.compile(r"#(0|[1-9][0-9]{0,17})")


def parse_moment(text: str) -> Moment:
    """``#N`` (the estate's observation number N) or an ISO 8601 time."""
    found = _NUMBER.fullmatch(text.strip())
    if found:
        return int(found.group(1))
    if text.strip().startswith("#"):
        raise UsageError(f"cannot read observation number {text!r}", remedy="Write #N, e.g. #3.")
    return parse_time(text)


def resolve_side(argument: str, store: Store, *, label: str) -> Observation:
    """A path or URL is observed now (not recorded); anything else names a stored estate."""
    if "://" in argument or os.path.exists(argument):
        return observe([argument], estate=label, keeper=store.keeper)
    estate, _, when = argument.partition("@")
    if store.latest(estate) is None:
        raise UsageError(
            f"{argument!r} is neither a path nor a recorded estate",
            remedy="Give a manifest or Compose path, engine://, or ESTATE[@TIME|@#N] from `stateward estates`.",
        )
    return store.load(stored_record(store, estate, parse_moment(when) if when else None))


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
