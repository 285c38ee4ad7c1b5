"""Bearer tokens (RFC 6750 §2.1) with two roles, and a limit on failed attempts per client.

A token is checked by its digest in the store (:func:`stateward.api.role_of`); its value is
never logged. After ``FAILURES`` failed attempts within ``WINDOW_S`` a client is answered 429
with ``Retry-After`` (RFC 6585 §4) until the window has passed, so tokens cannot be guessed at
line rate.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import HTTPException, Request

from stateward import api
from stateward.server.sessions import COOKIE, Sessions

__all__ = ["CHALLENGE", "FAILURES", "WINDOW_S", "FailedAuth", "Authorizer"]

FAILURES = 10
WINDOW_S = 60.0
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


class Authorizer:
    """FastAPI dependencies requiring a token of at least a role."""

    def __init__(self, store: api.StoreRef, failures: FailedAuth) -> None:
        self.store = store
        self.failures = failures
        self.sessions = Sessions()

    def require(self, role: str, *, session: bool = False) -> Callable[[Request], str]:
        """A dependency that answers 401/403/429 unless the request bears a token of ``role``
        (an admin token may do what a read token may), or with ``session`` a dashboard session
        cookie of that role; it returns the role."""

        def check(request: Request) -> str:
            client = _client(request)
            self._not_limited(client)
            held = self._role(request)
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

    def login(self, request: Request, token: str) -> str | None:
        """A session id for ``token`` presented at the dashboard's login, None for a wrong one
        (counted as a failed attempt, like a wrong bearer token)."""
        client = _client(request)
        self._not_limited(client)
        role = self._token_role(token)
        if role is None:
            self.failures.failed(client)
            return None
        return self.sessions.start(role)

    def _not_limited(self, client: str) -> None:
        wait = self.failures.retry_after(client)
        if wait:
            raise HTTPException(429, "too many failed attempts", {"Retry-After": str(wait)})

    def _role(self, request: Request) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self._token_role(value)

    def _token_role(self, value: str) -> str | None:
        if not value.strip() or len(value) > 200:
            return None
        return api.role_of(self.store, value.strip())


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


CHALLENGE = {"WWW-Authenticate": 'Bearer realm="stateward"'}
