"""Reading a cluster's kinds into resources: the part ``scan`` and ``watch`` share.

Each kind is listed in pages (``limit``/``continue``, https://kubernetes.io/docs/reference/using-
api/api-concepts/#retrieving-large-results-sets-in-chunks); a continue token that expired (410)
is answered by listing the kind again from the start, as client-go's pager does. Each item gets
back the ``apiVersion`` and ``kind`` a list answer leaves out, then goes through the same steps
as a manifest (:func:`~stateward.sources.manifests.resource_key`,
:func:`~stateward.sources.redact.redact_object`), so a live object is the resource its
``kubectl get -o json`` dump would be. Secret values are digested page by page, as soon as a page
is decoded: at most two pages (the one digested, the next one read meanwhile) are held raw.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from stateward.errors import CanonicalError, InputError, SourceError, first_line
from stateward.model.canonical import finite_texts_may_differ
from stateward.model.resource import Origin, Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.kube.client import (
    JSON,
    METADATA_ONLY,
    ApiFailure,
    Cluster,
    connect,
    decoded,
)
from stateward.sources.kube.discovery import ApiKind, discover
from stateward.sources.kube.location import (
    ALL_NAMESPACES,
    DEADLINE_S,
    PAGE,
    SERVICE_ACCOUNT,
    SOURCE,
    KubeTarget,
)
from stateward.sources.manifests import group_of, kind_key, resource_key
from stateward.sources.redact import redact_object

if TYPE_CHECKING:
    from stateward.sources.kube.pages import PageWorker

__all__ = ["GONE", "PAGE", "SOURCE", "ItemKind", "Reader", "open_reader", "page_parts"]

GONE = 410
Kept = TypeVar("Kept")


@dataclass(slots=True)
class Reader:
    """One open cluster, what the location asks of it, and the kinds it serves there."""

    cluster: Cluster
    target: KubeTarget
    location: str
    keeper: SecretKeeper
    kinds: list[ApiKind]
    """Listable kinds: the namespaced ones only when the location names a namespace."""
    namespace: str | None
    """The namespace read, None for all of them."""
    errors: list[InputError]
    """Discovery documents that could not be read: their kinds are not observed."""
    page: int = PAGE

    def list_kind(
        self,
        kind: ApiKind,
        errors: list[InputError],
        keep: Callable[[Resource], Kept],
        on_page: Callable[[list[Kept]], None] | None = None,
        worker: PageWorker | None = None,
        held: bool = False,
    ) -> tuple[list[Kept], str]:
        """Every object of ``kind``, each as ``keep`` makes of its resource once its page is
        digested, and the list's resourceVersion (where a watch of it starts); ApiFailure when
        it cannot be listed. An item without an identity is one error in ``errors``.
        ``on_page`` hears what each page kept as soon as it is kept, before the list ends.
        With a ``worker``, it digests the pages (:mod:`stateward.sources.kube.pages`).
        ``held``: each body is given as its canonical bytes, as a watch holds it (see
        :meth:`resource`)."""
        for attempt in (1, 2):
            try:
                return self._list_once(kind, errors, keep, on_page, worker, held)
            except ApiFailure as exc:
                if exc.status != GONE or attempt == 2:
                    raise
        raise AssertionError("bad math: the loop returns or raises")

    def _list_once(
        self,
        kind: ApiKind,
        errors: list[InputError],
        keep: Callable[[Resource], Kept],
        on_page: Callable[[list[Kept]], None] | None,
        worker: PageWorker | None,
        held: bool,
    ) -> tuple[list[Kept], str]:
        read: list[Kept] = []
        version = ""
        for resources, page_version in self._pages(kind, errors, worker, held):
            version = version or page_version
            page = [keep(r) for r in resources]
            if on_page is not None and page:
                on_page(page)
            read.extend(page)
        return read, version

    def _pages(
        self, kind: ApiKind, errors: list[InputError], worker: PageWorker | None, held: bool
    ) -> Iterator[tuple[Iterator[Resource], str]]:
        """Each page's resources and resourceVersion. The next page is asked for as soon as a
        page is decoded, before its items are digested: the server makes it (and the socket
        read releases the interpreter lock) while this thread, or the worker, turns the items
        into resources. A page the worker declined (:class:`_Digested`) is digested by the
        thread that read it, while this one waits for the worker's page before it."""
        query = {"limit": str(self.page)}
        if self.target.selector:
            query["labelSelector"] = self.target.selector
        path, accept = kind.path(self.namespace), self.accept(kind)

        def fetch(asked: dict[str, str]) -> _Page:
            status, data = self.cluster.answer(path, asked, accept)
            if worker is not None and (given := worker.open(kind, status, data)) is not None:
                return given
            page = _Decoded(self, kind, decoded(status, data), held)
            # declined while the worker digests another page: digested beside it, now
            return _Digested(page) if worker is not None and not worker.closed else page

        answer = fetch(query)
        with ThreadPoolExecutor(1, thread_name_prefix=f"list {kind.resource}") as ahead:
            while True:
                version, token = answer.head()
                following = ahead.submit(fetch, {**query, "continue": token}) if token else None
                yield answer.resources(errors), version
                if following is None:
                    return
                answer = following.result()

    def accept(self, kind: ApiKind, *, watch: bool = False) -> str:
        """What to ask ``kind``'s answers in: metadata only for Secrets when the target says
        so (``PartialObjectMetadataList`` for a list, ``PartialObjectMetadata`` for a watch)."""
        if not self.target.secrets_metadata_only or (kind.group, kind.kind) != ("", "Secret"):
            return JSON
        return METADATA_ONLY.replace("List;", ";") if watch else METADATA_ONLY

    def resource(
        self, item: dict[str, Any], kind: ApiKind, errors: list[InputError], held: bool = False
    ) -> Resource | None:
        """The item as a manifest of it would read; None (with an error) without an identity.
        ``held``: its body is an :class:`~stateward.model.encoded.EncodedBody` of its canonical
        bytes, holding the parsed item until released: the one resource a watch keeps of it,
        which it made a second time for that (1.2 us of the 11 a listed ConfigMap took,
        redaction apart)."""
        return self.item_resource(item, ItemKind(self.location, kind), errors, held)

    def page_resources(
        self, items: list[dict[str, Any]], kind: ItemKind, errors: list[InputError],
        held: bool = False,
    ) -> list[Resource]:  # fmt: skip
        """:meth:`item_resource` of each item of a page, their canonical bytes those of
        :func:`~stateward.model.canonical.canonical_json`: orjson's text of each object is
        taken as it is (``floats`` False), then the page's texts are searched at once for a
        token the standard library may write otherwise
        (:func:`~stateward.model.canonical.finite_texts_may_differ`), and only where one is
        found, each text, and the objects whose text may differ are encoded again as
        :meth:`item_resource` encodes them. Searched one text at a time, the watch bench's
        10k listed objects took 67M instructions to search, their pages' texts joined 36M
        (callgrind); their pages digested, 4,184M against 4,165M."""
        read = [resource for item in items
                if (resource := self.item_resource(item, kind, errors, held, floats=False))
                is not None]  # fmt: skip
        if not finite_texts_may_differ(r.canonical for r in read):
            return read
        return [_encoded_again(r, held) if finite_texts_may_differ((r.canonical,)) else r
                for r in read]  # fmt: skip

    def item_resource(
        self,
        item: dict[str, Any],
        kind: ItemKind,
        errors: list[InputError],
        held: bool = False,
        floats: bool = True,
    ) -> Resource | None:
        """:meth:`resource`, with what the items of ``kind`` share worked out once for a page
        of them (:class:`ItemKind`). ``floats`` False: its canonical bytes are orjson's text
        as it is, which the caller searches (:meth:`page_resources`)."""
        # A list answer's items carry neither apiVersion nor kind; metadata-only ones say
        # PartialObjectMetadata: both become the object's own, first, the item's keys after
        # them in its order. Unpacked whole, then set: an item's own two keep their place, and
        # no key is tested in Python (a third of the time of leaving them out, ~5 ms a 10k list).
        obj = {"apiVersion": kind.api_version, "kind": kind.kind, **item}
        obj["apiVersion"], obj["kind"] = kind.api_version, kind.kind
        meta = obj.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        where = f"{kind.where}{name}"
        try:
            group = kind.group
            key = resource_key(obj) if group is None else kind_key(group, kind.kind, meta)
            redact_object(obj, self.keeper)
            # finite: decoded by canonical.decoded, which refuses NaN and the infinities, and
            # redaction adds only strings. No API server sends them: Go's encoder refuses them
            # (floatEncoder, https://github.com/golang/go/blob/go1.22.0/src/encoding/json/encode.go:
            # UnsupportedValueError), so a Deployment's "creationTimestamp": null is not read
            # back to be sure (~10 ms per 1,000 workloads of a real cluster's first list)
            return Resource.of(key, obj, Origin(SOURCE, where), finite=True, encoded=held,
                               floats=floats)  # fmt: skip
        except InputError as exc:
            errors.append(InputError(where, exc.reason))
        except CanonicalError as exc:
            errors.append(InputError(where, exc.message))
        return None

    def failure(self, kind: ApiKind, exc: ApiFailure) -> InputError:
        """The one-line error for a kind that could not be read: not observed."""
        where = f"{self.location}#{kind.resource}"
        scope = f" in namespace {self.namespace}" if self.namespace and kind.namespaced else ""
        if exc.status == 403:
            return InputError(where, f"listing {kind.resource}{scope} is forbidden (RBAC); "
                              "not observed", remedy="Grant the reader list on it, or accept "
                              "the partial observation.")  # fmt: skip
        return InputError(where, f"listing {kind.resource}{scope} failed: {exc.reason}; "
                          "not observed")  # fmt: skip

    def broken(self, kind: ApiKind, exc: Exception) -> InputError:
        """The one-line error for a kind whose reading failed on this side of the wire (an
        object no step could take, a recorder's callback that raised): not observed."""
        where = f"{self.location}#{kind.resource}"
        text = f"{type(exc).__name__}: {first_line(exc)}"
        return InputError(where, f"reading {kind.resource} failed ({text}); not observed")

    def close(self) -> None:
        self.cluster.close()


def open_reader(
    location: str,
    keeper: SecretKeeper,
    environ: Mapping[str, str] | None = None,
    deadline_s: float = DEADLINE_S,
    page: int = PAGE,
    service_account: Path = SERVICE_ACCOUNT,
) -> Reader:
    """Connect to ``location``'s cluster and discover its kinds; SourceError when the cluster
    cannot be reached or its discovery cannot be read at all."""
    target = KubeTarget.parse(location)
    cluster = connect(target, environ, service_account)
    cluster.deadline_s = deadline_s
    try:
        found = discover(cluster)
    except ApiFailure as exc:
        cluster.close()
        raise SourceError(f"cannot read the API of {cluster.server}: {exc.reason}",
                          remedy="Check the kubeconfig context and that the cluster answers.",
                          ) from None  # fmt: skip
    namespace = None if target.namespace == ALL_NAMESPACES else cluster.namespace
    kinds = [k for k in found.kinds if namespace is None or k.namespaced]
    errors = [InputError(f"{location}#{gv}", f"discovery failed: {reason}; its kinds not "
                         "observed") for gv, reason in found.failed]  # fmt: skip
    return Reader(cluster, target, location, keeper, kinds, namespace, errors, page)


def _encoded_again(resource: Resource, held: bool) -> Resource:
    """``resource``, read from a list page with its canonical bytes orjson's text as it is,
    made again from its (redacted) body with the text looked at: what
    :meth:`Reader.item_resource` makes of the same item."""
    return Resource.of(resource.key, resource.read_body(), resource.origin, finite=True,
                       encoded=held)  # fmt: skip


def page_parts(answer: Any) -> tuple[list[dict[str, Any]], str, str]:
    """A decoded list answer's items, resourceVersion and continue token; ApiFailure when it
    is not a list answer."""
    items = answer.get("items") if isinstance(answer, dict) else None
    metadata = answer.get("metadata") if isinstance(answer, dict) else None
    if not isinstance(items, list) or not isinstance(metadata, dict):
        raise ApiFailure(200, "the list answer has no items or metadata")
    token, version = metadata.get("continue") or "", metadata.get("resourceVersion") or ""
    if not isinstance(token, str) or not isinstance(version, str):
        raise ApiFailure(200, "the list answer's continue or resourceVersion is not a string")
    return [i for i in items if isinstance(i, dict)], version, token


class ItemKind:
    """What every item of one kind shares on its way to a resource (:meth:`Reader.resource`),
    worked out once for a page of them: its ``apiVersion`` and ``kind``, their group as a key
    holds it (None where the key is left to :func:`resource_key` whole: an empty
    ``apiVersion`` or ``kind``, which it refuses) and where its items are read. Worked out per
    item (three properties of the kind formatted anew, the ``apiVersion`` checked and split
    again), they were ~4.5k instructions an item (callgrind, the watch bench's 10k listed
    items: 2,407M against 2,362M, redaction 1,720M of it)."""

    __slots__ = ("api_version", "kind", "group", "where")

    def __init__(self, location: str, kind: ApiKind) -> None:
        self.api_version, self.kind = kind.api_version, sys.intern(kind.kind)
        self.group = group_of(self.api_version) if self.api_version and self.kind else None
        self.where = f"{location}#{kind.resource}/"


class _Page(Protocol):
    def head(self) -> tuple[str, str]: ...

    def resources(self, errors: list[InputError]) -> Iterator[Resource]: ...


class _Decoded:
    """A page decoded here: its items become resources when they are asked for, the page's
    at once (:meth:`Reader.page_resources`)."""

    def __init__(self, reader: Reader, kind: ApiKind, answer: Any, held: bool) -> None:
        self.reader, self.kind, self.held = reader, ItemKind(reader.location, kind), held
        self.items, self.version, self.token = page_parts(answer)

    def head(self) -> tuple[str, str]:
        return self.version, self.token

    def resources(self, errors: list[InputError]) -> Iterator[Resource]:
        return iter(self.reader.page_resources(self.items, self.kind, errors, self.held))


class _Digested:
    """A page decoded and digested here at once, by the thread that read it (the next page is
    asked for once it is taken): one the page worker declined while it digests the page
    before. Digested as its items were taken, it waited for the worker's page to be taken
    first, so the two processes digested in turn, never at once (``bench/bench_watch.py``'s
    list: each page the worker digested, the watch's process waited for)."""

    def __init__(self, page: _Decoded) -> None:
        self.version, self.token = page.head()
        self.errors: list[InputError] = []
        self.read = list(page.resources(self.errors))

    def head(self) -> tuple[str, str]:
        return self.version, self.token

    def resources(self, errors: list[InputError]) -> Iterator[Resource]:
        errors.extend(self.errors)
        return iter(self.read)
