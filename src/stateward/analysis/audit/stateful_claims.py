"""The claims a StatefulSet makes from its claim templates, named by another resource.

The StatefulSet controller names the claim of each pod ``<template>-<set>-<ordinal>``
(``getPersistentVolumeClaimName``: ``fmt.Sprintf("%s-%s-%d", claim.Name, set.Name, ordinal)``,
https://github.com/kubernetes/kubernetes/blob/0fe831c3e98b5dc6de63a86eb3822acbf7d3c761/pkg/controller/statefulset/stateful_set_utils.go),
so a resource that names ``data-ds-idrepo-0`` names the claim of the first pod of ``ds-idrepo``,
which no manifest declares: ForgeRock's ``DirectoryBackup`` snapshots ``claimToBackup:
data-ds-idrepo-0``, "the PVC that contains the directory data"
(https://github.com/ForgeRock/ds-operator/blob/c951b0b9194a1616d0a2e42917890679ecd7c9a1/api/v1alpha1/directorybackup_types.go),
the claim the operator's StatefulSet for the ``DirectoryService`` ``ds-idrepo`` makes. A
StatefulSet's template names the first part; an operator resource that asks for claims runs its
own StatefulSet under its name, with a template name the operator picks, so any first part is
taken for it. The ordinal must be one of its pods'.
"""

from __future__ import annotations

import re

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Workload

__all__ = ["templated_claim_users"]

_TEMPLATED = "volumeClaimTemplate"
_ORDINAL = re.compile(r"^(.+)-(\d+)$")


def templated_claim_users(estate: Estate, namespace: str, claim: str) -> list[Workload]:
    """The workloads of ``namespace`` whose claim templates make a claim called ``claim`` for
    one of their pods (none when the name has no ordinal or no template makes it)."""
    found = _ORDINAL.match(claim)
    if found is None:
        return []
    head, ordinal = found[1], int(found[2])
    return [
        w for w in estate.in_namespace(namespace)
        if ordinal < (w.replicas if w.replicas is not None else 1) and _makes(w, head)
    ]  # fmt: skip


def _makes(workload: Workload, head: str) -> bool:
    """True when ``head`` is ``<template>-<workload name>`` for one of its claim templates."""
    templates = [m for m in workload.mounts if m.kind == _TEMPLATED]
    if not templates or not head.endswith(f"-{workload.name}"):
        return False
    template = head.removesuffix(f"-{workload.name}")
    if workload.operated is not None:
        return bool(template)  # the operator names its template; ours hold its storage's path
    return any(m.source == template for m in templates)
