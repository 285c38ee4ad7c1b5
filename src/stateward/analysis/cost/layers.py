"""Image layers: their sizes and which are already cached on a node (those are not pulled).

Sizes come, in order of preference, from an OCI registry's manifest (compressed blob sizes: what
crosses the network), from a container engine's image inspect and history (uncompressed sizes of
layers it holds), or are estimated (``Params.image_estimate_mib``) and marked as estimates. Layers
are matched by uncompressed ``diff_id`` when both sides know it (the engine only knows diff ids;
the registry gives them through the image config), else by blob digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import docker
import requests

from stateward.errors import SourceError
from stateward.model.component import Image
from stateward.sources.registry import Platform, Registry, docker_credentials, split_reference

__all__ = [
    "EngineCatalog",
    "ImageLayers",
    "Layer",
    "LayerCatalog",
    "RegistryCatalog",
    "lookup",
    "uncached",
]

_MAX_IMAGES = 1000


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer: blob digest, size in bytes, and uncompressed diff id when known."""

    digest: str
    size: int
    diff_id: str | None = None

    @property
    def identities(self) -> frozenset[str]:
        """Every name this layer is known by."""
        return frozenset(x for x in (self.digest, self.diff_id) if x)


@dataclass(frozen=True, slots=True)
class ImageLayers:
    """An image's layers and where their sizes came from."""

    ref: str
    layers: tuple[Layer, ...]
    source: str
    """``registry`` (compressed sizes), ``engine`` (uncompressed sizes) or ``estimate``."""

    @property
    def estimated(self) -> bool:
        """True when no real size was found."""
        return self.source == "estimate"

    @property
    def size(self) -> int:
        """Sum of the layer sizes."""
        return sum(layer.size for layer in self.layers)


class LayerCatalog(Protocol):
    """Where layer sizes and a node's cached layers come from."""

    def layers(self, image: Image) -> ImageLayers | None:
        """The image's layers, or None when this catalog does not know it."""
        ...

    def cached(self) -> frozenset[str]:
        """Identities of the layers present on the node this catalog stands for."""
        ...


def lookup(catalogs: Sequence[LayerCatalog], image: Image) -> ImageLayers | None:
    """The first catalog's answer for ``image``."""
    for catalog in catalogs:
        found = catalog.layers(image)
        if found is not None:
            return found
    return None


def uncached(image: ImageLayers, cached: Iterable[str]) -> tuple[Layer, ...]:
    """The layers of ``image`` a node must still pull."""
    present = frozenset(cached)
    return tuple(layer for layer in image.layers if not (layer.identities & present))


class RegistryCatalog:
    """An OCI distribution registry (``/v2/`` API) holding the estate's images by repository
    path, e.g. a mirror: ``ghcr.io/example/app:1`` is looked up as ``example/app:1``. An image
    the registry does not have is unknown here; a registry that refuses us is an error
    (:class:`~stateward.sources.registry.RegistryAuthError`), never an estimate."""

    def __init__(self, registry: Registry | str, platform: Platform | None = None) -> None:
        if isinstance(registry, str):
            host = registry.split("://", 1)[-1].rstrip("/")
            registry = Registry(registry, docker_credentials(host))
        self.registry = registry
        self.platform = platform or Platform.of_host()

    def layers(self, image: Image) -> ImageLayers | None:
        """Layers from the image manifest, with diff ids from its config blob."""
        _, repository, reference = split_reference(image.ref)
        try:
            manifest = self.registry.manifest(repository, image.digest or reference, self.platform)
            config_digest = manifest["config"]["digest"]
            config = self.registry.json(f"{repository}/blobs/{config_digest}", repository)
            diff_ids = list(config.get("rootfs", {}).get("diff_ids", []))
            blobs = manifest["layers"]
            sizes = [(str(b["digest"]), int(b["size"])) for b in blobs]
        except LookupError:
            return None
        except (TypeError, ValueError) as exc:
            raise SourceError(
                f"registry {self.registry.host}: {image.ref}: malformed manifest ({exc})"
            ) from None
        if len(diff_ids) != len(sizes):
            diff_ids = [None] * len(sizes)
        layers = tuple(Layer(d, n, i) for (d, n), i in zip(sizes, diff_ids, strict=True))
        return ImageLayers(image.ref, layers, "registry")

    def cached(self) -> frozenset[str]:
        """A registry is not a node: nothing is cached by it."""
        return frozenset()


class EngineCatalog:
    """A container engine (Docker API, Docker or Podman) standing for one node: the layers of
    its images are cached; sizes of images it holds are their uncompressed layer sizes."""

    def __init__(self, api: docker.APIClient) -> None:
        self.api = api

    def layers(self, image: Image) -> ImageLayers | None:
        """Diff ids from image inspect, per-layer sizes from the image history."""
        try:
            inspect = self._inspect(image.ref)
            history = self.api.history(image.ref)  # type: ignore[no-untyped-call]
        except (docker.errors.DockerException, requests.RequestException):
            return None
        diff_ids = [str(d) for d in inspect.get("RootFS", {}).get("Layers", [])]
        sizes = _history_sizes(history, len(diff_ids), int(inspect.get("Size", 0)))
        layers = tuple(Layer(d, s, d) for d, s in zip(diff_ids, sizes, strict=True))
        return ImageLayers(image.ref, layers, "engine")

    def _inspect(self, ref: str) -> dict[str, Any]:
        found = self.api.inspect_image(ref)  # type: ignore[no-untyped-call]
        return found if isinstance(found, dict) else {}

    def cached(self) -> frozenset[str]:
        """Diff ids of every layer of every image the engine holds."""
        present: set[str] = set()
        try:
            for summary in self.api.images()[:_MAX_IMAGES]:
                inspect = self._inspect(summary["Id"])
                present.update(str(d) for d in inspect.get("RootFS", {}).get("Layers", []))
        except (docker.errors.DockerException, requests.RequestException):
            return frozenset(present)
        return frozenset(present)


def _history_sizes(history: list[dict[str, Any]], count: int, total: int) -> list[int]:
    """Layer sizes oldest first: the history entries that made a layer (Size > 0), when their
    number matches the layers; else the image size spread evenly (an approximation)."""
    sized = [int(h.get("Size", 0)) for h in reversed(history) if int(h.get("Size", 0)) > 0]
    if len(sized) == count:
        return sized
    return [total // count] * count if count else []
