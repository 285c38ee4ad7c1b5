"""Every listable kind of a cluster, custom resources included, from its discovery documents.

Discovery as kubectl does it (k8s.io/client-go/discovery ``ServerGroupsAndResources``): ``/api``
for the core group, ``/apis`` for the others, then each group's preferred version's
``APIResourceList``; a resource is listable when its verbs hold ``list`` and its name has no
``/`` (``pods/log`` is a subresource). A group version whose document cannot be read (an
aggregated API whose backend is down, as ``metrics.k8s.io`` often is) is reported, and the kinds
of the others are still read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stateward.sources.kube.client import ApiFailure, Cluster

__all__ = ["ApiKind", "Discovery", "discover"]

SKIPPED = frozenset({("", "Event"), ("events.k8s.io", "Event"), ("", "ComponentStatus")})
"""Records of what happened, not state (events), and a deprecated health probe."""


@dataclass(frozen=True, slots=True)
class ApiKind:
    """One listable resource of the API."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def resource(self) -> str:
        """``plural.group`` as kubectl and RBAC messages name it (``deployments.apps``)."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    def path(self, namespace: str | None) -> str:
        """The collection's URL path, in ``namespace`` or across all of them (None)."""
        root = f"/apis/{self.group}/{self.version}" if self.group else "/api/v1"
        where = f"/namespaces/{namespace}" if namespace is not None and self.namespaced else ""
        return f"{root}{where}/{self.plural}"


@dataclass(slots=True)
class Discovery:
    kinds: list[ApiKind]
    failed: list[tuple[str, str]]
    """(groupVersion, reason) of each document that could not be read."""


def discover(cluster: Cluster) -> Discovery:
    """Listable kinds in group order; ApiFailure when even ``/api`` cannot be read."""
    core = cluster.get("/api")
    versions = ["v1"] if "v1" in _list(core, "versions") else []
    groups = cluster.get("/apis")
    for group in _list(groups, "groups"):
        preferred = group.get("preferredVersion") if isinstance(group, dict) else None
        if isinstance(preferred, dict) and isinstance(preferred.get("groupVersion"), str):
            versions.append(preferred["groupVersion"])
    found = Discovery([], [])
    for group_version in versions:
        path = "/api/v1" if group_version == "v1" else f"/apis/{group_version}"
        try:
            found.kinds.extend(_listable(group_version, cluster.get(path)))
        except ApiFailure as exc:
            found.failed.append((group_version, exc.reason))
    return found


def _listable(group_version: str, document: Any) -> list[ApiKind]:
    group, _, version = group_version.rpartition("/")
    kinds = []
    for res in _list(document, "resources"):
        if not isinstance(res, dict) or "/" in str(res.get("name", "/")):
            continue
        if "list" not in (res.get("verbs") or ()) or (group, res.get("kind")) in SKIPPED:
            continue
        kinds.append(ApiKind(group, version, str(res["name"]), str(res.get("kind", "")),
                             bool(res.get("namespaced"))))  # fmt: skip
    return kinds


def _list(document: Any, key: str) -> list[Any]:
    value = document.get(key) if isinstance(document, dict) else None
    if not isinstance(value, list):
        raise ApiFailure(200, f"discovery answer has no {key!r} list")
    return value
