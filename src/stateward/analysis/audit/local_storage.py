"""An application told by a storage-backend setting to keep the files it is given on local disk.

Self-hosted applications choose where uploads and attachments go with one setting naming the
backend, a driver, provider or type of their storage: Docmost's ``STORAGE_DRIVER``, "local"
(its default) or "s3": "Docmost supports both local storage and S3-compatible storage drivers"
(https://docmost.com/docs/self-hosting/configuration, "File Storage"). Set to a local value, the
program writes those files under a directory of its own choosing on the container's
filesystem; the setting names no directory, so the files stay "local storage" whose place is
not known, counted only where the container writes no volume at all (where it writes one, that
volume may well be the directory; :func:`~stateward.analysis.audit.appdata.relative`).
A setting for a cache, sessions, logs, traces or temporary files is not the application's files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

__all__ = ["LOCAL_STORAGE", "local_storage"]

_BACKEND_SETTING = re.compile(
    r"^(?:(?P<scope>\w+?)_)?(?:FILE_?|FILES_)?STORAGE(?:_(?:PROVIDER|DRIVER|TYPE|BACKEND|ADAPTER))?$"
)
_NOT_FILES = frozenset(
    {"CACHE", "SESSION", "SESSIONS", "LOG", "LOGS", "TMP", "TEMP", "SPAN", "TRACE"}
)
_LOCAL_VALUES = frozenset({"local", "filesystem", "fs", "disk", "localfs", "local-disk"})
LOCAL_STORAGE = "local storage"
"""The pointer's place: relative, as its directory is not known."""


def local_storage(env: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(:data:`LOCAL_STORAGE`, variable) for each storage-backend setting of ``env`` naming a
    local backend."""
    for name, value in env.items():
        found = _BACKEND_SETTING.match(name)
        if (
            found is None
            or name == "STORAGE"
            or found["scope"]
            and _NOT_FILES & set(found["scope"].split("_"))
        ):
            continue
        if value.strip().strip("\"'").lower() in _LOCAL_VALUES:
            yield LOCAL_STORAGE, name
