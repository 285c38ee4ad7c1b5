"""What a component carries, for gravity: its data image's role, the claims it writes, its
replicas and start order, and how many components reach it, directly or through others.

Kubernetes semantics: a StatefulSet's ``volumeClaimTemplates`` give every replica its own claim,
and its default ``podManagementPolicy`` (``OrderedReady``) starts pods one at a time in ordinal
order (concepts/workloads/controllers/statefulset).
"""

from __future__ import annotations

from collections.abc import Mapping

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.lifecycle import Mass, reaching, storage_bytes
from stateward.analysis.audit.rules.data import CONFIGURED, data_dirs, data_family, data_mounts
from stateward.analysis.audit.start_roles import started_role
from stateward.analysis.audit.workloads import Mount, Workload
from stateward.model.kubernetes import as_map, dig

__all__ = ["mass_of", "reach"]

_CLAIMS = frozenset({"persistentVolumeClaim", "volumeClaimTemplate"})


def mass_of(workload: Workload, estate: Estate) -> Mass:
    """Role, written claims, replicas and start order of one workload."""
    primary = workload.primary
    family = data_family(workload, primary) if primary is not None else None
    claims = [m for m in workload.mounts if m.kind in _CLAIMS and not m.read_only]
    stateful = workload.kind == "StatefulSet"
    # only a StatefulSet's spec is read: the audit decodes a body again for each step that
    # reads it (engine.py), and most workloads are not StatefulSets
    spec = as_map(workload.body.get("spec")) if stateful else {}
    own_claims = stateful and bool(spec.get("volumeClaimTemplates"))
    ordered = stateful and spec.get("podManagementPolicy", "OrderedReady") == "OrderedReady"
    operated = workload.operated
    if operated is not None:  # an operator runs a StatefulSet with a claim per replica
        own_claims = ordered = bool(claims)
    return Mass(
        role=family.role if family else (operated.role if operated else _role(workload)),
        claim_bytes=_claim_bytes(workload, estate, claims) if claims else None,
        replicas=workload.replicas if workload.replicas is not None else 1,
        own_claims=own_claims,
        ordered=ordered,
    )


def _role(workload: Workload) -> str:
    """The role of a workload of no data image: the one its start argument names
    (:mod:`.start_roles`), else ``files`` for an application keeping its users' files."""
    return started_role(workload) or _files(workload)


def _files(workload: Workload) -> str:
    """``files`` when the main program keeps application data (uploads, media, mailboxes) on a
    volume it writes, or keeps its records in the directory its command line or environment
    names (``--data-dir=/data``, which says so at least as plainly as a mount named ``/data``):
    the users' files, which weigh like an object store's."""
    primary = workload.primary
    if primary is None:
        return ""
    kinds = data_dirs(workload, primary)
    held = data_mounts(workload, primary)
    app = [d for d, what in kinds.items() if what.startswith("application") or what == CONFIGURED]
    return "files" if any(m.covers(d) for m in held for d in app) else ""


def _claim_bytes(workload: Workload, estate: Estate, claims: list[Mount]) -> int:
    total = 0
    for volume in {m.volume: m for m in claims}.values():
        if volume.kind == "volumeClaimTemplate":
            spec = as_map(volume.spec).get("spec")
        else:
            claim = estate.named("PersistentVolumeClaim", workload.namespace, volume.source)
            spec = claim.body.get("spec") if claim is not None else None
        storage = dig(spec, "resources", "requests", "storage")
        total += storage_bytes(str(storage)) if isinstance(spec, Mapping) and storage else 0
    return total


def reach(dependents: Mapping[str, list[str]], ident: str) -> int:
    """How many components depend on ``ident``, directly or through others (cycles counted once)."""
    return len(reaching(dependents, ident))
