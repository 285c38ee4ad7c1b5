"""Bearer tokens (RFC 6750 §2.1) with two roles, and a limit on failed attempts per client.

A token is checked by its digest in the store (:func:`stateward.api.role_of`); its value is
never logged. After ``FAILURES`` failed attempts within ``WINDOW_S`` a client is answered 429
with ``Retry-After`` (RFC 6585 §4) until the window has passed, so tokens cannot be guessed at
line rate.

A token found in the store is remembered (by its digest) for ``KNOWN_S``, so a request bearing
it reads nothing from the store and needs no worker thread: at 50 clients the one store
connection, shared under a lock, had every request queue behind page queries just to read its
token's role. So a token revoked (``stateward tokens revoke``) is refused by every worker
process within ``KNOWN_S``: each looks it up again by then. A wrong token is never remembered:
each is looked up, and counted as a failed attempt.

With several worker processes each counts failed attempts itself, and allows each client
``FAILURES // workers`` of them (at least one): a client's connections go to whichever worker
accepts them, so however it spreads them it gets no more than ``FAILURES`` wrong tokens a
window in all (fewer if it stays with one worker). Sharing one table would cost every refused
request a lock across processes, for the same bound.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from stateward import api
from stateward.server.sessions import COOKIE, Sessions

__all__ = [
    "CHALLENGE",
    "FAILURES",
    "KNOWN_S",
    "WINDOW_S",
    "Authorizer",
    "FailedAuth",
    "KnownTokens",
]

FAILURES = 10
WINDOW_S = 60.0
KNOWN_S = 5.0
_RANK = {"read": 0, "admin": 1}


class FailedAuth:
    """Times of recent failed attempts per client address. A client is forgotten once its
    attempts are older than the window, so the table holds only the last window's failures
    however many addresses have tried."""

    def __init__(self, failures: int = FAILURES, window_s: float = WINDOW_S) -> None:
        self.failures = failures
        self.window_s = window_s
        self._seen: dict[str, deque[float]] = {}
        self._swept = time.monotonic()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many clients are remembered."""
        with self._lock:
            return len(self._seen)

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again; 0 when it may now."""
        if client not in self._seen:  # no failure lately: asked by every tile, so lock-free
            return 0
        with self._lock:
            times = self._recent(client)
            if len(times) < self.failures:
                return 0
            return max(1, int(times[0] + self.window_s - time.monotonic()) + 1)

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client)
            self._seen.setdefault(client, deque()).append(time.monotonic())

    def _recent(self, client: str) -> deque[float]:
        """``client``'s failures within the window (those older are dropped, and every stale
        client once per window)."""
        now = time.monotonic()
        if now - self._swept > self.window_s:
            self._swept = now
            for stale in [c for c, t in self._seen.items() if not t or t[-1] < now - self.window_s]:
                del self._seen[stale]
        times = self._seen.get(client, deque())
        while times and times[0] < now - self.window_s:
            times.popleft()
        return times


class KnownTokens:
    """The roles of tokens found in the store lately, by the tokens' digests."""

    def __init__(self, store: api.StoreRef, known_s: float = KNOWN_S) -> None:
        self.store = store
        self.known_s = known_s
        self._known: dict[bytes, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def remembered(self, value: str) -> str | None:
        """The role of ``value`` if it was found within ``known_s``; None otherwise (look it
        up)."""
        with self._lock:
            held = self._known.get(_digest(value))
        return held[0] if held is not None and held[1] > time.monotonic() else None

    def role(self, value: str) -> str | None:
        """The role of ``value``, from memory or else the store; None for no stored token."""
        held = self.remembered(value)
        if held is None:
            held = api.role_of(self.store, value)
            if held is not None:
                with self._lock:
                    self._known[_digest(value)] = (held, time.monotonic() + self.known_s)
        return held


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


class Authorizer:
    """FastAPI dependencies requiring a token of at least a role."""

    def __init__(self, store: api.StoreRef, failures: FailedAuth, sessions: Sessions) -> None:
        self.failures = failures
        self.tokens = KnownTokens(store)
        self.sessions = sessions

    def require(self, role: str, *, session: bool = False) -> Callable[[Request], Awaitable[str]]:
        """A dependency that answers 401/403/429 unless the request bears a token of ``role``
        (an admin token may do what a read token may), or with ``session`` a dashboard session
        cookie of that role; it returns the role. It runs on the event loop, and only a token
        not remembered is looked up in a worker thread."""

        async def check(request: Request) -> str:
            client = _client(request)
            self._not_limited(client)
            held = await self._role(request)
            if held is None and session:
                held = self.sessions.role(request.cookies.get(COOKIE, ""))
            if held is None:
                if "authorization" in request.headers:  # a wrong token, not a missing one
                    self.failures.failed(client)
                raise HTTPException(401, "a valid bearer token is needed", CHALLENGE)
            request.state.role = held
            if _RANK[held] < _RANK[role]:
                raise HTTPException(403, f"this needs a token with the {role} role")
            return held

        return check

    def known(self, client: str, authorization: str) -> str | None:
        """The role of a remembered bearer token in an ``Authorization`` header's value from a
        ``client`` not being limited, without reading the store; None otherwise (then the
        dependency decides what to answer)."""
        token = _bearer_token(authorization)
        if not token or self.failures.retry_after(client):
            return None
        return self.tokens.remembered(token)

    async def login(self, request: Request, token: str) -> str | None:
        """A session id for ``token`` presented at the dashboard's login, None for a wrong one
        (counted as a failed attempt, like a wrong bearer token)."""
        client = _client(request)
        self._not_limited(client)
        role = await self._token_role(token)
        if role is None:
            self.failures.failed(client)
            return None
        return self.sessions.start(role)

    def _not_limited(self, client: str) -> None:
        wait = self.failures.retry_after(client)
        if wait:
            raise HTTPException(429, "too many failed attempts", {"Retry-After": str(wait)})

    async def _role(self, request: Request) -> str | None:
        token = _bearer_token(request.headers.get("authorization", ""))
        return await self._token_role(token) if token else None

    async def _token_role(self, value: str) -> str | None:
        value = value.strip()
        if not value or len(value) > 200:
            return None
        return self.tokens.remembered(value) or await run_in_threadpool(self.tokens.role, value)


def _bearer_token(authorization: str) -> str | None:
    """The token of a ``Bearer`` credential (RFC 6750 §2.1); None for another scheme."""
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


CHALLENGE = {"WWW-Authenticate": 'Bearer realm="stateward"'}
