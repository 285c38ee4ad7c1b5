"""Drift and parity changes as lines a person can act on.

Each line names the object (``Secret/shop/db-credentials: /data/password changed``), its path
as written in the manifest (JSON pointer escapes undone, RFC 6901 §4), and values short enough
to read: a long one keeps its head and tail around "…" and carries its digest, so two long
values that differ only in the middle still read as different. A container's writable layer is
listed one path a line with the letter ``docker diff`` uses (A added, C changed, D deleted;
https://docs.docker.com/reference/cli/docker/container/diff/).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from stateward.model.canonical import canonical_json, digest_bytes
from stateward.model.change import Change
from stateward.model.pointer import split
from stateward.model.secrets import is_secret_digest

__all__ = ["MAX_VALUE", "change_cells", "change_lines", "readable_path", "short_value"]

MAX_VALUE = 60
"""Characters of a value shown before its middle is elided."""
_LAYER_FIELD = "writable_layer"
_LAYER_LETTERS = {"added": "A", "changed": "C", "deleted": "D"}


def readable_path(pointer: str) -> str:
    """The pointer's tokens joined by ``/`` unescaped: ``/metadata/annotations/a/b`` rather
    than ``…/a~1b``. For reading only: the escaped form stays in ``--json`` and SARIF."""
    return "/" + "/".join(split(pointer)) if pointer else "/"


def short_value(value: Any) -> str:
    """A value on one line: ``∅`` for none, a digest shortened, a long value elided in the
    middle with the digest of the whole (its canonical JSON) after it."""
    if value is None:
        return "∅"
    if isinstance(value, str) and (is_secret_digest(value) or value.startswith("sha256:")):
        return value[: value.index(":") + 13] + "…"
    if isinstance(value, bool | int | float):
        text = json.dumps(value)
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) <= MAX_VALUE:
        return text
    digest = digest_bytes(canonical_json(value))
    half = (MAX_VALUE - 1) // 2
    return f"{text[:half]}…{text[-half:]} ({digest[: digest.index(':') + 13]})"


def change_lines(change: Change, values: str | None = None) -> Iterator[str]:
    """The lines for one change, plain text (the caller escapes them for the console);
    ``values`` replaces its before → after (say, when the two are not comparable)."""
    if _is_layer(change):
        for where, _, letter in change_cells(change):
            yield f"{change.subject}: writable layer {letter} {where}"
        return
    values = values or f"{short_value(change.before)} → {short_value(change.after)}"
    yield f"{change.subject}: {readable_path(change.path)} {change.op}: {values}"


def change_cells(change: Change) -> Iterator[tuple[str, str, str]]:
    """``(path, before, after)`` rows for a side-by-side view; a writable layer gives one row a
    path, its ``docker diff`` letter on the after side."""
    if not _is_layer(change):
        yield readable_path(change.path), short_value(change.before), short_value(change.after)
        return
    tokens = split(change.path)
    before, after = change.before, change.after
    if tokens[-1] != _LAYER_FIELD:  # one path: /writable_layer/<path>
        before, after = {tokens[-1]: before} if before else {}, {tokens[-1]: after} if after else {}
    old = before if isinstance(before, Mapping) else {}
    new = after if isinstance(after, Mapping) else {}
    for path in sorted(old.keys() | new.keys()):
        if old.get(path) != new.get(path):
            yield path, "", _letter(new.get(path))


def _is_layer(change: Change) -> bool:
    tokens = split(change.path) if change.path else []
    return tokens[-1:] == [_LAYER_FIELD] or tokens[-2:-1] == [_LAYER_FIELD]


def _letter(entry: Any) -> str:
    if entry is None:
        return "D"
    op = entry.get("op", "changed") if isinstance(entry, Mapping) else "changed"
    return _LAYER_LETTERS.get(op, "C")
