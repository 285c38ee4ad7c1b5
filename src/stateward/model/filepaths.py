"""File system paths inside the estates we observe: a container's mounts and data directories,
an image layer's entries, a host's directories.

They are POSIX paths of another machine, so they are compared as text by their components
(``pathlib.PurePosixPath.is_relative_to`` semantics, https://docs.python.org/3.11/library/
pathlib.html#pathlib.PurePath.is_relative_to) and never looked up on this one; that is why
this is not :mod:`stateward.fsutil`, which works on this machine's files. Sources and analyses
both read such paths, so the one helper sits in the model, below both.
"""

from __future__ import annotations

__all__ = ["at_or_under"]


def at_or_under(path: str, directory: str) -> bool:
    """True when ``path`` is ``directory`` or inside it: ``/data/x`` and ``/data`` are at or
    under ``/data``, ``/database`` is not; the root ``/`` holds every absolute path.

    Trailing slashes do not count (``/data/`` is ``/data``). Nothing else is normalized:
    ``.``, ``..`` and doubled slashes are compared as written, the way the manifest wrote them."""
    path = path.rstrip("/")
    directory = directory.rstrip("/")
    # the root is "" here, and every absolute path starts with "" + "/"
    return path == directory or path.startswith(directory + "/")
