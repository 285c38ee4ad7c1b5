"""An Elasticsearch or OpenSearch node whose roles say it holds neither shards nor cluster state.

A node's roles decide what it writes to its data path: "Every data and master-eligible node
requires access to a data directory where shards and index and cluster metadata will be
stored"; a node with neither role (a coordinating-only node, ``node.roles: [ ]``, or an ingest,
machine-learning or transform node) routes requests, runs pipelines or jobs and keeps nothing
there that outlives it (https://www.elastic.co/guide/en/elasticsearch/reference/8.18/modules-node.html,
"Node role settings" and "Node data path settings"; before 7.9 the same split was made with
``node.data`` and ``node.master``, both ``true`` by default:
https://www.elastic.co/guide/en/elasticsearch/reference/6.8/modules-node.html). OpenSearch keeps
Elasticsearch's roles, the master role renamed ``cluster_manager``
(https://opensearch.org/docs/2.18/tuning-your-cluster/index/#step-2-set-node-attributes-for-each-node-in-a-cluster).

Where a deployment says so:

- a setting passed as a variable named for it (``node.roles=ingest``), which the official
  images turn into ``-E`` options
  (https://www.elastic.co/guide/en/elasticsearch/reference/8.18/docker.html#docker-configuration-methods),
  or on the command line (``-Enode.roles=ingest``);
- ``NODE_MASTER`` and ``NODE_DATA``, which pires' image writes into ``node.master`` and
  ``node.data`` (https://github.com/pires/docker-elasticsearch/blob/01cdcdbb4c91876ab5fdd6c193cf4e13c74ca210/config/elasticsearch.yml);
- Bitnami's ``ELASTICSEARCH_NODE_ROLES`` (or ``OPENSEARCH_NODE_ROLES``), a comma-separated list
  of roles (https://github.com/bitnami/containers/blob/main/bitnami/elasticsearch/README.md,
  "Environment variables"); left empty it means a coordinating-only node only together with
  ``ELASTICSEARCH_IS_DEDICATED_NODE``, so only a list that is not empty is read (so for
  the official images, which skip an empty variable; ``node.roles=[]`` is a coordinating-only
  node).

A node whose roles are not said keeps every role, data and master among them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from stateward.analysis.audit.workloads import Container

__all__ = ["holds_no_shards", "holds_shards"]

# The roles that keep index shards on the data path: the data tiers, and OpenSearch's search
# (and warm) nodes, which keep searchable-snapshot and replica data
# (https://opensearch.org/docs/2.14/tuning-your-cluster/) ...
_SHARDS = re.compile(r"^(data(_\w+)?|search|warm)$")
# ... and the roles that keep the cluster's state there: master eligibility (and OpenSearch's
# name for it).
_STATE = re.compile(r"^(master|cluster_manager)$")
_ROLE_SETTINGS = ("node.roles", "ELASTICSEARCH_NODE_ROLES", "OPENSEARCH_NODE_ROLES")
_LEGACY = {"data": ("node.data", "NODE_DATA"), "master": ("node.master", "NODE_MASTER")}


def holds_no_shards(container: Container) -> str:
    """Why an Elasticsearch/OpenSearch node keeps nothing on its data path ('' when it may)."""
    settings = dict(_settings(container))
    listed = next((settings[k] for k in _ROLE_SETTINGS if settings.get(k, "").strip()), None)
    if listed is not None:
        roles = [r for r in re.split(r"[\s,;\[\]\"']+", listed) if r]
        if any(_SHARDS.match(r) or _STATE.match(r) for r in roles):
            return ""
        return (
            f"a node with roles {', '.join(roles) or 'none'}: neither data nor master-eligible, "
            "it holds no shards and no cluster state"
        )
    off = [
        name
        for names in _LEGACY.values()
        for name in names
        if settings.get(name, "").strip().lower() == "false"
    ]
    if all(any(n in off for n in names) for names in _LEGACY.values()):
        return f"{' and '.join(off)} false: neither data nor master-eligible, it holds no shards"
    return ""


def _settings(container: Container) -> Iterator[tuple[str, str]]:
    yield from container.env.items()
    words = container.command
    # ``-Enode.roles=ingest`` or ``-E node.roles=ingest``
    for before, word in zip(["", *words], words, strict=False):
        option = word[2:] if word.startswith("-E") else word if before == "-E" else ""
        name, equals, value = option.strip().partition("=")
        if equals and name:
            yield name, value


def holds_shards(roles: Any) -> bool:
    """True unless ``roles`` (an operator's node pool's list, passed to its nodes as
    ``node.roles``) names no role keeping index shards; None, or a value that is no list, is
    every role. A pool of cluster-manager nodes beside data pools keeps the cluster's state,
    which the data nodes keep on their own data paths too ("Every data and master-eligible node
    requires access to a data directory where shards and index and cluster metadata will be
    stored", the node-roles page above): its emptyDir loses no index while theirs are kept."""
    if not isinstance(roles, list):
        return True
    return any(_SHARDS.match(str(role)) for role in roles)
