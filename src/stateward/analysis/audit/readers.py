"""A query-only reader whose disk holds what it pulled from writers of the same program.

Some databases split a cluster into writers, which take the writes and keep the records, and
readers, which answer queries from a copy of the writers' files. Arc's Enterprise clustering
picks a node's role with ``ARC_CLUSTER_ROLE`` (``writer`` or ``reader``); with local storage
"Followers and readers pull the bytes from a peer, verifying SHA-256", "Each node ends up with
its own full replica on local disk", and "Readers can only query data they've already pulled"
(https://github.com/Basekick-Labs/arc/blob/e3ee976deb795e85adcde86754834045bc54ab7d/deploy/docker-compose/enterprise-local/README.md).
A reader's volume is therefore a copy, fetched again from the writers after a replacement: a
warm-up, as long as a writer is there to fetch it from. Read so only when the reader's own
configuration names a peer that runs the same program in another role (its seeds); a reader
naming no writer of the estate is read as it was.

A Wazuh manager cluster's worker is such a copy: its node type (``WAZUH_NODE_TYPE`` in the
official images, ``<node_type>`` in the manager's configuration) is ``master`` or ``worker``,
"The master node is the source of every synchronized file. Each worker node compares its copy
with the master node every 9 seconds and receives the files that are missing or different"
(agent keys, enrollment credentials, group configuration,
https://documentation.wazuh.com/5.0-rc/user-manual/wazuh-server-cluster/data-synchronization.html),
and "the master node's data takes precedence over the worker nodes' data"
(https://documentation.wazuh.com/5.0-rc/user-manual/wazuh-server-cluster/types-of-nodes.html).
"""

from __future__ import annotations

import re

from stateward.analysis.audit.dependencies import hosts_in, resolve_host
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["pulled_replica"]

# A variable choosing a node's role in its cluster (``ARC_CLUSTER_ROLE``, ``NODE_ROLE``,
# ``WAZUH_NODE_TYPE``), and the roles that keep a copy pulled from a node of another role.
_ROLE = re.compile(r"(^|_)(ROLE|NODE_TYPE)$", re.IGNORECASE)
_COPIES = frozenset({"reader", "worker"})


def pulled_replica(workload: Workload, estate: Estate) -> str:
    """Why a reader's (or a worker's) volumes hold a copy of what writers of the same program
    keep ('' when the workload is neither, or names no such writer)."""
    for container in workload.containers:
        if _role(container) not in _COPIES:
            continue
        program = repository(container.image)
        for writer in _named_peers(container, workload, estate):
            if any(repository(c.image) == program and _role(c) not in _COPIES
                   for c in writer.containers):  # fmt: skip
                return f"a reader's copy of what {writer.name} writes, pulled again from it"
    return ""


def _role(container: Container) -> str:
    return next(
        (value.strip().lower() for name, value in container.env.items() if _ROLE.search(name)),
        "",
    )


def _named_peers(container: Container, workload: Workload, estate: Estate) -> list[Workload]:
    return [
        peer
        for name, value in container.env.items()
        for host in sorted(hosts_in(name, value))
        for peer in resolve_host(host, workload, estate)
        if peer is not workload
    ]
