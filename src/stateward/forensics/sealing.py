"""Encryption of evidence artefacts to a responder's public key, in the age format
(https://age-encryption.org/v1, X25519 recipients ``age1…``, identities ``AGE-SECRET-KEY-1…``).

Logs and changed files are raw by nature: they hold whatever the container printed or wrote,
secrets included. They are kept only as age ciphertext, so the store and any export hold
nothing readable without the responder's private key, which never comes near the store. The
library is pyrage (https://github.com/woodruffw/pyrage), the Rust ``age`` crate bound in-process:
no ``age`` binary on PATH, no plaintext on a pipe or in a temporary file.

Recipients come from ``--recipient`` or from ``./stateward.yaml``::

    evidence:
      recipients: [age1…]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from pyrage import x25519

from stateward.config import read_yaml
from stateward.errors import InputError
from stateward.fsutil import open_private

__all__ = [
    "AGE_FORMAT",
    "CONFIG_FILE",
    "Identities",
    "Recipients",
    "configured_recipients",
    "load_identities",
]

AGE_FORMAT = "age-encryption.org/v1"
CONFIG_FILE = Path("stateward.yaml")
_MAX_IDENTITY_FILE = 64 * 1024


@dataclass(frozen=True, slots=True)
class Recipients:
    """Public keys every artefact is encrypted to (any one of them can decrypt)."""

    keys: tuple[str, ...]
    """The ``age1…`` strings, as given."""
    _parsed: tuple[Any, ...]

    @classmethod
    def parse(cls, keys: Sequence[str], where: str) -> Recipients:
        """Recipients from ``age1…`` strings; InputError names ``where`` and the item."""
        parsed = []
        for n, key in enumerate(keys):
            try:
                parsed.append(x25519.Recipient.from_str(str(key).strip()))
            except (pyrage.RecipientError, ValueError):
                raise InputError(f"{where}[{n}]", "not an age X25519 recipient (age1…)") from None
        if not parsed:
            raise InputError(where, "no recipient given")
        return cls(tuple(str(k).strip() for k in keys), tuple(parsed))

    def encrypt(self, data: bytes) -> bytes:
        """The age ciphertext of ``data`` (binary format, not armored)."""
        return bytes(pyrage.encrypt(data, list(self._parsed)))


@dataclass(frozen=True, slots=True)
class Identities:
    """Private keys read from an age identity file, to decrypt artefacts with."""

    source: str
    _parsed: tuple[Any, ...]

    def decrypt(self, data: bytes, what: str) -> bytes:
        """The plaintext of age ciphertext ``data``; InputError when no identity fits."""
        try:
            return bytes(pyrage.decrypt(data, list(self._parsed)))
        except pyrage.DecryptError:
            raise InputError(
                what, f"cannot be decrypted with the identities in {self.source}"
            ) from None


def load_identities(path: Path) -> Identities:
    """The X25519 identities of an age identity file (``#`` comments and blank lines
    allowed, as age-keygen writes it, mode 0600). A file others can read is refused, as ssh
    refuses such a private key; a bad line is named by number, never quoted."""
    with open_private(path) as handle:
        data = handle.read(_MAX_IDENTITY_FILE + 1)
    if len(data) > _MAX_IDENTITY_FILE:
        raise InputError(str(path), "too large for an age identity file")
    parsed = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            parsed.append(x25519.Identity.from_str(text))
        except (pyrage.IdentityError, ValueError):
            raise InputError(f"{path}:{number}", "not an age X25519 identity") from None
    if not parsed:
        raise InputError(str(path), "holds no age identity (AGE-SECRET-KEY-1…)")
    return Identities(str(path), tuple(parsed))


def configured_recipients(given: Sequence[str], config: Path = CONFIG_FILE) -> Recipients | None:
    """Recipients from ``--recipient`` values, else from ``evidence.recipients`` in the config
    file when it exists; None when neither names one."""
    if given:
        return Recipients.parse(given, "--recipient")
    keys = _config_keys(config)
    return None if keys is None else Recipients.parse(keys, f"{config}: evidence.recipients")


def _config_keys(config: Path) -> list[str] | None:
    if not config.exists():
        return None
    data = read_yaml(config)
    section = data.get("evidence") if isinstance(data, Mapping) else None
    if section is None:
        return None
    keys = section.get("recipients") if isinstance(section, Mapping) else None
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise InputError(f"{config}: evidence.recipients", "must be a list of age1… keys")
    return keys
