"""The benchmarks' sizes, read from their ``BENCH_*`` variables (README, "Configuration and
environment"): one reading for all of them, so a variable set but empty (``BENCH_X=``, as a
shell line or a CI matrix leaves it) means its default instead of a traceback on ``int('')``,
and a value that is not a whole number stops the run with one line naming the variable."""

from __future__ import annotations

import os

__all__ = ["env_int", "env_ints"]


def env_int(name: str, default: int) -> int:
    """The whole number ``$name`` holds; ``default`` when it is unset or empty."""
    text = os.environ.get(name, "").strip()
    return _whole(name, text) if text else default


def env_ints(name: str, default: list[int]) -> list[int]:
    """The comma-separated whole numbers ``$name`` holds; ``default`` when it is unset. Set but
    empty it is an empty list (``BENCH_PROCESS_SIZES=``: the memory part alone)."""
    text = os.environ.get(name)
    if text is None:
        return default
    return [_whole(name, item.strip()) for item in text.split(",") if item.strip()]


def _whole(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SystemExit(f"{name}={text!r} is not a whole number") from None
