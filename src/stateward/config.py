"""Reading the YAML files a user writes for Stateward (``stateward.yaml``, policies), with one
kind of error for every way they can be wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from stateward.errors import InputError

__all__ = ["read_yaml"]


def read_yaml(path: Path) -> Any:
    """The document in ``path`` (None when empty); InputError naming the file, and the line for
    a syntax error (the line itself is never quoted: it may hold a value the user keeps secret)."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise InputError(where, f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
