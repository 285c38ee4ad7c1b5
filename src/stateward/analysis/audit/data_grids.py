"""In-memory data grids whose operator runs the members that hold the caches.

- Oracle Coherence (``coherence.oracle.com`` ``Coherence``): each resource is a StatefulSet of
  cluster members, storage enabled unless ``spec.coherence.storageEnabled`` is false ("If not
  specified the default value is true",
  https://github.com/oracle/coherence-operator/blob/8b32a5a1961fbdc9b801db3f5a47a99b9b14d6bb/api/v1/coherence_types.go).
  A storage-enabled member keeps its partitions of the distributed caches in its heap; only
  ``spec.coherence.persistence`` puts them on disc ("Cached data can be persisted so that it
  can be quickly recovered after a catastrophic failure or after a cluster restart",
  ``docs/coherence/080_persistence.adoc`` there), on the claim of its ``persistentVolumeClaim``
  or on the volume its ``volume`` names. With neither, the caches go with the members'
  pods. Pods are labelled ``coherenceDeployment`` with the resource's name
  (``api/v1/constants.go``); each port's Service is its ``service.name`` or
  ``<resource>-<port>`` (``NamedPortSpec.GetServiceName`` in ``coherence_types.go``).
  A storage-disabled member (a proxy, an application tier) holds none: it reads the storage
  members of its ``cluster`` (:mod:`.dependencies`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_list, as_map, dig

__all__: list[str] = []

_COHERENCE = "https://github.com/oracle/coherence-operator/blob/8b32a5a1961fbdc9b801db3f5a47a99b9b14d6bb/api/v1/coherence_types.go"


def _coherence(body: Mapping[str, Any]) -> list[Storage]:
    coherence = as_map(dig(body, "spec", "coherence"))
    if coherence.get("storageEnabled") is False:
        return []  # a proxy or application member: the caches are on the storage members
    persistence = as_map(coherence.get("persistence"))
    path = "/spec/coherence/persistence"
    if isinstance(persistence.get("persistentVolumeClaim"), Mapping):
        text = "the caches persisted on the claim at /persistence"
        return [Storage(path, persistence["persistentVolumeClaim"], text)]
    if persistence.get("volume"):
        return [Storage(path, {}, "the caches persisted on the volume at /persistence")]
    text = "storage enabled with no persistence: the caches' partitions in the members' heap"
    return [Storage(path, None, text, memory=True)]


def _services(name: str, body: Mapping[str, Any]) -> list[str]:
    ports = [as_map(p) for p in as_list(dig(body, "spec", "ports"))]
    return [str(dig(p, "service", "name") or f"{name}-{p.get('name')}") for p in ports]


register_family(
    Family(OperatorKind("coherence.oracle.com", "Coherence", ("spec", "replicas"),
                        "coherenceDeployment"),
           "data grid", _coherence, _COHERENCE, services=_services)
)  # fmt: skip
