"""API tokens for ``stateward serve``: only their SHA-256 digests are stored.

A token is 32 random bytes (``secrets.token_urlsafe``), so one unsalted SHA-256 is enough: a
slow password hash guards guessable secrets, and these are not guessable (the reasoning of
GitHub's token scanning and of OWASP's "Password Storage Cheat Sheet", which scopes key
stretching to low-entropy passwords). Tokens are access control, not history: the table is
operational and not in the ledger (``integrity.UNCHECKED``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from stateward.errors import UsageError
from stateward.store.database import Cursor, Database

__all__ = [
    "ROLES",
    "NewToken",
    "create_token",
    "create_token_table",
    "delete_token",
    "token_role",
]

ROLES = ("read", "admin")
_PREFIX = "swt_"  # recognizable in a leaked config or log, as GitHub's ghp_ prefix is


@dataclass(frozen=True)
class NewToken:
    """A token just made: the only moment its value is known."""

    token_id: str
    role: str
    value: str


def create_token_table(cursor: Cursor, types: dict[str, str]) -> None:
    """The ``*_api_tokens`` migration."""
    cursor.execute(
        """CREATE TABLE api_tokens (
            token_id TEXT PRIMARY KEY,
            digest TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            created TEXT NOT NULL)"""
    )


def create_token(db: Database, role: str) -> NewToken:
    """Make a token with ``role`` and store its digest."""
    if role not in ROLES:
        raise UsageError(f"no role {role!r}: roles are {', '.join(ROLES)}")
    token_id = secrets.token_hex(4)
    value = f"{_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
    created = datetime.now(UTC).isoformat()
    db.read_write(
        lambda c: c.execute(
            "INSERT INTO api_tokens (token_id, digest, role, created) VALUES (?, ?, ?, ?)",
            (token_id, _digest(value), role, created),
        )
    )
    return NewToken(token_id, role, value)


def delete_token(db: Database, token_id: str) -> None:
    """Delete the token ``token_id``: it is refused from now on (by a running server within
    the time it remembers tokens, ``stateward.server.auth.KNOWN_S``)."""

    def delete(cursor: Cursor) -> bool:
        found = cursor.execute("SELECT 1 FROM api_tokens WHERE token_id = ?", (token_id,))
        cursor.execute("DELETE FROM api_tokens WHERE token_id = ?", (token_id,))
        return bool(found)

    if not db.read_write(delete):
        raise UsageError(f"no token {token_id!r}", remedy="Give the id `tokens create` printed.")


def token_role(db: Database, value: str) -> str | None:
    """The role of the token ``value``, or None when it is no stored token."""
    rows = db.read_only(
        lambda c: c.execute("SELECT role FROM api_tokens WHERE digest = ?", (_digest(value),))
    )
    return str(rows[0][0]) if rows else None


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
