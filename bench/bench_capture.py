"""From a container's stop event to a sealed evidence bundle, and a storm.

Figures, on the real test engine (``$STATEWARD_TEST_ENGINE``, started by ``make services``):

* median time from the engine's ``die`` event to a sealed bundle, over 20 containers each with a
  10 MB writable layer, stopped one at a time with the guard running (target: under 1 s); as a
  ratio to the floor of the same API reads (inspect + the 10 MB file through the archive
  endpoint) measured in the same run;
* a storm of 50 containers stopped and removed at once: how many got sealed evidence (target:
  50 of 50), and how many of those still had the container to read at capture.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import docker

from bench.settings import env_int
from stateward.forensics.capture import capture
from stateward.forensics.evidence import Sealed
from stateward.forensics.guard import Guard
from stateward.forensics.records import record_evidence
from stateward.ledger.signer import Ed25519Signer
from stateward.sources.engine.client import Engine, connect
from stateward.store import Store, open_store

IMAGE = "localhost/stateward-test/busybox:1"
LABEL = "stateward.bench"
WRITE_10MB = "dd if=/dev/urandom of=/tmp/layer bs=1048576 count=10 2>/dev/null; exec sleep 600"
CAPTURED = env_int("BENCH_CAPTURED", 20)
STORM = env_int("BENCH_STORM", 50)


def run() -> list[str]:
    url = os.environ.get("STATEWARD_TEST_ENGINE")
    if not url:
        return ["SKIPPED: $STATEWARD_TEST_ENGINE is not set; run `make services` first"]
    client = docker.DockerClient(base_url=url, timeout=120)
    engine = connect(url)
    try:
        with tempfile.TemporaryDirectory(prefix="stateward-bench-capture-") as tmp:
            store = open_store(str(Path(tmp) / "store"))
            try:
                return _latency(client, engine, store) + _storm(client, engine, store)
            finally:
                store.close()
    finally:
        for leftover in client.containers.list(all=True, filters={"label": LABEL}):
            leftover.remove(force=True)
        engine.close()
        client.close()


class _Timed:
    """Runs a guard whose captures note, per container, seconds from die event to seal."""

    def __init__(self, engine: Engine, store: Store) -> None:
        signer = Ed25519Signer.generate("bench.stateward")
        self.delays: dict[str, float] = {}
        self.inspected: dict[str, str] = {}

        def seal(
            ident: str, trigger: Mapping[str, Any], seen: Mapping[str, Any] | None
        ) -> tuple[Sealed, int]:
            sealed = capture(
                engine, ident, store=store, signer=signer, keeper=store.keeper,
                trigger=trigger, seen=seen,
            )  # fmt: skip
            event_ns = int(trigger.get("time") or 0)
            self.delays[ident] = time.time() - event_ns / 1e9
            self.inspected[ident] = str(sealed.manifest["inspected"])
            return sealed, record_evidence(store, sealed, None)  # as `stateward guard` does

        self.guard = Guard(engine, seal, workers=4)
        self.thread = threading.Thread(target=self.guard.run, daemon=True)
        self.thread.start()
        time.sleep(0.5)

    def wait_for(self, ids: set[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not ids <= {o.container for o in self.guard.outcomes}:
            time.sleep(0.05)

    def stop(self) -> None:
        self.guard.stop()
        self.thread.join(timeout=120)


def _start(client: docker.DockerClient, count: int, tag: str) -> list[Any]:
    boxes = [
        client.containers.run(
            IMAGE,
            ["sh", "-c", WRITE_10MB],
            detach=True,
            labels={LABEL: tag},
            name=f"swbench-{tag}-{i}-{os.getpid()}",
            stop_signal="SIGKILL",
        )  # fmt: skip
        for i in range(count)
    ]
    time.sleep(2)  # each has written its 10 MB
    return boxes


def _latency(client: docker.DockerClient, engine: Engine, store: Store) -> list[str]:
    boxes = _start(client, CAPTURED, "latency")
    floor = statistics.median(_floor(engine, box.id) for box in boxes[:5])
    timed = _Timed(engine, store)
    for box in boxes:
        box.stop(timeout=0)
        timed.wait_for({box.id}, timeout=60)
    timed.stop()
    delays = [timed.delays[b.id] for b in boxes if b.id in timed.delays]
    median = statistics.median(delays) if delays else float("nan")
    return [
        f"capture: {len(delays)} of {CAPTURED} containers (10 MB writable layer) sealed",
        f"API read floor (inspect + 10 MB archive): {floor * 1000:.0f} ms",
        f"die event -> sealed bundle: median {median * 1000:.0f} ms = {median / floor:.1f}x "
        f"the floor; max {max(delays) * 1000:.0f} ms (target: median under 1 s)",
    ]


def _floor(engine: Engine, ident: str) -> float:
    started = time.perf_counter()
    engine.api.inspect_container(ident)
    stream, _ = engine.api.get_archive(ident, "/tmp/layer")
    for _chunk in stream:
        pass
    return time.perf_counter() - started


def _storm(client: docker.DockerClient, engine: Engine, store: Store) -> list[str]:
    boxes = _start(client, STORM, "storm")
    timed = _Timed(engine, store)
    started = time.perf_counter()
    removers = [threading.Thread(target=b.remove, kwargs={"force": True}) for b in boxes]
    for remover in removers:
        remover.start()
    for remover in removers:
        remover.join()
    ids = {b.id for b in boxes}
    timed.wait_for(ids, timeout=120)
    took = time.perf_counter() - started
    timed.stop()
    sealed = [o for o in timed.guard.outcomes if o.container in ids and o.sealed is not None]
    live = sum(1 for o in sealed if timed.inspected.get(o.container) == "at capture")
    return [
        f"storm: {len(sealed)} of {STORM} containers stopped and removed at once have sealed "
        f"evidence (target 50 of 50), in {took:.1f} s",
        f"storm: {live} of them still readable at capture; the rest sealed from the inspect "
        "document the guard kept at their start",
    ]
