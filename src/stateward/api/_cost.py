"""Cost: price applying changes to an estate, replace versus update in place.

What is priced: ``plan``, manifests applied over ``source`` (observed now, or the estate's
latest); ``changes`` (``FROM..TO``), the changes between two observations of the estate
``source``; neither, the estate's two latest observations (what changed in flight).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from stateward.analysis.cost import (
    AuditLifecycles,
    CostReport,
    EngineCatalog,
    LayerCatalog,
    RegistryCatalog,
    load_params,
    price,
)
from stateward.api._observe import observe
from stateward.api._sides import is_location, resolve_side
from stateward.api._stores import StoreRef, opened
from stateward.errors import UsageError
from stateward.model.observation import Observation
from stateward.model.secrets import KEY_BYTES, SecretKeeper
from stateward.sources.engine.client import connect
from stateward.sources.engine.endpoint import locate
from stateward.sources.interface import Progress
from stateward.sources.registry import Platform
from stateward.store import Store

__all__ = ["Priced", "cost"]

_RANGE = re.compile(r"([1-9][0-9]{0,9})\.\.([1-9][0-9]{0,9})")


@dataclass(frozen=True)
class Priced:
    """A cost report and the two observations it priced the changes between."""

    before: Observation
    after: Observation
    report: CostReport


def cost(
    store: StoreRef,
    source: str,
    *,
    plan: str | None = None,
    changes: str | None = None,
    deploys_per_day: float = 1.0,
    params: str | None = None,
    registry: str | None = None,
    engine: str | None = None,
    progress: Progress | None = None,
) -> Priced:
    """Price the changes to ``source`` per component; ``params`` is a YAML file overriding the
    model's parameters, ``registry`` and ``engine`` give real layer sizes and cached layers;
    ``progress`` hears the components priced so far and how many."""
    if plan and changes:
        raise UsageError("--plan cannot be used with --changes", remedy="Give one of them.")
    if deploys_per_day < 0:
        raise UsageError("--deploys-per-day must be ≥ 0")
    model = load_params(params)
    before, after = _observations(store, source, plan, changes)
    audited = AuditLifecycles(after)
    report = price(
        before,
        after,
        params=model,
        catalogs=_catalogs(registry, engine),
        lifecycle_of=audited,
        deploys_per_day=deploys_per_day,
        loss_of=audited.loss,
        progress=progress,
    )
    return Priced(before, after, report)


def _observations(
    store: StoreRef, source: str, plan: str | None, changes: str | None
) -> tuple[Observation, Observation]:
    if plan:
        reader = None if is_location(source) else opened(store, read_only=True)
        # A source read now gets a key of its own: digests only compare inside this run.
        keeper = reader.keeper.usable() if reader else SecretKeeper(os.urandom(KEY_BYTES))
        now, _ = resolve_side(source, reader, keeper, Path(source).name or source)
        return now, observe([plan], estate=now.estate, keeper=keeper)
    if is_location(source):
        raise UsageError(
            f"{source} is a location: say what to price",
            remedy="Add --plan NEW_MANIFESTS, or record it with `stateward scan` and give the estate.",
        )
    if changes:
        return _between(opened(store, read_only=True), source, changes)
    return _latest_two(opened(store, read_only=True), source)


def _latest_two(store: Store, estate: str) -> tuple[Observation, Observation]:
    records = store.history(estate)
    if not records:
        raise UsageError(
            f"estate {estate!r} has no observations", remedy="See `stateward estates`."
        )
    if len(records) < 2:
        raise UsageError(
            f"estate {estate!r} has one observation: nothing changed yet",
            remedy="Give --plan NEW_MANIFESTS, or scan the estate again.",
        )
    return store.load(records[-2]), store.load(records[-1])


def _between(store: Store, estate: str, changes: str) -> tuple[Observation, Observation]:
    found = _RANGE.fullmatch(changes.strip())
    if not found:
        raise UsageError(f"cannot read --changes {changes!r}", remedy="Write FROM..TO, e.g. 3..5.")
    by_id = {r.seq: r for r in store.history(estate)}
    first, last = int(found.group(1)), int(found.group(2))
    missing = [n for n in (first, last) if n not in by_id]
    if missing:
        raise UsageError(
            f"estate {estate!r} has no observation #{missing[0]}",
            remedy=f"See `stateward history {estate}`.",
        )
    return store.load(by_id[first]), store.load(by_id[last])


def _catalogs(registry: str | None, engine: str | None) -> list[LayerCatalog]:
    catalogs: list[LayerCatalog] = []
    connected = connect(locate(engine)) if engine else None
    if registry:
        # the images the node would pull: those of the engine's platform when there is one
        platform = Platform.of_engine(connected.version) if connected else Platform.of_host()
        catalogs.append(RegistryCatalog(registry, platform))
    if connected:
        catalogs.append(EngineCatalog(connected.api))
    return catalogs
