"""Custom resources of no known family that declare themselves data systems by their shape.

A resource whose spec asks for no storage may still run a store: the operator decides where its
data goes (a claim of its own size, an emptyDir), and the spec only says that there is data.
Three shapes say so, whatever the operator:

- per-role groups of members, one of them a storage role, each carrying ``replicas``
  (``datanode: {replicas: 3}``, ``beSpec``, ``starRocksBeSpec``, ``storage``, ``tikv``): the
  members of a distributed database, whose storage nodes hold its records;
- a pool of copies on a storage cluster's disks (``replicated: {size: 3}``,
  ``erasureCoded: {dataChunks: 2}``, ``dataPools``): a block pool, file system or object store;
- a kind named for a database run as a whole (``…DB``, ``…DBCluster``, ``…DBStandalone``)
  that names no cluster it lives in (a ``ShopDatabase`` with a ``clusterRef`` is a logical
  database inside that cluster, whose records the cluster holds).

Where the operator keeps such data is not known: it is read as the operator's default storage,
a claim of unknown size, since replacing the resource loses what its members hold either way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.custom import custom_references
from stateward.analysis.audit.workloads import Storage
from stateward.model.kubernetes import as_list, as_map

__all__ = ["declared_data_system", "storage_members"]

# Roles of the members that keep a distributed database's records (GreptimeDB's ``datanode``,
# StarRocks' and Doris' backends ``be``, TiDB's ``tikv``, a ``storage`` or ``data`` tier, Kafka
# ``brokers``) or its catalogue (the frontends ``fe`` of StarRocks and Doris keep the metadata
# journal, TiDB's ``pd`` the cluster's placement); a query or compute role holds none.
_STORAGE_ROLES = frozenset({
    "datanode", "datanodes", "data", "be", "backend", "backends", "storage", "store", "stores",
    "tikv", "broker", "brokers", "ingester", "ingesters", "historical", "historicals", "fe", "pd",
})  # fmt: skip
# Words that qualify a role group's key without naming the role (``beSpec``, ``tikvGroup``).
_GROUP_WORDS = frozenset({"spec", "group", "groups", "set", "sets", "template", "config"})
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")
# A kind named for a database run as a whole; ``…DBUser`` or ``…DBBackup`` act on one.
_DATABASE_KIND = re.compile(r"[a-z](DB|Db|Database)(Cluster|Standalone|Instance|Server)?$")
_POOL_FIELDS = ("dataPool", "dataPools", "metadataPool")


def declared_data_system(kind: str, body: Mapping[str, Any]) -> list[Storage]:
    """The operator-default storage of a custom resource whose spec or kind declares a data
    system (none when it declares none)."""
    spec = as_map(body.get("spec"))
    role = next((key for key, value in spec.items() if _storage_group(str(key), value)), None)
    if role is not None:
        return [Storage(f"/spec/{role}", {}, f"storage members {role} (the operator's default storage)")]
    pool = _pool(spec)
    if pool:
        return [Storage("/spec", {}, f"{pool} on the storage cluster's disks")]
    if _DATABASE_KIND.search(kind) and not custom_references(body):
        return [Storage("/spec", {}, f"a {kind} (the operator's default storage)")]
    return []


def storage_members(body: Mapping[str, Any]) -> int | None:
    """How many members keep the data: the storage role group's ``replicas``, or the copies
    of a pool (``replicated.size``); None when the spec declares neither."""
    spec = as_map(body.get("spec"))
    for key, value in spec.items():
        if _storage_group(str(key), value):
            return int(value["replicas"])
    size = as_map(spec.get("replicated")).get("size")
    return size if isinstance(size, int) else None


def _storage_group(key: str, value: Any) -> bool:
    """A per-role group of members (a mapping with ``replicas``) whose role keeps records."""
    if not isinstance(value, Mapping) or not isinstance(value.get("replicas"), int):
        return False
    words = [w.lower() for w in _CAMEL.findall(key)]
    while len(words) > 1 and words[-1] in _GROUP_WORDS:
        words.pop()
    return bool(words) and (words[-1] in _STORAGE_ROLES or "".join(words) in _STORAGE_ROLES)


def _pool(spec: Mapping[str, Any]) -> str:
    """``replicated size N`` or ``erasure-coded`` when the spec declares pools of copies."""
    pools = [spec, *(as_map(spec.get(f)) for f in _POOL_FIELDS)]
    pools += [as_map(p) for p in as_list(spec.get("dataPools"))]
    for pool in pools:
        size = as_map(pool.get("replicated")).get("size")
        if isinstance(size, int):
            return f"a pool of {size} replica(s)"
        if as_map(pool.get("erasureCoded")).get("dataChunks"):
            return "an erasure-coded pool"
    return ""
