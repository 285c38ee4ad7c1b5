"""Members a client finds in the ZooKeeper they register in, not by their own address.

A BookKeeper bookie registers itself in ZooKeeper ("Registration manager interface, which a
bookie server will use to do the registration process"), and a BookKeeper client looks the
bookies up there ("A registration client, which the bookkeeper client will use to interact
with registration service": ``getWritableBookies``, ``getAllBookies``,
https://github.com/apache/bookkeeper/blob/0c4aa4824b87e16a01e3e4b2b326b33fad0e204b/bookkeeper-server/src/main/java/org/apache/bookkeeper/discover/RegistrationClient.java,
https://github.com/apache/bookkeeper/blob/0c4aa4824b87e16a01e3e4b2b326b33fad0e204b/bookkeeper-server/src/main/java/org/apache/bookkeeper/discover/RegistrationManager.java).
Its clients (the auto-recovery workers, the DistributedLog tools binding a namespace) name the
ZooKeeper only, never a bookie. So a workload holding nothing that runs the image of a state
holder beside it (``apache/bookkeeper`` in a container or an init container) and names the
same ZooKeeper as that holder is the holder's client: it depends on it. A ZooKeeper is the
workload serving its client port, 2181 ("the port to listen for client connections",
https://zookeeper.apache.org/doc/r3.9.2/zookeeperStarted.html), whatever its image.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Workload

__all__ = ["registered_members"]

_CLIENT_PORT = 2181


def registered_members(
    workload: Workload, estate: Estate, reached: Callable[[Workload, Estate], set[str]]
) -> Iterator[tuple[Workload, str]]:
    """(holder, why) for each state holder of the namespace running an image ``workload``
    runs and naming a ZooKeeper it names too (``reached``: the ids of what a workload names)."""
    if workload.platform != "kubernetes" or workload.id in estate.holders:
        return
    images = _images(workload)
    zookeepers = estate.opening(workload.namespace, _CLIENT_PORT) if images else frozenset()
    # what a workload names (``reached``) is read only where its namespace runs a ZooKeeper:
    # most run none, and the namespace is walked only for a workload naming one
    mine = reached(workload, estate) & zookeepers if zookeepers else set()
    if not mine:
        return
    near = {w.id: w for w in estate.in_namespace(workload.namespace)}
    for other in near.values():
        if other.id == workload.id or other.id not in estate.holders:
            continue
        shared = sorted(images & _images(other))
        common = sorted(mine & reached(other, estate)) if shared else []
        if common:
            yield (
                other,
                (
                    f"runs {shared[0]} as {other.name} does and names the ZooKeeper "
                    f"{near[common[0]].name} its members register in"
                ),
            )


def _images(workload: Workload) -> set[str]:
    return {repository(c.image) for c in workload.all_containers() if c.image}
