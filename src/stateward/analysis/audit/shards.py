"""Which nodes of a search cluster hold its shards, from their roles.

Elasticsearch and OpenSearch give each node a list of roles (``node.roles``); only nodes with a
data role keep index shards on their data path. A node with none (a dedicated cluster manager, an
ingest or coordinating node) keeps no index, so its data path on an emptyDir loses no records
when it is replaced. No roles given means every role, data included.

- Elasticsearch: the data roles are ``data`` and ``data_content``/``data_hot``/``data_warm``/
  ``data_cold``/``data_frozen``, https://www.elastic.co/guide/en/elasticsearch/reference/8.15/modules-node.html
- OpenSearch: ``data`` holds shards; ``search`` nodes hold searchable snapshots and search
  replicas, https://opensearch.org/docs/2.14/tuning-your-cluster/ (kept as data, to be safe).
"""

from __future__ import annotations

from typing import Any

__all__ = ["holds_shards"]


def holds_shards(roles: Any) -> bool:
    """True unless ``roles`` is a list of roles none of which holds shards (None, or a value
    that is no list, is every role)."""
    if not isinstance(roles, list):
        return True
    return any(str(role).startswith("data") or str(role) == "search" for role in roles)
