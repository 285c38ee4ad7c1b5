"""Relation rules: they run after every workload's own findings are known.

``STATE_DEPENDENCY`` needs to know which components hold state; ``SINGLE_REPLICA_RWO`` and
``NO_PDB`` apply to components already classed persistent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.interface import Effect, Hit, Scope, detector
from stateward.analysis.audit.rules.storage import INLINE_DISKS, access_modes
from stateward.analysis.audit.workloads import Workload
from stateward.model.finding import Severity

__all__: list[str] = []


@detector("STATE_DEPENDENCY", Severity.INFO, Effect.CONTEXT, scope=Scope.RELATION)
def state_dependency(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A component that keeps no state itself depends on one that does."""
    if workload.id in estate.persistent:
        return
    for target, via in sorted(estate.depends_on.get(workload.id, {}).items()):
        if target in estate.holders:
            yield Hit(
                "",
                f"depends on {target.split('/')[-1]} ({estate.holders[target]}); read from {via}",
                (target,),
            )


def _rwo_volumes(workload: Workload, estate: Estate) -> list[str]:
    found: list[str] = []
    for mount in workload.mounts:
        if mount.kind == "persistentVolumeClaim":
            claim = estate.named("PersistentVolumeClaim", workload.namespace, mount.source)
            spec = claim.body.get("spec") if claim is not None else None
            modes = access_modes(spec) if isinstance(spec, Mapping) else []
            if not modes or "RWO" in modes or "RWOP" in modes:
                found.append(f"PVC {mount.source} ({'/'.join(modes) or 'RWO?'})")
        elif mount.kind == "volumeClaimTemplate" and mount.spec is not None:
            spec = mount.spec.get("spec")
            modes = access_modes(spec) if isinstance(spec, Mapping) else []
            if not modes or "RWO" in modes or "RWOP" in modes:
                found.append(f"claim template {mount.volume} ({'/'.join(modes) or 'RWO?'})")
        elif mount.kind in INLINE_DISKS:
            found.append(f"{mount.kind} disk {mount.volume}")
    return sorted(set(found))


@detector(
    "SINGLE_REPLICA_RWO",
    Severity.MEDIUM,
    Effect.CONTEXT,
    scope=Scope.RELATION,
    remedy="Plan the downtime, or replicate the data across pods with their own volumes.",
)
def single_replica_rwo(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """One replica holding a ReadWriteOnce volume: replacement means downtime (detach, attach)."""
    if workload.platform != "kubernetes" or (workload.replicas or 1) != 1:
        return
    volumes = _rwo_volumes(workload, estate)
    if volumes:
        yield Hit(
            "/spec/replicas" if workload.kind != "Pod" else "/kind",
            f"one replica with {', '.join(volumes)}: replacement detaches and re-attaches "
            "the volume while nothing serves",
        )


def _pdb_selects(workload: Workload, estate: Estate) -> bool:
    for pdb in estate.of_kind("PodDisruptionBudget", workload.namespace):
        spec = pdb.body.get("spec")
        selector = spec.get("selector") if isinstance(spec, Mapping) else None
        labels = selector.get("matchLabels") if isinstance(selector, Mapping) else None
        if isinstance(labels, Mapping) and labels:
            wanted = {str(k): str(v) for k, v in labels.items()}
            if wanted.items() <= workload.labels.items():
                return True
    return False


@detector(
    "NO_PDB",
    Severity.LOW,
    Effect.CONTEXT,
    scope=Scope.RELATION,
    remedy="Add a PodDisruptionBudget so drains do not evict it unannounced.",
)
def no_pdb(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A persistent Kubernetes component that no PodDisruptionBudget protects."""
    if workload.platform != "kubernetes" or workload.id not in estate.persistent:
        return
    if workload.kind in ("Job", "CronJob") or _pdb_selects(workload, estate):
        return
    if workload.operated is not None and not workload.operated.pods:
        return  # a cloud provider's resource: no pods to evict
    yield Hit("/metadata", "persistent, and no PodDisruptionBudget selects its pods")
