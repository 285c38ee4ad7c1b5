"""Reading the YAML files a user writes for Stateward (``stateward.yaml``, policies), with one
kind of error for every way they can be wrong.

They go through the same bounded reader and hardened YAML loader as the manifests Stateward
scans: ``yaml.safe_load`` raised a bare ValueError on a 4,301-digit number or a date such as
``2026-13-45``, a RecursionError on deep nesting, and let aliases expand without limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stateward.errors import InputError
from stateward.sources.reading import ReadRefused, read_bounded
from stateward.sources.yamldocs import DocumentError, read_documents

__all__ = ["MAX_CONFIG_BYTES", "read_yaml"]

MAX_CONFIG_BYTES = 1 << 20


def read_yaml(path: Path) -> Any:
    """The first document in ``path`` (None when empty); InputError naming the file, and the line
    for a syntax error (the line itself is never quoted: it may hold a value the user keeps
    secret)."""
    try:
        data = read_bounded(path, MAX_CONFIG_BYTES)
    except ReadRefused as refused:
        raise InputError(str(path), refused.reason) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text") from None
    for doc in read_documents(text):
        if isinstance(doc, DocumentError):
            raise InputError(f"{path}:{doc.line}", f"not valid YAML: {doc.reason}")
        return doc.data
    return None
