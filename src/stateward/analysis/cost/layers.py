"""Image layers: their sizes and which are already cached on a node (those are not pulled).

Sizes come, in order of preference, from an OCI registry's manifest (compressed blob sizes: what
crosses the network), from a container engine's image inspect and history (uncompressed sizes of
layers it holds), or are estimated (``Params.image_estimate_mib``) and marked as estimates. Layers
are matched by uncompressed ``diff_id`` when both sides know it (the engine only knows diff ids;
the registry gives them through the image config), else by blob digest.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import docker
import requests

from stateward.model.component import Image

__all__ = [
    "EngineCatalog",
    "ImageLayers",
    "Layer",
    "LayerCatalog",
    "RegistryCatalog",
    "lookup",
    "uncached",
]

_ACCEPT = ", ".join(
    (
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    )
)
_INDEXES = ("index", "manifest.list")
_MAX_DOCUMENT = 4 * 1024 * 1024
_TIMEOUT_S = 10
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
    path, e.g. a mirror: ``ghcr.io/example/app:1`` is looked up as ``example/app:1``."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def layers(self, image: Image) -> ImageLayers | None:
        """Layers from the image manifest, with diff ids from its config blob."""
        repository, reference = _split(image.ref)
        try:
            manifest = self._manifest(repository, image.digest or reference)
            config = self._json(f"{repository}/blobs/{manifest['config']['digest']}", "")
            diff_ids = list(config.get("rootfs", {}).get("diff_ids", []))
            blobs = manifest["layers"]
        except (urllib.error.URLError, OSError, KeyError, TypeError, ValueError):
            return None
        if len(diff_ids) != len(blobs):
            diff_ids = [None] * len(blobs)
        layers = tuple(
            Layer(str(b["digest"]), int(b["size"]), d) for b, d in zip(blobs, diff_ids, strict=True)
        )
        return ImageLayers(image.ref, layers, "registry")

    def cached(self) -> frozenset[str]:
        """A registry is not a node: nothing is cached by it."""
        return frozenset()

    def _manifest(self, repository: str, reference: str) -> dict[str, Any]:
        document = self._json(f"{repository}/manifests/{reference}", _ACCEPT)
        if any(word in str(document.get("mediaType", "")) for word in _INDEXES):
            chosen = _platform(document.get("manifests", []))
            document = self._json(f"{repository}/manifests/{chosen}", _ACCEPT)
        return document

    def _json(self, path: str, accept: str) -> dict[str, Any]:
        request = urllib.request.Request(f"{self.base_url}/v2/{path}")
        if accept:
            request.add_header("Accept", accept)
        with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:
            data = response.read(_MAX_DOCUMENT + 1)
        if len(data) > _MAX_DOCUMENT:
            raise ValueError("document too large")
        document = json.loads(data)
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
        return document


def _platform(manifests: list[dict[str, Any]]) -> str:
    for entry in manifests:
        platform = entry.get("platform", {})
        if platform.get("os") == "linux" and platform.get("architecture") == "amd64":
            return str(entry["digest"])
    return str(manifests[0]["digest"])


def _split(ref: str) -> tuple[str, str]:
    """``host/repo/name:tag@digest`` -> (``repo/name``, ``tag``); Docker Hub names keep
    ``library/``."""
    name = ref.split("@", 1)[0]
    tag = "latest"
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        name = rest
    return name, tag


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
