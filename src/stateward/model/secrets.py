"""Secret values become keyed digests the moment they are read.

Invariant (README, "Security model"): no secret value is stored, printed or logged. A plain hash
of a short value is brute-forced by hashing every likely candidate and comparing, so the digest is
HMAC-SHA-256 under a per-store key: equality and change stay visible inside one store, the value
does not.
"""

from __future__ import annotations

import base64
import hmac
import os
import stat
from hashlib import sha256
from pathlib import Path
from typing import Protocol

from stateward.errors import StorageError
from stateward.model.detection import harmless, names_a_digest, secret_name, secret_value
from stateward.model.urls import credential_url, has_password, url_parts

__all__ = [
    "SECRET_PREFIX",
    "Digester",
    "LockedKeeper",
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
        return not (value is not None and harmless(value, name))
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
        return cls.load(path) if path.exists() else cls.create(path)

    @classmethod
    def create(cls, path: Path) -> SecretKeeper:
        """A fresh random key written to ``path`` (mode 0600), or the one another process wrote
        there first. The file appears whole or not at all: it is written under a temporary name
        and linked into place, so a concurrent reader never sees it empty or half written."""
        key = os.urandom(KEY_BYTES)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        scratch = path.with_name(f".{path.name}.{os.getpid()}.{key[:4].hex()}")
        try:
            fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(key)
                fh.flush()
                os.fsync(fh.fileno())
            os.link(scratch, path)  # atomic, and fails if the key exists: never overwritten
        except FileExistsError:
            return cls.load(path)
        except OSError as exc:
            raise StorageError(f"cannot create secret key {path}: {exc.strerror}") from None
        finally:
            scratch.unlink(missing_ok=True)
        return cls(key)

    @classmethod
    def load(cls, path: Path) -> SecretKeeper:
        """Read the key file at ``path``; refuse one others can read, or of the wrong size."""
        return cls(_read_key(path))

    @property
    def key_id(self) -> str:
        """The key's fingerprint, safe to store and print: 32 hex digits of
        SHA-256("stateward secret key id" || 0x0A || key). The key is 256 random bits, so
        its fingerprint reveals nothing a digest could be checked against."""
        return sha256(_KEY_ID_CONTEXT + self._key).hexdigest()[:32]

    def digest(self, value: str | bytes) -> str:
        """``hmac-sha256:<hex>`` of the value under this store's key."""
        data = value.encode("utf-8") if isinstance(value, str) else value
        return SECRET_PREFIX + hmac.new(self._key, data, sha256).hexdigest()

    def usable(self) -> SecretKeeper:
        """This keeper, once it holds a key (see :class:`LockedKeeper`)."""
        return self

    def __repr__(self) -> str:  # never show the key, even in a traceback
        return "SecretKeeper(<key hidden>)"


class LockedKeeper(SecretKeeper):
    """Stands in for a key a read-only command could not load: reading stored history needs
    no key, digesting a new value does, and then it raises the reason the key is missing."""

    def __init__(self, reason: StorageError) -> None:
        self._reason = reason

    @property
    def key_id(self) -> str:
        raise self._reason

    def digest(self, value: str | bytes) -> str:
        raise self._reason

    def usable(self) -> SecretKeeper:
        """Raise why there is no key: before reading a source, whose reader would otherwise
        take the error for a bad file and go on without it."""
        raise self._reason


_KEY_ID_CONTEXT = b"stateward secret key id\n"
_LOST = "if it is lost for good, `stateward keys rotate --new` starts a new key (secrets recorded before it then compare as not comparable)"


def _read_key(path: Path) -> bytes:
    """The key bytes, refusing what ssh refuses for a private key (group or world access, not
    a regular file) and naming what a damaged file needs."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise StorageError(f"secret key {path} is not a regular file")
        if info.st_mode & 0o077:
            mode = stat.S_IMODE(info.st_mode)
            raise StorageError(
                f"secret key {path}: permissions {mode:04o} are too open",
                remedy=f"Run: chmod 600 {path}",
            )
        key = path.read_bytes()
    except FileNotFoundError:
        raise StorageError(
            f"secret key {path} is missing",
            remedy=f"Restore it from your backup or set STATEWARD_KEY_FILE to it; {_LOST}.",
        ) from None
    except OSError as exc:
        raise StorageError(f"cannot read secret key {path}: {exc.strerror}") from None
    if len(key) != KEY_BYTES:
        what = "is empty" if not key else f"is {len(key)} bytes, not {KEY_BYTES}"
        raise StorageError(
            f"secret key {path} {what}: truncated or not a Stateward key",
            remedy=f"Restore it from your backup; {_LOST}.",
        )
    return key


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
