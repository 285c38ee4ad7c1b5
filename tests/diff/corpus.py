"""The shared corpus as desired/live pairs: every Kubernetes file, admitted by the stand-in
API server, optionally with one seeded drift. Used by the corpus test and the benchmark."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stateward.model.change import Facet
from stateward.model.resource import Origin, Resource
from stateward.sources.manifests import parse_manifests

from .apiserver import admit, inject_istio
from .conftest import KEEPER
from .seeds import SEEDS

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
_SKIP = ("compose", "docker-stack")


@dataclass(frozen=True)
class Pair:
    file: str
    desired: Resource
    live: Resource


def corpus_files() -> list[Path]:
    """Kubernetes manifest files of the corpus (Compose files left out)."""
    return sorted(
        p for p in CORPUS.rglob("*")
        if p.suffix in (".yaml", ".yml", ".json") and not any(s in p.name for s in _SKIP)
    )  # fmt: skip


def corpus_resources() -> Iterator[tuple[str, list[Resource]]]:
    """(file, resources) for every corpus file with at least one object."""
    for path in corpus_files():
        result = parse_manifests(str(path), path.read_text(encoding="utf-8"), KEEPER)
        if result.resources:
            yield str(path.relative_to(CORPUS)), result.resources


def live_of(file: str, resource: Resource, serial: int) -> Resource:
    """The admitted live object, with Istio injected for the bookinfo workloads."""
    return _live(file, resource, serial, lambda body: None)


def seeded_live_of(
    file: str, resource: Resource, serial: int, seed: str
) -> tuple[Resource, Facet] | None:
    """The live object with ``seed`` applied (before injection, as an operator edits the
    workload, not the sidecar), and the facet it must show under; None when it does not fit."""
    facets: list[Facet | None] = []
    live = _live(
        file, resource, serial, lambda body: facets.append(SEEDS[seed](resource.key.kind, body))
    )
    return (live, facets[0]) if facets[0] is not None else None


def _live(
    file: str, resource: Resource, serial: int, edit: Callable[[dict[str, Any]], None]
) -> Resource:
    live = admit(resource, serial)
    body = copy.deepcopy(dict(live.body))
    edit(body)
    if file.startswith("istio-bookinfo/") and resource.key.kind == "Deployment":
        inject_istio(body)
    return Resource.of(live.key, body, Origin("apiserver", live.origin.location))
