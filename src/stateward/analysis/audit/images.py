"""What an image declares about itself, read from a container engine or a registry when asked.

An image built on a database keeps what its base declares in the image config
(https://github.com/opencontainers/image-spec/blob/v1.1.0/config.md, ``config`` object): the
``Volumes`` of its data directory (``/var/lib/mysql``), the ``Env`` its base sets (``PGDATA``,
``MYSQL_MAJOR``, ``MONGO_VERSION``), the ``ExposedPorts`` and the ``Entrypoint``. So
``…/catalogue-db`` built FROM mysql is MySQL whatever its name. The audit reads these from an
engine or a registry only when ``--engine`` or ``--registry`` is given (otherwise it makes no
request at all), and keeps each config by the image's content digest: one estate repeats a few
images many times.

Failing those, :class:`DeclaredConfigs` answers for widely run images from a catalogue shipped
with the audit (``image_declarations.json``), written by ``scripts/image_declarations.py`` from
the images' own Dockerfiles at pinned commits: their ``VOLUME``s, the ``ENV``s naming a data
directory and their ``WORKDIR``, in the config's own shape, so a rule concludes the same from a
shipped declaration as from a registry's. It describes each image's ``latest`` build (or the
newest its repository builds): an older tag may declare other paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

import requests

from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.shipped import shipped_table
from stateward.errors import SourceError
from stateward.sources.registry import Platform, Registry, docker_credentials, split_reference

__all__ = [
    "Configs",
    "DeclaredConfigs",
    "EngineConfigs",
    "ImageConfigs",
    "RegistryConfigs",
    "declarations",
    "declarations_index",
]

if TYPE_CHECKING:  # docker is an extra: the audit runs without it unless --engine is given
    import docker


class ImageConfigs(Protocol):
    """Where image configs come from."""

    def config(self, ref: str) -> Mapping[str, Any] | None:
        """The ``config`` object of image ``ref`` (Env, Volumes …), None when unknown here."""
        ...


class EngineConfigs:
    """A container engine's images (Docker API image inspect, ``Config``), by image id."""

    def __init__(self, api: docker.APIClient) -> None:
        self.api = api
        self._by_id: dict[str, Mapping[str, Any]] = {}

    def config(self, ref: str) -> Mapping[str, Any] | None:
        """The config of the image the engine holds under ``ref``."""
        from docker.errors import DockerException  # installed: there is an engine client

        try:
            found = self.api.inspect_image(ref)  # type: ignore[no-untyped-call]
        except (DockerException, requests.RequestException):
            return None
        if not isinstance(found, dict):
            return None
        ident = str(found.get("Id", ref))
        config = found.get("Config")
        return self._by_id.setdefault(ident, config if isinstance(config, dict) else {})


class RegistryConfigs:
    """A registry's images (manifest, then its config blob), by config digest."""

    def __init__(self, registry: Registry | str, platform: Platform | None = None) -> None:
        if isinstance(registry, str):
            registry = Registry(registry, docker_credentials(registry.split("://", 1)[-1]))
        self.registry = registry
        self.platform = platform or Platform.of_host()
        self._by_digest: dict[str, Mapping[str, Any]] = {}

    def config(self, ref: str) -> Mapping[str, Any] | None:
        """The config of ``ref`` as the registry holds it (by repository path)."""
        _, repository, reference = split_reference(ref)
        try:
            manifest = self.registry.manifest(repository, reference, self.platform)
            digest = str(manifest["config"]["digest"])
            if digest not in self._by_digest:
                blob = self.registry.json(f"{repository}/blobs/{digest}", repository)
                config = blob.get("config")
                self._by_digest[digest] = config if isinstance(config, dict) else {}
        except LookupError:
            return None
        except (KeyError, TypeError) as exc:
            raise SourceError(
                f"registry {self.registry.host}: {ref}: malformed manifest ({exc})"
            ) from None
        return self._by_digest[digest]


class Configs:
    """Several sources in order (the first that knows an image answers), each ref asked once."""

    def __init__(self, sources: list[ImageConfigs]) -> None:
        self.sources = sources
        self._by_ref: dict[str, Mapping[str, Any] | None] = {}

    def config(self, ref: str) -> Mapping[str, Any] | None:
        """The first source's config of ``ref``."""
        if ref not in self._by_ref:
            found = (s.config(ref) for s in self.sources)
            self._by_ref[ref] = next((c for c in found if c is not None), None)
        return self._by_ref[ref]


class DeclaredConfigs:
    """The shipped catalogue of what images declare in their Dockerfiles, by repository path
    (``postgres``, ``linuxserver/sonarr``: registry host, tag and digest dropped)."""

    def config(self, ref: str) -> Mapping[str, Any] | None:
        """What the image's Dockerfile declares, None when the catalogue does not hold it."""
        return declarations().get(repository(ref))


def declarations() -> dict[str, Mapping[str, Any]]:
    """The catalogue: image -> config, each with its ``source`` (repository@commit:path)."""
    images = _catalogue().get("images")
    return images if isinstance(images, dict) else {}


def declarations_index() -> str:
    """The official-images index (repository@commit) the official images' entries follow."""
    return str(_catalogue().get("index", ""))


def _catalogue() -> dict[str, Any]:
    return shipped_table("image_declarations.json")
