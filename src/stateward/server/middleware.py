"""ASGI middleware: a cap on request bodies, and one access-log line per request; and the
tally of tiles answered ahead of ASGI (:mod:`.protocol`), logged once a second.

Both middlewares are plain ASGI (https://asgi.readthedocs.io/en/latest/specs/www.html) so they
see every request, including those no route matches, before any body is read into memory.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "ACCESS_LOG",
    "MAX_BODY",
    "TALLY_S",
    "AccessLog",
    "AccessTally",
    "Answered",
    "BodyLimit",
    "log_request",
]

MAX_BODY = 64 * 1024  # the largest body any route takes is one signed checkpoint
ACCESS_LOG = logging.getLogger("stateward.server.access")
TALLY_S = 1.0

Answered = Callable[[str, int, int], None]
"""Told a method, a status and how many requests were answered so (``Metrics.answered``)."""


class BodyLimit:
    """Answer 413 to a body over ``limit`` bytes: at once when Content-Length says so, else as
    soon as the streamed body passes it."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is None and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body at all (RFC 9112 §6.3): most GETs
            return
        declared = declared or b"0"
        if not declared.isdigit() or int(declared) > self.limit:
            await _too_large(send)
            return
        seen = 0
        refused = False

        async def limited() -> Message:
            # Past the limit: answer 413 now and tell the app the client left, so whatever
            # reads the body (FastAPI turns its errors into 400) stops without answering.
            nonlocal seen, refused
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit and not refused:
                refused = True
                await _too_large(send)
            return {"type": "http.disconnect"} if refused else message

        async def unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, limited, unless_refused)
        except Exception:
            if not refused:
                raise


async def _too_large(send: Send) -> None:
    body = b'{"detail":"the request body is too large"}'
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class AccessLog:
    """One line per request: client, method, path (never the query or a header, so never a
    token), status, the token's role if it had one, and the time taken."""

    def __init__(self, app: ASGIApp, answered: Answered = lambda _m, _s, _n: None) -> None:
        self.app = app
        self.answered = answered
        """Told each request's method and status (``/metrics`` counts them)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.monotonic()
        status = 500
        counted = False

        async def recording(message: Message) -> None:
            nonlocal status, counted
            if message["type"] == "http.response.start":
                status = message["status"]
                # Counted before the client can read a byte: a scrape sent once the answer is
                # read sees it (counted after the body, it raced the next request).
                self.answered(scope["method"], status, 1)
                counted = True
            await send(message)

        try:
            await self.app(scope, receive, recording)
        finally:
            if not counted:  # failed before answering: the server's 500
                self.answered(scope["method"], status, 1)
            client = scope.get("client") or ("-", 0)
            role = _state(scope).get("role", "-")
            log_request(client[0], scope["method"], scope["path"], status, role, start)


def log_request(client: str, method: str, path: str, status: int, role: str, start: float) -> None:
    """The access log's line for one request, ``start`` being ``time.monotonic()`` when it
    came."""
    ACCESS_LOG.info(
        "%s %s %s %d role=%s %.1fms",
        client,
        method,
        path[:200].encode("unicode_escape").decode("ascii"),
        status,
        role,
        (time.monotonic() - start) * 1000,
    )


def _state(scope: Scope) -> dict[str, Any]:
    state = scope.get("state")
    return state if isinstance(state, dict) else {}


class AccessTally:
    """Tiles answered from memory, counted by client, method, status and role, and written as
    one access-log line each per ``every_s`` (and to ``answered``): a line per request cost as
    much server CPU as the answer itself (about 35 of 75 µs a tile, bench_server). The requests
    that go the ASGI way are logged one by one."""

    def __init__(self, answered: Answered, every_s: float = TALLY_S) -> None:
        self.answered = answered
        self.every_s = every_s
        self._counts: dict[tuple[str, str, int, str], int] = {}
        self._timer: asyncio.TimerHandle | None = None

    def count(self, loop: asyncio.AbstractEventLoop, client: str, method: str, status: int,
              role: str) -> None:  # fmt: skip
        """One more answer (on ``loop``, which writes the lines in ``every_s``)."""
        key = (client, method, status, role)
        self._counts[key] = self._counts.get(key, 0) + 1
        if self._timer is None:
            self._timer = loop.call_later(self.every_s, self.flush)

    def flush(self) -> None:
        """Write what was counted (also when the server stops)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        counts, self._counts = self._counts, {}
        for (client, method, status, role), times in sorted(counts.items()):
            self.answered(method, status, times)
            ACCESS_LOG.info(
                "%s %s /log/tile/ %d role=%s x%d from memory", client, method, status, role, times
            )
