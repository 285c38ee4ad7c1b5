"""Crossplane composite resources, read by what their Composition composes.

A composite resource (XR) "represents a set of Kubernetes resources as a single Kubernetes
object"; Crossplane picks the Composition to use by its ``compositeTypeRef`` and creates the
resources it lists (https://docs.crossplane.io/latest/composition/composite-resources/): each a
``base`` under ``spec.resources`` (the classic form) or under a pipeline step's
``input.resources`` (function-patch-and-transform). A composite of a kind such a Composition
names, whose bases include a cloud resource that keeps records (:mod:`.cloud`: an EKS cluster,
an RDS instance), holds those records: they are made and deleted with it. Bases that keep none
(IAM roles, node groups) make nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.analysis.audit.cloud import records_kept
from stateward.analysis.audit.workloads import Operated, Storage, Workload
from stateward.model.kubernetes import as_list, as_map, component_id, dig
from stateward.model.resource import Resource

__all__ = ["Composed", "composed_kinds", "composite_workload"]

_CROSSPLANE = "apiextensions.crossplane.io"
SOURCE = "the Crossplane Composition that composes it"

Composed = Mapping[tuple[str, str], list[tuple[str, Mapping[str, Any]]]]
"""(group, kind) of a composite type -> (Composition name, base) of each resource it composes."""


def composed_kinds(resources: list[Resource]) -> Composed:
    """The composite types the estate's Compositions name, with the bases they compose."""
    found: dict[tuple[str, str], list[tuple[str, Mapping[str, Any]]]] = {}
    for resource in resources:
        key = resource.key
        if key.kind != "Composition" or key.group != _CROSSPLANE:
            continue
        ref = as_map(dig(resource.body, "spec", "compositeTypeRef"))
        group = str(ref.get("apiVersion", "")).rpartition("/")[0]
        if group and ref.get("kind"):
            bases = found.setdefault((group, str(ref["kind"])), [])
            bases.extend((key.name, base) for base in _bases(resource.body))
    return found


def _bases(body: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    spec = as_map(body.get("spec"))
    steps = [as_map(dig(as_map(step), "input")) for step in as_list(spec.get("pipeline"))]
    for holder in (spec, *steps):
        for entry in as_list(holder.get("resources")):
            if base := as_map(as_map(entry).get("base")):
                yield base


def composite_workload(
    resource: Resource, ident: str | None, composed: Composed
) -> Workload | None:
    """The component of a composite resource whose Composition composes a cloud resource that
    keeps records, holding them; None for any other resource."""
    key = resource.key
    for composition, base in composed.get((key.group, key.kind), ()):
        group = str(base.get("apiVersion", "")).rpartition("/")[0]
        kind = str(base.get("kind", ""))
        role, text = records_kept(group, kind, base)
        if not role:
            continue
        text = f"{text} ({kind} composed by Composition {composition})"
        operated = Operated(role, (Storage("/spec", {}, text),), SOURCE, pods=False)
        return Workload(
            ident or component_id(key), key.name, key.kind, key.namespace, "kubernetes",
            resource, "/spec", (), (), (), {}, None, {}, operated,
        )  # fmt: skip
    return None
