"""Files a container's shell command appends to: a record it keeps adding to.

A command that appends to a file (``echo $(date) >> /mnt/nfs/outfile`` in a loop, ``… | tee -a
/data/log``) accumulates lines no start writes again, unlike one that overwrites a file (``>``,
most often a configuration rendered at start). POSIX defines ``>>`` as opening the file "with
the O_APPEND flag" and creating it if absent
(https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_07_03), and
``tee -a`` as appending "rather than overwriting"
(https://pubs.opengroup.org/onlinepubs/9799919799/utilities/tee.html). Only files under a
volume the pod mounts writable count (:func:`appended_mounts`): a volume placed where the
command appends is there to hold what it appends; scratch and log directories (``/tmp``,
``/var/log``, ``/dev``) say nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.workloads import Container, Mount, Workload
from stateward.model.filepaths import LOG_TREES, SCRATCH_TREES, under_any

__all__ = ["appended_mounts"]

_TARGET = r"(?P<path>/[^\s;&|)'\"<>]+)"
_APPENDS = (re.compile(r">>\s*" + _TARGET), re.compile(r"\btee\s+(?:-a|--append)\s+" + _TARGET))
# Appending under these keeps no record: scratch and logs, and the device and process trees
# (``>> /dev/stderr``, ``>> /proc/1/fd/1``: a stream, not a file; ``/dev/shm``: memory).
_NO_RECORD = (*SCRATCH_TREES, *LOG_TREES, "/dev", "/proc")


def _appended(container: Container) -> Iterator[str]:
    for word in container.command:
        for pattern in _APPENDS:
            for found in pattern.finditer(word):
                path = found["path"]
                if not under_any(path, _NO_RECORD):
                    yield path


def appended_mounts(workload: Workload, container: Container) -> Iterator[tuple[Mount, str]]:
    """(mount, file) for each file the container's command appends to under a writable
    volume of its own."""
    mounts = [m for m in workload.mounts_of(container) if m.writable_store]
    for path in _appended(container):
        for mount in mounts:
            if mount.covers(path) and not mount.sub_path:
                yield mount, path
