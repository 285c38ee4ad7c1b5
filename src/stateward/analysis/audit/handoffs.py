"""Compose named volumes that several services of one project write: a hand-off between them.

A named volume is shared by every service that mounts it ("Volumes ... can be shared among
multiple containers", https://docs.docker.com/engine/storage/volumes/; a top-level ``volumes``
entry "can be reused across multiple services",
https://docs.docker.com/reference/compose-file/volumes/). Two programs that both write one
volume use it to pass files to each other (a readiness flag, a socket, generated
configuration), which no database server does with its data directory: PostgreSQL refuses to
start on a data directory another server holds (its ``postmaster.pid`` lock file, the
``lock file "postmaster.pid" already exists`` of
https://www.postgresql.org/docs/current/server-start.html). So a data image's fallback reading
of its other writable stores as its data (:func:`.rules.data.data_mounts`) skips such a volume:
Citus's worker mounts ``healthcheck-volume`` at ``/healthcheck`` beside the membership manager,
which writes there the flag the worker's ``wait-for-manager.sh`` waits for
(https://github.com/citusdata/docker/blob/6bf0d24473397684e0cdf9bd3d045b468fd60723/docker-compose.yml).

Only the estate sees the other services, so it stamps each workload with the volumes it shares
(:attr:`.workloads.Workload.handed_off`), which the per-container facts then read.
"""

from __future__ import annotations

from dataclasses import replace

from stateward.analysis.audit.workloads import Workload
from stateward.model.filepaths import at_or_under

__all__ = ["with_handoffs"]


def with_handoffs(workloads: list[Workload]) -> list[Workload]:
    """The workloads, each Compose service with the named volumes of its project that a
    service of another image also mounts writable, outside a program's state directory (the
    others as they were)."""
    writers: dict[tuple[str, str], list[Workload]] = {}
    for w in workloads:
        for name in _written(w) if w.platform == "compose" else ():
            writers.setdefault((w.namespace, name), []).append(w)
    return [
        replace(w, handed_off=shared)
        if w.platform == "compose"
        and (
            shared := frozenset(n for n in _written(w) if _handed(w, writers[(w.namespace, n)], n))
        )
        else w
        for w in workloads
    ]


def _handed(workload: Workload, writers: list[Workload], volume: str) -> bool:
    """Another writer runs another program and mounts the volume outside ``/var/lib``.

    Services of one image are processes of one application sharing its files (ERPNext's
    ``sites`` volume, written by its backend, workers and scheduler), which
    :mod:`.sharing` hands to one of them. A volume another writer mounts in a program's state
    directory ("state information ... specific to an application", FHS 3.0 §5.8,
    https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05s08.html) holds that program's data,
    not a hand-off: a one-shot upgrade of a database writing the new server's data volume at
    ``/var/lib/postgresql/14``."""
    images = _images(workload)
    return any(
        other is not workload
        and _images(other) != images
        and not any(
            at_or_under(m.target, "/var/lib")
            for m in other.mounts
            if (m.kind, m.source) == ("volume", volume)
        )
        for other in writers
    )


def _images(workload: Workload) -> frozenset[str]:
    return frozenset(c.image or f"(built) {workload.name}" for c in workload.containers)


def _written(workload: Workload) -> set[str]:
    return {m.source for m in workload.mounts if m.kind == "volume" and m.writable_store}
