"""The ``kube://`` source: every object of every listable kind, as the kubectl-dump file source
would read ``kubectl get -o json`` of them.

Each kind is listed in pages (``limit``/``continue``, https://kubernetes.io/docs/reference/using-
api/api-concepts/#retrieving-large-results-sets-in-chunks); a continue token that expired is
answered by listing the kind again from the start, as client-go's pager does. Each item gets
back the ``apiVersion`` and ``kind`` a list answer leaves out, then goes through the same steps
as a manifest (:func:`~stateward.sources.manifests.resource_key`,
:func:`~stateward.sources.redact.redact_object`): Secret values are digested page by page, as
soon as they are decoded. A kind the caller may not list (403), or whose list fails (an error
status, a body that is not JSON, a dropped connection), is one error naming it and makes the
observation incomplete: its objects were not seen, which is not the same as removed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from stateward.errors import CanonicalError, InputError, SourceError
from stateward.model.resource import Origin, Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.interface import Progress, SourceResult, register
from stateward.sources.kube.client import (
    DEADLINE_S,
    JSON,
    METADATA_ONLY,
    ApiFailure,
    Cluster,
    connect,
)
from stateward.sources.kube.discovery import ApiKind, discover
from stateward.sources.kube.location import ALL_NAMESPACES, KubeTarget, accepts
from stateward.sources.manifests import resource_key
from stateward.sources.redact import redact_object

__all__ = ["KubeSource", "accept_for", "failure", "list_kind", "to_resource"]

SOURCE = "kube"
PAGE = 500
"""Objects per page: kubectl's default ``--chunk-size``."""
_GONE = 410


@dataclass(slots=True)
class KubeSource:
    """Reads a cluster's objects through its API."""

    name: str = SOURCE
    environ: Mapping[str, str] | None = None
    """Where ``KUBECONFIG`` is looked up; None means the process environment."""
    deadline_s: float = DEADLINE_S
    """Longest any one request may take."""
    page: int = PAGE

    def accepts(self, location: str) -> bool:
        """True for ``kube://`` locations."""
        return accepts(location)

    def observe(
        self, location: str, keeper: SecretKeeper, progress: Progress | None = None
    ) -> SourceResult:
        """Every object of every listable kind in the location's namespace (or all of them);
        SourceError when the cluster cannot be reached or its discovery cannot be read."""
        target = KubeTarget.parse(location)
        cluster = connect(target, self.environ)
        cluster.deadline_s = self.deadline_s
        try:
            return _read(cluster, target, location, keeper, self.page, progress)
        finally:
            cluster.close()


def _read(
    cluster: Cluster,
    target: KubeTarget,
    location: str,
    keeper: SecretKeeper,
    page: int,
    progress: Progress | None,
) -> SourceResult:
    try:
        found = discover(cluster)
    except ApiFailure as exc:
        raise SourceError(f"cannot read the API of {cluster.server}: {exc.reason}",
                          remedy="Check the kubeconfig context and that the cluster answers.",
                          ) from None  # fmt: skip
    namespace = None if target.namespace == ALL_NAMESPACES else cluster.namespace
    kinds = [k for k in found.kinds if namespace is None or k.namespaced]
    result = SourceResult()
    for group_version, reason in found.failed:
        result.errors.append(InputError(f"{location}#{group_version}",
                                        f"discovery failed: {reason}; its kinds not observed"))
        result.complete = False
    for done, kind in enumerate(kinds, 1):
        _read_kind(cluster, kind, namespace, target, location, keeper, page, result)
        if progress is not None:
            progress(done, len(kinds))
    return result


def _read_kind(
    cluster: Cluster,
    kind: ApiKind,
    namespace: str | None,
    target: KubeTarget,
    location: str,
    keeper: SecretKeeper,
    page: int,
    result: SourceResult,
) -> None:
    errors: list[InputError] = []
    try:
        read, _ = list_kind(cluster, kind, namespace, target, location, keeper, errors, page)
    except ApiFailure as exc:
        result.errors.append(failure(location, kind, namespace, exc))
        result.complete = False
        return
    result.resources.extend(read)
    result.errors.extend(errors)


def list_kind(
    cluster: Cluster,
    kind: ApiKind,
    namespace: str | None,
    target: KubeTarget,
    location: str,
    keeper: SecretKeeper,
    errors: list[InputError],
    page: int = PAGE,
) -> tuple[list[Resource], str]:
    """Every object of ``kind`` as a resource, and the list's resourceVersion (where a watch
    of it starts). A list whose snapshot expired between pages (410) is listed again, once;
    ApiFailure for any other failure. An item without an identity is one error in ``errors``."""
    for attempt in (1, 2):
        try:
            return _list_once(cluster, kind, namespace, target, location, keeper, errors, page)
        except ApiFailure as exc:
            if exc.status != _GONE or attempt == 2:
                raise
    raise AssertionError("bad math: the loop returns or raises")


def _list_once(
    cluster: Cluster,
    kind: ApiKind,
    namespace: str | None,
    target: KubeTarget,
    location: str,
    keeper: SecretKeeper,
    errors: list[InputError],
    page: int,
) -> tuple[list[Resource], str]:
    read: list[Resource] = []
    version = ""
    for items, page_version in _pages(cluster, kind, namespace, target, page):
        version = version or page_version
        for item in items:
            resource = to_resource(item, kind, location, keeper, errors)
            if resource is not None:
                read.append(resource)
    return read, version


def accept_for(target: KubeTarget, kind: ApiKind, *, watch: bool = False) -> str:
    """What to ask ``kind``'s answers in: metadata only for Secrets when the target says so."""
    if not target.secrets_metadata_only or (kind.group, kind.kind) != ("", "Secret"):
        return JSON
    return METADATA_ONLY.replace("List;", ";") if watch else METADATA_ONLY


def _pages(
    cluster: Cluster, kind: ApiKind, namespace: str | None, target: KubeTarget, page: int
) -> Iterator[tuple[list[dict[str, Any]], str]]:
    """Each page's items and resourceVersion. A page is yielded before the next is read, so its
    raw Secret values are digested and dropped before the next arrives."""
    query = {"limit": str(page), **({"labelSelector": target.selector} if target.selector else {})}
    token = ""
    while True:
        answer = cluster.get(kind.path(namespace), {**query, "continue": token} if token else query,
                             accept_for(target, kind))  # fmt: skip
        items, version, token = _page(answer)
        yield items, version
        if not token:
            return


def _page(answer: Any) -> tuple[list[dict[str, Any]], str, str]:
    items = answer.get("items") if isinstance(answer, dict) else None
    metadata = answer.get("metadata") if isinstance(answer, dict) else None
    if not isinstance(items, list) or not isinstance(metadata, dict):
        raise ApiFailure(200, "the list answer has no items or metadata")
    token, version = metadata.get("continue") or "", metadata.get("resourceVersion") or ""
    if not isinstance(token, str) or not isinstance(version, str):
        raise ApiFailure(200, "the list answer's continue or resourceVersion is not a string")
    return [i for i in items if isinstance(i, dict)], version, token


def to_resource(
    item: dict[str, Any], kind: ApiKind, location: str, keeper: SecretKeeper,
    errors: list[InputError],
) -> Resource | None:  # fmt: skip
    """The item as a manifest of it would read; None (with an error) when it has no identity."""
    # A list answer's items carry neither apiVersion nor kind; metadata-only ones say
    # PartialObjectMetadata: both become the object's own.
    obj = {"apiVersion": kind.api_version, "kind": kind.kind,
           **{k: v for k, v in item.items() if k not in ("apiVersion", "kind")}}  # fmt: skip
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    where = f"{location}#{kind.resource}/{name}"
    try:
        key = resource_key(obj)
        redact_object(obj, keeper)
        return Resource.of(key, obj, Origin(SOURCE, where))
    except InputError as exc:
        errors.append(InputError(where, exc.reason))
    except CanonicalError as exc:
        errors.append(InputError(where, exc.message))
    return None


def failure(location: str, kind: ApiKind, namespace: str | None, exc: ApiFailure) -> InputError:
    where = f"{location}#{kind.resource}"
    scope = f" in namespace {namespace}" if namespace is not None and kind.namespaced else ""
    if exc.status == 403:
        return InputError(where, f"listing {kind.resource}{scope} is forbidden (RBAC); "
                          "not observed", remedy="Grant the reader list on it, or accept "
                          "the partial observation.")  # fmt: skip
    return InputError(where, f"listing {kind.resource}{scope} failed: {exc.reason}; not observed")


register(KubeSource())
