"""Resources: one identified object of an estate, with its canonical body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stateward.model.canonical import canonical_json, digest_bytes

__all__ = ["Origin", "Resource", "ResourceKey", "CLUSTER_SCOPED_KINDS"]

# Kinds without a namespace; everything else defaults to "default" as kubectl does.
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole",
        "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass", "IngressClass",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService",
        "CSIDriver", "RuntimeClass", "VolumeSnapshotClass", "GatewayClass", "ClusterIssuer",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True, order=True)
class ResourceKey:
    """Identity of a resource: API group, kind, namespace (or Compose project) and name."""

    group: str
    """API group without version ("" for core, "apps", …); "compose" for Compose objects."""
    kind: str
    namespace: str
    """Namespace; "" for cluster-scoped kinds; the project name for Compose resources."""
    name: str

    def __str__(self) -> str:
        kind = f"{self.kind}.{self.group}" if self.group and self.group != "compose" else self.kind
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{kind}/{where}{self.name}"

    def as_dict(self) -> dict[str, str]:
        """Plain form for JSON output and storage."""
        return {
            "group": self.group,
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
        }


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a resource was read: a file and line, an API, an engine."""

    source: str
    """Source kind: "manifests", "compose", "engine"."""
    location: str
    """``path:line`` for files, a URL or object reference otherwise."""

    def __str__(self) -> str:
        return self.location


@dataclass(frozen=True, slots=True)
class Resource:
    """One object: its key, canonical body (secret values already digested) and origin."""

    key: ResourceKey
    body: Mapping[str, Any]
    origin: Origin
    canonical: bytes = field(repr=False, compare=False, default=b"")
    digest: str = field(compare=False, default="")
    comments: tuple[tuple[str, str], ...] = field(repr=False, compare=False, default=())
    """``(code, comment)`` pairs from the object's source lines: hints for analyses, never part
    of the body or its digest (see :mod:`stateward.sources.comments`)."""

    @classmethod
    def of(
        cls,
        key: ResourceKey,
        body: Mapping[str, Any],
        origin: Origin,
        comments: tuple[tuple[str, str], ...] = (),
    ) -> Resource:
        """Build a resource, computing its canonical bytes and digest once."""
        data = canonical_json(body)
        return cls(key, body, origin, data, digest_bytes(data), comments)
