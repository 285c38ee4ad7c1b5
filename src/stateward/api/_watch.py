"""Watch: follow a live cluster and record each debounced batch of changes as an observation."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from stateward.api._observe import observation_of
from stateward.api._retention import Retention, compact
from stateward.api._stores import StoreRef, opened
from stateward.api._watch_engine import follow_engine
from stateward.contexts import derive_live_view
from stateward.errors import InputError, UsageError
from stateward.forensics.capture import CaptureOptions
from stateward.forensics.guard import GuardOutcome
from stateward.forensics.pod import PodTriggers, capture_pod
from stateward.forensics.records import record_evidence
from stateward.model.derived import KeptViews
from stateward.model.observation import Observation
from stateward.model.resource import Resource
from stateward.sources.engine.endpoint import accepts as engine_accepts
from stateward.sources.interface import Progress
from stateward.sources.kube.client import connect
from stateward.sources.kube.location import PAGE, KubeTarget, accepts
from stateward.sources.kube.watch import Batch, KubeWatch
from stateward.store import Store
from stateward.store.staged import NOTHING_STAGED, Staged

__all__ = ["WatchCapture", "Recorded", "watch"]

WATCHES = "watch follows exactly one kube:// or engine:// source"
WATCH_REMEDY = "Give one kube://[CONTEXT][/NAMESPACE] or engine://[/path/to.sock]."
_CAPTURES = 8
"""Pods captured at once: a storm of deletions queues, each within its grace period."""


@dataclass(frozen=True)
class Recorded:
    """One observation a watch recorded: its number and what its batch held."""

    seq: int
    changes: int
    listed: bool
    """The batch is a whole (re)list, not a delta."""
    complete: bool
    resources: int
    errors: tuple[InputError, ...]
    applied: tuple[dict[str, str], ...] = ()
    """Each change, attributed to its writer (:meth:`Applied.as_dict`)."""


@dataclass(frozen=True)
class WatchCapture:
    """Evidence sealed from a pod or container before it vanished, and its ledger entry."""

    subject: str
    """A pod's ``NAMESPACE/NAME``, a container's name."""
    trigger: str
    evidence: str
    entry: int
    complete: bool


def watch(
    store: StoreRef,
    source: str,
    *,
    estate: str,
    on_record: Callable[[Recorded], None],
    stop: threading.Event,
    debounce_s: float = 1.0,
    progress: Progress | None = None,
    capture: CaptureOptions | None = None,
    on_capture: Callable[[WatchCapture], None] | None = None,
    retention: Retention | None = None,
    page_worker: bool | None = None,
) -> None:
    """Follow ``source`` (one kube:// location, or an engine:// one: :mod:`._watch_engine`)
    until ``stop`` is set: record the whole state
    once, then one observation per ``debounce_s`` period in which anything changed (a relist
    after 410 Gone re-reads all); ``on_record`` hears of each; ``progress`` the kinds
    listed so far at the start, and how many. With ``capture``, a pod that
    starts terminating, is evicted or deleted, or whose container restarts is captured
    (:mod:`stateward.forensics.pod`) and sealed into the ledger; ``on_capture`` hears of each.
    With ``retention``, older observations are compacted (:mod:`._retention`) once per its
    ``keep_every`` period. ``page_worker``: the first list's pages are digested in a worker
    process where one can run (:mod:`stateward.sources.kube.pages`); by default (None) when a
    core is idle: ``bench/bench_watch.py`` measured it faster on an idle machine (2.25x
    against 2.71x the floor at load 0.3) and slower on a loaded one (2.56x against 2.10x at
    load 3-6)."""
    if not accepts(source) and not engine_accepts(source):
        raise UsageError(WATCHES, remedy=WATCH_REMEDY)
    recorder = _Recorder(opened(store), estate, on_record, retention)
    if engine_accepts(source):
        _watch_engine(recorder, source, stop, debounce_s, capture, on_capture)
        return

    views = KeptViews()  # the workloads a batch did not change are not normalized again
    staged = _Staged(recorder.writer)
    ahead = _Ahead()

    def observed(batch: Batch) -> None:
        views.give(batch.resources)
        observation = observation_of(estate, [source], batch.resources, errors=batch.errors,
                                     complete=batch.complete)  # fmt: skip
        observation.changes = [a.as_dict() for a in batch.applied]
        recorder.record(observation, len(batch.applied), batch.listed, staged.stored())
        views.keep(observation.resources)  # for the next batch: the record need not wait

    def record(batch: Batch) -> None:
        ahead.listed()
        staged.listed()
        observed(batch)  # its observation is let go before the state is frozen
        collector.listed()

    writer = recorder.writer
    pods = _PodCapture(writer, source, estate, capture, on_capture) if capture else None
    following = KubeWatch(source, writer.keeper, debounce_s=debounce_s, progress=progress,
                          on_pod=pods.seen if pods else None, on_listed=staged.put,
                          on_read=ahead.read, derive=derive_live_view,
                          page_worker=page_worker)  # fmt: skip
    collector = _Collector()
    try:
        following.run(record, stop)
    finally:
        staged.close()
        collector.close()
        if pods is not None:
            pods.close()


def _watch_engine(recorder: _Recorder, source: str, stop: threading.Event, debounce_s: float,
                  capture: CaptureOptions | None,
                  on_capture: Callable[[WatchCapture], None] | None) -> None:  # fmt: skip
    def sealed(outcome: GuardOutcome) -> None:
        if on_capture is not None and outcome.sealed is not None:
            on_capture(WatchCapture(outcome.name, outcome.event, outcome.sealed.address,
                                    int(outcome.ledger_entry or 0),
                                    bool(outcome.sealed.manifest["complete"])))  # fmt: skip

    follow_engine(recorder.writer, source, estate=recorder.estate, record=recorder.record,
                  stop=stop, debounce_s=debounce_s, capture=capture, on_outcome=sealed)  # fmt: skip


@dataclass
class _Recorder:
    """Records a watch's observations and tells ``on_record`` of each; with ``retention``,
    compacts the older ones once per its ``keep_every`` period."""

    writer: Store
    estate: str
    on_record: Callable[[Recorded], None]
    retention: Retention | None
    compacted: float = field(default_factory=time.monotonic)

    def record(self, observation: Observation, changes: int, listed: bool,
               stored: Staged = NOTHING_STAGED) -> None:  # fmt: skip
        """Record ``observation`` (``changes`` in it; ``listed``: the whole state was read;
        ``stored``: the resources put in the store already)."""
        self._compact()
        saved = self.writer.record(observation, stored=stored)
        self.on_record(Recorded(saved.seq, changes, listed, observation.complete,
                                len(observation.resources), tuple(observation.errors),
                                tuple(observation.changes)))  # fmt: skip

    def _compact(self) -> None:
        if self.retention is None:
            return
        if time.monotonic() - self.compacted >= self.retention.keep_every.total_seconds():
            compact(self.writer, self.estate, self.retention)
            self.compacted = time.monotonic()


STAGED_PER_WRITE = 4 * PAGE
"""Objects of a first list written in one transaction. Every write rewrites most leaves of the
objects' digest index (the digests are random): a page at a time, a first list's 10k objects
(4.8 MB) wrote 16 MB to SQLite's log, four pages at a time 9 MB, and took 81-84 against 59-66
ms of CPU to store (``bench/bench_watch.py``'s list, median of 5, in turn, load 13)."""


class _Staged:
    """The first list's pages, stored as they arrive, on a thread of its own (compressing
    them lets the interpreter lock go): the first observation then only checks they are
    there, and its record step no longer waits after the last page for all of them. Pages of
    later lists (a relist after 410 Gone) are not staged: the previous observation names most
    of their objects, which are not stored again."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.since = store.ledger.size()  # a tombstone logged from here on may erase a page's
        self.digests: set[str] = set()
        self.writes: list[Future[None]] = []
        self.lock = threading.Lock()
        self.pool: ThreadPoolExecutor | None = ThreadPoolExecutor(1, "store pages")
        self.pending: dict[str, bytes] = {}
        """Pages not yet written: :data:`STAGED_PER_WRITE` objects at least are written at once."""

    def put(self, page: list[tuple[str, bytes]]) -> None:
        """Store ``page`` (digests and canonical bytes) while the first list goes on."""
        with self.lock:
            if self.pool is not None:
                self.digests.update(d for d, _ in page)
                self.pending.update(page)
                if len(self.pending) >= STAGED_PER_WRITE:
                    self._write(self.pool)

    def listed(self) -> None:
        """The first list is over (later calls do nothing): its last pages are written while
        its observation is made, then the store's log is copied into it, which its record step
        would otherwise do in its commit, after the last page (SQLite: that commit took 10-11
        against 4 ms of CPU at 10k objects, the copy 5 ms beside the observation being
        made; ``bench/bench_watch.py``'s list, median of 5, in turn, load 10-14)."""
        with self.lock:
            if self.pool is not None:
                self._write(self.pool)
                self.writes.append(self.pool.submit(self.store.db.copy_log))

    def _write(self, pool: ThreadPoolExecutor) -> None:
        if self.pending:
            self.writes.append(pool.submit(self.store.put_objects, self.pending))
            self.pending = {}

    def stored(self) -> Staged:
        """Every page staged, once all are stored (the first that failed raises); after the
        first call, no more pages are staged and it returns none."""
        with self.lock:
            pool, self.pool = self.pool, None
            if pool is not None:
                self._write(pool)  # none left once :meth:`listed` was heard
        if pool is None:
            return NOTHING_STAGED
        pool.shutdown(wait=True)
        writes, self.writes = self.writes, []
        for write in writes:
            write.result()
        digests, self.digests = self.digests, set()
        return Staged(digests, self.since)

    def close(self) -> None:
        """Stage no more, once the pages under way are written or failed: a list cut off
        leaves objects no observation names, which its next attempt stores again for free,
        and those of its pages not yet written, it writes."""
        with self.lock:
            pool, self.pool, self.pending = self.pool, None, {}
        if pool is not None:
            pool.shutdown(wait=True)


class _Ahead:
    """The views the first observation reads (each workload's normalized view), computed from
    the first list's objects as their pages arrive, while their bodies are still parsed, and
    carried by the first batch's resources (``KubeWatch.on_read``): the first observation then
    neither decodes those bodies again nor normalizes them after the last page. Later lists
    are not read ahead: the views kept from the last batch serve the objects they did not
    change."""

    def __init__(self) -> None:
        self.first = True

    def read(self, resource: Resource) -> None:
        """Compute ``resource``'s views, while the first list goes on."""
        if self.first:
            derive_live_view(resource)

    def listed(self) -> None:
        """The first list is over: no more reading ahead."""
        self.first = False


class _Collector:
    """The cyclic garbage collector paused from the start of a watch until its first list is
    recorded: listing allocates hundreds of thousands of objects, nearly all acyclic (parsed
    pages, held objects), and every full pass walked all of them again (a sixth of the list's
    CPU time at 10k objects). Then what the process holds (the watch's state, its kept views)
    is frozen out of later passes, which would walk those thousands of objects at every
    batch. The cyclic garbage the list made is frozen with it until the watch ends (61
    objects at 10k): collecting it first walked everything once more, 0.1-0.2 s."""

    def __init__(self) -> None:
        self.collecting = gc.isenabled()
        self.frozen = False
        gc.disable()

    def listed(self) -> None:
        """The first observation is recorded (later calls do nothing)."""
        if self.frozen:
            return
        gc.freeze()
        self.frozen = True
        if self.collecting:
            gc.enable()

    def close(self) -> None:
        """The watch ends: its state is let go, its cycles are the collector's again."""
        if self.frozen:
            gc.unfreeze()
        elif self.collecting:
            gc.enable()


class _PodCapture:
    """Captures the pods a watch sees end, on a pool of its own (the watch reads on)."""

    def __init__(self, store: Store, source: str, estate: str, options: CaptureOptions,
                 heard: Callable[[WatchCapture], None] | None) -> None:  # fmt: skip
        self.store, self.estate, self.options, self.heard = store, estate, options, heard
        self.cluster = connect(KubeTarget.parse(source))
        self.signer = store.ledger.signer()
        self.triggers = PodTriggers()
        self.pool = ThreadPoolExecutor(_CAPTURES, thread_name_prefix="pod capture")
        self.futures: list[Future[None]] = []

    def seen(self, event: str, pod: Mapping[str, Any]) -> None:
        if (trigger := self.triggers.trigger(event, pod)) is not None:
            self.futures.append(self.pool.submit(self._capture, pod, trigger))

    def _capture(self, pod: Mapping[str, Any], trigger: dict[str, Any]) -> None:
        sealed = capture_pod(self.cluster, pod, store=self.store, signer=self.signer,
                             options=self.options, trigger=trigger)  # fmt: skip
        entry = record_evidence(self.store, sealed, self.estate)
        if self.heard is not None:
            meta = pod.get("metadata") or {}
            name = f"{meta.get('namespace', '')}/{meta.get('name', '')}"
            self.heard(WatchCapture(name, str(trigger["event"]), sealed.address, entry,
                                   bool(sealed.manifest["complete"])))  # fmt: skip

    def close(self) -> None:
        """Wait for the captures under way; the first that failed raises."""
        self.pool.shutdown(wait=True)
        try:
            for future in self.futures:
                future.result()
        finally:
            self.cluster.close()
