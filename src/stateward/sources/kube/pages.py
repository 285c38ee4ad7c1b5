"""A watch's first list digested in a worker process while the watch reads the next page.

Turning a list page into resources is CPU-bound Python: decoding the page, redacting secret
values to keyed digests, encoding each object canonically and digesting it, normalizing the
workloads (more than half the CPU time of a first list of 10k objects). In one process all of
it shares one core, and the interpreter lock, with reading the answers and storing the pages. A
forked worker process does it instead, as the file scan's pool does
(:mod:`stateward.sources.files`), and gives back each object's canonical bytes, digest and
views as bytes: bytes pickle at memory speed, and no body is decoded or encoded twice.

Each page goes to the one worker in two steps, in the order pages arrive: :func:`_open` decodes
it and answers its resourceVersion and continue token at once, so the next page is asked for
while :func:`_digest` turns this one's items into resources. A page that arrives while the
worker is still digesting one is digested where it was read instead (:meth:`PageWorker.open`
declines it), at once, by the thread that read it, while the worker digests the one before:
digesting is the list's slowest step, the worker alone set the whole list's pace, and the
reading process mostly waited for it; both now digest at once, each page where a core is
free, in the same order and to the same resources. Of the pages arriving while the worker is
busy, every other one waits for it instead (one at most: :data:`_QUEUED`): the reading
process does more than digest (it reads every answer, makes the state's objects of every
page, stores them, then records the observation), and declining each such page left it the
busier of the two (``bench/bench_watch.py``'s list, median of 6, in turn, load 6: this
process 0.60 s of CPU and the worker 0.18; every other page queued, 0.55 and 0.26). A
worker that dies (killed, out of memory) is a :class:`~stateward.errors.SourceError` naming
it; nothing of the list it was digesting is in any observation. What the worker learns on the way (the inputs redaction found
clean, :mod:`stateward.sources.redact`) ends with it: a relist digested later starts cold.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from stateward.errors import InputError, SourceError
from stateward.model.derived import encoded_views
from stateward.model.encoded import EncodedBody
from stateward.model.resource import Origin, Resource, ResourceKey, made
from stateward.sources.kube.client import ApiFailure, decoded
from stateward.sources.kube.discovery import ApiKind
from stateward.sources.kube.location import SOURCE
from stateward.sources.kube.reader import ItemKind, Reader, page_parts
from stateward.workers import forked_pool

__all__ = ["Derive", "PageWorker", "WorkerPage", "available", "page_worker"]

Derive = Callable[[Resource], None]
_Packed = tuple[tuple[str, str, str, str], str, bytes, str, dict[str, bytes]]
"""An object's key and origin as plain strings (a frozen dataclass unpickles field by field,
five times slower), its canonical bytes, their digest and its views as bytes."""
_Head = tuple[str, str, int, str]
"""A page's resourceVersion and continue token; or the status and reason it failed with."""
Result = TypeVar("Result")
_QUEUED = 2
"""Pages given to the worker at most at once: the one it digests and one waiting behind it."""

_reader: Reader | None = None
"""The worker's reader (its location and keeper), inherited by the fork, never pickled."""
_derive: Derive | None = None
_opened: dict[int, tuple[ApiKind, list[dict[str, Any]]]] = {}
"""The worker's pages decoded and not yet digested, by number."""


class WorkerPage:
    """One page given to the worker: its head (resourceVersion and continue token) as soon as
    it is decoded, its resources once they are digested."""

    def __init__(self, head: Future[_Head], body: Future[tuple[list[_Packed], list[InputError]]],
                 location: str) -> None:  # fmt: skip
        self._head, self._body, self.location = head, body, location

    def head(self) -> tuple[str, str]:
        """The page's resourceVersion and continue token; ApiFailure when it is not a list."""
        version, token, status, reason = _result(self._head, self.location)
        if reason:
            raise ApiFailure(status, reason)
        return version, token

    def resources(self, errors: list[InputError]) -> Iterator[Resource]:
        """The page's objects as resources, their views computed; an item without an
        identity is one error in ``errors``."""
        packed, failed = _result(self._body, self.location)
        errors.extend(failed)
        for key, where, data, digest, views in packed:
            origin = Origin(SOURCE, where)
            resource = made(ResourceKey(*key), EncodedBody(data), origin, data, digest)
            resource.derived.update(views)
            yield resource


class PageWorker:
    """One worker process digesting list pages, forked at once from the calling thread, which
    must live as long as the worker (:func:`~stateward.workers.forked_pool`), and before that
    thread starts others: a fork copies no thread, nor a lock another one holds."""

    def __init__(self, reader: Reader, derive: Derive | None = None) -> None:
        global _reader, _derive
        _reader, _derive = reader, derive
        try:
            self.pool = forked_pool(1)
            self.pool.submit(os.getpid).result()  # the fork happens at the first task
        finally:
            _reader = _derive = None
        self.location = reader.location
        self.numbers = itertools.count()
        self.lock = threading.Lock()
        self.closed = False
        self.digesting = 0
        """Pages given and not digested yet."""
        self.queued = True
        """The last page that arrived while the worker digested another waited for it (so at
        first, the first such page is declined)."""
        self.ending: threading.Thread | None = None

    def open(self, kind: ApiKind, status: int, data: bytes) -> WorkerPage | None:
        """Give the worker a page of ``kind`` (an answer's ``status`` and bytes); None once
        closed, or declined while it digests another (every other such page, and every one
        while another waits: the caller digests the page itself)."""
        with self.lock:
            if self.closed:
                return None
            if self.digesting >= _QUEUED or (self.digesting and not self._queues()):
                return None
            number = next(self.numbers)
            try:
                head = self.pool.submit(_open, number, kind, status, data)
                body = self.pool.submit(_digest, number)
            except BrokenProcessPool:
                raise _lost(self.location) from None
            self.digesting += 1
        body.add_done_callback(self._digested)
        return WorkerPage(head, body, self.location)

    def _queues(self) -> bool:
        """Whether a page arriving while the worker digests another waits for it: every other
        one, the first declined."""
        self.queued = not self.queued
        return self.queued

    def _digested(self, _: Future[Any]) -> None:
        with self.lock:
            self.digesting -= 1

    def release(self) -> None:
        """No more pages: the worker ends once those given to it are digested, without this
        thread waiting for it (the first observation is recorded meanwhile: waiting for the
        worker's exit took ~50 ms at load 15, bench_watch). :meth:`close` waits for it."""
        with self.lock:
            self.closed = True
            if self.ending is None:
                self.ending = threading.Thread(target=self.pool.shutdown, daemon=True,
                                               name="page worker ends")  # fmt: skip
                self.ending.start()

    def close(self) -> None:
        """No more pages; return once the worker ended."""
        self.release()
        assert self.ending is not None, "bad math: release starts the ending"
        self.ending.join()


def page_worker(reader: Reader, derive: Derive | None) -> PageWorker | None:
    """A worker for ``reader``'s first lists where one can run beside this process; None
    where none can, or the fork failed (the pages are then digested where they are read)."""
    if not available():
        return None
    try:
        return PageWorker(reader, derive)
    except (OSError, BrokenProcessPool):
        return None


def available() -> bool:
    """A worker can run beside this process: two cores or more, and fork(2)."""
    return (os.cpu_count() or 1) >= 2 and "fork" in mp.get_all_start_methods()


def _result(future: Future[Result], location: str) -> Result:
    try:
        return future.result()
    except BrokenProcessPool:
        raise _lost(location) from None


def _lost(location: str) -> SourceError:
    return SourceError(f"the worker process digesting the list pages of {location} ended "
                       "before it finished; nothing of that list was recorded",
                       remedy="Start the watch again (was the worker killed, or out of memory?)."
                       )  # fmt: skip


def _open(number: int, kind: ApiKind, status: int, data: bytes) -> _Head:
    """In the worker: decode page ``number``, keep its items for :func:`_digest`."""
    try:
        items, version, token = page_parts(decoded(status, data))
    except ApiFailure as exc:
        return "", "", exc.status, exc.reason
    _opened[number] = (kind, items)
    return version, token, status, ""


def _digest(number: int) -> tuple[list[_Packed], list[InputError]]:
    """In the worker: page ``number``'s items as resources, packed (none if it failed)."""
    assert _reader is not None, "bad math: the page worker started without its reader"
    kind, items = _opened.pop(number, (None, []))
    errors: list[InputError] = []
    packed: list[_Packed] = []
    if kind is None:
        return packed, errors
    shared = ItemKind(_reader.location, kind)
    for resource in _reader.page_resources(items, shared, errors):
        if _derive is not None:
            _derive(resource)
        key = resource.key
        packed.append(((key.group, key.kind, key.namespace, key.name), resource.origin.location,
                       resource.canonical, resource.digest, encoded_views(resource)))  # fmt: skip
    return packed, errors
