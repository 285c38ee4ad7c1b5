"""``make soak``: ``watch`` under a steady stream of changes for minutes (not in ``make bench``).

A writer patches ConfigMaps of the test API server (tests/kubeapi) at a fixed rate
(``STATEWARD_SOAK_WATCH_RATE`` events/s, default 200) for ``STATEWARD_SOAK_WATCH_SECONDS``
(default 600), round-robin over ``STATEWARD_SOAK_WATCH_OBJECTS`` of them (default 1,000), while
``api.watch`` records them into a SQLite store with a debounce of
``STATEWARD_SOAK_WATCH_DEBOUNCE`` seconds (default 0.25). Checked and printed:

* no event lost or recorded twice: every resourceVersion the server committed while the writer
  ran (its event log is numbered without gaps, one number per write) is in the changes of
  exactly one recorded observation;
* event → ledger entry latency: from just before the write is sent to when the observation that
  holds it has been recorded (its ledger entry appended), p50, p99 (target ≤ 1 s) and max;
* the rate the writer held, observations recorded, and the watch process's peak RSS.

Exit status 1 when an event is lost or recorded twice, or the p99 is over 1 s.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.kubeapi.server import KubeAPI

from stateward import api
from stateward.store import open_store

SECONDS = float(os.environ.get("STATEWARD_SOAK_WATCH_SECONDS", "600"))
RATE = float(os.environ.get("STATEWARD_SOAK_WATCH_RATE", "200"))
OBJECTS = int(os.environ.get("STATEWARD_SOAK_WATCH_OBJECTS", "1000"))
DEBOUNCE = float(os.environ.get("STATEWARD_SOAK_WATCH_DEBOUNCE", "0.25"))
P99_TARGET_S = 1.0


class _Log:
    """When each write was sent (by the resourceVersion the server gave it) and when the
    observation holding it was recorded."""

    def __init__(self) -> None:
        self.sent: dict[int, float] = {}
        self.recorded: dict[int, float] = {}
        self.twice: list[int] = []
        self.observations = 0

    def heard(self, record: api.Recorded) -> None:
        now = time.monotonic()
        self.observations += 1
        for change in record.applied:
            rv = int(change["resourceVersion"])
            if rv in self.recorded:
                self.twice.append(rv)
            self.recorded[rv] = now


def _write(server: KubeAPI, log: _Log, stop_at: float) -> None:
    """Patch at RATE/s on a fixed schedule (a late write does not shift the ones after it)."""
    kind = server.cluster.kinds[("", "configmaps")]
    period, start, n = 1.0 / RATE, time.monotonic(), 0
    while (due := start + n * period) < stop_at:
        if (wait := due - time.monotonic()) > 0:
            time.sleep(wait)
        sent = time.monotonic()
        patched = server.cluster.patch(kind, "default", f"soak-{n % OBJECTS:05}",
                                       {"data": {"N": str(n)}}, "kubectl-set")  # fmt: skip
        log.sent[int(patched["metadata"]["resourceVersion"])] = sent
        n += 1


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run() -> tuple[list[str], bool]:
    server = KubeAPI().start()
    log = _Log()
    stop = threading.Event()
    try:
        for i in range(OBJECTS):
            server.cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                                   "metadata": {"name": f"soak-{i:05}", "namespace": "default"},
                                   "data": {"N": "-1"}}, "helm")  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="stateward-soak-watch-") as tmp:
            kubeconfig = Path(tmp) / "kubeconfig"
            kubeconfig.write_text(json.dumps(server.kubeconfig()))
            os.environ["KUBECONFIG"] = str(kubeconfig)
            store = open_store(str(Path(tmp) / "store"))
            watching = threading.Thread(
                target=api.watch, args=(store, "kube://"), daemon=True,
                kwargs={"estate": "soak", "on_record": log.heard, "stop": stop,
                        "debounce_s": DEBOUNCE},
            )  # fmt: skip
            watching.start()
            while not log.observations:
                time.sleep(0.05)  # the whole state listed and recorded first
            first_rv = server.cluster.rv
            started = time.monotonic()
            _write(server, log, started + SECONDS)
            wrote = time.monotonic() - started
            last_rv = server.cluster.rv
            deadline = time.monotonic() + 60
            while not set(range(first_rv + 1, last_rv + 1)) <= log.recorded.keys():
                if time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            stop.set()
            watching.join(30)
            store.close()
    finally:
        server.stop()
    committed = set(range(first_rv + 1, last_rv + 1))  # the server's log: one number per write
    lost = committed - log.recorded.keys()
    latencies = [log.recorded[rv] - log.sent[rv] for rv in committed & log.recorded.keys()]
    p99 = _percentile(latencies, 0.99)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"{len(committed)} events in {wrote:.0f} s ({len(committed) / wrote:.0f}/s; target "
        f"{RATE:.0f}/s), {OBJECTS} ConfigMaps, debounce {DEBOUNCE} s: "
        f"{log.observations} observations recorded",
        f"lost {len(lost)}, recorded twice {len(log.twice)} (checked against the server's "
        f"resourceVersions {first_rv + 1}..{last_rv})",
        f"event -> ledger entry: p50 {_percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms (target <= {P99_TARGET_S * 1000:.0f} ms), "
        f"max {max(latencies, default=0) * 1000:.0f} ms",
        f"peak RSS of the process (server, writer and watch): {rss:.0f} MiB",
    ]
    return lines, not lost and not log.twice and p99 <= P99_TARGET_S


def main() -> int:
    load = os.getloadavg()[0]
    print("== soak_watch", flush=True)
    lines, passed = run()
    for line in lines:
        print(f"   {line}", flush=True)
    print(f"   (load {load:.1f} -> {os.getloadavg()[0]:.1f}): {'ok' if passed else 'FAILED'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
