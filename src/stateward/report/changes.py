"""Component changes and fingerprints as console lines, shared by several commands."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from stateward.analysis.changes import ComponentDelta
from stateward.model.change import Change
from stateward.model.component import Component
from stateward.report.changelines import readable_path
from stateward.report.effective import effective_lines
from stateward.report.terminal import escape

__all__ = ["component_lines", "delta_lines", "describe", "unseen_lines"]


def delta_lines(delta: ComponentDelta) -> Iterator[str]:
    """One component's changes, snowflake changes ("same binary, …") called out."""
    style = "yellow" if delta.status.startswith("same binary") else "cyan"
    style = style if delta.changed else "dim"
    facets = f" ({', '.join(delta.facets)})" if delta.facets else ""
    yield f"  [{style}]{escape(delta.component)}: {delta.status}{facets}[/]"
    for change in delta.changes:
        yield f"    {change.facet:<9} {escape(readable_path(change.path))}: {escape(describe(change))}"


def component_lines(components: Iterable[Component], *, contexts: bool) -> Iterator[str]:
    """Each component's fingerprints, and its whole context when ``contexts``."""
    for c in components:
        yield (
            f"[bold]{escape(c.id)}[/] binary {c.binary_fingerprint[7:19]} "
            f"context {c.context_fingerprint[7:19]}"
        )
        yield from effective_lines(c.context)
        if contexts:  # JSON escapes newlines inside values: the text's own ones are its layout
            text = json.dumps(c.context, indent=2, sort_keys=True, ensure_ascii=False)
            yield "\n".join(map(escape, text.splitlines()))


def unseen_lines(unseen: list[Component]) -> Iterator[str]:
    """The components a partial observation could not see, by id: not observed, not removed."""
    if unseen:
        yield (
            f"[dim]Not observed (the observation is partial; last known state kept): "
            f"{escape(', '.join(c.id for c in unseen))}[/]"
        )


def describe(change: Change) -> str:
    """One-line before → after of a change; digests shortened, values never expanded."""
    return f"{_short(change.before)} → {_short(change.after)}"


def _short(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, str) and value.startswith(("hmac-sha256:", "sha256:")):
        return value[: value.index(":") + 13] + "…"
    text = (
        json.dumps(value, ensure_ascii=False, sort_keys=True)
        if not isinstance(value, int | float)
        else str(value)
    )
    return text if len(text) <= 80 else text[:77] + "…"
