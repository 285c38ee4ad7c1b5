"""JSON pointers (RFC 6901): the one way a path inside a resource is written.

§3: a pointer is a sequence of ``/``-prefixed reference tokens; §4: ``~1`` stands for ``/`` and
``~0`` for ``~``, and when decoding ``~1`` is replaced before ``~0`` so ``~01`` means ``~1``.
"""

from __future__ import annotations

from typing import Any

from stateward.errors import InputError

__all__ = ["Trail", "escape", "join", "split", "trail_pointer", "trail_tokens"]


def escape(token: str) -> str:
    """One reference token, escaped (RFC 6901 §3)."""
    if "~" in token or "/" in token:  # the common case needs no copy
        return token.replace("~", "~0").replace("/", "~1")
    return token


def join(tokens: list[str] | tuple[str, ...]) -> str:
    """The pointer for these unescaped tokens (``[]`` is the whole document, ``""``)."""
    return "".join("/" + escape(token) for token in tokens)


def split(pointer: str) -> list[str]:
    """Unescaped tokens of ``pointer``; InputError when it is not a pointer (RFC 6901 §3, §4)."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise InputError(repr(pointer), "a JSON pointer must start with '/'")
    tokens = pointer[1:].split("/")
    for token in tokens:
        if "~" in token.replace("~0", "").replace("~1", ""):
            raise InputError(repr(pointer), "'~' must be followed by 0 or 1 (RFC 6901 §3)")
    return [token.replace("~1", "/").replace("~0", "~") for token in tokens]


Trail = tuple[Any, str] | None
"""Where a walk is, as nested (parent trail, token) pairs: O(1) to extend at every level, and
turned into a pointer only for the few places that are reported."""


def trail_tokens(trail: Trail) -> list[str]:
    """The unescaped tokens from the document root down to ``trail``."""
    tokens: list[str] = []
    while trail is not None:
        trail, token = trail
        tokens.append(token)
    tokens.reverse()
    return tokens


def trail_pointer(trail: Trail) -> str:
    """The JSON pointer of ``trail``."""
    return join(trail_tokens(trail))
