"""Secret values become keyed digests the moment they are read.

DESIGN invariant: no secret value is stored, printed or logged. A plain hash of a short value is
brute-forceable (ANCHORS §2.6), so the digest is HMAC-SHA-256 under a per-store key: equality and
change stay visible inside one store, the value does not.
"""

from __future__ import annotations

import base64
import hmac
import os
from hashlib import sha256
from pathlib import Path
from typing import Protocol

from stateward.errors import StorageError
from stateward.model.detection import harmless, names_a_digest, secret_name, secret_value
from stateward.model.urls import credential_url, has_password, url_parts

__all__ = [
    "SECRET_PREFIX",
    "Digester",
    "NotingKeeper",
    "SecretKeeper",
    "is_secret_digest",
    "looks_secret",
    "redact",
    "secret_remainder",
]

SECRET_PREFIX = "hmac-sha256:"
KEY_BYTES = 32


def looks_secret(name: str, value: str | None = None) -> bool:
    """True when a variable's name or whole value suggests it holds a credential."""
    if secret_name(name):
        return not (value is not None and harmless(value))
    if value is None:
        return False
    return credential_url(value) or secret_value(value, entropy=not names_a_digest(name))


def redact(name: str, value: str, keeper: Digester) -> str:
    """The keyed digest of a credential-looking value, followed — for a URL — by what is not
    secret in it: ``hmac-sha256:<hex> postgres://db:5432/app``. The digest covers the whole
    value, so a changed password still shows; the user, password and query never appear, and
    the host stays visible so dependencies can still be read (``DATABASE_URL`` → ``db``). The
    path stays only when the password is in the user part: a webhook URL's path is its secret."""
    digest = keeper.digest(value)
    parts = url_parts(value)
    if parts is None:
        return digest
    scheme, where, path = parts
    return f"{digest} {scheme}://{where}{path if has_password(value) else ''}"


def secret_remainder(value: str) -> str:
    """What :func:`redact` left readable after the digest ("" when nothing)."""
    return value.partition(" ")[2] if is_secret_digest(value) else ""


def is_secret_digest(value: object) -> bool:
    """True for a value already replaced by :meth:`SecretKeeper.digest`."""
    return isinstance(value, str) and value.startswith(SECRET_PREFIX)


class SecretKeeper:
    """Holds the per-store HMAC key and turns secret values into digests."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise StorageError(f"secret key must be {KEY_BYTES} bytes, got {len(key)}")
        self._key = key

    @classmethod
    def at(cls, path: Path) -> SecretKeeper:
        """Load the key at ``path``, creating it (mode 0600) if it does not exist yet."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return cls(_read_key(path))
        except OSError as exc:
            raise StorageError(f"cannot create secret key {path}: {exc.strerror}") from None
        key = os.urandom(KEY_BYTES)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        return cls(key)

    def digest(self, value: str | bytes) -> str:
        """``hmac-sha256:<hex>`` of the value under this store's key."""
        data = value.encode("utf-8") if isinstance(value, str) else value
        return SECRET_PREFIX + hmac.new(self._key, data, sha256).hexdigest()

    def __repr__(self) -> str:  # never show the key, even in a traceback
        return "SecretKeeper(<key hidden>)"


def _read_key(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StorageError(f"cannot read secret key {path}: {exc.strerror}") from None


class Digester(Protocol):
    """What redaction needs of a keeper: :class:`SecretKeeper` or a :class:`NotingKeeper`."""

    def digest(self, value: str | bytes) -> str: ...


class NotingKeeper:
    """Digests with another keeper and notes, in memory only, the values it digested while one
    source object was read, so the same values can be scrubbed from the comments kept with it."""

    def __init__(self, keeper: Digester) -> None:
        self._keeper = keeper
        self.seen: set[str] = set()

    def digest(self, value: str | bytes) -> str:
        """The other keeper's digest of ``value``, noting ``value`` (and, for bytes, its base64
        form, as a manifest writes it)."""
        if isinstance(value, bytes):
            self.seen.add(value.decode("utf-8", "replace"))
            self.seen.add(base64.b64encode(value).decode("ascii"))
        else:
            self.seen.add(value)
        return self._keeper.digest(value)

    def __repr__(self) -> str:  # never show what was noted, even in a traceback
        return "NotingKeeper(<values hidden>)"
