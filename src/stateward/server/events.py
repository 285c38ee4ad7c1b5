"""Live updates as server-sent events (``text/event-stream``,
https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).

``GET /events`` streams one ``observation`` event per observation recorded after the client
connected, by any collector writing to the store: ``{"estate", "seq", "time", "changed"}``,
``changed`` being the components that differ from the estate's observation before (drift over
time). The store is the only channel: a collector on another machine needs no link to the
server. A comment line is sent while nothing happens, so proxies keep the stream open.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from stateward import api
from stateward.server.auth import Authorizer

__all__ = ["POLL_S", "event_routes", "new_observations"]

POLL_S = 1.0
_KEEPALIVE_S = 15.0


def event_routes(store: api.StoreRef, auth: Authorizer, poll_s: float = POLL_S) -> APIRouter:
    """``/events`` over ``store``: a read session (the dashboard's cookie) or token."""
    router = APIRouter(include_in_schema=False)

    @router.get("/events", dependencies=[Depends(auth.require("read", session=True))])
    def events(request: Request) -> StreamingResponse:
        return StreamingResponse(
            _stream(store, request, poll_s),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return router


async def _stream(store: api.StoreRef, request: Request, poll_s: float) -> AsyncIterator[str]:
    seen = await run_in_threadpool(_counts, store)
    yield "retry: 3000\n\n"  # how long a browser waits before reconnecting
    quiet = 0.0
    while not await request.is_disconnected():
        await asyncio.sleep(poll_s)
        found, seen = await run_in_threadpool(new_observations, store, seen)
        for event in found:
            yield f"event: observation\ndata: {json.dumps(event, sort_keys=True)}\n\n"
        quiet = 0.0 if found else quiet + poll_s
        if quiet >= _KEEPALIVE_S:
            quiet = 0.0
            yield ": keep-alive\n\n"


def _counts(store: api.StoreRef) -> dict[str, int]:
    return {e.name: e.observations for e in api.estates(store)}


def new_observations(
    store: api.StoreRef, seen: dict[str, int]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The observations recorded since ``seen`` (observations per estate), as events, and the
    counts now."""
    now = _counts(store)
    events: list[dict[str, Any]] = []
    for estate, count in sorted(now.items()):
        before = seen.get(estate, 0)
        if count <= before:
            continue
        events.extend(_event(estate, step) for step in api.timeline(store, estate, before or None))
    return events, now


def _event(estate: str, step: api.Step) -> dict[str, Any]:
    return {
        "estate": estate,
        "seq": step.record.seq,
        "time": step.record.time.isoformat(),
        "changed": [] if step.first else sorted({d.component for d in step.deltas}),
    }
