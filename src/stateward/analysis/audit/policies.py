"""Who a NetworkPolicy lets connect to whom: a declared dependency.

A NetworkPolicy selects pods (``spec.podSelector``) and lists the peers allowed to reach them
(``ingress[].from[]``) or that they may reach (``egress[].to[]``)
(https://kubernetes.io/docs/concepts/services-networking/network-policies/). A peer given by
``podSelector`` alone is a set of pods of the policy's own namespace; a policy that admits
another workload's pods to a store's port says that workload connects to it. Peers given by a
``namespaceSelector`` or an ``ipBlock``, and empty selectors (every pod), name no one workload
and are skipped; ``matchExpressions`` are not read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from stateward.analysis.audit.workloads import Workload
from stateward.model.kubernetes import as_list, as_map, dig

if TYPE_CHECKING:
    from stateward.analysis.audit.estate import Estate

__all__ = ["admissions"]


def admissions(estate: Estate) -> dict[str, list[tuple[Workload, str]]]:
    """Source workload id -> (the workload it may connect to, the policy's name)."""
    found: dict[str, list[tuple[Workload, str]]] = {}
    for policy in estate.of_kind("NetworkPolicy"):
        namespace, spec = policy.key.namespace, as_map(dig(policy.body, "spec"))
        selected = estate.selected(namespace, _labels(spec.get("podSelector")))
        where = f"NetworkPolicy {policy.key.name}"
        for peer in _peers(spec, "ingress", "from"):
            for source in estate.selected(namespace, peer):
                found.setdefault(source.id, []).extend((t, where) for t in selected)
        for peer in _peers(spec, "egress", "to"):
            targets = estate.selected(namespace, peer)
            for source in selected:
                found.setdefault(source.id, []).extend((t, where) for t in targets)
    return found


def _peers(spec: Mapping[str, Any], direction: str, side: str) -> Iterator[Mapping[str, Any]]:
    """The ``podSelector`` labels of a direction's peers that name pods of the namespace."""
    for rule in as_list(spec.get(direction)):
        for peer in as_list(as_map(rule).get(side)):
            peer = as_map(peer)
            if "namespaceSelector" not in peer and "ipBlock" not in peer:
                yield _labels(peer.get("podSelector"))


def _labels(selector: Any) -> Mapping[str, Any]:
    return as_map(as_map(selector).get("matchLabels"))
