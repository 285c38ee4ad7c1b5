"""Cost over HTTP: the price of the changes recorded in an estate (its two latest observations,
or ``changes=FROM..TO``), as ``stateward cost ESTATE --json`` prints it, and the dashboard's
page of it with the rollout chart ``--chart`` writes.

Only recorded observations are priced: a plan (manifests to read), a parameters file, a registry
or an engine would make the server read a path or URL a client names, so none is taken.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from stateward import api
from stateward.errors import UsageError
from stateward.report.cost import cost_chart
from stateward.server.html import render

__all__ = ["Changes", "PerDay", "cost_page", "priced"]

Changes = Annotated[
    str | None,
    Query(max_length=24, pattern=r"^[1-9][0-9]{0,9}\.\.[1-9][0-9]{0,9}$",
          description="FROM..TO: observation numbers of the estate"),
]  # fmt: skip
PerDay = Annotated[
    float,
    Query(ge=0, le=100_000, allow_inf_nan=False, description="deploys per day, for the month"),
]


def priced(store: api.StoreRef, estate: str, changes: str | None, per_day: float) -> api.Priced:
    """The changes to the recorded ``estate`` priced; a 400 for an estate that is a location."""
    if api.is_location(estate):
        raise UsageError(f"{estate!r} is a path or URL; the server prices stored estates only")
    return api.cost(store, estate, changes=changes, deploys_per_day=per_day)


def cost_page(router: APIRouter, store: api.StoreRef, viewer: Any) -> None:
    """``/estates/{estate}/cost`` on ``router``: the components' prices, the totals, and the
    rollout chart (SVG drawn by the server, names escaped; no script)."""

    @router.get("/estates/{estate}/cost")
    def cost(
        estate: str, changes: Changes = None, deploys_per_day: PerDay = 1.0, role: str = viewer
    ) -> HTMLResponse:
        found = priced(store, estate, changes, deploys_per_day)
        chart = cost_chart(found.report, f"Rollout of {estate}")
        return render(
            "cost.html", title=f"{estate}: cost", estate=estate, report=found.report.as_dict(),
            before=found.before.time.isoformat(), after=found.after.time.isoformat(), chart=chart, role=role,
        )  # fmt: skip
