"""Custom resources read with the defaults their CustomResourceDefinition declares.

When the estate ships the CRD of a kind, its ``openAPIV3Schema`` says what the API server
fills in that a manifest leaves out: a property's ``default`` is set when the property is absent
and the object holding it is present (or is itself defaulted), walking ``properties`` and the
``items`` of arrays ("Defaulting happens on the object ... defaults are applied when reading
data from etcd, during API requests and after mutating admission",
https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting;
``apiextensions.k8s.io/v1`` keeps one schema per version, ``v1beta1`` one for all in
``spec.validation``). An operator's own defaults in Go code are not there, but many operators
publish theirs in the schema (``persistence: {enabled: {default: true}}``, ``storage: {size:
{default: 10Gi}}``): the readings of :mod:`.custom` then see the storage the API server would
hand the operator. Only what the audit reads is defaulted: the resource's ``spec``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.model.kubernetes import as_list, as_map, dig
from stateward.model.resource import Resource

__all__ = ["Schemas"]

_DEPTH = 12


class Schemas:
    """The ``spec`` schemas of the CRDs of an estate, by API group, kind and version."""

    def __init__(self, resources: list[Resource]) -> None:
        self._spec: dict[tuple[str, str], dict[str, Mapping[str, Any]]] = {}
        for crd in resources:
            if crd.key.kind == "CustomResourceDefinition":
                self._read(crd.body)

    def _read(self, body: Mapping[str, Any]) -> None:
        spec = as_map(body.get("spec"))
        group, kind = str(spec.get("group") or ""), str(dig(spec, "names", "kind") or "")
        shared = as_map(dig(spec, "validation", "openAPIV3Schema"))  # v1beta1
        found: dict[str, Mapping[str, Any]] = {}
        for version in as_list(spec.get("versions")):
            version = as_map(version)
            schema = as_map(dig(version, "schema", "openAPIV3Schema")) or shared
            if spec_schema := as_map(dig(schema, "properties", "spec")):
                found[str(version.get("name") or "")] = spec_schema
        if not found and (spec_schema := as_map(dig(shared, "properties", "spec"))):
            found[""] = spec_schema
        if group and kind and found:
            self._spec[(group, kind)] = found

    def __bool__(self) -> bool:
        return bool(self._spec)

    def defaulted(self, resource: Resource) -> Resource:
        """The resource with its CRD's defaults in its ``spec`` (itself when it has no CRD
        here, or when nothing is defaulted)."""
        versions = self._spec.get((resource.key.group, resource.key.kind))
        if not versions:
            return resource
        version = str(resource.body.get("apiVersion") or "").rpartition("/")[2]
        schema = versions.get(version) or next(iter(versions.values()))
        spec = resource.body.get("spec")
        filled = _filled(spec if isinstance(spec, Mapping) else {}, schema, 0)
        if filled == spec or (not filled and spec is None):
            return resource
        return Resource(resource.key, {**resource.body, "spec": filled}, resource.origin)


def _filled(node: Mapping[str, Any], schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
    """``node`` with the defaults of ``schema``'s properties (an object present or defaulted)."""
    out = dict(node)
    if depth > _DEPTH:
        return out
    for name, prop in as_map(schema.get("properties")).items():
        prop = as_map(prop)
        if name not in out and "default" in prop:
            out[name] = prop["default"]
        value = out.get(name)
        if isinstance(value, Mapping) and "properties" in prop:
            out[name] = _filled(value, prop, depth + 1)
        elif isinstance(value, list) and "properties" in as_map(prop.get("items")):
            items = as_map(prop["items"])
            out[name] = [_filled(v, items, depth + 1) if isinstance(v, Mapping) else v
                         for v in value]  # fmt: skip
    return out
