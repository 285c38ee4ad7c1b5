"""Reading the YAML files a user writes for Stateward (``stateward.yaml``, policies, and the
user's defaults in ``$XDG_CONFIG_HOME/stateward/config.yaml``), with one kind of error for every
way they can be wrong.

They go through the same bounded reader and hardened YAML loader as the manifests Stateward
scans: ``yaml.safe_load`` raised a bare ValueError on a 4,301-digit number or a date such as
``2026-13-45``, a RecursionError on deep nesting, and let aliases expand without limit.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from stateward.errors import InputError
from stateward.sources.reading import ReadRefused, read_bounded
from stateward.sources.yamldocs import DocumentError, read_documents

__all__ = ["MAX_CONFIG_BYTES", "USER_SETTINGS", "config_home", "read_yaml", "user_default"]

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


USER_SETTINGS = {
    "store": "store location when neither --store nor STATEWARD_STORE is given",
    "key_file": "secret key file when STATEWARD_KEY_FILE is not set",
}
"""What ``$XDG_CONFIG_HOME/stateward/config.yaml`` may set, and when each one applies."""


def config_home() -> Path:
    """``$XDG_CONFIG_HOME``, or ``~/.config`` when it is unset, empty or relative (XDG Base
    Directory Specification 0.8, https://specifications.freedesktop.org/basedir-spec/0.8/:
    "If $XDG_CONFIG_HOME is either not set or empty, a default equal to $HOME/.config should
    be used"; a relative path "should [be considered] invalid and ignore[d]")."""
    value = os.environ.get("XDG_CONFIG_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".config"


def user_default(name: str) -> str | None:
    """The user's default for setting ``name`` (one of :data:`USER_SETTINGS`), or None. A path
    is taken from the file's own folder when relative; a URL (``postgresql://…``) as it is."""
    assert name in USER_SETTINGS, f"bad math: no user setting {name!r}"
    path = config_home() / "stateward" / "config.yaml"
    if not path.is_file():
        return None
    data = read_yaml(path)
    if data is None:
        return None
    if not isinstance(data, dict):
        raise InputError(
            str(path), "not a mapping of settings", f"Known settings: {', '.join(USER_SETTINGS)}."
        )
    unknown = sorted(str(k) for k in data if k not in USER_SETTINGS)
    if unknown:
        raise InputError(
            f"{path}: {unknown[0]}",
            "unknown setting",
            f"Known settings: {', '.join(USER_SETTINGS)}.",
        )
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{path}: {name}", "must be a non-empty string")
    if "://" in value:
        return value
    return str(path.parent / Path(value).expanduser())
