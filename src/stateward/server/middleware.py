"""ASGI middleware: a cap on request bodies, and one access-log line per request.

Both are plain ASGI (https://asgi.readthedocs.io/en/latest/specs/www.html) so they see every
request, including those no route matches, before any body is read into memory.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ACCESS_LOG", "MAX_BODY", "AccessLog", "BodyLimit"]

MAX_BODY = 64 * 1024  # the largest body any route takes is one signed checkpoint
ACCESS_LOG = logging.getLogger("stateward.server.access")


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

    def __init__(
        self, app: ASGIApp, answered: Callable[[str, int], None] = lambda _m, _s: None
    ) -> None:
        self.app = app
        self.answered = answered
        """Told each request's method and status (``/metrics`` counts them)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.monotonic()
        status = 500

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording)
        finally:
            self.answered(scope["method"], status)
            client = scope.get("client") or ("-", 0)
            role = _state(scope).get("role", "-")
            ACCESS_LOG.info(
                "%s %s %s %d role=%s %.1fms",
                client[0],
                scope["method"],
                scope["path"][:200].encode("unicode_escape").decode("ascii"),
                status,
                role,
                (time.monotonic() - start) * 1000,
            )


def _state(scope: Scope) -> dict[str, Any]:
    state = scope.get("state")
    return state if isinstance(state, dict) else {}
