"""One side of a comparison: a source to observe now, or ``ESTATE[@TIME]`` from the store."""

from __future__ import annotations

import os

from stateward.cli.common import parse_time
from stateward.errors import UsageError
from stateward.model.observation import Observation
from stateward.observe import observe
from stateward.store import Store

__all__ = ["resolve_side"]


def resolve_side(argument: str, store: Store, *, label: str) -> Observation:
    """A path or URL is observed now (not recorded); anything else names a stored estate."""
    if "://" in argument or os.path.exists(argument):
        return observe([argument], estate=label, keeper=store.keeper)
    estate, _, when = argument.partition("@")
    record = store.latest(estate, parse_time(when) if when else None)
    if record is None:
        raise UsageError(
            f"{argument!r} is neither a path nor a recorded estate",
            remedy="Give a manifest or Compose path, engine://, or ESTATE[@TIME] from `stateward estates`.",
        )
    return store.load(record)
