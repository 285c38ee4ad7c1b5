"""One side of a comparison: a source to observe now, or ``ESTATE[@TIME]`` from the store."""

from __future__ import annotations

import os
from datetime import datetime

from stateward.cli.common import parse_time
from stateward.errors import UsageError
from stateward.model.observation import Observation
from stateward.observe import observe
from stateward.store import ObservationRecord, Store

__all__ = ["resolve_side", "stored_record"]


def resolve_side(argument: str, store: Store, *, label: str) -> Observation:
    """A path or URL is observed now (not recorded); anything else names a stored estate."""
    if "://" in argument or os.path.exists(argument):
        return observe([argument], estate=label, keeper=store.keeper)
    estate, _, when = argument.partition("@")
    if store.latest(estate) is None:
        raise UsageError(
            f"{argument!r} is neither a path nor a recorded estate",
            remedy="Give a manifest or Compose path, engine://, or ESTATE[@TIME] from `stateward estates`.",
        )
    return store.load(stored_record(store, estate, parse_time(when) if when else None))


def stored_record(store: Store, estate: str, when: datetime | None) -> ObservationRecord:
    """The estate's newest observation, or its newest at or before ``when``."""
    record = store.latest(estate, when)
    if record is None:
        where = f" at or before {when.isoformat()}" if when else ""
        raise UsageError(
            f"estate {estate!r} has no observation{where}", remedy="See `stateward estates`."
        )
    return record
