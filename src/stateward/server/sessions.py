"""Browser sessions for the dashboard: a token is presented once at login and a random session
id goes into a cookie, since ``EventSource`` cannot send an ``Authorization`` header
(https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface).

The cookie is ``HttpOnly`` (no script reads it) and ``SameSite=Strict`` (no other site's page
sends it, so a form elsewhere cannot act with it), ``Secure`` under TLS (RFC 6265 §4.1.2;
https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-15#section-4.1.2.7).
Sessions live in memory only: a restart logs everyone out, and nothing about them is stored.
"""

from __future__ import annotations

import secrets
import threading
import time

__all__ = ["COOKIE", "LIFETIME_S", "Sessions"]

COOKIE = "stateward_session"
LIFETIME_S = 8 * 3600


class Sessions:
    """Session ids and the role each was opened with, until they expire."""

    def __init__(self, lifetime_s: float = LIFETIME_S) -> None:
        self.lifetime_s = lifetime_s
        self._open: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def start(self, role: str) -> str:
        """A new session id for ``role`` (expired sessions are dropped here)."""
        session = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            for old in [s for s, (_, until) in self._open.items() if until < now]:
                del self._open[old]
            self._open[session] = (role, now + self.lifetime_s)
        return session

    def role(self, session: str) -> str | None:
        """The role of a live session, None for an unknown or expired one."""
        with self._lock:
            held = self._open.get(session)
        if held is None or held[1] < time.monotonic():
            return None
        return held[0]

    def end(self, session: str) -> None:
        with self._lock:
            self._open.pop(session, None)
