"""Atomix's stores: the primitives (maps, counters, locks) its sidecar keeps for applications.

- A ``SharedMemoryStore`` (``sharedmemory.atomix.io``) is one Deployment of
  ``atomix/shared-memory-node`` whose only volume is its configuration ConfigMap, its pods
  labelled ``sharedmemory.atomix.io/store`` with the store's name (``addDeployment``,
  ``newStoreLabels``:
  https://github.com/atomix/atomix/blob/6decbb2531c39254979ff1f10e65e00c6e1dca99/stores/shared-memory/pkg/controller/sharedmemory/v1beta2/store.go):
  what the applications put there is in that process's memory, lost when it is replaced.
- A ``RaftCluster`` (``raft.atomix.io``) is a StatefulSet whose data volume is a claim template
  only when ``spec.persistence.enabled`` ("Enabled bool", off by default), sized by
  ``persistence.size``, and an emptyDir otherwise; its pods are labelled
  ``raft.atomix.io/cluster`` with the cluster's name
  (https://github.com/atomix/atomix/blob/6decbb2531c39254979ff1f10e65e00c6e1dca99/stores/raft/pkg/controller/raft/v1beta3/cluster.go,
  ``meta.go`` ``newClusterLabels``). The Raft log and snapshots are the replicated state: the
  other replicas survive one pod's loss, not the set's replacement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_map, dig

__all__: list[str] = []

_BLOB = "https://github.com/atomix/atomix/blob/6decbb2531c39254979ff1f10e65e00c6e1dca99/stores/"
_SHARED_MEMORY = _BLOB + "shared-memory/pkg/controller/sharedmemory/v1beta2/store.go"
_RAFT = _BLOB + "raft/pkg/controller/raft/v1beta3/cluster.go"


def _shared_memory(body: Mapping[str, Any]) -> list[Storage]:
    return [Storage("/spec", None, "the node keeps the primitives in its process memory")]


def _raft_cluster(body: Mapping[str, Any]) -> list[Storage]:
    persistence = as_map(dig(body, "spec", "persistence"))
    if persistence.get("enabled") is not True:
        return [Storage("/spec/persistence", None, "persistence off (the default): an emptyDir")]
    claim: dict[str, Any] = {"accessModes": persistence.get("accessModes") or ["ReadWriteOnce"]}
    if persistence.get("size"):
        claim["resources"] = {"requests": {"storage": str(persistence["size"])}}
    if persistence.get("storageClass"):
        claim["storageClassName"] = str(persistence["storageClass"])
    return [Storage("/spec/persistence", claim, "persistence enabled: a claim template")]


for _family in (
    Family(OperatorKind("sharedmemory.atomix.io", "SharedMemoryStore", (),
                        "sharedmemory.atomix.io/store", fixed_labels=(("app", "atomix"),)),
           "database", _shared_memory, _SHARED_MEMORY),
    Family(OperatorKind("raft.atomix.io", "RaftCluster", ("spec", "replicas"),
                        "raft.atomix.io/cluster"),
           "database", _raft_cluster, _RAFT),
):  # fmt: skip
    register_family(_family)
