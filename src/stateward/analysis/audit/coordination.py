"""A coordination service whose only client keeps its records elsewhere holds nothing of its own.

Apache Druid uses ZooKeeper "for management of current cluster state": Coordinator and Overlord
leader election, the segment announcements of the data nodes, segment load and drop between the
Coordinator and the Historicals, and task management between the Overlord and its workers
(https://druid.apache.org/docs/latest/design/zookeeper/). Every one of those is announced or
elected again by the running nodes; Druid's records are elsewhere, its segments in deep storage
("the permanent store of segments", https://druid.apache.org/docs/latest/design/deep-storage/)
and what they are in the metadata store
(https://druid.apache.org/docs/latest/design/metadata-storage/). A ZooKeeper that Druid names in
``druid.zk.service.host`` (https://druid.apache.org/docs/latest/configuration/#zookeeper), as a
runtime property (a Druid resource's ``common.runtime.properties``, a ConfigMap) or as the
variable ``druid_zk_service_host`` that the apache/druid image turns into that property
(https://druid.apache.org/docs/latest/tutorials/docker/#environment-file), is therefore no data
store: losing it costs an election and re-announcements.

This holds only while Druid is its one client: Kafka keeps topic configurations and ACLs in
ZooKeeper, ClickHouse its replication metadata, Solr its collection configurations, all of them
records. A ZooKeeper that any other workload of its namespace names is read as it was.

The same holds for a ZooKeeper whose only clients are HDFS and HBase, as the Stackable and
Kubedoop operators wire them: each client names the discovery ConfigMap of a
``ZookeeperZnode`` (``clusterConfig.zookeeperConfigMapName``) whose ``clusterRef`` is the
``ZookeeperCluster``. HDFS's failover controllers keep there the state of the NameNodes'
election ("If the ZooKeeper cluster crashes, no automatic failovers will be triggered. However,
HDFS will continue to run without any impact. When ZooKeeper is restarted, HDFS will reconnect
with no issues",
https://github.com/apache/hadoop/blob/380953e631d415218566a7318bab23f83648c135/hadoop-hdfs-project/hadoop-hdfs/src/site/markdown/HDFSHighAvailabilityWithQJM.md);
HBase its master's lease and where ``hbase:meta`` is ("The location of `hbase:meta` [...] is
now stored in ZooKeeper"; ``hbase:meta`` "is in fact a table just like any other", and "HBase
internally puts your data in indexed "StoreFiles" that exist on HDFS",
https://github.com/apache/hbase/blob/6a493ddff70d5247ef6a254115c94032cff584f9/src/main/asciidoc/_chapters/architecture.adoc):
what its running servers take and announce again. Stackable's ``DruidCluster`` names its znode
the same way, and what Druid does over ZooKeeper is the list above: "Coordinator leader
election", the Historicals' segment announcements ("an ephemeral znode [...] Which signifies
that they exist"), "Overlord leader election", "Overlord and MiddleManager task management"
(https://github.com/apache/druid/blob/76d0c4754461649925f3ad040ed169ecd2f25c85/docs/design/zookeeper.md),
all made again by the running processes. A Kafka or a NiFi naming a znode of the same ZooKeeper
keeps records there: it is read as it was. So is a ZooKeeper no client names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from stateward.analysis.audit.dependencies import hosts_in, resolve_host
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import image_words
from stateward.analysis.audit.workloads import Workload
from stateward.model.kubernetes import as_map

__all__ = ["coordination_only", "hadoop_coordination_only"]

_PROPERTY = re.compile(r"druid[._]zk[._]service[._]host\s*[=:]\s*([^\s\"']+)", re.IGNORECASE)
# Where Druid's runtime properties are written: its operator's resource and ConfigMaps.
_CONFIGURING_KINDS = ("Druid", "ConfigMap")


def coordination_only(workload: Workload, estate: Estate) -> str:
    """Why a ZooKeeper holds only what its Druid client announces again ('' when it may hold
    data)."""
    hosts = set(_druid_hosts(workload.namespace, estate))
    if not any(workload in resolve_host(h, workload, estate) for h in hosts):
        return ""
    if any(_names(other, workload, estate) for other in _others(workload, estate)):
        return ""
    return (
        "Druid's coordination only (leader election and announcements, made again by its "
        "nodes); its records are in deep storage and the metadata store"
    )


def _druid_hosts(namespace: str, estate: Estate) -> Iterator[str]:
    """The ZooKeeper hosts Druid is configured with in ``namespace``."""
    texts = [
        text
        for kind in _CONFIGURING_KINDS
        for resource in estate.by_kind.get(kind, [])
        if resource.key.namespace == namespace
        for text in _strings(resource.body)
    ]
    texts += [
        f"{name}={value}"
        for w in estate.in_namespace(namespace)
        for c in w.all_containers()
        for name, value in c.env.items()
    ]
    for text in texts:
        for match in _PROPERTY.finditer(text):
            for host in match.group(1).split(","):  # ``zk1:2181,zk2:2181/druid``
                yield host.split("/", 1)[0].rsplit(":", 1)[0].lower()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _others(zookeeper: Workload, estate: Estate) -> Iterator[Workload]:
    """The workloads of the ZooKeeper's namespace that are neither it nor Druid."""
    for other in estate.in_namespace(zookeeper.namespace):
        if other is zookeeper or other.kind == "Druid":
            continue
        primary = other.primary
        if primary is None or "druid" not in image_words(primary.image):
            yield other


def _names(client: Workload, zookeeper: Workload, estate: Estate) -> bool:
    """Whether ``client``'s environment names a host that reaches the ZooKeeper."""
    return any(
        zookeeper in resolve_host(host, client, estate)
        for c in client.all_containers()
        for name, value in c.env.items()
        for host in hosts_in(name, value)
    )


# The kinds of the Stackable and Kubedoop operators whose ZooKeeper state is made again.
_HADOOP_KINDS = frozenset({"HdfsCluster", "HbaseCluster", "DruidCluster"})
_ZNODE = "ZookeeperZnode"


def hadoop_coordination_only(zookeeper: Workload, estate: Estate) -> str:
    """Why a ``ZookeeperCluster`` holds only what its HDFS, HBase and Druid clients register
    again ('' when a client of another kind, or none, names one of its znodes)."""
    znodes = {
        r.key.name for r in estate.by_kind.get(_ZNODE, [])
        if r.key.namespace == zookeeper.namespace
        and as_map(as_map(r.body.get("spec")).get("clusterRef")).get("name") == zookeeper.name
    }  # fmt: skip
    clients = {
        other.kind for other in estate.in_namespace(zookeeper.namespace)
        if other.kind != _ZNODE and znodes & set(_config_map_names(other.body.get("spec"), 0))
    }  # fmt: skip
    if not clients or not clients <= _HADOOP_KINDS:
        return ""
    return (
        f"coordination only for {' and '.join(sorted(clients))} (an election lock, servers' "
        "registrations), written again by the clients; their records are kept elsewhere"
    )


def _config_map_names(node: Any, depth: int) -> Iterator[str]:
    """The values of ``zookeeperConfigMapName`` fields, to three levels."""
    if not isinstance(node, dict) or depth > 2:
        return
    for key, value in node.items():
        if key == "zookeeperConfigMapName" and isinstance(value, str):
            yield value
        else:
            yield from _config_map_names(value, depth + 1)
