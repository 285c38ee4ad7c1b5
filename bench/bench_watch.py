"""``watch`` against the test API server (tests/kubeapi): what one change costs.

Figures, one run:

* store growth per recorded change, with ``BENCH_WATCH_OBJECTS`` ConfigMaps watched (default
  2,000) and ``BENCH_WATCH_EVENTS`` changes (default 200), one ConfigMap each, each its own
  observation: bytes of stored objects per change, and as a fraction of one full observation
  (the first one). O(changes) means this fraction stays near 1/N, not near 1/16;
* the time from one change to its recorded observation, one change at a time;
* burst throughput: changes recorded per second while the events arrive as fast as the test
  server makes them (its own work and one debounce period included), and as a ratio to the
  floor of ``json.loads`` on the same watch stream's bytes;
* the initial list of ``BENCH_WATCH_LIST`` objects (default 10,000: nine ConfigMaps to one
  Deployment) to its recorded observation, against the floor of ``json.loads`` on the same
  objects' JSON plus what every object read goes through today: redaction, then normalization
  and resolution (:func:`stateward.api._observe.observation_of`); target ≤ 2x. The watch
  pauses the cyclic garbage collector until its first list is recorded, so the floor runs
  with it paused too (a quarter of the floor's CPU time is the collector's otherwise); the
  ratio to the floor with the collector running, as measured before the watch paused it, is
  printed beside. That list digests its pages in the watch's own process; the same list with
  its pages digested in a worker process (``page_worker``, which a watch uses by default when a
  core is idle: it pays on an idle machine and costs on a loaded one) is run in turn. The median of ``BENCH_WATCH_LIST_RUNS`` (default 3) list-then-floor runs:
  on a shared machine one run swings by half. Beside the wall time, the CPU time of both
  (this process's, and the page worker's where there is one; the server runs in its own),
  which load disturbs far less, and the test API server's CPU time meanwhile. What the list
  pays and the floor does not (perf stat's software counters attached to each in turn, 6
  runs, load 2; this VM counts no cycles or instructions): the server making the pages, 0.11-
  0.13 s of CPU a list, in its own process on the same two cores (it competes with the watch
  for them, not for its interpreter lock: the floor's CPU time beside a busy process stays
  0.49 against 0.50 s alone, its wall time grows); the kernel's part (the watch's system
  time 0.06-0.13 s a list: SQLite's log, 15,834 pwrite and 14 fdatasync calls in one list
  under strace, on the thread that stores the pages; sockets; futexes; the floor's is under
  10 ms); ~1,700 context switches and ~60 CPU migrations of its threads; the API discovery
  (15-30 ms before the first list is asked); the waits of the thread digesting the
  ConfigMaps for their next page, asked for ahead but not yet made and decoded (20-194 ms a
  list, median 78, of its 1.3-2.4 s; 5 runs, load 3-4). Neither side runs the collector. Measured so, the wall ratio follows the CPU
  ratio (load 2: the list 1.06 s wall and 0.90 s CPU, the floor 0.50 and 0.47 s); both
  wait for a core under load, the list's busiest thread longer (its run-queue wait, from
  /proc's schedstat, 0.5-1.2 times its CPU time at load 3-4, the floor's 0.25-0.6 times).
  ``python -m bench callgrind watch`` counts 1.46x the floor's instructions (2026-12-07), the CPU time is
  ~1.9x: the gap is CPU time the count does not see (the kernel's part above, and user time
  beyond what the instructions explain, which needs cycle counters to split), not waiting;
* each later batch of that state, one ConfigMap changed at a time (``BENCH_WATCH_LATER``
  changes, default 10): CPU and wall time from the change to its recorded observation, medians
  (every batch resolves the whole state again; unchanged workloads keep their normalized
  views);
* the memory the watch holds once that list is recorded and it waits for changes (tracemalloc,
  in a second run: tracing slows everything; every Python allocation of the process made since
  the watch started and still alive, its threads' included), against the JSON size of the
  objects watched (target ≤ 3x), and what ``json.loads`` of that JSON alone holds; and the
  peak on the way (the first observation is built whole, then let go).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.kubeapi.server import KubeAPI

from bench.settings import env_int
from stateward import api
from stateward.api._observe import observation_of
from stateward.model.secrets import SecretKeeper
from stateward.sources.kube.source import KubeSource
from stateward.sources.redact import forget_clean_inputs, redact_object
from stateward.store import Store, open_store

OBJECTS = env_int("BENCH_WATCH_OBJECTS", 2000)
EVENTS = env_int("BENCH_WATCH_EVENTS", 200)
LISTED = env_int("BENCH_WATCH_LIST", 10000)
LIST_RUNS = env_int("BENCH_WATCH_LIST_RUNS", 3)
LATER = env_int("BENCH_WATCH_LATER", 10)
_SETTLE_S = 1.0


def run() -> list[str]:
    return _served(OBJECTS, _changes) + _apart(LISTED, LISTED // 10)


def _served(objects: int, measure: Callable[[KubeAPI, Store], list[str]]) -> list[str]:
    """``measure`` against a test API server holding ``objects`` more objects, and a store."""
    server = KubeAPI().start()
    try:
        _populate(server, objects)
        with tempfile.TemporaryDirectory(prefix="stateward-bench-watch-") as tmp:
            kubeconfig = Path(tmp) / "kubeconfig"
            kubeconfig.write_text(json.dumps(server.kubeconfig()))
            os.environ["KUBECONFIG"] = str(kubeconfig)
            store = open_store(str(Path(tmp) / "store"))
            try:
                return measure(server, store)
            finally:
                store.close()
    finally:
        server.stop()


def _changes(server: KubeAPI, store: Store) -> list[str]:
    return _growth(server, store) + _throughput(server, store)


def _populate(server: KubeAPI, count: int, deployments: int = 0) -> None:
    """``count`` ConfigMaps, or with ``deployments``, that many of them Deployments instead,
    each reading one of the ConfigMaps."""
    for i in range(count - deployments):
        server.cluster.create(
            {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": f"bench-{i:05}", "namespace": "default"},
             "data": {"LOG_LEVEL": "info", "INDEX": str(i)}},
            "helm",
        )  # fmt: skip
    for i in range(deployments):
        container = {
            "name": "app",
            "image": f"example/app-{i}:1.0",
            "envFrom": [{"configMapRef": {"name": f"bench-{i:05}"}}],
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
        }
        server.cluster.create(
            {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": f"app-{i:05}", "namespace": "default",
                          "labels": {"app": f"app-{i}"}},
             "spec": {"replicas": 2, "selector": {"matchLabels": {"app": f"app-{i}"}},
                      "template": {"metadata": {"labels": {"app": f"app-{i}"}},
                                   "spec": {"containers": [container]}}}},
            "helm",
        )  # fmt: skip


class _Watching:
    """``api.watch`` in a thread, counting what it recorded. :meth:`until` sleeps until a
    record is heard, as the floor's caller waits for nothing. Polled every 10 ms instead, the
    waiting thread took the interpreter lock from the watch's threads ~100 times a second:
    the first list at 10k objects made 1,367 against 929 voluntary context switches (median
    of 9, in turn, load 2-3), though its ratio to the floor did not move beyond the noise
    (2.01x against 1.97x; 1.72x against 1.98x in 7 runs before, load 3-4)."""

    def __init__(self, store: Store, estate: str, debounce_s: float,
                 page_worker: bool = False) -> None:  # fmt: skip
        self.recorded: list[api.Recorded] = []
        self.heard = threading.Condition()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=api.watch, args=(store, "kube://"), daemon=True,
            kwargs={"estate": estate, "on_record": self._record, "stop": self.stop,
                    "debounce_s": debounce_s, "page_worker": page_worker},
        )  # fmt: skip
        self.thread.start()

    def _record(self, recorded: api.Recorded) -> None:
        with self.heard:
            self.recorded.append(recorded)
            self.heard.notify_all()

    def changes(self) -> int:
        return sum(r.changes for r in self.recorded)

    def until(self, changes: int, limit: float = 600.0) -> None:
        with self.heard:
            if not self.heard.wait_for(lambda: self.changes() >= changes and self.recorded,
                                       limit):  # fmt: skip
                raise TimeoutError(f"{self.changes()} of {changes} changes recorded")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(30)


def _stored(store: Store) -> int:
    sql = "SELECT COALESCE(SUM(LENGTH(data)), 0) FROM objects"
    return int(store.db.read_only(lambda c: c.execute(sql))[0][0])


def _set(server: KubeAPI, i: int, value: str) -> None:
    kind = server.cluster.kinds[("", "configmaps")]
    server.cluster.patch(kind, "default", f"bench-{i % OBJECTS:05}",
                         {"data": {"LOG_LEVEL": value}}, "kubectl-set")  # fmt: skip


def _growth(server: KubeAPI, store: Store) -> list[str]:
    before = _stored(store)
    watching = _Watching(store, "growth", debounce_s=0.0)
    try:
        watching.until(0)
        full = _stored(store) - before
        started = time.perf_counter()
        for i in range(EVENTS):
            _set(server, i, f"g{i}")
            watching.until(i + 1)
        each = (time.perf_counter() - started) / EVENTS
        grown = _stored(store) - before - full
    finally:
        watching.close()
    per = grown / EVENTS
    return [
        f"{OBJECTS} objects: first observation {full / 1024:.0f} KiB stored",
        f"growth per change: {per:.0f} B ({per / full:.4f} of a full observation; "
        f"{len(watching.recorded) - 1} observations for {EVENTS} changes)",
        f"one change at a time, event to recorded observation: {each * 1000:.0f} ms "
        "(the whole state is resolved again per observation: O(objects) CPU)",
    ]


def _throughput(server: KubeAPI, store: Store) -> list[str]:
    watching = _Watching(store, "throughput", debounce_s=0.2)
    try:
        watching.until(0)
        start_rv = server.cluster.rv
        started = time.perf_counter()
        for i in range(EVENTS):
            _set(server, i, f"t{i}")
        watching.until(EVENTS)
        elapsed = time.perf_counter() - started
    finally:
        watching.close()
    stream = [json.dumps({"type": e.type, "object": e.obj}).encode()
              for e in server.cluster.events if e.rv > start_rv]  # fmt: skip
    floor = time.perf_counter()
    for line in stream:
        json.loads(line)
    parse = time.perf_counter() - floor
    return [  # elapsed includes the server making the events and one 0.2 s debounce
        f"burst throughput: {EVENTS / elapsed:.0f} changes/s recorded "
        f"({len(watching.recorded) - 1} observations); "
        f"{elapsed / max(parse, 1e-9):.0f}x the json.loads floor of the same stream",
    ]


def _apart(objects: int, deployments: int) -> list[str]:
    """:func:`_initial_list` against a test API server in a process of its own: making the
    pages is the server's work, and there it does not hold the watch's interpreter lock."""
    with tempfile.TemporaryDirectory(prefix="stateward-bench-watch-") as tmp:
        with serving(objects, deployments, Path(tmp)) as (_, dump, pid):
            return _initial_list(dump.read_bytes(), Path(tmp), pid)


@contextlib.contextmanager
def serving(objects: int, deployments: int, tmp: Path) -> Iterator[tuple[Path, Path, int]]:
    """A test API server in a process of its own (:func:`_serve`), ``KUBECONFIG`` set to it:
    its kubeconfig, the file holding its objects' JSON and its process id, until the end."""
    kubeconfig, dump = tmp / "kubeconfig", tmp / "objects.json"
    command = [sys.executable, "-m", "bench.bench_watch", str(kubeconfig), str(dump),
               str(objects), str(deployments)]  # fmt: skip
    server = subprocess.Popen(command, cwd=Path(__file__).resolve().parent.parent)
    try:
        while not kubeconfig.exists():
            if server.poll() is not None:
                raise RuntimeError(f"the test API server ended: {server.returncode}")
            time.sleep(0.1)
        os.environ["KUBECONFIG"] = str(kubeconfig)
        yield kubeconfig, dump, server.pid
    finally:
        server.terminate()
        server.wait(30)


def _serve(kubeconfig: Path, dump: Path, objects: int, deployments: int) -> None:
    """Serve ``objects`` more objects until terminated; their JSON to ``dump``, then the
    kubeconfig (written last, whole: its presence says the server is ready). Each SIGUSR1
    changes the next ConfigMap."""
    server = KubeAPI().start()
    _populate(server, objects, deployments)
    changed = iter(range(objects - deployments))
    signal.signal(signal.SIGUSR1, lambda *_: _set(server, next(changed), "later"))
    listed = [o for o in server.cluster.objects.values()
              if o["metadata"].get("namespace") == "default"]  # fmt: skip
    dump.write_text(json.dumps({"items": listed}))  # what the lists carry, as one document
    kubeconfig.with_suffix(".tmp").write_text(json.dumps(server.kubeconfig()))
    kubeconfig.with_suffix(".tmp").rename(kubeconfig)
    threading.Event().wait()


def _initial_list(text: bytes, tmp: Path, server: int) -> list[str]:
    """The list and its floor, one after the other, ``LIST_RUNS`` times (each list into a
    store of its own), then later batches, then the memory a watch holds."""
    count = len(json.loads(text)["items"])
    runs = [(_serving(server, timed_list, tmp / f"store-{i}"), _floor(text, collecting=False),
             _floor(text, collecting=True), timed_list(tmp / f"store-worker-{i}", page_worker=True))
            for i in range(LIST_RUNS)]  # fmt: skip
    listed, floor = (statistics.median(r[i][0] for r in runs) for i in (0, 1))
    # each run's ratios in the order the runs were made, not sorted: sorted, they read as a
    # ratio growing run after run in one process, which in-order runs did not show
    ratios = [watch[0] / floor[0] for watch, floor, _, _ in runs]
    cpu = [watch[1] / floor[1] for watch, floor, _, _ in runs]
    collected = statistics.median(watch[0] / floor[0] for watch, _, floor, _ in runs)
    worker = [[r[3][i] / r[1][i] for r in runs] for i in (0, 1)]
    later = _later(tmp / "store-later", server)
    store = open_store(str(tmp / "store-held"))
    try:
        (held, peak), parsed = _held(store), _parsed(text)
    finally:
        store.close()
    store = open_store(str(tmp / "store-held-worker"))
    try:
        worker_held, worker_peak = _held(store, page_worker=True)
    finally:
        store.close()
    return [
        f"initial list of {count} objects ({len(text) / 2**20:.1f} MiB of JSON; the server "
        f"in a process of its own) to a recorded observation, its pages digested in the "
        f"watch's own process, median of {LIST_RUNS}: "
        f"{listed:.2f} s, {statistics.median(ratios):.2f}x the floor of json.loads "
        f"+ redaction, normalization and resolution of the same objects ({floor:.2f} s; "
        f"target <= 2x; each run in turn {', '.join(f'{r:.2f}x' for r in ratios)}); in CPU time "
        f"{statistics.median(r[0][1] for r in runs):.2f} s against "
        f"{statistics.median(r[1][1] for r in runs):.2f} s: {statistics.median(cpu):.2f}x "
        f"(each run {', '.join(f'{r:.2f}x' for r in cpu)}); against the floor with the "
        f"collector running: {collected:.2f}x; the test API server's CPU meanwhile "
        f"{statistics.median(r[0][3] for r in runs):.2f} s (on the same cores: the floor's "
        f"bytes are read beforehand, its server idle)",
        f"the same list with its pages digested in a worker process (page_worker=True), in "
        f"turn: {statistics.median(r[3][0] for r in runs):.2f} s, "
        f"{statistics.median(worker[0]):.2f}x the floor (each run "
        f"{', '.join(f'{r:.2f}x' for r in worker[0])}); in CPU time "
        f"{statistics.median(r[3][1] for r in runs):.2f} s: {statistics.median(worker[1]):.2f}x "
        f"(the worker's {statistics.median(r[3][2] for r in runs):.2f} s of it)",
        f"a later batch of that state (one ConfigMap changed, median of {LATER}): "
        f"{later[0] * 1000:.0f} ms CPU, {later[1] * 1000:.0f} ms from the change to its "
        "recorded observation",
        f"memory held by a second watch in this process once listed, between batches (a "
        f"process's first watch also holds its one-time imports and caches, ~20 MiB at 10k "
        f"and 20k objects alike): {held / 2**20:.1f} MiB, "
        f"{held / len(text):.2f}x the JSON size of the objects watched (target <= 3x; "
        f"json.loads of that JSON alone holds {parsed / len(text):.2f}x); at most "
        f"{peak / 2**20:.1f} MiB ({peak / len(text):.2f}x) while listing and recording",
        f"the same with its pages digested in a worker process: {worker_held / 2**20:.1f} MiB, "
        f"{worker_held / len(text):.2f}x the JSON (target <= 3x); at most "
        f"{worker_peak / 2**20:.1f} MiB ({worker_peak / len(text):.2f}x) on the way (this "
        "process only: the worker ends once the list is read)",
    ]


def timed_list(path: Path, page_worker: bool = False) -> tuple[float, float, float]:
    """Seconds from starting a watch to its first observation recorded into a new store, the
    CPU seconds this process spent meanwhile and its page worker spent in all (the server's
    are its own process's), and the page worker's part."""
    store = open_store(str(path))
    forget_clean_inputs()  # a watch starts in a new process: nothing remembered as clean yet
    try:
        started, cpu, worker = time.perf_counter(), time.process_time(), _children()
        watching = _Watching(store, "list", debounce_s=0.2, page_worker=page_worker)
        try:
            watching.until(0)
            listed, spent = time.perf_counter() - started, time.process_time() - cpu
        finally:
            watching.close()
        # the page worker ends once the list is done, while the first observation is recorded
        # (not waited for): the watch waits for it when it ends, and only then is its CPU time
        # counted (all of it: it does nothing after the list)
        worked = _children() - worker
        return listed, spent + worked, worked
    finally:
        store.close()


def _serving(
    server: int, timed: Callable[[Path], tuple[float, float, float]], path: Path
) -> tuple[float, float, float, float]:
    """``timed(path)``, and the CPU seconds the test API server (process ``server``) spent
    meanwhile, to 10 ms: work the list makes on the machine's cores that the floor never
    does (0.11-0.13 s at 10k objects, where its floor took 0.47 s of CPU; perf stat, load 2)."""
    before = _cpu_of(server)
    timed_run = timed(path)
    return (*timed_run, _cpu_of(server) - before)


def _cpu_of(pid: int) -> float:
    """CPU seconds process ``pid`` spent so far, all its threads' (Linux: /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children() -> float:
    """CPU seconds of the child processes this one waited for: the watch's page workers (the
    test API server's process runs until the end)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _floor(text: bytes, collecting: bool) -> tuple[float, float]:
    """json.loads of the objects' JSON and the redaction every object read gets, then the
    observation of the same resources, normalized and resolved (:func:`floor_work`; read
    untimed: HTTP and paging are the watch's own cost, not the floor's), with the cyclic
    collector running or not: seconds, and CPU seconds."""
    work = floor_work(text)
    if not collecting:
        gc.disable()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        work()
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        gc.enable()


def floor_work(text: bytes) -> Callable[[], None]:
    """The floor's work, its resources read beforehand: json.loads of the objects' JSON and
    the redaction every object read gets (secret values to keyed digests:
    :func:`~stateward.sources.redact.redact_object`), then :func:`observation_of` of the same
    resources (``bench.callgrind`` counts it too)."""
    keeper = SecretKeeper(b"k" * 32)
    read = KubeSource(environ=dict(os.environ)).observe("kube://", keeper)
    forget_clean_inputs()  # the read redacted the same objects: start cold too

    def work() -> None:
        for obj in json.loads(text)["items"]:
            redact_object(obj, keeper)
        observation_of("floor", ["kube://"], read.resources)

    return work


def _later(path: Path, server: int) -> tuple[float, float]:
    """Median CPU seconds (this process's) and seconds from a change to its recorded
    observation, ``LATER`` changes one at a time, once the watch has listed."""
    store = open_store(str(path))
    try:
        watching = _Watching(store, "later", debounce_s=0.0)
        try:
            watching.until(0)
            spent: list[tuple[float, float]] = []
            for i in range(LATER):
                started, cpu = time.perf_counter(), time.process_time()
                os.kill(server, signal.SIGUSR1)
                watching.until(i + 1)
                spent.append((time.process_time() - cpu, time.perf_counter() - started))
            return statistics.median(s[0] for s in spent), statistics.median(s[1] for s in spent)
        finally:
            watching.close()
    finally:
        store.close()


def _parsed(text: bytes) -> int:
    """Bytes json.loads of ``text`` holds: what any watch keeping the objects as parsed JSON
    holds at least."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        parsed = json.loads(text)
        held = tracemalloc.get_traced_memory()[0] - before
        del parsed
        return held
    finally:
        tracemalloc.stop()


def _held(store: Store, page_worker: bool = False) -> tuple[int, int]:
    """Bytes still allocated by a second watch once its initial list is recorded and it waits
    for changes (what it holds between batches), and the most it held on the way there."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        watching = _Watching(store, "held", debounce_s=0.2, page_worker=page_worker)
        try:
            watching.until(0)
            # on_record is heard while the batch's observation is still alive: the watch lets
            # its decoded bodies go when the batch is done, then waits on the next event.
            time.sleep(_SETTLE_S)
            gc.collect()
            held, peak = tracemalloc.get_traced_memory()
            return held - before, peak - before
        finally:
            watching.close()
    finally:
        tracemalloc.stop()


if __name__ == "__main__":  # the test API server of _apart
    _serve(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
