"""One side of a comparison: a source to observe now, or ``ESTATE[@TIME]`` from the store."""

from __future__ import annotations

import os
from datetime import datetime

from stateward.cli.common import open_cli_store, parse_time
from stateward.errors import MissingStoreError, UsageError
from stateward.model.observation import Observation
from stateward.model.secrets import KEY_BYTES, SecretKeeper
from stateward.observe import observe
from stateward.store import ObservationRecord, Store

__all__ = ["resolve_sides", "stored_record"]

_NEITHER = "{!r} is neither a path nor a recorded estate"


def resolve_sides(location: str | None, *sides: tuple[str, str]) -> list[Observation]:
    """Each ``(argument, label)`` side of one comparison. The store is opened, read-only, only
    when a side names a stored estate; then its key digests the sides read now, so their
    secrets compare with the stored ones. Two paths need no store: a key made for this run
    alone digests both, and nothing is created."""
    store = None
    named = [argument for argument, _ in sides if not _is_location(argument)]
    if named:
        try:
            store = open_cli_store(location, read_only=True)
        except MissingStoreError as missing:
            why = missing.diagnostics()
            raise UsageError(_NEITHER.format(named[0]), remedy=why[:1].upper() + why[1:]) from None
    keeper = store.keeper if store else SecretKeeper(os.urandom(KEY_BYTES))
    if len(named) < len(sides):  # a side read now is digested: the key must be there
        keeper = keeper.usable()
    return [_resolve(argument, store, keeper, label) for argument, label in sides]


def _is_location(argument: str) -> bool:
    return "://" in argument or os.path.exists(argument)


def _resolve(argument: str, store: Store | None, keeper: SecretKeeper, label: str) -> Observation:
    """A path or URL is observed now (not recorded); anything else names a stored estate."""
    if _is_location(argument):
        return observe([argument], estate=label, keeper=keeper)
    assert store is not None, "bad math: a stored side opens the store"
    estate, _, when = argument.partition("@")
    if store.latest(estate) is None:
        raise UsageError(
            _NEITHER.format(argument),
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
