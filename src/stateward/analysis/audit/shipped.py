"""Tables shipped beside the audit's code as JSON files (each with the script that makes it
under ``scripts/``), read once, on first use."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

__all__ = ["shipped_table"]


@cache
def shipped_table(name: str) -> dict[str, Any]:
    """The JSON object in the package file ``name`` (an empty one if the file holds another
    value)."""
    text = files("stateward.analysis.audit").joinpath(name).read_text("utf-8")
    found = json.loads(text)
    return found if isinstance(found, dict) else {}
