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

__all__ = ["POLL_S", "Feed", "event_routes", "new_observations"]

POLL_S = 1.0
_KEEPALIVE_S = 15.0
_BACKLOG = 256


def event_routes(store: api.StoreRef, auth: Authorizer, poll_s: float = POLL_S) -> APIRouter:
    """``/events`` over ``store``: a read session (the dashboard's cookie) or token."""
    router = APIRouter(include_in_schema=False)
    feed = Feed(store, poll_s)

    @router.get("/events", dependencies=[Depends(auth.require("read", session=True))])
    def events(request: Request) -> StreamingResponse:
        return StreamingResponse(
            _stream(feed, request),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return router


class Feed:
    """One poll of the store per interval however many streams are open: each stream gets
    its own queue of the events found. Polling stops when the last stream closes."""

    def __init__(self, store: api.StoreRef, poll_s: float) -> None:
        self.store = store
        self.poll_s = poll_s
        self.polls = 0
        self._queues: set[asyncio.Queue[dict[str, Any]]] = set()
        self._task: asyncio.Task[None] | None = None

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=_BACKLOG)
        self._queues.add(queue)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._poll())
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._queues.discard(queue)

    async def _poll(self) -> None:
        seen = await run_in_threadpool(_counts, self.store)
        while self._queues:
            await asyncio.sleep(self.poll_s)
            self.polls += 1
            found, seen = await run_in_threadpool(new_observations, self.store, seen)
            for queue in list(self._queues):
                for event in found:
                    if queue.full():  # a client that does not read: it misses the oldest
                        queue.get_nowait()
                    queue.put_nowait(event)


async def _stream(feed: Feed, request: Request) -> AsyncIterator[str]:
    queue = feed.subscribe()
    try:
        yield "retry: 3000\n\n"  # how long a browser waits before reconnecting
        while not await request.is_disconnected():
            try:
                event = await asyncio.wait_for(queue.get(), _KEEPALIVE_S)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            yield f"event: observation\ndata: {json.dumps(event, sort_keys=True)}\n\n"
    finally:
        feed.unsubscribe(queue)


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
