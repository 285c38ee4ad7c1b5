"""Stateward's own small YAML files (``stateward.yaml`` ignore rules, a parity policy), read with
the same bounded reader and hardened YAML loader as the manifests it scans.

``yaml.safe_load`` has none of those guards: a 4,301-digit number or an impossible date raises a
bare ValueError, deep nesting a RecursionError, and aliases can expand without limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stateward.errors import InputError
from stateward.sources.reading import ReadRefused, read_bounded
from stateward.sources.yamldocs import DocumentError, read_documents

__all__ = ["MAX_CONFIG_BYTES", "read_config"]

MAX_CONFIG_BYTES = 1 << 20


def read_config(path: Path) -> Any:
    """The first document of the YAML file at ``path`` (None when empty); InputError naming the
    file (and line) when it cannot be read or parsed."""
    try:
        data = read_bounded(path, MAX_CONFIG_BYTES)
    except ReadRefused as refused:
        raise InputError(str(path), refused.reason) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte at offset {exc.start})") from None
    for doc in read_documents(text):
        if isinstance(doc, DocumentError):
            raise InputError(f"{path}:{doc.line}", f"not valid YAML: {doc.reason}")
        return doc.data
    return None
