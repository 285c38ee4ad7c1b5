"""A job directory a service shares with the containers it starts through the engine's socket.

A program that runs its work in containers of its own through the host's engine (Docker out of
Docker) hands them files by a bind whose source the *host's* engine resolves: the directory must
have the same path on the host and in the program's container, so the project binds it at its
own path. Cortex runs its analyzers and responders so: "as Cortex shares files with analyzers, a
folder must be bound between them", a folder "used to store temporary file of jobs", and "on
most cases, job directories are the same" on both sides; its own compose file binds
``${job_directory}:${job_directory}`` beside ``/var/run/docker.sock``
(https://github.com/TheHive-Project/docs/blob/36ebedb01f650892c1d7f286f574df1a71dc87c9/docs/cortex/installation-and-configuration/run-cortex-with-docker.md).
What the jobs produce is handed back to the program, which keeps it in its database (Cortex's
reports in Elasticsearch): the directory holds the input and output of runs in progress.

A same-path bind is no job directory by itself (a Jenkins run so binds its whole home): only one
whose last name says it holds jobs, builds or a scratch area is read so.
"""

from __future__ import annotations

from stateward.analysis.audit.rules.host import holds_socket
from stateward.analysis.audit.workloads import Mount, Workload

__all__ = ["job_exchange"]

_JOB_WORDS = frozenset({"job", "jobs", "build", "builds", "tmp", "scratch"})


def job_exchange(workload: Workload, mount: Mount) -> str:
    """Why a writable bind is the exchange directory of jobs the service runs in containers it
    starts ('' when it is not)."""
    if mount.kind != "bind" or mount.read_only or mount.source != mount.target:
        return ""
    if not mount.target.startswith("/") or not holds_socket(workload):
        return ""
    words = [w for w in mount.target.lower().split("/") if w]
    if not words or not _JOB_WORDS.intersection(words[-1].replace("-", "_").split("_")):
        return ""
    return (
        "job directory bound at its own host path beside the engine's socket: the input and "
        "output of the jobs it runs in containers it starts, handed back when they end"
    )
