"""Browser sessions for the dashboard: a token is presented once at login and a signed session
cookie is given back, since ``EventSource`` cannot send an ``Authorization`` header
(https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface).

The cookie is ``HttpOnly`` (no script reads it) and ``SameSite=Strict`` (no other site's page
sends it, so a form elsewhere cannot act with it), ``Secure`` under TLS (RFC 6265 §4.1.2;
https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-15#section-4.1.2.7).

A cookie carries its session id, role and expiry under an HMAC-SHA256 (RFC 2104), so any of
the server's worker processes validates it without asking the others. The key and the list of
sessions logged out before their expiry live in memory the workers share (made before they are
forked: :class:`SharedSessions`); nothing about sessions is stored, and a restart logs everyone
out.
"""

from __future__ import annotations

import base64
import ctypes
import hashlib
import hmac
import multiprocessing as mp
import re
import secrets
import time

__all__ = ["COOKIE", "ENDED_SLOTS", "LIFETIME_S", "Sessions", "SharedSessions"]

COOKIE = "stateward_session"
LIFETIME_S = 8 * 3600
ENDED_SLOTS = 4096
"""Sessions that may be logged out and not yet expired at once; past that the key is renewed
(everyone logs in again) rather than a logged-out session living again."""
_ID = 16  # bytes of a session id
_COOKIE = re.compile(  # id . role . expiry (Unix seconds) . MAC, each strictly
    r"([A-Za-z0-9_-]{22})\.(read|admin)\.(0|[1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})"
)


class SharedSessions:
    """The signing key and the ended sessions, in memory shared by every process forked after
    this is made. Each ended session is a slot: its id and when its cookie would have
    expired; a slot is free again once that time has passed."""

    def __init__(self, slots: int = ENDED_SLOTS) -> None:
        context = mp.get_context("fork")
        self._key = context.RawArray(ctypes.c_char, 32)
        self._ids = context.RawArray(ctypes.c_char, slots * _ID)
        self._until = context.RawArray(ctypes.c_double, slots)
        self._lock = context.Lock()
        self._key.raw = secrets.token_bytes(32)

    def key(self) -> bytes:
        return bytes(self._key.raw)

    def is_ended(self, session: bytes) -> bool:
        ids = self._ids.raw
        found = ids.find(session)
        while found != -1 and found % _ID:  # a match straddling two slots is no match
            found = ids.find(session, found + 1)
        return found != -1

    def end(self, session: bytes, until: float) -> None:
        """Refuse ``session`` from now on (until it would have expired anyway)."""
        with self._lock:
            now = time.time()
            free = next((i for i, t in enumerate(self._until) if t < now), None)
            if free is None:  # every slot holds a live ended session: end them all at once
                self._key.raw = secrets.token_bytes(32)
                return
            ctypes.memmove(ctypes.addressof(self._ids) + free * _ID, session, _ID)
            self._until[free] = until


class Sessions:
    """Session cookies for a role, valid until they expire or are ended."""

    def __init__(self, shared: SharedSessions | None = None, lifetime_s: float = LIFETIME_S):
        self.shared = shared or SharedSessions()
        self.lifetime_s = lifetime_s

    def start(self, role: str) -> str:
        """A new session cookie's value for ``role``."""
        session = _b64(secrets.token_bytes(_ID))
        claims = f"{session}.{role}.{int(time.time() + self.lifetime_s)}"
        return f"{claims}.{self._mac(claims)}"

    def role(self, cookie: str) -> str | None:
        """The role of a live session, None for a forged, expired or ended one."""
        held = self._valid(cookie)
        return held[1] if held is not None else None

    def end(self, cookie: str) -> None:
        held = self._valid(cookie)
        if held is not None:
            self.shared.end(held[0], held[2])

    def _valid(self, cookie: str) -> tuple[bytes, str, float] | None:
        """The session id, role and expiry of a cookie this server signed, live and not
        ended."""
        parts = _COOKIE.fullmatch(cookie)
        if parts is None:
            return None
        session, role, until, mac = parts.groups()
        if not hmac.compare_digest(mac, self._mac(f"{session}.{role}.{until}")):
            return None
        raw = base64.urlsafe_b64decode(session + "==")
        if int(until) < time.time() or self.shared.is_ended(raw):
            return None
        return raw, role, float(until)

    def _mac(self, claims: str) -> str:
        # HMAC-SHA256(key, "id.role.expiry")
        return _b64(hmac.new(self.shared.key(), claims.encode(), hashlib.sha256).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
