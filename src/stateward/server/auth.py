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

__all__ = ["FAILURES", "WINDOW_S", "FailedAuth", "Authorizer"]

FAILURES = 10
WINDOW_S = 60.0
_RANK = {"read": 0, "admin": 1}


class FailedAuth:
    """Times of recent failed attempts per client address."""

    def __init__(self, failures: int = FAILURES, window_s: float = WINDOW_S) -> None:
        self.failures = failures
        self.window_s = window_s
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again; 0 when it may now."""
        with self._lock:
            times = self._recent(client)
            if len(times) < self.failures:
                return 0
            return max(1, int(times[0] + self.window_s - time.monotonic()) + 1)

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(time.monotonic())

    def _recent(self, client: str) -> deque[float]:
        times = self._seen.setdefault(client, deque())
        while times and times[0] < time.monotonic() - self.window_s:
            times.popleft()
        return times


class Authorizer:
    """FastAPI dependencies requiring a token of at least a role."""

    def __init__(self, store: api.StoreRef, failures: FailedAuth) -> None:
        self.store = store
        self.failures = failures

    def require(self, role: str) -> Callable[[Request], str]:
        """A dependency that answers 401/403/429 unless the request bears a token of ``role``
        (an admin token may do what a read token may); it returns the token's role."""

        def check(request: Request) -> str:
            client = request.client.host if request.client else "-"
            wait = self.failures.retry_after(client)
            if wait:
                raise HTTPException(429, "too many failed attempts", {"Retry-After": str(wait)})
            held = self._role(request)
            if held is None:
                if "authorization" in request.headers:  # a wrong token, not a missing one
                    self.failures.failed(client)
                raise HTTPException(401, "a valid bearer token is needed", _CHALLENGE)
            request.state.role = held
            if _RANK[held] < _RANK[role]:
                raise HTTPException(403, f"this needs a token with the {role} role")
            return held

        return check

    def _role(self, request: Request) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not value.strip() or len(value) > 200:
            return None
        return api.role_of(self.store, value.strip())


_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="stateward"'}
