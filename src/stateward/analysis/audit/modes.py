"""Programs that keep their records at a default directory in one mode of running, chosen by a
command-line switch or a variable, and none of them in the other.

A scheduler like Dkron runs the same binary on every node: with ``--server`` the node is a
voting member of the Raft cluster and keeps the job definitions and execution history in its
data directory (``--data-dir``, "the directory to use for server-specific data, including the
replicated log", default ``dkron.data`` relative to the working directory:
https://github.com/distribworks/dkron/blob/41020693058bf9720b00499d1954b01778c900be/dkron/config.go);
without it the node only runs the jobs it is given. The released image sets no ``WORKDIR``
(https://github.com/distribworks/dkron/blob/cdf7323f394ea1cde007d5300d7675842379b132/Dockerfile.release),
so the default is ``/dkron.data``.

Tinode keeps its messages in the database it is given, and the files users send (attachments,
avatars) with the media handler ``MEDIA_HANDLER`` names: ``fs`` by default in its image, which
writes them to ``upload_dir`` ``uploads`` in its working directory ``/opt/tinode``; ``s3`` sends
them to a bucket (https://github.com/tinode/chat/blob/8c2301cea206e87701852c8ad7839c2503a3ef40/docker/tinode/Dockerfile,
https://github.com/tinode/chat/blob/bab6c5e3d3f856d586514c4fc24da868344da9e8/docker/tinode/config.template).

A data directory given on the command line is read as any ``--data-dir`` is
(:func:`~stateward.analysis.audit.knowledge.configured_data_paths`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from stateward.analysis.audit.knowledge import APPLICATION, DataImage, repository
from stateward.analysis.audit.workloads import Container

__all__ = ["keeping_mode"]


@dataclass(frozen=True, slots=True)
class _Mode:
    setting: str
    """A switch (``--server``) or a variable (``MEDIA_HANDLER``)."""
    keeping: frozenset[str]
    """Its values under which the program keeps records there: a switch given is ``true``;
    ``""`` is the setting left unset (the image's default)."""
    directory: str


_DKRON = _Mode("--server", frozenset({"true"}), "/dkron.data")
_TINODE = _Mode("MEDIA_HANDLER", frozenset({"", "fs"}), "/opt/tinode/uploads")
_MODES: dict[str, _Mode] = {
    "dkron/dkron": _DKRON,
    "distribworks/dkron": _DKRON,
    "tinode/tinode": _TINODE,
}


def keeping_mode(container: Container) -> DataImage | None:
    """The program a container runs in the mode that keeps its records, with that directory
    (None in the other mode, or for a program the table does not know)."""
    known = _mode_of(container.image)
    if known is None or _value(container, known[1].setting) not in known[1].keeping:
        return None
    return DataImage(known[0], APPLICATION, (known[1].directory,))


@functools.lru_cache(maxsize=4096)  # estates repeat a few images many times
def _mode_of(image: str) -> tuple[str, _Mode] | None:
    path = repository(image)
    mode = _MODES.get(path)
    return (path.rsplit("/", 1)[-1], mode) if mode is not None else None


def _value(container: Container, setting: str) -> str:
    if not setting.startswith("--"):
        return container.env.get(setting, "").strip().lower()
    words = [w for word in container.command for w in word.split()]
    return "true" if any(w in (setting, f"{setting}=true") for w in words) else ""
