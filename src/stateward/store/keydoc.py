"""The document a ledger entry commits to when it logs a generation of the store's secret key.

Canonical JSON of the previous and the new key id (fingerprints, never keys)::

    {"previous":null,"secret_key_id":"…"}

A ``key`` entry (``keys rotate``) names it as ``key``. The store's first key is logged by the
store's first entry whatever its type (tombstones excepted: they name exactly what they erase),
which names it as ``first_key``: so the key every later digest was made under is part of what
the ledger proves from its first entry on, and no entry is added for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from stateward.model.canonical import canonical_json, digest_bytes

__all__ = ["FIRST_KEY", "ROTATION", "key_addresses", "key_document"]

ROTATION = "key"
"""The object name of a ``key`` entry's document."""
FIRST_KEY = "first_key"
"""The object name of the store's first key's document, in the entry that logged it."""


def key_document(previous: str | None, key_id: str) -> bytes:
    """The canonical document logging that the store's secret key is now ``key_id``."""
    return canonical_json({"previous": previous, "secret_key_id": key_id})


def key_addresses(key_ids: Iterable[str]) -> dict[str, int]:
    """The address of each generation's document, given the key ids oldest first (the rows of
    ``secret_keys``): generation by address."""
    addresses, previous = {}, None
    for generation, key_id in enumerate(key_ids):
        addresses[digest_bytes(key_document(previous, key_id))] = generation
        previous = key_id
    return addresses
