"""Who signs checkpoints: the signer plug-point and its Ed25519 implementation.

C2SP signed-note, https://github.com/C2SP/C2SP/blob/055287621bf3cd13ff4394418a3e8efc2d5e8ed7/signed-note.md
("signed-note" below), §Signatures and §Ed25519 signatures. Key formats follow Go's
``golang.org/x/mod/sumdb/note`` so keys move between Stateward and Go tools unchanged:

* verifier key (vkey): ``<name>+<hex key ID>+<base64(0x01 || 32-byte public key)>``
* private key file:    ``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>``

Another algorithm (ML-DSA-44 cosignatures, a KMS) plugs in by implementing :class:`Signer` and
:class:`Verifier`; nothing else in the ledger knows it is Ed25519.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from stateward.errors import InputError
from stateward.fsutil import read_small_text

__all__ = [
    "ED25519",
    "Ed25519Signer",
    "Ed25519Verifier",
    "Signer",
    "Verifier",
    "check_key_name",
    "key_id",
    "strict_b64decode",
]

ED25519 = 0x01  # signed-note §Signature types
_KEY_SIZE = 32
_MAX_KEY_TEXT = 4096
_KEY_ID = re.compile(r"[0-9a-f]{8}")


class Verifier(Protocol):
    """Checks signatures by one key, identified by ``(name, key_id)`` (signed-note §Signatures)."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...


class Signer(Protocol):
    """Signs note texts with one key (signed-note §Signatures)."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def sign(self, message: bytes) -> bytes: ...

    def verifier(self) -> Verifier: ...


def key_id(name: str, key_type: int, public_key: bytes) -> int:
    """Key ID: signed-note §Signatures, the first four bytes, big-endian, of
    ``SHA-256(key name || 0x0A || signature type || public key)``."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")  # SHA-256(name || 0x0A || type || key)[:4]


def check_key_name(name: str) -> str:
    """Return ``name`` if it is a valid key name (signed-note §Format), else raise InputError.

    Non-empty, no Unicode space, no ``+``; we also refuse control characters, which notes forbid.
    """
    if not _valid_name(name):
        raise InputError("key name", "must be non-empty, without spaces, '+' or control characters")
    return name


def strict_b64decode(text: str) -> bytes | None:
    """Standard base64 (RFC 4648 §4), only in its canonical form; ``None`` if it is not."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    # non-zero padding bits decode to the same bytes; only the canonical spelling is accepted
    return data if base64.b64encode(data).decode() == text else None


class Ed25519Verifier:
    """An Ed25519 verifier key (signed-note §Ed25519 signatures)."""

    def __init__(self, name: str, public_key: bytes) -> None:
        check_key_name(name)
        try:
            self._key = Ed25519PublicKey.from_public_bytes(public_key)
        except ValueError:
            raise InputError("verifier key", "not a 32-byte Ed25519 public key") from None
        self._name, self._public = name, public_key
        self._id = key_id(name, ED25519, public_key)

    @property
    def name(self) -> str:
        return self._name

    @property
    def key_id(self) -> int:
        return self._id

    @classmethod
    def from_vkey(cls, vkey: str) -> Ed25519Verifier:
        """Parse ``name+keyid+base64(0x01 || key)`` and check the key ID (Go ``NewVerifier``)."""
        name, declared, key = _parse_key_text(vkey, prefix="", what="verifier key")
        verifier = cls(name, key)
        if declared != verifier.key_id:
            raise InputError("verifier key", "key ID does not match the key")
        return verifier

    def vkey(self) -> str:
        """The verifier key in ``name+hex(keyid)+base64(0x01 || key)`` form."""
        encoded = base64.b64encode(bytes([ED25519]) + self._public).decode()
        return f"{self._name}+{self._id:08x}+{encoded}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        """RFC 8032 Ed25519 verification of ``signature`` over ``message``."""
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


class Ed25519Signer:
    """An Ed25519 signing key, kept in a 0600 file in Go's ``PRIVATE+KEY+...`` form."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        self._verifier = Ed25519Verifier(name, private_key.public_key().public_bytes_raw())

    @property
    def name(self) -> str:
        return self._verifier.name

    @property
    def key_id(self) -> int:
        return self._verifier.key_id

    @classmethod
    def generate(cls, name: str) -> Ed25519Signer:
        """A fresh key held only in memory."""
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def create(cls, path: Path, name: str) -> Ed25519Signer:
        """Generate a key and write it to ``path`` with mode 0600; never overwrites a file."""
        signer = cls.generate(name)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise InputError(str(path), "already exists; keys are never overwritten") from None
        except OSError as exc:
            raise InputError(str(path), f"cannot create key file: {exc.strerror}") from None
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(signer.private_key_text() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return signer

    @classmethod
    def load(cls, path: Path) -> Ed25519Signer:
        """Read a key file written by :meth:`create` (or Go's ``note.GenerateKey``).

        Refuses a file that group or others can access, as ssh does.
        """
        text = _read_private_file(path)
        try:
            return cls.from_private_key_text(text.removesuffix("\n"))
        except InputError:
            raise InputError(str(path), "not a PRIVATE+KEY+name+keyid+key file") from None

    @classmethod
    def from_private_key_text(cls, text: str) -> Ed25519Signer:
        """Parse ``PRIVATE+KEY+name+keyid+base64(0x01 || seed)`` (Go ``note.NewSigner``)."""
        name, declared, seed = _parse_key_text(text, prefix="PRIVATE+KEY+", what="private key")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(seed))
        if declared != signer.key_id:  # the key ID is that of the public key
            raise InputError("private key", "key ID does not match the key")
        return signer

    def private_key_text(self) -> str:
        """The key in Go's ``PRIVATE+KEY+name+keyid+base64(0x01 || seed)`` form. Secret."""
        seed = self._private.private_bytes_raw()
        encoded = base64.b64encode(bytes([ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{encoded}"

    def sign(self, message: bytes) -> bytes:
        """RFC 8032 Ed25519 signature over ``message`` (signed-note §Ed25519 signatures)."""
        return self._private.sign(message)

    def verifier(self) -> Ed25519Verifier:
        return self._verifier

    def vkey(self) -> str:
        return self._verifier.vkey()


def _parse_key_text(text: str, *, prefix: str, what: str) -> tuple[str, int, bytes]:
    """Split ``<prefix>name+keyid+base64(0x01 || key)`` into name, declared key ID and key."""
    if len(text) > _MAX_KEY_TEXT or not text.startswith(prefix):
        raise InputError(what, f"malformed (want {prefix}name+keyid+base64)")
    parts = text[len(prefix) :].split("+", 2)  # base64 may itself contain "+"
    raw = strict_b64decode(parts[2]) if len(parts) == 3 else None
    if raw is None or not _valid_name(parts[0]) or not _KEY_ID.fullmatch(parts[1]):
        raise InputError(what, f"malformed (want {prefix}name+keyid+base64)")
    if len(raw) != 1 + _KEY_SIZE or raw[0] != ED25519:
        raise InputError(what, "not an Ed25519 key (type 0x01, 32 bytes)")
    return parts[0], int(parts[1], 16), raw[1:]


def _read_private_file(path: Path) -> str:
    def private(info: os.stat_result) -> None:
        if not stat.S_ISREG(info.st_mode):
            raise InputError(str(path), "is not a regular file")
        if info.st_mode & 0o077:
            mode = stat.S_IMODE(info.st_mode)
            raise InputError(
                str(path), f"permissions {mode:04o} are too open", remedy=f"Run: chmod 600 {path}"
            )

    return read_small_text(path, _MAX_KEY_TEXT, "key file", encoding="ascii", check=private)


def _valid_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(c.isspace() or ord(c) < 0x20 for c in name)
