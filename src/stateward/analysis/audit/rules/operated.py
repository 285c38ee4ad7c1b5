"""Rules for operator custom resources (:mod:`stateward.analysis.audit.operators`): what an
operator's storage spec keeps, and what it leaves on an emptyDir or in memory.

OPERATOR_EPHEMERAL is **high** on two signals: what the kind is (a data system the operator
catalogue knows, or one :mod:`~stateward.analysis.audit.custom` reads from its fields) *and* a
field of the resource's own spec that leaves the data unkept (no claim in a storage spec the
operator documents, ``storageMode: EmptyDir``, a ``connString`` naming an embedded database
file in the pod). The rule reads only storage entries of a resource recognised as a data
system, so both are there whenever it fires; no change to its severity was needed (on the
whole scorecard, 47 right and 1 wrong at high, 2026-12-07)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.analysis.audit.coordination import hadoop_coordination_only
from stateward.analysis.audit.data_systems import named_data_system
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.idle_specs import idle_spec
from stateward.analysis.audit.interface import Effect, Hit, detector
from stateward.analysis.audit.rules.storage import access_modes, claim_effect
from stateward.analysis.audit.workloads import Workload
from stateward.model.finding import Severity
from stateward.model.kubernetes import dig

__all__ = ["custom_resource_storage", "operator_claims", "operator_ephemeral"]


@detector(
    "OPERATOR_EPHEMERAL",
    Severity.HIGH,
    Effect.LOSS,
    remedy="Give the resource a storage spec with a claim template (see the CRD's reference).",
)
def operator_ephemeral(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Operator resource whose data the operator keeps on an emptyDir or in memory."""
    operated = workload.operated
    for storage in operated.storage if operated else ():
        if storage.claim is None:
            yield Hit(
                storage.path,
                f"{workload.kind} {workload.name} ({operated.role if operated else ''}): "
                f"{storage.text}; its data is lost when its pods are replaced",
            )


@detector("OPERATOR_CLAIMS", Severity.INFO, Effect.DURABLE)
def operator_claims(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Operator resource whose data the operator keeps on a claim per replica."""
    operated = workload.operated
    for storage in operated.storage if operated and not operated.inferred else ():
        if storage.claim is not None:
            modes = access_modes(storage.claim)
            text = (
                f"{workload.kind} {workload.name} ({operated.role if operated else ''}): "
                f"{storage.text}{_claim_spec(storage.claim, modes)}"
            )
            if operated and operated.rebuilt:  # a copy: a replacement starts cold, loses nothing
                yield Hit(
                    storage.path, f"{text}; a copy: {operated.rebuilt}", effect=Effect.WARM_UP
                )
            else:
                yield Hit(storage.path, text, effect=_made_claim_effect(storage.claim, modes))


def _made_claim_effect(claim: Mapping[str, Any], modes: list[str]) -> Effect:
    """A claim the operator makes for the resource (its size given here) is the resource's
    state whatever its access mode: ReadWriteMany lets the resource's own pods share it (3scale's
    system-storage, mounted by the system app and sidekiq pods), no other workload writes there.
    A claim that exists already, named with no spec, may be another's: read by its modes."""
    if "RWX" in modes and dig(claim, "resources", "requests", "storage"):
        return Effect.DURABLE
    return claim_effect(modes, False)


def _claim_spec(claim: Mapping[str, Any], modes: list[str]) -> str:
    """Size and access modes of the claim per replica the operator makes; nothing where the
    storage names no claim spec (a claim that exists already, a host path, a named volume):
    "? RWO? per replica" said nothing true of those."""
    if not claim:
        return ""
    size = dig(claim, "resources", "requests", "storage") or "?"
    return f" {size} {'/'.join(modes) or 'RWO?'} per replica"


@detector(
    "CUSTOM_RESOURCE_STORAGE",
    Severity.INFO,
    Effect.DURABLE,
    remedy="Check the CRD's reference: a plugin can register its family (register_family).",
)
def custom_resource_storage(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """Custom resource of no known family whose spec asks for persistent storage.

    Read as holding data on claims at a moderate confidence: from the shape of its fields, not
    from the CRD's documentation (:mod:`stateward.analysis.audit.custom`). A ZooKeeper whose
    only clients are HDFS and HBase holds their coordination, announced again: a warm-up
    (:func:`~stateward.analysis.audit.coordination.hadoop_coordination_only`). A spec whose
    every declared program only idles (``cmd: [sleep, "1000"]``) writes nothing to its claims:
    context (:mod:`stateward.analysis.audit.idle_specs`)."""
    operated = workload.operated
    if operated is None or not operated.inferred:
        return
    rebuilt = operated.rebuilt or _coordination_only(workload, estate)
    idle = idle_spec(workload.body.get("spec"))
    for storage in operated.storage:
        if storage.claim is None:  # an emptyDir its spec picks: OPERATOR_EPHEMERAL says so
            continue
        modes = access_modes(storage.claim)
        text = (
            f"{workload.kind} {workload.name} (no known operator family): its spec asks for "
            f"persistent storage ({storage.text}); "
        )
        if idle:  # nothing it runs writes the claims
            yield Hit(storage.path, text + idle, effect=Effect.CONTEXT)
        elif rebuilt:  # named for a copy, or what its clients write again: nothing of its own
            yield Hit(storage.path, text + rebuilt, effect=Effect.WARM_UP)
        else:
            text += "read as holding data on claims (moderate confidence)"
            yield Hit(storage.path, text, effect=claim_effect(modes, False))


def _coordination_only(workload: Workload, estate: Estate) -> str:
    named = named_data_system(workload.resource.key.group, workload.kind)
    if named is None or named[0] != "zookeeper":
        return ""
    return hadoop_coordination_only(workload, estate)
