"""What a container's Kubernetes probes say about the program it runs.

An ``httpGet`` probe "performs an HTTP GET request against the Pod's IP address on a specified
port and path" and counts any status from 200 to 399 as success
(https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/): the
container answers HTTP. The servers below speak only their own wire protocol on their own
ports, and no HTTP at all: PostgreSQL its frontend/backend protocol on 5432
(https://www.postgresql.org/docs/current/protocol.html), MySQL and MariaDB the client/server
protocol on 3306 and the X Protocol on 33060
(https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html), MongoDB its wire
protocol on 27017 ("MongoDB 3.6 removes the deprecated HTTP interface and REST API",
https://www.mongodb.com/docs/manual/release-notes/3.6-compatibility/), Redis and its forks RESP
on 6379 and Sentinel's 26379
(https://redis.io/docs/latest/develop/reference/protocol-spec/), memcached its text and binary
protocols on 11211 (https://github.com/memcached/memcached/blob/1.6.38/doc/protocol.txt),
Kafka its binary protocol over TCP on 9092 (https://kafka.apache.org/protocol), Cassandra CQL's
native protocol on 9042 and gossip on 7000 (https://cassandra.apache.org/doc/latest/cassandra/managing/operating/security.html),
SQL Server TDS on 1433
(https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-tds/).

So a container whose image name carries one of these stores' words (``hello-app-redis``: an
application that uses Redis), that declares none of the store's ports and is probed over HTTP,
runs a web program of its own, not the store's server.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.analysis.audit.workloads import Container
from stateward.model.kubernetes import as_list, as_map

__all__ = ["declared_ports", "store_ports", "web_program"]

# Each store's ports (its server's own defaults, module docstring): a container declaring one
# of them may be the server behind an HTTP sidecar sharing the pod's network.
_NO_HTTP: dict[str, frozenset[int]] = {
    "postgres": frozenset({5432}),
    "mysql": frozenset({3306, 33060}),
    "mariadb": frozenset({3306, 33060}),
    "mongo": frozenset({27017, 27018, 27019}),
    "redis": frozenset({6379, 26379}),
    "valkey": frozenset({6379, 26379}),
    "keydb": frozenset({6379, 26379}),
    "memcached": frozenset({11211}),
    "kafka": frozenset({9092, 9093, 9094}),
    "cassandra": frozenset({9042, 7000, 7001}),
    "mssql": frozenset({1433}),
}
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


def web_program(family: str, container: Container) -> str:
    """The HTTP probe that says a container of store ``family``'s image runs a web program of
    its own ('' when it may run the store's server)."""
    ports = _NO_HTTP.get(family)
    if ports is None or ports & set(_declared_ports(container.body)):
        return ""
    for key in _PROBES:
        probe = as_map(container.body.get(key))
        get = as_map(probe.get("httpGet"))
        if get:
            return f"{key} httpGet {get.get('path', '/')} on port {get.get('port', '?')}"
    return ""


def store_ports(family: str) -> frozenset[int]:
    """The ports store ``family``'s server listens on by default (empty when not tabled)."""
    return _NO_HTTP.get(family, frozenset())


def declared_ports(body: Mapping[str, Any]) -> Iterator[int]:
    """The container ports a Kubernetes container or a Compose service declares (Compose: the
    container side of ``ports``, short or long form, and ``expose``)."""
    yield from _declared_ports(body)
    for entry in [*as_list(body.get("ports")), *as_list(body.get("expose"))]:
        text = str(as_map(entry).get("target", "")) if isinstance(entry, Mapping) else str(entry)
        number = text.rsplit(":", 1)[-1].split("/", 1)[0]
        if number.isdigit():
            yield int(number)


def _declared_ports(body: Mapping[str, Any]) -> Iterator[int]:
    for port in as_list(body.get("ports")):
        number = as_map(port).get("containerPort")
        if isinstance(number, int):
            yield number
