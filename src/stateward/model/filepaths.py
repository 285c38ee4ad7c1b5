"""File system paths inside the estates we observe: a container's mounts and data directories,
an image layer's entries, a host's directories.

They are POSIX paths of another machine, so they are compared as text by their components
(``pathlib.PurePosixPath.is_relative_to`` semantics, https://docs.python.org/3.11/library/
pathlib.html#pathlib.PurePath.is_relative_to) and never looked up on this one; that is why
this is not :mod:`stateward.fsutil`, which works on this machine's files. Sources and analyses
both read such paths, so the one helper sits in the model, below both.
"""

from __future__ import annotations

__all__ = ["LOG_TREES", "SCRATCH_TREES", "at_or_under", "under_any"]

SCRATCH_TREES = ("/tmp", "/run", "/var/run")
"""The trees whose content is temporary by convention, so that a file there is no one's record:

- ``/tmp``: "Programs must not assume that any files or directories in /tmp are preserved
  between invocations of the program" (FHS 3.0 §3.18,
  https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch03s18.html); "usually flushed at
  boot-up" (systemd's file-hierarchy(7)).
- ``/run``: run-time variable data whose files "must be cleared (removed or truncated as
  appropriate) at the beginning of the boot process" (FHS 3.0 §3.15,
  https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch03s15.html); a tmpfs "flushed on boot"
  (file-hierarchy(7)).
- ``/var/run``: the older name of ``/run``, under the same requirements (FHS 3.0 §5.13,
  https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05s13.html); a "compatibility symlink"
  to ``/run`` (file-hierarchy(7)).

``/var/tmp`` and ``/var/cache`` are not here although they hold temporary and cached files:
both outlive a restart ("larger and persistent temporary files", "Persistent system cache
data", file-hierarchy(7); FHS 3.0 §5.15 and §5.5), and no check that reads this set has
counted them. file-hierarchy(7) is cited at
https://github.com/systemd/systemd/blob/2dfe5a30a6c93d60d2c6871ab472c47ce5cca2a0/man/file-hierarchy.xml.
"""

LOG_TREES = ("/var/log",)
"""The tree of logs: "Persistent system logs" (file-hierarchy(7)), "miscellaneous log files"
(FHS 3.0 §5.10, https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05s10.html). Kept apart
from :data:`SCRATCH_TREES`: logs outlive a restart; a check that passes over them does so
because a log is no application's data, not because it is temporary."""


def at_or_under(path: str, directory: str) -> bool:
    """True when ``path`` is ``directory`` or inside it: ``/data/x`` and ``/data`` are at or
    under ``/data``, ``/database`` is not; the root ``/`` holds every absolute path.

    Trailing slashes do not count (``/data/`` is ``/data``). Nothing else is normalized:
    ``.``, ``..`` and doubled slashes are compared as written, the way the manifest wrote them."""
    path = path.rstrip("/")
    directory = directory.rstrip("/")
    # the root is "" here, and every absolute path starts with "" + "/"
    return path == directory or path.startswith(directory + "/")


def under_any(path: str, trees: tuple[str, ...]) -> bool:
    """True when ``path`` is at or under one of ``trees`` (:func:`at_or_under`)."""
    return any(at_or_under(path, tree) for tree in trees)
