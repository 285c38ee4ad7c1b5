"""The ``effective`` facet of a component (:mod:`stateward.contexts.effective`) as console lines:
what its running pods see where that differs from what is declared."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.contexts.effective import FACET
from stateward.report.terminal import escape

__all__ = ["effective_lines"]


def effective_lines(context: Mapping[str, Any]) -> Iterator[str]:
    """Nothing without live pods; else one line per stale ConfigMap/Secret and per image run
    at several digests, or one line saying the pods run what is declared."""
    facet = context.get(FACET)
    if not isinstance(facet, Mapping):
        return
    pods = facet.get("pods", 0)
    lines = [*_stale(facet, pods), *_mixed(facet)]
    head = "  [yellow]effective[/]"
    for line in lines:
        yield f"{head} {escape(line)}"
    if not lines:
        yield f"  [dim]effective {pods} pods run the declared config, one digest per image[/]"


def _stale(facet: Mapping[str, Any], pods: int) -> Iterator[str]:
    for source, entry in facet.get("stale", {}).items():
        yield (f"{entry['pods']} of {pods} pods run {source} from before {entry['changed']} "
               f"(read at start: {', '.join(entry['read'])})")  # fmt: skip


def _mixed(facet: Mapping[str, Any]) -> Iterator[str]:
    for container, images in facet.get("images", {}).items():
        for image, digests in images.items():
            if len(digests) > 1:
                counts = ", ".join(f"{_short(d)} ({n['pods']} pods)" for d, n in digests.items())
                yield f"container {container} runs {len(digests)} digests of {image}: {counts}"


def _short(image_id: str) -> str:
    """``sha256:`` and 12 hex digits of an ``imageID`` (``docker-pullable://repo@sha256:…``)."""
    return image_id.rsplit("@", 1)[-1][:19] + "…"
