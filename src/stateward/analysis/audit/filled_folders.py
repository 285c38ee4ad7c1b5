"""What a Compose service reads from a host folder that a fetcher of its project fills.

A bind mount makes a host directory, with everything below it, visible in the container
(https://docs.docker.com/engine/storage/bind-mounts/): a service that binds ``./data`` sees
what another service writes through its own bind of ``./data/geoip``. When that other service
runs an image whose documented directory holds only what it fetches from outside
(:data:`.app_catalog.REBUILT`: GeoIP databases downloaded from MaxMind, models pulled from a
registry, certificates a CA issues) and binds the subfolder there, the files it fetches are put
in the first service's tree for it to read: that service depends on the fetcher (rTorrent's
GeoIP2 plugin reads ``/data/geoip``, filled by crazy-max's geoip-updater through
``./data/geoip``:
https://github.com/crazy-max/docker-rtorrent-rutorrent/blob/8bf7225dcaea6536829dc1ab89e83b0c6c4de4f7/examples/compose/compose.yml).

Only a fetcher's folder counts: another service's data directory below a bound folder (a log
tailer's ``./data/rtorrent/log``, a database's ``./data/db``) says nothing of who reads whom.
The project's own tree (``./``) is the program's sources, not a folder it reads data from.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import app_image
from stateward.analysis.audit.workloads import Mount, Workload
from stateward.model.filepaths import at_or_under

__all__ = ["fetchers_filling"]


def fetchers_filling(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The services of the project that fetch into a folder below one this service binds, with
    the evidence."""
    if workload.platform != "compose":
        return
    folders = [(_folder(m), m) for m in workload.mounts if m.kind == "bind" and m.source]
    folders = [(f, m) for f, m in folders if f not in (".", "/")]
    if not folders:
        return
    for other in estate.compose_project(workload.namespace):
        if other is workload:
            continue
        for mount in other.mounts:
            what = _fetched(other, mount)
            inner = _folder(mount)
            for folder, mine in folders:
                if what and inner.startswith(folder.rstrip("/") + "/"):
                    yield other, f"binds {mine.source}, holding {mount.source}: {what}"


def _folder(mount: Mount) -> str:
    return posixpath.normpath(mount.source)


def _fetched(workload: Workload, mount: Mount) -> str:
    """What the service fetches into the host folder of ``mount`` ('' when it is no fetcher's
    documented directory)."""
    primary = workload.primary
    if mount.kind != "bind" or mount.read_only or not mount.source or primary is None:
        return ""
    image = app_image(primary.image)
    if image is None or not image.rebuilt:
        return ""
    at = any(at_or_under(mount.target, d) for d in image.data_dirs)
    return f"{image.rebuilt}, written by {workload.name}" if at else ""
