"""Where a Bacula storage daemon configured by file writes its backup volumes.

The storage daemon (``bacula-sd``) reads ``bacula-sd.conf`` in its configuration directory, and
writes the volumes of every backup to the device each ``Device`` resource names: "Archive Device
= name-string … the system file name of the storage device managed by this storage daemon …
usually the device file name of a removable storage device (tape drive) … It may also be a
directory name if you are archiving to disk storage. In this case, you must supply the full
absolute path to the directory"
(https://www.bacula.org/5.1.x-manuals/en/main/main/Storage_Daemon_Configuratio.html, "Device
Resource"). A directory there holds the backups themselves, which exist nowhere else. A tape or
other device file (under ``/dev``) is not in the container, and a cloud device (``Device Type =
Cloud``) keeps the volumes' parts in its bucket, the directory being its local cache of them.

Only the daemon's own file is read, and only by the storage daemon (its image named for it, or
its command): the director and file daemon of the same project often bind the same
configuration directory, with the storage daemon's file and cloud samples beside their own.

The configuration files read are those a container mounts from a ConfigMap or binds from the
Compose project (:func:`~stateward.analysis.audit.dependencies.config_files`).
"""

from __future__ import annotations

import re

from stateward.analysis.audit.dependencies import config_files
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import image_words
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["archive_devices"]

_FILE = "bacula-sd.conf"
_DAEMON = "bacula-sd"
# A ``Device { … }`` resource (resources do not nest in Bacula's files), and its directives.
_DEVICE = re.compile(r"^[ \t]*Device[ \t]*\{(?P<body>[^}]*)\}", re.IGNORECASE | re.MULTILINE)
_ARCHIVE = re.compile(r"^[ \t]*Archive[ \t]*Device[ \t]*=[ \t]*\"?(/[^\"\s#;]*)", re.I | re.M)
_CLOUD = re.compile(r"^[ \t]*Device[ \t]*Type[ \t]*=[ \t]*\"?cloud\b", re.I | re.M)
_COMMENT = re.compile(r"#.*$", re.MULTILINE)


def archive_devices(workload: Workload, container: Container, estate: Estate) -> dict[str, str]:
    """The directories a Bacula storage daemon writes its backup volumes to -> the file saying
    so (this module's documentation)."""
    if not _storage_daemon(container):
        return {}
    found: dict[str, str] = {}
    for _, text, where in config_files(workload, container, estate):
        if where.rsplit("/", 1)[-1].rsplit(" ", 1)[-1] != _FILE:
            continue
        for device in _DEVICE.finditer(_COMMENT.sub("", text)):
            body = device.group("body")
            for path in [] if _CLOUD.search(body) else _ARCHIVE.findall(body):
                if not path.startswith("/dev/"):
                    found.setdefault(
                        path.rstrip("/") or "/", f"Archive Device of {where.split(': ', 1)[-1]}"
                    )
    return found


def _storage_daemon(container: Container) -> bool:
    """The container runs Bacula's storage daemon: its command, or its image named for it
    (``bacula-sd``, ``bacula-storage``)."""
    if any(word.rsplit("/", 1)[-1] == _DAEMON for word in container.command[:2]):
        return True
    words = set(image_words(container.image))
    return "bacula" in words and bool(words & {"sd", "storage"})
