"""Where a LinuxServer.io image keeps its application's state, as the image's own page says.

LinuxServer.io's images keep all of an application's state in ``/config``
(https://docs.linuxserver.io/general/running-our-containers/), and each image's documentation
page lists the volumes it asks for in its "Volume Mappings (``-v``)" table. That table, not the
publisher, decides: an image whose page asks for no ``/config`` writes no state there (PairDrop's
signalling server keeps rooms in memory and the paired browsers hold their own secrets; a base
image or a tool run once documents no volume at all). ``linuxserver_volumes.json`` holds each
page's table, read by ``scripts/linuxserver_volumes.py`` from ``linuxserver/docker-documentation``
at the commit it records. An image no page describes (retired, renamed) keeps the convention.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from stateward.analysis.audit.shipped import shipped_table
from stateward.model.filepaths import at_or_under

__all__ = ["CONVENTION", "SOURCE_URL", "documented", "source", "state_directories"]

CONVENTION = ("/config",)
"""The fleet's one state directory."""

SOURCE_URL = "https://docs.linuxserver.io/general/running-our-containers/"


def state_directories(repository: str) -> tuple[str, ...]:
    """The state directories of a LinuxServer.io image (its repository path without registry,
    ``linuxserver/<name>``): its documented volumes at or under ``/config``, the convention when
    no page describes the image, none when its page asks for no ``/config``."""
    listed = _documented().get(repository)
    if listed is None:
        return CONVENTION
    return tuple(path for path in listed if at_or_under(path, "/config"))


@cache
def _documented() -> dict[str, tuple[str, ...]]:
    return documented()  # asked for every LinuxServer.io container of an estate


def documented() -> dict[str, tuple[str, ...]]:
    """Every described image -> the volumes its page lists."""
    images = _catalogue().get("images", {})
    return {str(image): tuple(str(p) for p in paths) for image, paths in images.items()}


def source() -> str:
    """Where the tables were read (repository@commit:path)."""
    return str(_catalogue().get("source", ""))


def _catalogue() -> dict[str, Any]:
    return shipped_table("linuxserver_volumes.json")
