"""Secret values become keyed digests the moment they are read.

DESIGN invariant: no secret value is stored, printed or logged. A plain hash of a short value is
brute-forceable (ANCHORS §2.6), so the digest is HMAC-SHA-256 under a per-store key: equality and
change stay visible inside one store, the value does not.
"""

from __future__ import annotations

import functools
import hmac
import os
import re
from hashlib import sha256
from pathlib import Path
from urllib.parse import urlsplit

from stateward.errors import StorageError

__all__ = [
    "SECRET_PREFIX",
    "SecretKeeper",
    "is_secret_digest",
    "looks_secret",
    "redact",
    "secret_remainder",
]

SECRET_PREFIX = "hmac-sha256:"
KEY_BYTES = 32

# Names whose values are treated as secrets even outside a Secret object (env literals, Compose).
_SECRET_NAME = re.compile(
    r"(PASS(WORD|WD)?|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH|DSN|"
    r"CONNECTION_?STRING|_KEY$|^KEY$)",
    re.IGNORECASE,
)
# URLs with a password in them: scheme://user:password@host
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)


def looks_secret(name: str, value: str | None = None) -> bool:
    """True when a variable's name or value suggests it holds a credential."""
    if _secret_name(name):
        return True
    return value is not None and "@" in value and bool(_URL_WITH_PASSWORD.match(value))


@functools.lru_cache(maxsize=8192)  # an estate repeats the same variable names many times
def _secret_name(name: str) -> bool:
    return _SECRET_NAME.search(name) is not None


def redact(name: str, value: str, keeper: SecretKeeper) -> str:
    """The keyed digest of a credential-looking value, followed — for a URL — by what is not
    secret in it: ``hmac-sha256:<hex> postgres://db:5432/app``. The digest covers the whole
    value, so a changed password still shows; the user, password and query never appear, and
    the host stays visible so dependencies can still be read (``DATABASE_URL`` → ``db``)."""
    digest = keeper.digest(value)
    try:
        url = urlsplit(value)
        host, port = url.hostname, url.port
    except ValueError:
        return digest
    if not url.scheme or not host:
        return digest
    where = f"{host}:{port}" if port else host
    return f"{digest} {url.scheme}://{where}{url.path}"


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
