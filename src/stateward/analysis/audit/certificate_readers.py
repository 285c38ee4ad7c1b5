"""Compose services that read the certificates an ACME client of their project obtains.

An ACME client keeps what it obtains in its own directory: "All generated keys and issued
certificates can be found in ``/etc/letsencrypt/live/$domain`` ... Rather than copying, please
point your (web) server configuration directly to those files", and "During the renewal,
``/etc/letsencrypt/live`` is updated with the latest necessary files"
(https://github.com/certbot/certbot/blob/2e149b3f3f4871e67183797fb88051a7d5d4375e/certbot/docs/using.rst,
"Where are my certificates?"). A service of the same project that mounts the same host folder or
named volume reads them there (Headwind MDM's ``hmdm`` binds ``./volumes/letsencrypt`` at
``/etc/letsencrypt`` beside ``certbot``, which obtains the certificate for its domain): it
depends on the client that issues and renews them. The clients and their directories are those
:func:`~stateward.analysis.audit.knowledge.reissued` knows.
"""

from __future__ import annotations

from collections.abc import Iterator

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import acme_client, reissued
from stateward.analysis.audit.workloads import Workload

__all__ = ["certificate_issuers"]

_SHARED = frozenset({"bind", "volume"})


def certificate_issuers(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The ACME clients of a Compose service's project whose certificate folder it mounts."""
    if workload.platform != "compose":
        return
    mine = {(m.kind, m.source.rstrip("/")) for m in workload.mounts if m.kind in _SHARED}
    if not mine:
        return
    for other in estate.compose_project(workload.namespace):
        if other.id == workload.id:
            continue
        for container in other.containers:
            if not acme_client(container):
                continue
            for mount in other.mounts_of(container):
                shared = (mount.kind, mount.source.rstrip("/")) in mine
                if shared and reissued(container, mount.target):
                    yield other, f"mounts {mount.source}, where {other.name} keeps its certificates"
