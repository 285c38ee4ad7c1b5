"""Desired objects written without ``metadata.namespace``, placed where they would land.

kubectl and Argo CD apply such an object into the namespace given on the command line
(``kubectl -n``, an Application's ``spec.destination.namespace``) and only otherwise into
``default`` — see kubectl's ``--namespace`` flag, https://kubernetes.io/docs/reference/kubectl/
generated/kubectl_apply/ and Argo CD's https://argo-cd.readthedocs.io/en/stable/user-guide/
application-specification/ (``destination.namespace``: "overrides the namespace in manifests
which do not have one"). Without a namespace given, comparing with what actually runs, the one
live object of that kind and name is the one meant; the report says which namespace was assumed
so the reader can tell a guess from a fact.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stateward.contexts import resolve_components
from stateward.model.observation import Observation
from stateward.model.resource import CLUSTER_SCOPED_KINDS, Resource, ResourceKey
from stateward.normalize import carry

__all__ = ["Assumed", "place_namespaces", "placed"]

_KUBECTL_DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class Assumed:
    """A desired object without a namespace matched to the only live object of its kind and name."""

    key: ResourceKey
    """The object's key after placing it."""

    def __str__(self) -> str:
        where = self.key.namespace or "cluster scope"
        return f"{self.key}: no namespace in desired; assumed {where} (the only live one)"


def place_namespaces(
    desired: Observation, live: Observation | None, namespace: str | None = None
) -> tuple[Observation, list[Assumed]]:
    """``desired`` with each namespace-less object placed (:func:`placed`) and, where one moved,
    its components resolved again."""
    resources, assumed = placed(desired, live, namespace)
    if resources is desired.resources:
        return desired, assumed
    components, _ = resolve_components(resources)
    return dataclasses.replace(desired, resources=resources, components=components), assumed


def placed(
    desired: Observation, live: Observation | None, namespace: str | None = None
) -> tuple[list[Resource], list[Assumed]]:
    """``desired``'s objects with each namespace-less one keyed (and its body given the
    namespace) as it would be applied: into ``namespace`` when given, else into ``default``
    unless the live side holds exactly one object of that kind and name elsewhere, which is
    then assumed. With no ``live`` side (a scan of manifests), only ``namespace`` places them.
    ``desired.resources`` itself when none moved."""
    if live is None and not namespace:
        return desired.resources, []
    live_namespaces: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for resource in live.resources if live else ():
        key = resource.key
        live_namespaces[key.group, key.kind, key.name].append(key.namespace)
    assumed: list[Assumed] = []
    resources: list[Resource] = []
    for resource in desired.resources:
        if not _unplaced(resource):
            resources.append(resource)
            continue
        found = live_namespaces.get((resource.key.group, resource.key.kind, resource.key.name), [])
        target = _target(found, namespace)
        moved = _moved(resource, target)
        if target not in (namespace, _KUBECTL_DEFAULT):
            assumed.append(Assumed(moved.key))
        resources.append(moved)
    if resources == desired.resources:
        return desired.resources, []
    return resources, assumed


def _unplaced(resource: Resource) -> bool:
    """A Kubernetes object of a namespaced kind whose manifest names no namespace."""
    if resource.origin.source != "manifests" or resource.key.kind in CLUSTER_SCOPED_KINDS:
        return False
    metadata = resource.body.get("metadata")
    return isinstance(metadata, Mapping) and not metadata.get("namespace")


def _target(found: list[str], namespace: str | None) -> str:
    """The namespace given; else ``default`` if live has it there or has no single other
    candidate; else the one namespace (or cluster scope, ``""``) live holds it in."""
    if namespace:
        return namespace if found != [""] else ""  # a kind live shows as cluster-scoped
    if _KUBECTL_DEFAULT in found or len(found) != 1:
        return _KUBECTL_DEFAULT
    return found[0]


def _moved(resource: Resource, namespace: str) -> Resource:
    key = dataclasses.replace(resource.key, namespace=namespace)
    body: dict[str, Any] = dict(resource.body)
    metadata = dict(body["metadata"])
    if namespace:
        metadata["namespace"] = namespace
    body["metadata"] = metadata
    moved = Resource.of(key, body, resource.origin, resource.comments, resource.files)
    carry(resource, moved)
    return moved
