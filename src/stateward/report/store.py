"""A store's keys: where they are and whether the secret key is the one the store records."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.report.terminal import escape

__all__ = ["key_status_lines"]


def key_status_lines(status: Mapping[str, Any]) -> Iterator[str]:
    """The store's id, its key files, and the secret key it records (by id, never the key)."""
    yield f"store {status['store_id']}"
    yield f"  secret key  {escape(status['secret_key_file'])}"
    yield f"  ledger key  {escape(status['ledger_key_file'])}"
    if status["legacy_location"]:
        yield "  (where older versions kept them; see README, Keys, to move them)"
    recorded = status["recorded_key_id"]
    yield (
        f"  recorded    {recorded} (generation {status['generation']})"
        if recorded
        else "  recorded    none yet (the next scan records the key file's)"
    )
    if not status["problem"]:
        yield f"  key file    {status['key_file_id']}: ok"
