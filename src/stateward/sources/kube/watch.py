"""Follow a cluster as it changes: list every kind, then watch each from its list's
resourceVersion, the way client-go's reflector does (k8s.io/client-go/tools/cache/reflector.go),
once the whole state was heard as the first batch.

One thread a kind lists it, then watches it with ``allowWatchBookmarks`` and a server-side
``timeoutSeconds``; every event moves its resourceVersion on, and a bookmark moves it on with no
event, so a watch that ends (timeout, a dropped connection, a restarted server) resumes exactly
after the last event seen: nothing missed, nothing twice. A resourceVersion the server no longer
keeps (410 Gone, as an ERROR event or as an answer) is answered by listing the kind again. A
failed connection is retried with exponential backoff. The caller gets :class:`Batch`es: every
change gathered for ``debounce_s`` after the first, with the whole state as it then stands.
The state holds each object as its canonical bytes, not its parsed body (:class:`_Held`): a
watch of many objects holds about twice their JSON size, not eight times.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stateward.errors import InputError, SourceError
from stateward.model.derived import views_to_keep
from stateward.model.encoded import EncodedBody
from stateward.model.resource import Origin, Resource, ResourceKey, made
from stateward.model.secrets import SecretKeeper
from stateward.sources.interface import Progress
from stateward.sources.kube.attribution import Writer, last_writer
from stateward.sources.kube.client import ApiFailure
from stateward.sources.kube.discovery import ApiKind
from stateward.sources.kube.location import DEADLINE_S
from stateward.sources.kube.pages import Derive, PageWorker, page_worker
from stateward.sources.kube.reader import GONE, Reader, open_reader
from stateward.workers import spare_core

__all__ = ["Applied", "Batch", "KubeWatch"]

RELISTED = "RELISTED"
_FOREVER = (401, 403, 404)
"""Answers a retry will not change: the kind stays not observed (and is retried on relist)."""


@dataclass(frozen=True, slots=True)
class Applied:
    """One change applied to the state: the object's resourceVersion, the event's type
    (``ADDED``, ``MODIFIED``, ``DELETED``, or ``RELISTED`` for a difference a list found), the
    object's key, and who wrote it (None for a deletion: the API keeps no deleter)."""

    version: str
    type: str
    key: ResourceKey
    writer: Writer | None = None

    def as_dict(self) -> dict[str, str]:
        """Stable JSON form: what changed, and who changed it, how and when."""
        found = {"resource": str(self.key), "type": self.type, "resourceVersion": self.version}
        if self.writer is not None:
            found.update(manager=self.writer.manager, operation=self.writer.operation,
                         time=self.writer.time)  # fmt: skip
        return found


@dataclass(slots=True)
class Batch:
    """What one debounce period brought, and the whole state after it."""

    resources: list[Resource]
    applied: list[Applied]
    errors: list[InputError]
    complete: bool
    """False while a kind could not be listed: its objects are not observed."""
    listed: bool
    """True when a kind was (re)listed: the state was read anew, not only changed."""


@dataclass(slots=True)
class _Listed:
    kind: ApiKind
    objects: dict[ResourceKey, _Held]
    version: str
    errors: list[InputError]


@dataclass(slots=True)
class _Changed:
    kind: ApiKind
    type: str
    resource: Resource | None
    version: str
    errors: list[InputError]


@dataclass(slots=True)
class _Failed:
    kind: ApiKind
    error: InputError


@dataclass(slots=True)
class _Broken:
    """The watch cannot go on (its page worker ended): raised where the batches are made."""

    kind: ApiKind
    error: SourceError


_Message = _Listed | _Changed | _Failed | _Broken


@dataclass(slots=True)
class KubeWatch:
    """Follows one ``kube://`` location until ``stop`` is set."""

    location: str
    keeper: SecretKeeper
    environ: Mapping[str, str] | None = None
    debounce_s: float = 1.0
    backoff_s: tuple[float, float] = (0.1, 5.0)
    """First and longest wait before reconnecting; each failure doubles it."""
    watch_timeout_s: int = 290
    """The server ends each watch after this long; it is then resumed (kubectl: 5-10 min)."""
    deadline_s: float = DEADLINE_S
    progress: Progress | None = None
    """Hears the kinds first listed (or failed) so far, and how many, while the watch starts."""
    on_pod: Callable[[str, Mapping[str, Any]], None] | None = None
    """Hears every pod event (its type and the pod, redacted) as it arrives, before the
    debounce: a pod that starts terminating is captured within its grace period."""
    on_listed: Callable[[list[tuple[str, bytes]]], None] | None = None
    """Hears each page a list brought, as its objects' digests and canonical bytes, as soon
    as the page is digested: a recorder stores them while the next pages arrive, not all
    after the last one."""
    on_read: Callable[[Resource], None] | None = None
    """Hears each object a list brought, before the state keeps it as bytes: as a resource
    whose (redacted) body still holds it parsed, or, digested by the page worker, with the views
    ``derive`` computed there (its body is the canonical bytes, left undecoded). A recorder
    computes from it, into its ``derived``, what the next observation would otherwise decode
    the body for, while the next pages arrive: the next batch's resource of that object
    carries those views (:func:`_as_given`)."""
    derive: Derive | None = None
    """Computes the views of each object of the first lists where its page is digested: in
    the page worker, which gives them back as bytes (heard with the resource by ``on_read``)."""
    page_worker: bool | None = None
    """Digest the first lists' pages in a worker process (:mod:`.pages`) where one can run
    beside this one; it ends once every kind answered its first list. None: when a core is
    idle and this process runs one thread (``bench/bench_watch.py``: it pays on an idle
    machine, costs on a loaded one; :func:`stateward.workers.spare_core`)."""
    _queue: queue.Queue[_Message] = field(default_factory=queue.Queue)
    _heard: threading.Event = field(default_factory=threading.Event)
    """The first batch was heard: the kinds' watches start (:meth:`_Follower.run`)."""

    def run(self, on_batch: Callable[[Batch], None], stop: threading.Event) -> None:
        """List, then call ``on_batch`` once with the whole state and once per debounce period
        with changes, until ``stop``. SourceError when the cluster cannot be reached."""
        reader = open_reader(self.location, self.keeper, self.environ, self.deadline_s)
        # forked before the followers start, from this thread (it outlives the worker)
        wanted = spare_core() if self.page_worker is None else self.page_worker
        worker = page_worker(reader, self.derive) if wanted else None
        for kind in reader.kinds:
            follow = _Follower(self, reader, kind, stop, worker)
            threading.Thread(target=follow.run, daemon=True, name=f"watch {kind.resource}").start()
        try:
            _State(self, reader, worker).serve(on_batch, stop)
        finally:
            stop.set()  # the followers end with the collector
            self._heard.set()  # those waiting to watch too
            if worker is not None:
                worker.close()
            reader.close()


@dataclass(slots=True)
class _Held:
    """An object as the state keeps it, under its key, from the page or event that brought
    it: its canonical bytes, their digest and its origin. A parsed body would hold five times
    its JSON size, and a batch reads few bodies: it gets each object as a resource whose body
    is decoded if read (:class:`~stateward.model.encoded.EncodedBody`), let go with the batch."""

    data: bytes
    digest: str
    origin: Origin
    given: Resource | None = None
    """A listed object as the next batch gives it (:func:`_as_given`), made as it was read,
    until that batch takes it (:meth:`taken`). Kept here, not in a map of its own beside the
    state: each listed object's key was hashed twice more (ResourceKey's hash is Python's, ~2k
    instructions), and its digest compared, to find it again."""

    @classmethod
    def of(cls, resource: Resource, given: Resource | None = None) -> _Held:
        return cls(resource.canonical, resource.digest, resource.origin, given)

    @property
    def body(self) -> Mapping[str, Any]:
        return EncodedBody(self.data)

    def resource(self, key: ResourceKey) -> Resource:
        """The object under ``key`` as a resource for one batch."""
        return made(key, EncodedBody(self.data), self.origin, self.data, self.digest)

    def taken(self, key: ResourceKey) -> Resource:
        """:meth:`resource`, or the resource a list read, given once and then let go."""
        given, self.given = self.given, None
        return given if given is not None else self.resource(key)


def _as_given(resource: Resource) -> Resource:
    """A listed object as the next batch gives it: the very resource, its body the canonical
    bytes (read ``held``, or made so by the page worker), the parsed item it held let go, with
    the views computed from it so far (those a batch keeps). The first batch gives every
    object of the first list: made again after the last page, with their views looked up, they
    took 15-17 ms of CPU in the serial tail at 10k objects, 4 ms made as each page was read
    (``bench/bench_watch.py``'s list, load 9-12), and ~1 us an object less read as they are
    given (one resource an object, not two)."""
    body = resource.body
    assert isinstance(body, EncodedBody), "bad math: a list is read held"
    body.release()
    if resource.derived:
        views = views_to_keep(resource)
        resource.derived.clear()
        resource.derived.update(views)
    return resource


@dataclass(slots=True)
class _State:
    watch: KubeWatch
    reader: Reader
    worker: PageWorker | None
    objects: dict[ApiKind, dict[ResourceKey, _Held]] = field(default_factory=dict)
    failed: dict[ApiKind, InputError] = field(default_factory=dict)
    listed: set[ApiKind] = field(default_factory=set)
    """Kinds listed at least once: a later list is a relist, its differences are changes."""
    fresh: bool = False
    """The last messages applied listed a kind for the first time."""

    def serve(self, on_batch: Callable[[Batch], None], stop: threading.Event) -> None:
        first = self._gather(stop, wait_for_all=True)
        if self.worker is not None:
            self.worker.release()  # every kind answered: a relist is digested where it is read
        if {m.kind for m in first} < set(self.reader.kinds):
            return  # stopped before every kind answered: an empty state would claim all removed
        on_batch(self._batch(first, self._apply(first)))
        self.watch._heard.set()
        while not stop.is_set() or not self.watch._queue.empty():
            failed = set(self.failed)
            messages = self._gather(stop, wait_for_all=False)
            applied = self._apply(messages)
            if applied or set(self.failed) != failed or self.fresh:
                on_batch(self._batch(messages, applied))  # else nothing changed: no entry

    def _gather(self, stop: threading.Event, wait_for_all: bool) -> list[_Message]:
        """The first message, then all that come within the debounce period; at the start, one
        message from every kind (listed or failed) however long that takes."""
        messages: list[_Message] = []
        seen: set[ApiKind] = set()
        until: float | None = None
        while True:
            done = not wait_for_all or seen >= set(self.reader.kinds)
            if done and until is not None and time.monotonic() >= until:
                return messages
            if stop.is_set() and self.watch._queue.empty():
                return messages
            try:
                message = self.watch._queue.get(timeout=0.05)
            except queue.Empty:
                if done and wait_for_all:
                    return messages
                continue
            messages.append(message)
            first = message.kind not in seen
            seen.add(message.kind)
            if first and wait_for_all and self.watch.progress is not None:
                self.watch.progress(len(seen), len(self.reader.kinds))
            until = until or time.monotonic() + self.watch.debounce_s

    def _apply(self, messages: list[_Message]) -> list[Applied]:
        """Apply the messages to the state; the changes they made."""
        applied: list[Applied] = []
        self.fresh = False
        for message in messages:
            if isinstance(message, _Broken):
                raise message.error
            if isinstance(message, _Failed):
                self.failed[message.kind] = message.error
            elif isinstance(message, _Listed):
                applied.extend(self._relisted(message))
            elif message.resource is not None:
                applied.append(self._changed(message, message.resource))
        return applied

    def _batch(self, messages: list[_Message], applied: list[Applied]) -> Batch:
        # each object a list read since the last batch as it was read, the others from bytes
        resources = [held.taken(key) for objects in self.objects.values()
                     for key, held in objects.items()]  # fmt: skip
        item_errors = [e for m in messages if isinstance(m, _Listed | _Changed) for e in m.errors]
        errors = [*self.reader.errors, *self.failed.values(), *item_errors]
        complete = not self.reader.errors and not self.failed
        listed = any(isinstance(m, _Listed) for m in messages)
        return Batch(resources, applied, errors, complete, listed)

    def _relisted(self, message: _Listed) -> list[Applied]:
        before = self.objects.get(message.kind, {})
        self.objects[message.kind] = message.objects
        self.failed.pop(message.kind, None)
        if message.kind not in self.listed:
            self.listed.add(message.kind)
            self.fresh = True  # a kind seen for the first time: new objects, not changes
            return []
        keys = sorted(set(before) | set(message.objects))
        return [Applied(message.version, RELISTED, k, _writer(message.objects.get(k), before.get(k)))
                for k in keys if _digest(before.get(k)) != _digest(message.objects.get(k))
                ]  # fmt: skip

    def _changed(self, message: _Changed, resource: Resource) -> Applied:
        objects = self.objects.setdefault(message.kind, {})
        if message.type == "DELETED":
            objects.pop(resource.key, None)
            return Applied(message.version, message.type, resource.key)
        before = objects.get(resource.key)
        objects[resource.key] = _Held.of(resource)
        return Applied(message.version, message.type, resource.key, _writer(resource, before))


def _digest(held: _Held | None) -> str:
    return held.digest if held is not None else ""


def _writer(resource: Resource | _Held | None, before: _Held | None) -> Writer | None:
    """Who wrote ``resource``; None when the write left its ``managedFields`` as they were: no
    field manager made it (a graceful deletion's ``deletionTimestamp``, a finalizer's end)."""
    if resource is None or (before is not None and _managed(resource) == _managed(before)):
        return None
    return last_writer(resource.body)


def _managed(resource: Resource | _Held) -> Any:
    metadata = resource.body.get("metadata")
    return metadata.get("managedFields") if isinstance(metadata, Mapping) else None


@dataclass(slots=True)
class _Follower:
    """Lists one kind, then watches it for as long as the collector runs."""

    watch: KubeWatch
    reader: Reader
    kind: ApiKind
    stop: threading.Event
    worker: PageWorker | None = None
    version: str | None = None
    """Where the watch resumes: the last event's or bookmark's resourceVersion; None to list."""

    def run(self) -> None:
        delay = self.watch.backoff_s[0]
        while not self.stop.is_set():
            try:
                if self.version is None:
                    self.version = self._list()
                if not self._heard():
                    return
                self._follow(self.version)
                delay = self.watch.backoff_s[0]
            except SourceError as exc:  # the page worker ended mid-list
                self._put(_Broken(self.kind, exc))
                return
            except ApiFailure as exc:
                if exc.status == GONE and self.version is not None:
                    self.version = None  # the server no longer keeps our place: list again
                    continue
                if self.version is None or exc.status in _FOREVER:
                    self._put(_Failed(self.kind, self.reader.failure(self.kind, exc)))
                self.stop.wait(delay)
                delay = min(delay * 2, self.watch.backoff_s[1])
            except Exception as exc:  # noqa: BLE001 -- a follower that died would go unheard
                # and the first batch would wait for its kind forever: the kind is reported
                # not observed, by name and cause, and read again from a new list
                self.version = None
                self._put(_Failed(self.kind, self.reader.broken(self.kind, exc)))
                self.stop.wait(delay)
                delay = min(delay * 2, self.watch.backoff_s[1])

    def _list(self) -> str:
        errors: list[InputError] = []
        heard = self.watch.on_listed
        on_page = (lambda page: heard([(h.digest, h.data) for _, h in page])) if heard else None
        found, version = self.reader.list_kind(self.kind, errors, self._keyed, on_page,
                                               self.worker, held=True)  # fmt: skip
        self._put(_Listed(self.kind, dict(found), version, errors))
        return version

    def _heard(self) -> bool:
        """Wait until the first batch was heard; False if stopped first. A kind's watch starts
        from its list's resourceVersion whenever it starts, missing nothing, and the first
        batch needs none: started as each list ended, the watches of the kinds listed first
        took this process's CPU from the lists still going (~21 ms for the 27 kinds of
        ``bench/bench_watch.py``'s list, load 11, on the way to its first observation)."""
        self.watch._heard.wait()  # set at the end of the watch too (:meth:`KubeWatch.run`)
        return not self.stop.is_set()

    def _follow(self, version: str) -> None:
        """Watch from ``version`` until the server ends the stream, moving ``self.version`` on
        with every event: a stream that breaks resumes after the last event it gave."""
        query = {"watch": "true", "resourceVersion": version, "allowWatchBookmarks": "true",
                 "timeoutSeconds": str(self.watch.watch_timeout_s)}  # fmt: skip
        if self.reader.target.selector:
            query["labelSelector"] = self.reader.target.selector
        accept = self.reader.accept(self.kind, watch=True)
        timeout = self.watch.watch_timeout_s + self.watch.deadline_s
        path = self.kind.path(self.reader.namespace)
        for event in self.reader.cluster.stream(path, query, accept, timeout):
            if self.stop.is_set():
                return
            self.version = self._event(event)

    def _event(self, event: dict[str, Any]) -> str:
        kind, obj = event.get("type"), event.get("object")
        if not isinstance(obj, dict):
            raise ApiFailure(200, "a watch event has no object")
        if kind == "ERROR":
            raise ApiFailure(int(obj.get("code") or 0), str(obj.get("message", "watch error")))
        metadata = obj.get("metadata")
        new = metadata.get("resourceVersion") if isinstance(metadata, dict) else None
        if not isinstance(new, str) or not new:
            raise ApiFailure(200, "a watch event has no resourceVersion")
        if kind in ("ADDED", "MODIFIED", "DELETED"):
            errors: list[InputError] = []
            resource = self.reader.resource(obj, self.kind, errors)
            if self.watch.on_pod and resource and (self.kind.group, self.kind.kind) == ("", "Pod"):
                self.watch.on_pod(kind, resource.body)
            self._put(_Changed(self.kind, kind, resource, new, errors))
        elif kind != "BOOKMARK":
            raise ApiFailure(200, f"unknown watch event type {kind!r}")
        return new

    def _put(self, message: _Message) -> None:
        self.watch._queue.put(message)

    def _keyed(self, resource: Resource) -> tuple[ResourceKey, _Held]:
        """A listed object as the state keeps it, under its key, with the resource the next
        batch gives, as soon as its page is digested: the pages of a large list are never all
        held parsed at once."""
        if self.watch.on_read is not None:
            self.watch.on_read(resource)
        return resource.key, _Held.of(resource, _as_given(resource))
