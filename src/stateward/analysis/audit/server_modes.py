"""Programs whose one binary runs as a server keeping the cluster's records, or as an agent
keeping none, by a command-line switch.

A scheduler like Dkron runs the same binary on every node: with ``--server`` the node is a
voting member of the Raft cluster and keeps the job definitions and execution history in its
data directory (``--data-dir``, "the directory to use for server-specific data, including the
replicated log", default ``dkron.data`` relative to the working directory:
https://github.com/distribworks/dkron/blob/41020693058bf9720b00499d1954b01778c900be/dkron/config.go);
without it the node only runs the jobs it is given. The released image sets no ``WORKDIR``
(https://github.com/distribworks/dkron/blob/cdf7323f394ea1cde007d5300d7675842379b132/Dockerfile.release),
so the default is ``/dkron.data``. A data directory given on the command line is read as any
``--data-dir`` is (:func:`~stateward.analysis.audit.knowledge.configured_data_paths`).
"""

from __future__ import annotations

from stateward.analysis.audit.knowledge import APPLICATION, DataImage, repository
from stateward.analysis.audit.workloads import Container

__all__ = ["server_mode"]

# repository -> (the switch that makes the node a server, its default data directory)
_SERVER_MODES: dict[str, tuple[str, str]] = {
    "dkron/dkron": ("--server", "/dkron.data"),
    "distribworks/dkron": ("--server", "/dkron.data"),
}


def server_mode(container: Container) -> DataImage | None:
    """The program a container runs as a server keeping its records, with that data directory
    (None for an agent, or a program the table does not know)."""
    path = repository(container.image)
    known = _SERVER_MODES.get(path)
    if known is None:
        return None
    switch, default = known
    words = [w for word in container.command for w in word.split()]
    if not any(w in (switch, f"{switch}=true") for w in words):
        return None
    return DataImage(path.rsplit("/", 1)[-1], APPLICATION, (default,))
