"""What a server is, as its Kubernetes Service exposes it: a Service that serves a pod on both
of ActiveMQ's own ports says the pod runs ActiveMQ, whatever its image is called (an image built
for one application, ``…/k8s-fleetman-queue``).

Apache ActiveMQ Classic's broker listens for its OpenWire clients on 61616 and serves its web
console on 8161 (the ``openwire`` transport connector and the console's connector in its
shipped ``conf/activemq.xml``,
https://github.com/apache/activemq/blob/b0538fcc669a3e872e0037d66744b28fdcc6ebeb/assembly/src/release/conf/activemq.xml),
and keeps its messages in the broker's ``dataDirectory``, ``${activemq.base}/data``, which its
image places under ``/opt/apache-activemq``
(https://github.com/apache/activemq/blob/dbc3ece26325108ce279dbce9e25eaa20c3d0a10/assembly/src/docker/Dockerfile).
Either port alone is weak (a proxy may publish one); a Service publishing both fronts the
broker. A pod whose image already names a family keeps that family.
"""

from __future__ import annotations

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.reached import reached_as
from stateward.analysis.audit.rules.data import data_family
from stateward.model.kubernetes import as_list, as_map, dig

__all__ = ["learn_served"]

# A family's ports, all of which one Service must publish (``port`` or ``targetPort``).
_PORTS: dict[str, frozenset[int]] = {"activemq": frozenset({61616, 8161})}


def learn_served(estate: Estate) -> None:
    """Mark the primary container of each workload of no known family that a Service fronts on
    all of a family's ports with that family (``reached_as``, as its clients' evidence is)."""
    found: dict[str, tuple[str, str]] = {}
    for service in estate.of_kind("Service"):
        # read without being kept (Estate's own pass over the Services says why: held decoded,
        # the Services of a 50k-object estate added ~28 MiB to a scan's peak; measured again
        # here, 250 -> 280 MiB when this read kept them)
        body = service.read_body()
        published = _published(body)
        for family, ports in _PORTS.items():
            if not ports <= published:
                continue
            evidence = (
                f"Service {service.key.name} publishes ports {', '.join(map(str, sorted(ports)))}"
            )
            selector = as_map(dig(body, "spec", "selector"))
            for workload in estate.selected(service.key.namespace or "", selector):
                found.setdefault(workload.id, (family, evidence))
    for position, workload in enumerate(estate.workloads) if found else ():
        primary = workload.primary
        if workload.id not in found or primary is None or primary.reached_as is not None:
            continue
        if data_family(workload, primary) is None:
            estate.workloads[position] = reached_as(workload, *found[workload.id])


def _published(body: object) -> set[int]:
    found: set[int] = set()
    for entry in as_list(dig(as_map(body), "spec", "ports")):
        for key in ("port", "targetPort"):
            value = as_map(entry).get(key)
            if isinstance(value, int):
                found.add(value)
    return found
